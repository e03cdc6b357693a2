"""The pipeline against the hand-coded gold of the built-in sample reports (evaluation gate).

The floors are pinned a little below the measured scores; a real drop fails CI.
"""
from __future__ import annotations

import json

import pytest

from eventcoder.evaluate import score_extract
from eventcoder.export.rows import event_to_row
from eventcoder.ingest import article_from_record
from eventcoder.pipeline import Coder
from eventcoder.samples import sample_records
from eventcoder.vocab import ACLED_COLUMNS

from conftest import SAMPLES

FLOORS = {"precision": 0.95, "recall": 0.95, "f1": 0.95}
FIELD_FLOORS = {"sub_event_type": 0.95, "actor1": 0.85, "actor2": 0.8, "date": 0.9,
                "fatalities": 0.9, "location_25km": 0.95}


@pytest.fixture(scope="module")
def predictions(gazetteer_path):
    """`extract` output rows for every sample report, keyed by the gold ids."""
    coder = Coder(gazetteer_path=gazetteer_path)
    records = list(sample_records(SAMPLES))
    articles = [article_from_record(r, r["id"]) for r in records]
    out = {}
    for rec, (article, events) in zip(records, coder.code(articles)):
        out[rec["id"]] = {"id": rec["id"], "text": article.text, "events": [event_to_row(e) for e in events]}
    return out


@pytest.fixture(scope="module")
def gold():
    return {json.loads(line)["id"]: json.loads(line) for line in (SAMPLES / "gold.jsonl").open()}


def test_every_sample_has_gold(predictions, gold):
    assert set(predictions) == set(gold)
    assert len(gold) >= 15


def test_event_level_floors(predictions, gold):
    score = score_extract(gold, predictions)
    for name, floor in FLOORS.items():
        assert getattr(score, name) >= floor, (name, score.as_dict(), score.errors)
    for name, floor in FIELD_FLOORS.items():
        assert score.accuracy(name) >= floor, (name, score.as_dict())


def test_no_events_for_irrelevant_reports(predictions, gold):
    for aid, g in gold.items():
        if not g["relevant"]:
            assert predictions[aid]["events"] == [], aid


def test_rows_are_acled_shaped_with_exact_evidence(predictions):
    for p in predictions.values():
        for row in p["events"]:
            assert list(row)[:31] == list(ACLED_COLUMNS)
            assert row["country"] and row["admin1"] and row["latitude"] is not None
            fields = {e["field"] for e in row["evidence"]}
            assert {"sub_event_type", "location"} <= fields
            for e in row["evidence"]:
                assert p["text"][e["start"]:e["end"]] == e["text"], e
                assert p["text"][e["sentence_start"]:e["sentence_end"]] == e["sentence"], e
