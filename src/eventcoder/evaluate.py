"""Score predictions against gold: article-level events (extract) and snippet types (classify)."""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


@dataclass
class ExtractScore:
    """Event-level precision/recall/F1 and per-field accuracy over matched events."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    fields: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float | None:
        """Share of matched events whose field is right (None when never scored)."""
        ok, n = self.fields.get(name, (0, 0))
        return ok / n if n else None

    def as_dict(self) -> dict:
        """The scores as a plain dict for JSON output."""
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn,
                "fields": {k: round(v[0] / v[1], 4) for k, v in sorted(self.fields.items()) if v[1]}}


def _pred_coords(ev: dict) -> tuple[float, float] | None:
    """Coordinates of a predicted event row."""
    lat, lon = ev.get("latitude"), ev.get("longitude")
    return (float(lat), float(lon)) if lat not in (None, "") and lon not in (None, "") else None


def _gold_coords(ev: dict) -> tuple[float, float] | None:
    """Coordinates of a gold event."""
    loc = ev.get("location") or {}
    lat, lon = loc.get("lat"), loc.get("lon")
    return (float(lat), float(lon)) if lat is not None and lon is not None else None


def _days_apart(a: str | None, b: str | None) -> int | None:
    """Days between two ISO dates, None when either is missing."""
    import datetime as dt

    if not a or not b:
        return None
    return abs((dt.date.fromisoformat(str(a)[:10]) - dt.date.fromisoformat(str(b)[:10])).days)


def _distance(gold: dict, pred: dict) -> float | None:
    """Kilometres between gold and predicted locations."""
    g, p = _gold_coords(gold), _pred_coords(pred)
    return haversine_km(*g, *p) if g and p else None


def _matches(gold: dict, pred: dict, km: float = 50.0) -> bool:
    """Same event type, date within a day, place within km."""
    if gold.get("event_type") != pred.get("event_type"):
        return False
    days = _days_apart(gold.get("date"), pred.get("event_date"))
    if days is not None and days > 1:
        return False
    dist = _distance(gold, pred)
    return dist is None or dist <= km


def _actor_ok(gold_actor: dict | None, pred_name: str | None) -> bool:
    """True when the predicted actor is the gold actor or one of its aliases (or both absent)."""
    if not gold_actor:
        return not pred_name
    names = {gold_actor.get("name", "").casefold()} | {a.casefold() for a in gold_actor.get("aliases", [])}
    return bool(pred_name) and pred_name.casefold() in names


def _score_fields(score: ExtractScore, gold: dict, pred: dict) -> None:
    """Per-field checks on one matched pair of events."""
    checks = {
        "sub_event_type": gold.get("sub_event_type") == pred.get("sub_event_type"),
        "actor1": _actor_ok(gold.get("actor1"), pred.get("actor1")),
        "actor2": _actor_ok(gold.get("actor2"), pred.get("actor2")),
        "date": _days_apart(gold.get("date"), pred.get("event_date")) == 0
        if gold.get("date") else not pred.get("event_date"),
        "fatalities": gold.get("fatalities") == (pred.get("fatalities") if pred.get("fatalities") != "" else None),
    }
    dist = _distance(gold, pred)
    if dist is not None:
        checks["location_25km"] = dist <= 25
        checks["location_161km"] = dist <= 161
    for name, ok in checks.items():
        score.fields[name][0] += int(ok)
        score.fields[name][1] += 1


def score_extract(gold: dict[str, dict], pred: dict[str, dict]) -> ExtractScore:
    """Score predicted article events against gold articles (matched greedily per article)."""
    score = ExtractScore()
    for aid, g in gold.items():
        golds = list(g.get("events", []))
        preds = list((pred.get(aid) or {}).get("events", []))
        used: set[int] = set()
        for ge in golds:
            j = next((j for j, pe in enumerate(preds) if j not in used and _matches(ge, pe)), None)
            if j is None:
                score.fn += 1
                score.errors.append(f"{aid}: missed {ge.get('sub_event_type')} at {(ge.get('location') or {}).get('name')}")
                continue
            used.add(j)
            score.tp += 1
            _score_fields(score, ge, preds[j])
        for j, pe in enumerate(preds):
            if j not in used:
                score.fp += 1
                score.errors.append(f"{aid}: spurious {pe.get('sub_event_type')} at {pe.get('location')}")
    return score


def score_classify(gold: dict[str, str | None], pred: dict[str, str | None]) -> dict:
    """Per-type precision/recall/F1, weighted and macro F1 and a confusion table.

    Types are ACLED sub-event types; "none" is "no ACLED event". Weighted and
    macro F1 are over the sub-event types with gold support (never "none"),
    where a non-event predicted as a type counts against that type's
    precision. Non-events are scored separately: the rejection rate is the
    share of gold non-events predicted as none, the false rejection rate the
    share of gold events predicted as none. Predictions missing for a gold id
    count as none.
    """
    labels = sorted({v or "none" for v in gold.values()} | {v or "none" for v in pred.values()})
    confusion: Counter[tuple[str, str]] = Counter()
    for k, g in gold.items():
        confusion[(g or "none", pred.get(k) or "none")] += 1
    per_type, support_total, weighted = {}, 0, 0.0
    for lab in labels:
        tp = confusion[(lab, lab)]
        fp = sum(v for (g, p), v in confusion.items() if p == lab and g != lab)
        fn = sum(v for (g, p), v in confusion.items() if g == lab and p != lab)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        support = tp + fn
        per_type[lab] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": support}
        if lab != "none":
            support_total += support
            weighted += f * support
    typed = [v for k, v in per_type.items() if k != "none" and v["support"]]
    nones = sum(v for (g, _), v in confusion.items() if g == "none")
    events = len(gold) - nones
    matrix: dict[str, dict[str, int]] = {}
    for (g, p), v in sorted(confusion.items()):
        matrix.setdefault(g, {})[p] = v
    return {"per_type": per_type,
            "weighted_f1": round(weighted / support_total, 4) if support_total else 0.0,
            "macro_f1": round(sum(v["f1"] for v in typed) / len(typed), 4) if typed else 0.0,
            "accuracy": round(sum(confusion[(l, l)] for l in labels) / max(1, len(gold)), 4),
            "non_event_rejection_rate": round(confusion[("none", "none")] / nones, 4) if nones else None,
            "false_rejection_rate": round(sum(v for (g, p), v in confusion.items() if g != "none" and p == "none")
                                          / events, 4) if events else None,
            "n_events": events, "n_non_events": nones,
            "confusion": {f"{g} -> {p}": v for (g, p), v in sorted(confusion.items()) if g != p},
            "confusion_matrix": matrix}
