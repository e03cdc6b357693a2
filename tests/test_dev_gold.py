"""Evaluation gate on the development set (reports by another author, see samples/dev/README.md)."""
from __future__ import annotations

import json

import pytest

from eventcoder.evaluate import score_extract
from eventcoder.export.rows import event_to_row
from eventcoder.ingest import article_from_record
from eventcoder.pipeline import Coder

from conftest import SAMPLES

DEV = SAMPLES / "dev"
# Pinned a little below the measured scores (P 0.88, R 0.88, F1 0.88 when last measured).
FLOORS = {"precision": 0.82, "recall": 0.82, "f1": 0.82}
FIELD_FLOORS = {"sub_event_type": 0.88, "date": 0.9, "location_161km": 0.95, "fatalities": 0.72}


@pytest.fixture(scope="module")
def dev_score(gazetteer_path):
    coder = Coder(gazetteer_path=gazetteer_path)
    records = [json.loads(line) for line in (DEV / "reports.jsonl").open()]
    gold = {json.loads(line)["id"]: json.loads(line) for line in (DEV / "gold.jsonl").open()}
    articles = [article_from_record(r, "dev") for r in records]
    pred = {r["id"]: {"events": [event_to_row(e) for e in events]}
            for r, (_, events) in zip(records, coder.code(articles))}
    return score_extract(gold, pred)


def test_dev_event_floors(dev_score):
    for name, floor in FLOORS.items():
        assert getattr(dev_score, name) >= floor, (name, dev_score.as_dict(), dev_score.errors)


def test_dev_field_floors(dev_score):
    for name, floor in FIELD_FLOORS.items():
        assert dev_score.accuracy(name) >= floor, (name, dev_score.as_dict())
