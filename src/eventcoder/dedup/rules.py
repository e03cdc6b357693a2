"""When are two coded reports the same event?  Pure functions over ACLED rows.

A *row* is a dict shaped like ``export.rows.event_to_row`` (the ACLED
columns, ``article_id``, ``evidence``); a row may also carry ``published``
(the report's publication date, ISO string or date) and ``article_ids``.

The rule follows ACLED's own: same kind of event, same day, same place,
compatible actors. It allows one day either way when a report is vague
about the date (time precision 2/3, or a date inferred from the publication
date because the text gave none), and nearby places (25 km, or the same
district when a report only places the event near a town or in a region).
Events of one report are never merged with each other: the extractor
already decided they are different events.
"""
from __future__ import annotations

from functools import lru_cache

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# Two places at most this far apart can be the same event location.
MAX_KM = 25.0
# When a report only places the event near a town, up to this many times MAX_KM in the same region,
# provided both reports name a common actor.
_LOOSE_FACTOR = 3.0

# Families of sub-event types that outlets code interchangeably for one event.
# An attack on armed people is reported as a clash by one outlet and as an
# attack by another; a protest that turns violent is a protest to one and a
# riot to another. Everything not listed is a family of its own.
_FAMILY_BY_SUBTYPE: dict[str, str] = {
    "Armed clash": "fighting",
    "Government regains territory": "fighting",
    "Non-state actor overtakes territory": "fighting",
    "Attack": "fighting",
    "Peaceful protest": "demonstration",
    "Protest with intervention": "demonstration",
    "Excessive force against protesters": "demonstration",
    "Violent demonstration": "demonstration",
}

# Actors that say nobody in particular: one side "unknown" is compatible with any actor.
_GENERIC_PREFIXES = ("unidentified ", "unknown ", "civilians", "protesters", "rioters")
_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")


def family(row: Mapping[str, Any]) -> str:
    """The family of a row's sub-event type (the sub-event type itself when it has none)."""
    sub = row.get("sub_event_type") or ""
    return _FAMILY_BY_SUBTYPE.get(sub, sub or (row.get("event_type") or ""))


@lru_cache(maxsize=65_536)
def actor_key(name: str | None) -> str:
    """A canonical actor name folded for comparison: "Islamic State (Syria)" -> "islamic state".

    Cached: dedup compares every report with every candidate event's reports, and actor names repeat.
    """
    text = (name or "").strip().lower()
    while True:
        cut = _SUFFIX.sub("", text)
        if cut == text:
            return text
        text = cut


def is_generic_actor(name: str | None) -> bool:
    """Whether an actor name says nobody in particular (empty, unidentified, civilians, protesters...)."""
    key = actor_key(name)
    return not key or key.startswith(_GENERIC_PREFIXES)


def known_actors(row: Mapping[str, Any]) -> frozenset[str]:
    """Folded names of a row's main actors that are not unknown: named ones and categories (civilians...)."""
    out = set()
    for col in ("actor1", "actor2"):
        key = actor_key(row.get(col))
        if key and not key.startswith(("unidentified ", "unknown ")):
            out.add(key)
    return frozenset(out)


def named_actors(row: Mapping[str, Any]) -> frozenset[str]:
    """The folded names of a row's non-generic main actors."""
    return frozenset(actor_key(row.get(col)) for col in ("actor1", "actor2")
                     if not is_generic_actor(row.get(col)))


def as_date(value: Any) -> dt.date | None:
    """A date from a date, datetime or ISO string ('' and None give None)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return _iso_date(str(value)[:10])


@lru_cache(maxsize=65_536)
def _iso_date(text: str) -> dt.date | None:
    """An ISO date string parsed once (report rows carry dates as strings and are compared many times)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def date_is_vague(row: Mapping[str, Any]) -> bool:
    """Time precision week/month, or a date with no words behind it (inferred from publication)."""
    if (row.get("time_precision") or 1) > 1:
        return True
    evidence = row.get("evidence") or []
    return not any(ev.get("field") == "event_date" for ev in evidence)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class Decision:
    """Whether two reports are the same event, why, and how well they match (higher is better)."""

    same: bool
    reason: str
    score: float = 0.0


