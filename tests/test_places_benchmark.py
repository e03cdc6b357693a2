"""Evaluation gate: the geocoding benchmark's scoring on a third of our gold and on the news-style sets,
with pinned floors.

Floors sit a little below the measured numbers (README, "Places and the gazetteer"); a change that makes
geocoding worse fails here. No timing is asserted.
"""
from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest

from eventcoder.resolve.gazetteer import Gazetteer

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("geocoding_bench", ROOT / "benchmarks" / "geocoding.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_metric_definitions(bench) -> None:
    gold = {"latitude": 0.0, "longitude": 0.0, "geonameid": 1}
    assert bench.error_km(gold, None) == bench.EARTH_HALF_KM
    assert bench.error_km(gold, {"latitude": 0.0, "longitude": 1.0}) == pytest.approx(111.2, abs=0.5)
    assert bench.auc([0.0, 0.0]) == 0.0 and bench.auc([bench.EARTH_HALF_KM]) == pytest.approx(1.0, abs=1e-4)
    assert bench.auc([10.0]) == pytest.approx(math.log(11) / math.log(20039))
    scores = bench.score_pairs([(gold, {"latitude": 0.0, "longitude": 1.0, "geonameid": 1}), (gold, None)])
    assert scores["acc@161km"] == 0.5 and scores["acc@25km"] == 0.0 and scores["geonameid_acc"] == 0.5


def test_gold_file_shape(bench) -> None:
    rows = bench.load_gold()
    mentions = [m for r in rows for m in r["mentions"]]
    assert len(rows) >= 60 and len(mentions) >= 300
    assert all(r["text"][m["start"]:m["end"]] == m["text"] for r in rows for m in r["mentions"])
    iq_sy = sum(m["country_code"] in ("IQ", "SY") for m in mentions)
    assert 0.4 < iq_sy / len(mentions) < 0.6


def test_geocoding_gate(bench, gazetteer_path: Path, nlp_model) -> None:
    rows = bench.load_gold()[::3]
    report = bench.evaluate(rows, gazetteer=Gazetteer.open(gazetteer_path, build_if_missing=False),
                            nlp=nlp_model, timing=False)
    given, found = report["given"], report["found"]
    print(given, found)
    assert given["mentions"] > 100
    assert given["acc@161km"] >= 0.95 and given["acc@25km"] >= 0.85 and given["geonameid_acc"] >= 0.95
    assert given["auc"] <= 0.08
    assert found["span_recall"] >= 0.88 and found["span_precision"] >= 0.95 and found["acc@161km"] >= 0.85


@pytest.fixture(scope="module")
def nlp_model():
    from eventcoder.nlp import load_nlp

    return load_nlp()


@pytest.mark.parametrize("name,floors", [
    # measured: open 0.953 / 0.827 / AUC 0.107; open2 0.976 / 0.881 / AUC 0.079; blind 0.937 / 0.821 / AUC 0.117
    # (spans given); the blind set is only measured, never read to fix errors (benchmarks/data/GEOCODING_NEWS.md)
    ("geocoding_news_open.jsonl", {"acc@161km": 0.92, "acc@25km": 0.79, "auc_max": 0.14}),
    ("geocoding_news_open2.jsonl", {"acc@161km": 0.95, "acc@25km": 0.85, "auc_max": 0.10}),
    ("geocoding_news_blind.jsonl", {"acc@161km": 0.90, "acc@25km": 0.78, "auc_max": 0.15}),
])
def test_news_style_geocoding_gate(bench, gazetteer_path: Path, name: str, floors: dict) -> None:
    rows = bench.load_gold(ROOT / "benchmarks" / "data" / name)
    assert all(r["text"][m["start"]:m["end"]] == m["text"] for r in rows for m in r["mentions"])
    report = bench.evaluate(rows, gazetteer=Gazetteer.open(gazetteer_path, build_if_missing=False),
                            found=False, timing=False)
    given = report["given"]
    assert given["mentions"] > 300
    assert given["acc@161km"] >= floors["acc@161km"] and given["acc@25km"] >= floors["acc@25km"]
    assert given["auc"] <= floors["auc_max"]
