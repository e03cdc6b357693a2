"""Merge the reports of one event into one ACLED row.  Pure functions over rows.

Reports are given oldest first (the order they entered the dataset). The
merged row keeps every source and every piece of evidence; each field comes
from the report that says it best:

- type: the sub-event type most reports give (ties: the oldest report);
- date: the most precise reports, preferring a date stated in the text over
  one inferred from publication, then the earliest;
- actors: the report naming the most actors (ties: the oldest);
- place: the most precise place (lowest geo precision; ties: the oldest);
- fatalities: the most conservative (lowest) figure, unless a report
  published on a later day gives a figure: then the lowest of the latest
  day's figures (a revised toll);
- source / source_scale / tags: every distinct value, in report order;
- article_id and notes: the oldest report's.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from eventcoder.dedup.rules import as_date, date_is_vague, named_actors

_ACTOR_COLUMNS = ("actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
                  "interaction", "civilian_targeting")
_PLACE_COLUMNS = ("iso", "region", "country", "admin1", "admin2", "admin3", "location",
                  "latitude", "longitude", "geo_precision")
_TYPE_COLUMNS = ("disorder_type", "event_type", "sub_event_type")


@dataclass
class Merged:
    """A merged event row and notes on how disputed fields were decided."""

    row: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)


def _distinct(values: Sequence[str], sep: str) -> str:
    """Distinct non-empty parts of ``sep``-joined values, in order, joined again."""
    kept = [v for v in values if v]
    if len(set(kept)) <= 1:
        return kept[0] if kept else ""
    parts: list[str] = []
    for value in kept:
        for part in value.split(sep.strip()):
            part = part.strip()
            if part and part not in parts:
                parts.append(part)
    return sep.join(parts)


def fatalities_of(reports: Sequence[Mapping[str, Any]]) -> tuple[int | None, str]:
    """The merged fatality figure of an event's reports (oldest first) and why."""
    figures = [(as_date(r.get("published")), r.get("fatalities"), r.get("article_id"))
               for r in reports if r.get("fatalities") is not None]
    if not figures:
        return None, "no report gives a fatality figure"
    if len(figures) == 1:
        return figures[0][1], f"one report gives {figures[0][1]}"
    dated = [f for f in figures if f[0] is not None]
    if dated:
        first, last = min(f[0] for f in dated), max(f[0] for f in dated)
        if last > first:
            latest = [f[1] for f in dated if f[0] == last]
            return min(latest), (f"revised by a later report (published {last}): {min(latest)}, "
                                 f"earlier figures {sorted({f[1] for f in figures if f[0] != last})}")
    values = sorted(f[1] for f in figures)
    return values[0], f"most conservative of the figures {values}"


def merge_reports(reports: Sequence[Mapping[str, Any]], event_id_cnty: str | None = None) -> Merged:
    """One ACLED row for the reports of one event (oldest report first)."""
    if not reports:
        raise ValueError("merge_reports needs at least one report")
    oldest = reports[0]
    row = {key: value for key, value in oldest.items()
           if key not in ("published", "article_ids", "evidence")}
    if event_id_cnty:
        row["event_id_cnty"] = event_id_cnty
    article_ids: list[str] = []
    for r in reports:
        for aid in [r.get("article_id"), *(r.get("article_ids") or [])]:
            if aid and aid not in article_ids:
                article_ids.append(aid)
    evidence = [{**ev, "article_id": ev.get("article_id") or r.get("article_id") or ""}
                for r in reports for ev in (r.get("evidence") or [])]
    row["evidence"] = evidence
    if len(reports) == 1:
        return Merged(row, [], article_ids)

    notes: list[str] = []
    order = {id(r): i for i, r in enumerate(reports)}
    votes = Counter(r.get("sub_event_type") for r in reports)
    top = max(votes.values())
    typed = next(r for r in reports if votes[r.get("sub_event_type")] == top)
    row.update({c: typed.get(c) for c in _TYPE_COLUMNS})

    def precision(r: Mapping[str, Any]) -> int:
        return r.get("time_precision") or 9

    dated = [r for r in reports if as_date(r.get("event_date")) is not None]
    if dated:
        when = min(dated, key=lambda r: (precision(r), date_is_vague(r), as_date(r.get("event_date")),
                                         order[id(r)]))
        row.update(event_date=when.get("event_date"), year=when.get("year"),
                   time_precision=when.get("time_precision"))
    lead = min(reports, key=lambda r: (-len(named_actors(r)), order[id(r)]))
    row.update({c: lead.get(c) for c in _ACTOR_COLUMNS})
    where = min(reports, key=lambda r: ((r.get("geo_precision") or 9) if r.get("latitude") is not None else 10,
                                       order[id(r)]))
    row.update({c: where.get(c) for c in _PLACE_COLUMNS})
    row["fatalities"], why = fatalities_of(reports)
    notes.append(f"fatalities: {why}")
    row["source"] = _distinct([r.get("source") or "" for r in reports], "; ")
    row["source_scale"] = _distinct([r.get("source_scale") or "" for r in reports], "-")
    row["tags"] = _distinct([r.get("tags") or "" for r in reports], "; ")
    stamps = [r.get("timestamp") for r in reports if r.get("timestamp")]
    row["timestamp"] = max(stamps) if stamps else oldest.get("timestamp")
    return Merged(row, notes, article_ids)