def _place_match(a: Mapping[str, Any], b: Mapping[str, Any], max_km: float) -> tuple[bool, str, float]:
    """Same or nearby place: (match, reason, closeness 0..1)."""
    ca, cb = a.get("country") or "", b.get("country") or ""
    if ca and cb and ca != cb:
        return False, f"different countries ({ca} / {cb})", 0.0
    coords = [a.get("latitude"), a.get("longitude"), b.get("latitude"), b.get("longitude")]
    km = distance_km(*coords) if all(c is not None for c in coords) else None
    if km is not None and km <= max_km:
        where = a.get("location") or "?"
        other = b.get("location") or "?"
        label = where if where == other else f"{where} / {other}"
        return True, f"{km:.1f} km apart ({label})", 1.0 - km / (2 * max_km)
    vague = max(a.get("geo_precision") or 1, b.get("geo_precision") or 1)
    a2, b2 = a.get("admin2") or "", b.get("admin2") or ""
    if vague >= 2 and a2 and a2 == b2 and (a.get("admin1") or "") == (b.get("admin1") or ""):
        return True, f"same district {a2} (geo precision {vague})", 0.4
    a1, b1 = a.get("admin1") or "", b.get("admin1") or ""
    if vague >= 2 and km is not None and km <= _LOOSE_FACTOR * max_km and a1 and a1 == b1:
        # "Near"/"south of" a town: the coded point can be tens of km off. Only with a shared named actor.
        return True, f"{km:.0f} km apart in {a1}, a report only places it near a town (geo precision 2)", 0.0
    if vague >= 3 and a1 and a1 == b1:
        # A region-only report: the other report's place is inside that region.
        region_only = a if (a.get("geo_precision") or 1) >= 3 else b
        if not (region_only.get("admin2") or "") or a2 == b2:
            return True, f"same region {a1} (geo precision 3)", 0.2
    if km is None:
        return False, "a place is unknown", 0.0
    return False, f"{km:.0f} km apart ({a.get('location') or '?'} / {b.get('location') or '?'})", 0.0


def _kind_and_day(a: Mapping[str, Any], b: Mapping[str, Any]) -> Decision | None:
    """The cheap reasons two reports are different events (same article, kind, day), or None."""
    if a.get("article_id") and a.get("article_id") == b.get("article_id"):
        return Decision(False, "same report: its events are different events")
    fa, fb = family(a), family(b)
    if fa != fb:
        return Decision(False, f"different kinds of event ({a.get('sub_event_type')} / {b.get('sub_event_type')})")
    da, db = as_date(a.get("event_date")), as_date(b.get("event_date"))
    if da is None or db is None:
        return Decision(False, "a date is unknown")
    gap = abs((da - db).days)
    if gap > (1 if date_is_vague(a) or date_is_vague(b) else 0):
        return Decision(False, f"{gap} days apart ({da} / {db})")
    return None


def same_event(a: Mapping[str, Any], b: Mapping[str, Any], *, max_km: float = MAX_KM,
               b_actors: Iterable[str] | None = None, b_known: Iterable[str] | None = None) -> Decision:
    """Whether report rows ``a`` and ``b`` code the same event, with the reason either way.

    ``b_actors`` / ``b_known`` replace ``b``'s named / known actors (the
    store passes those of every report already merged into ``b``'s event).
    Actors are compatible when the named ones overlap or one side names
    none, and the known ones (named, or a category such as civilians)
    overlap or one side knows none: unidentified gunmen attacking civilians
    is not a clash between the army and a named group.
    """
    first = _before_actors(a, b, max_km)
    if isinstance(first, Decision):
        return first
    nb = frozenset(b_actors) if b_actors is not None else named_actors(b)
    kb = frozenset(b_known) if b_known is not None else known_actors(b)
    return _with_actors(a, b, *first, nb, kb)


def _before_actors(a: Mapping[str, Any], b: Mapping[str, Any], max_km: float) -> Decision | tuple[str, float]:
    """``same_event``'s checks before the actors: a rejection, or the place's (reason, closeness)."""
    early = _kind_and_day(a, b)
    if early is not None:
        return early
    ok, place_reason, closeness = _place_match(a, b, max_km)
    if not ok:
        return Decision(False, place_reason)
    return place_reason, closeness


