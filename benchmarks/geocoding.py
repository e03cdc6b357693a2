"""Score `geoparse` on our own geocoding gold (benchmarks/data/geocoding_gold.jsonl).

Two modes, as in the geoparsing literature (Gritta et al. 2018, "What's missing in geographical parsing?"):

* spans given: every gold mention's span is passed to geoparse, which must resolve it;
* spans found: geoparse finds the places itself; a gold mention counts as found when a predicted span
  overlaps it, and only found mentions are scored for distance (precision/recall of spans are printed).

Metrics: accuracy within 161 km and 25 km, exact GeoNames id (over mentions whose gold has one), mean
error in km, and the AUC of the error curve: the area under log(1 + error km) over the sorted mentions,
normalised by log(20039) (half the Earth's circumference), so 0 is perfect and 1 is worst. An unresolved
mention counts as 20039 km. Speed: mentions resolved per second on one core (spans given, after a
warm-up pass, with the gazetteer's lookup cache cleared so every name is looked up in SQLite again).

Usage:  python benchmarks/geocoding.py [--gold FILE] [--limit N] [--no-found] [--json]
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path
from typing import Any, Iterable

GOLD = Path(__file__).parent / "data" / "geocoding_gold.jsonl"
EARTH_HALF_KM = 20039.0


def load_gold(path: Path = GOLD, limit: int | None = None) -> list[dict]:
    """Gold texts: {"id", "text", "mentions": [{"start", "end", "text", "geonameid", "latitude", ...}]}."""
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return rows[:limit] if limit else rows


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def error_km(gold: dict, pred: dict | None) -> float:
    """Distance between a gold mention and a prediction (the worst distance when unresolved)."""
    if not pred or pred.get("latitude") is None or pred.get("longitude") is None:
        return EARTH_HALF_KM
    return haversine_km(gold["latitude"], gold["longitude"], pred["latitude"], pred["longitude"])


def auc(errors: Iterable[float]) -> float:
    """Gritta et al.'s AUC: mean of log(1 + error) over sorted errors, normalised by log(20039)."""
    errs = sorted(errors)
    if not errs:
        return float("nan")
    return sum(math.log(1 + min(e, EARTH_HALF_KM)) for e in errs) / (len(errs) * math.log(EARTH_HALF_KM))


def score_pairs(pairs: list[tuple[dict, dict | None]]) -> dict[str, Any]:
    """Metrics over (gold mention, prediction or None) pairs."""
    errors = [error_km(g, p) for g, p in pairs]
    with_id = [(g, p) for g, p in pairs if g.get("geonameid") is not None]
    n = len(errors)
    resolved = [e for (g, p), e in zip(pairs, errors) if p and p.get("latitude") is not None]
    return {
        "mentions": n,
        "acc@161km": sum(e <= 161 for e in errors) / n if n else float("nan"),
        "acc@25km": sum(e <= 25 for e in errors) / n if n else float("nan"),
        "geonameid_acc": (sum(p is not None and p.get("geonameid") == g["geonameid"] for g, p in with_id)
                          / len(with_id)) if with_id else float("nan"),
        "mean_error_km": sum(errors) / n if n else float("nan"),
        "mean_error_resolved_km": sum(resolved) / len(resolved) if resolved else float("nan"),
        "auc": auc(errors),
        "unresolved": n - len(resolved),
    }


def run_given(rows: list[dict], gazetteer) -> list[tuple[dict, dict | None, str]]:
    """geoparse with the gold spans given: (gold mention, prediction, text id) per mention."""
    from eventcoder.resolve.places import geoparse

    out = []
    for row in rows:
        spans = [(m["start"], m["end"]) for m in row["mentions"]]
        preds = geoparse(row["text"], spans, gazetteer=gazetteer)
        out.extend((m, p if p.get("geonameid") is not None else None, row["id"]) for m, p in zip(row["mentions"], preds))
    return out


def run_found(rows: list[dict], gazetteer, nlp) -> tuple[list[tuple[dict, dict | None, str]], int]:
    """geoparse finding spans itself: (gold, overlapping prediction or None, id) and the predicted-span count."""
    from eventcoder.resolve.places import geoparse

    out, predicted = [], 0
    for row in rows:
        preds = geoparse(row["text"], None, nlp=nlp, gazetteer=gazetteer)
        predicted += len(preds)
        for m in row["mentions"]:
            hit = next((p for p in preds if p["start"] < m["end"] and m["start"] < p["end"]), None)
            out.append((m, hit, row["id"]))
    return out, predicted


