"""Evaluation gates on the development sets (reports by other authors, see each set's README): dev and dev3
are open (their errors guide general rules), dev2 and dev5 were written blind and are only measured; dev4 was
blind until it was retired to an open set when dev5 was written; dev6, dev7, dev8 and dev9 are open (written blind
to the code, scored once, then read for errors)."""
from __future__ import annotations

import json

import pytest

from eventcoder.evaluate import score_extract
from eventcoder.export.rows import event_to_row
from eventcoder.ingest import article_from_record
from eventcoder.pipeline import Coder

from conftest import SAMPLES

# Pinned a little below the measured scores (2026-11-25, fourth session). dev: P 0.94, R 0.96, F1 0.95;
# dev2: P 0.77, R 0.86, F1 0.81; dev3: P 0.95, R 0.93, F1 0.94; dev4: P 0.91, R 0.94, F1 0.92;
# dev5: P 0.75, R 0.70, F1 0.72; dev6: P 0.96, R 0.94, F1 0.95 (first measured at 0.66 before its errors were
# read); dev7: P 0.97, R 0.90, F1 0.94 (first 0.65); dev8: P 0.99, R 0.92, F1 0.95 (first 0.67); dev9: P 0.93,
# R 0.93, F1 0.93 (first 0.745). dev5's fatalities field is 0.53 over 30 matched events (one event moves it by
# 0.03): its floor stays below. actor1 (the name ACLED would give the first side) is gated since the fourth
# session: dev 0.86, dev2 0.92, dev3 0.85, dev4 0.83, dev5 0.87, dev6 0.82, dev7 0.85, dev8 0.78, dev9 0.77.
FLOORS = {"dev": {"precision": 0.87, "recall": 0.87, "f1": 0.87},
          "dev2": {"precision": 0.70, "recall": 0.78, "f1": 0.74},
          "dev3": {"precision": 0.88, "recall": 0.84, "f1": 0.86},
          "dev4": {"precision": 0.84, "recall": 0.87, "f1": 0.85},
          "dev5": {"precision": 0.69, "recall": 0.62, "f1": 0.65},
          "dev6": {"precision": 0.89, "recall": 0.86, "f1": 0.87},
          "dev7": {"precision": 0.89, "recall": 0.83, "f1": 0.86},
          "dev8": {"precision": 0.92, "recall": 0.85, "f1": 0.88},
          "dev9": {"precision": 0.86, "recall": 0.86, "f1": 0.86}}
FIELD_FLOORS = {"dev": {"sub_event_type": 0.88, "date": 0.9, "location_161km": 0.95, "fatalities": 0.85, "actor1": 0.79},
                "dev2": {"sub_event_type": 0.85, "date": 0.9, "location_161km": 0.95, "fatalities": 0.75, "actor1": 0.85},
                "dev3": {"sub_event_type": 0.88, "date": 0.85, "location_161km": 0.95, "fatalities": 0.78, "actor1": 0.78},
                "dev4": {"sub_event_type": 0.9, "date": 0.9, "location_161km": 0.95, "fatalities": 0.8, "actor1": 0.76},
                "dev5": {"sub_event_type": 0.86, "date": 0.8, "location_161km": 0.95, "fatalities": 0.45, "actor1": 0.8},
                "dev6": {"sub_event_type": 0.9, "date": 0.85, "location_161km": 0.95, "fatalities": 0.75, "actor1": 0.75},
                "dev7": {"sub_event_type": 0.88, "date": 0.85, "location_161km": 0.95, "fatalities": 0.77, "actor1": 0.78},
                "dev8": {"sub_event_type": 0.88, "date": 0.87, "location_161km": 0.95, "fatalities": 0.75, "actor1": 0.71},
                "dev9": {"sub_event_type": 0.89, "date": 0.81, "location_161km": 0.95, "fatalities": 0.61, "actor1": 0.69}}


@pytest.fixture(scope="module")
def coder(gazetteer_path):
    return Coder(gazetteer_path=gazetteer_path)


@pytest.fixture(scope="module", params=["dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9"])
def dev_score(request, coder):
    folder = SAMPLES / request.param
    records = [json.loads(line) for line in (folder / "reports.jsonl").open()]
    gold = {json.loads(line)["id"]: json.loads(line) for line in (folder / "gold.jsonl").open()}
    articles = [article_from_record(r, request.param) for r in records]
    pred = {r["id"]: {"events": [event_to_row(e) for e in events]}
            for r, (_, events) in zip(records, coder.code(articles))}
    return request.param, score_extract(gold, pred)


def test_dev_event_floors(dev_score):
    name_of_set, score = dev_score
    for name, floor in FLOORS[name_of_set].items():
        assert getattr(score, name) >= floor, (name_of_set, name, score.as_dict(), score.errors)


def test_dev_field_floors(dev_score):
    name_of_set, score = dev_score
    for name, floor in FIELD_FLOORS[name_of_set].items():
        assert score.accuracy(name) >= floor, (name_of_set, name, score.as_dict())
