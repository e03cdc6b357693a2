"""Group reports into events, and pair a report's re-coded events with its old ones.  Pure functions.

``dedup_rows`` is the whole stage for a list of rows held in memory (the
store does the same thing incrementally, one report at a time, against the
events it already holds, and in the same order gives the same result).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from eventcoder.dedup.merge import Merged, merge_reports
from eventcoder.dedup.rules import MAX_KM, as_date, family, match_event
from eventcoder.vocab import Event


@dataclass
class Cluster:
    """The reports of one event (oldest first) and why each joined."""

    event_id_cnty: str
    reports: list[dict[str, Any]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def merged(self) -> Merged:
        """The event's merged row."""
        return merge_reports(self.reports, self.event_id_cnty)


def dedup_rows(rows: Iterable[Mapping[str, Any]], *, max_km: float = MAX_KM) -> list[Cluster]:
    """Group report rows (in arrival order) into events; each event's id is its first report's id.

    A report joins the best-matching earlier event (``rules.match_event``),
    or starts a new one.
    """
    clusters: list[Cluster] = []
    order: dict[int, int] = {}
    by_day: dict[Any, list[Cluster]] = {}
    for row in rows:
        row = dict(row)
        day = as_date(row.get("event_date"))
        best: tuple[float, int, Cluster, str] | None = None
        if day is not None:
            seen: set[int] = set()
            for offset in (-1, 0, 1):
                for cluster in by_day.get((family(row), day.toordinal() + offset), []):
                    if id(cluster) in seen:
                        continue
                    seen.add(id(cluster))
                    decision = match_event(row, cluster.reports, max_km=max_km)
                    rank = order[id(cluster)]
                    if decision.same and (best is None or (decision.score, -rank) > (best[0], -best[1])):
                        best = (decision.score, rank, cluster, decision.reason)
        if best is not None:
            cluster = best[2]
            cluster.reports.append(row)
            cluster.reasons.append(f"same event as {cluster.event_id_cnty}: {best[3]}")
        else:
            cluster = Cluster(row.get("event_id_cnty") or f"E{len(clusters)}", [row], ["first report"])
            order[id(cluster)] = len(clusters)
            clusters.append(cluster)
        if day is not None:
            by_day.setdefault((family(row), day.toordinal()), [])
            if cluster not in by_day[(family(row), day.toordinal())]:
                by_day[(family(row), day.toordinal())].append(cluster)
    return clusters


def dedup_events(events: Sequence[Event], *, max_km: float = MAX_KM) -> list[Event]:
    """Merge a list of coded events (from several reports) into distinct events.

    Each returned Event is the first report's event with every report's
    ``article_ids``, sources, evidence and the merged fatality figure. For a
    full merged ACLED row (best place, actors and date) use ``dedup_rows``.
    """
    from eventcoder.export.rows import event_to_row

    rows = []
    for i, ev in enumerate(events):
        row = event_to_row(ev)
        row["_index"] = i
        rows.append(row)
    out: list[Event] = []
    for cluster in dedup_rows(rows, max_km=max_km):
        first = events[cluster.reports[0]["_index"]]
        members = [events[r["_index"]] for r in cluster.reports]
        merged = cluster.merged()
        out.append(dataclasses.replace(
            first,
            article_ids=merged.article_ids,
            source=merged.row["source"], source_scale=merged.row["source_scale"],
            fatalities=merged.row["fatalities"],
            evidence=[ev for m in members for ev in m.evidence],
        ))
    return out


def _sentences(row: Mapping[str, Any]) -> set[int]:
    """Start offsets of the sentences a row's evidence comes from."""
    return {ev.get("sentence_start") for ev in (row.get("evidence") or []) if ev.get("sentence_start") is not None}


def match_recoded(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> list[int | None]:
    """For each re-coded event of one report, the index of the old event it continues (or None).

    An old and a new event of the same report are the same event when their
    evidence comes from overlapping sentences, or, without shared sentences,
    when they have the same kind of event, date and place. Each old event is
    used at most once (best pairs first), so ids stay stable across recodes.
    """
    pairs: list[tuple[float, int, int]] = []
    for j, n in enumerate(new):
        ns = _sentences(n)
        for i, o in enumerate(old):
            os_ = _sentences(o)
            overlap = len(ns & os_) / len(ns | os_) if ns and os_ else 0.0
            same_kind = family(n) == family(o)
            same_sub = n.get("sub_event_type") == o.get("sub_event_type")
            same_day = as_date(n.get("event_date")) == as_date(o.get("event_date"))
            same_place = (n.get("location") or "") == (o.get("location") or "")
            if overlap == 0 and not (same_kind and same_day and same_place):
                continue
            score = 4 * overlap + same_kind + same_sub + same_day + same_place
            pairs.append((score, j, i))
    result: list[int | None] = [None] * len(new)
    used: set[int] = set()
    for _score, j, i in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if result[j] is None and i not in used:
            result[j] = i
            used.add(i)
    return result