def speed(rows: list[dict], gazetteer, rounds: int = 3) -> float:
    """Mentions resolved per second (spans given), after a warm-up, with a cold lookup cache each round."""
    from eventcoder.resolve.places import resolve_places

    work = [(r["text"], [(m["start"], m["end"]) for m in r["mentions"]]) for r in rows]
    for text, spans in work:  # warm-up: imports, connection, page cache
        resolve_places(text, spans, gazetteer=gazetteer)
    n, elapsed = 0, 0.0
    for _ in range(rounds):
        gazetteer.lookup.cache_clear()
        t0 = time.perf_counter()
        for text, spans in work:
            resolve_places(text, spans, gazetteer=gazetteer)
            n += len(spans)
        elapsed += time.perf_counter() - t0
    return n / elapsed if elapsed else float("inf")


def evaluate(rows: list[dict], gazetteer=None, nlp=None, found: bool = True, timing: bool = True) -> dict[str, Any]:
    """All metrics: {"given": {...}, "found": {...}, "mentions_per_s": x, "errors": [...]}."""
    from eventcoder.resolve.gazetteer import Gazetteer

    gazetteer = gazetteer or Gazetteer.open()
    given = run_given(rows, gazetteer)
    report: dict[str, Any] = {"texts": len(rows), "given": score_pairs([(g, p) for g, p, _ in given])}
    for region in sorted({r.get("region") for r in rows if r.get("region")}):
        ids = {r["id"] for r in rows if r.get("region") == region}
        report[f"given_{region}"] = score_pairs([(g, p) for g, p, i in given if i in ids])
    report["errors"] = [{"id": i, "text": g["text"], "gold": [g["latitude"], g["longitude"], g["country_code"]],
                         "pred": p and [p["name"], p["country_code"], p["feature_code"]],
                         "km": round(error_km(g, p))} for g, p, i in given if error_km(g, p) > 161]
    if found:
        if nlp is None:
            from eventcoder.nlp import load_nlp

            nlp = load_nlp()
        pairs, predicted = run_found(rows, gazetteer, nlp)
        scores = score_pairs([(g, p) for g, p, _ in pairs])
        hits = sum(p is not None for _, p, _ in pairs)
        scores["span_recall"] = hits / len(pairs) if pairs else float("nan")
        scores["span_precision"] = _span_precision(rows, gazetteer, nlp) if predicted else float("nan")
        report["found"] = scores
    if timing:
        report["mentions_per_s"] = speed(rows, gazetteer)
    return report


def _span_precision(rows: list[dict], gazetteer, nlp) -> float:
    """Share of predicted place spans that overlap a gold mention."""
    from eventcoder.resolve.places import geoparse

    good = total = 0
    for row in rows:
        for p in geoparse(row["text"], None, nlp=nlp, gazetteer=gazetteer):
            total += 1
            good += any(p["start"] < m["end"] and m["start"] < p["end"] for m in row["mentions"])
    return good / total if total else float("nan")


def _fmt(scores: dict) -> str:
    keys = ("mentions", "acc@161km", "acc@25km", "geonameid_acc", "mean_error_km", "auc", "unresolved",
            "span_recall", "span_precision")
    parts = []
    for k in keys:
        if k in scores:
            v = scores[k]
            parts.append(f"{k}={v:.3f}" if isinstance(v, float) and k not in ("mean_error_km",) else
                         f"{k}={v:.0f}" if isinstance(v, float) else f"{k}={v}")
    return "  ".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--limit", type=int, default=None, help="only the first N texts")
    ap.add_argument("--no-found", action="store_true", help="skip the spans-found mode (no spaCy)")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    ap.add_argument("--errors", action="store_true", help="list the mentions resolved more than 161 km off")
    args = ap.parse_args(argv)
    report = evaluate(load_gold(args.gold, args.limit), found=not args.no_found)
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    print(f"texts: {report['texts']}")
    for key in [k for k in report if k.startswith(("given", "found"))]:
        print(f"{key:14s} {_fmt(report[key])}")
    print(f"speed: {report['mentions_per_s']:.0f} mentions/s (one core, spans given, cold lookup cache)")
    if args.errors:
        for e in report["errors"]:
            print(f"  {e['id']:10s} {e['text']:22s} gold={e['gold']} pred={e['pred']} {e['km']} km")
    return 0


if __name__ == "__main__":
    sys.exit(main())