def _with_actors(a: Mapping[str, Any], b: Mapping[str, Any], place_reason: str, closeness: float,
                 nb: frozenset[str], kb: frozenset[str]) -> Decision:
    """``same_event`` once kind, day and place match: the actors (``b``'s named ``nb``, known ``kb``)."""
    da, db = as_date(a.get("event_date")), as_date(b.get("event_date"))
    gap = abs((da - db).days)  # type: ignore[operator]
    na = named_actors(a)
    if na and nb and not (na & nb):
        return Decision(False, f"different actors ({', '.join(sorted(na))} / {', '.join(sorted(nb))})")
    ka = known_actors(a)
    if ka and kb and not (ka & kb):
        return Decision(False, f"different actors ({', '.join(sorted(ka))} / {', '.join(sorted(kb))})")
    if "near a town" in place_reason and not (na & nb):
        return Decision(False, f"{place_reason}, and no actor named by both")
    if na & nb:
        actor_reason = "actors share " + ", ".join(sorted(na & nb))
    elif ka & kb:
        actor_reason = "actors share " + ", ".join(sorted(ka & kb)) + ", the others unidentified"
    else:
        actor_reason = "one side's actors unidentified"
    if gap == 0:
        date_reason = f"same day {da}"
    else:
        date_reason = f"dates {da} / {db} one day apart, a report is vague"
    sub_a, sub_b = a.get("sub_event_type"), b.get("sub_event_type")
    kind = sub_a if sub_a == sub_b else f"{sub_a} / {sub_b} (same family)"
    score = (2.0 if sub_a == sub_b else 0.0) + (1.0 if gap == 0 else 0.0) + closeness + len(na & nb)
    return Decision(True, f"{kind}; {date_reason}; {place_reason}; {actor_reason}", score)


def member_profile(members: Iterable[tuple[Any, Any]]) -> tuple[frozenset[Any], tuple[Any, ...]]:
    """What ``early_reason`` needs of an event's reports, from each one's (article_id, country) in their order:
    the set of article ids, and the non-empty countries in order."""
    members = list(members)
    return frozenset(a for a, _ in members), tuple(c for _, c in members if c)


def early_reason(article: Any, country: Any, profile: tuple[frozenset[Any], tuple[Any, ...]]) -> str | None:
    """The cheap reasons ``match_event`` gives first for a report (its article_id and country) and an event's
    reports (``member_profile``): a report from the same article, a report in another country. None: look closer.

    The store decides most candidate events with this alone, without decoding their reports' rows.
    """
    if article in profile[0]:
        return "the event already has a report from this article"
    if country:
        for other in profile[1]:  # candidates share kind and days; most differ in country: say so before actors
            if other != country:
                return f"different countries ({country} / {other})"
    return None


def early_difference(report: Mapping[str, Any], members: Sequence[tuple[Any, Any]]) -> Decision | None:
    """``early_reason`` as a decision, from each member's (article_id, country); "no reports" for no members."""
    if not members:
        return Decision(False, "no reports")
    reason = early_reason(report.get("article_id"), report.get("country"), member_profile(members))
    return Decision(False, reason) if reason is not None else None


def match_event(report: Mapping[str, Any], members: list[Mapping[str, Any]],
                *, max_km: float = MAX_KM) -> Decision:
    """Whether ``report`` is the event already reported by ``members``.

    The report must be the same event as every member (so a chain of
    one-day steps or 25 km hops never grows one event out of many), with
    actors checked against the named actors of all members together (one
    report names the attacker, another the target). No two reports of one
    event come from the same article. The reason and score are the
    best-matching member's.
    """
    early = early_difference(report, [(m.get("article_id"), m.get("country")) for m in members])
    if early is not None:
        return early
    return match_members(report, members, max_km=max_km)


def match_members(report: Mapping[str, Any], members: list[Mapping[str, Any]],
                  *, max_km: float = MAX_KM) -> Decision:
    """``match_event`` for members that passed its first checks (``early_difference``; the store makes them
    itself). The members' actors are pooled only once a member matches in kind, day and place: most
    candidates are rejected before that."""
    actors: frozenset[str] | None = None
    known: frozenset[str] = frozenset()
    best: Decision | None = None
    for member in members:
        first = _before_actors(report, member, max_km)
        if isinstance(first, Decision):
            return first
        if actors is None:
            actors = frozenset().union(*(named_actors(m) for m in members))
            known = frozenset().union(*(known_actors(m) for m in members))
        decision = _with_actors(report, member, *first, actors, known)
        if not decision.same:
            return decision
        if best is None or decision.score > best.score:
            best = decision
    return best  # type: ignore[return-value]
