"""Turn an ``Event`` into an ACLED-style row: the 31 ACLED columns, then ``article_id`` and ``evidence``.

Convention for missing values (the same in every format except CSV):
string columns are ``""`` and numeric columns (``year``, ``time_precision``,
``inter1``, ``inter2``, ``interaction``, ``iso``, ``latitude``,
``longitude``, ``geo_precision``, ``fatalities``) are ``None``, so JSON,
JSON Lines and Parquet carry a real null rather than an empty string in a
number column. The CSV writer renders ``None`` as ``""``, as ACLED's own CSV
does.
"""
from __future__ import annotations

import dataclasses
import hashlib
import time
from typing import Any

from eventcoder.vocab import ACLED_COLUMNS, EXTRA_COLUMNS, Event, Place

# Every row has exactly these keys, in this order.
ROW_COLUMNS: tuple[str, ...] = ACLED_COLUMNS + EXTRA_COLUMNS

# Keys of each evidence dict, in order.
EVIDENCE_KEYS: tuple[str, ...] = (
    "field", "text", "start", "end", "sentence", "sentence_start", "sentence_end",
)

# Columns whose value is a number or None (never "").
NUMERIC_COLUMNS: frozenset[str] = frozenset({
    "year", "time_precision", "inter1", "inter2", "interaction", "iso",
    "latitude", "longitude", "geo_precision", "fatalities", "timestamp",
})

_POLITICAL_VIOLENCE = "Political violence"
_DEMONSTRATIONS = "Demonstrations"
_STRATEGIC = "Strategic developments"

# ACLED's disorder type by event type; the sub-event exceptions are below.
_DISORDER_BY_TYPE: dict[str, str] = {
    "Battles": _POLITICAL_VIOLENCE,
    "Explosions/Remote violence": _POLITICAL_VIOLENCE,
    "Violence against civilians": _POLITICAL_VIOLENCE,
    "Protests": _DEMONSTRATIONS,
    "Riots": _DEMONSTRATIONS,
    "Strategic developments": _STRATEGIC,
}
_DISORDER_BY_SUBTYPE: dict[tuple[str, str], str] = {
    ("Riots", "Mob violence"): _POLITICAL_VIOLENCE,
    ("Riots", "Violent demonstration"): _DEMONSTRATIONS,
    ("Protests", "Excessive force against protesters"): f"{_POLITICAL_VIOLENCE}; {_DEMONSTRATIONS}",
}

_CIVILIANS_INTER = 7
_UNKNOWN_ISO3 = "XXX"


def disorder_type(event_type: str, sub_event_type: str) -> str:
    """ACLED disorder type of an event type / sub-event type pair ("" when unknown)."""
    special = _DISORDER_BY_SUBTYPE.get((event_type, sub_event_type))
    if special is not None:
        return special
    return _DISORDER_BY_TYPE.get(event_type, "")


def interaction_code(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's numeric interaction code: the two inter codes, smaller first; a lone actor gives inter*10."""
    inters = sorted(i for i in (inter1, inter2) if i is not None)
    if not inters:
        return None
    if len(inters) == 1:
        return inters[0] * 10
    return int(f"{inters[0]}{inters[1]}")


def _country_info(place: Place | None) -> Any | None:
    """Country record for a place (ISO2 first, then the English name), or None."""
    if place is None:
        return None
    try:
        # Imported lazily: the resolve package is optional at import time of export.
        from eventcoder.resolve.countries import country_info
    except ImportError:
        return None
    for key in (place.country_code, place.country):
        if key:
            info = country_info(key)
            if info is not None:
                return info
    return None


def make_event_id(iso3: str | None, article_id: str, sub_event_type: str,
                  event_date: str, location: str, attempt: int = 0) -> str:
    """A stable ACLED-like id: ISO3 (or "XXX") plus 8 digits hashed from the event's identity.

    ``attempt`` > 0 derives another id from the same identity; the store uses
    it to step past a hash collision with an unrelated event.
    """
    key = "\x1f".join((article_id, sub_event_type, event_date, location))
    if attempt:
        key += f"\x1f{attempt}"
    number = int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:15], 16) % 100_000_000
    return f"{iso3 or _UNKNOWN_ISO3}{number:08d}"


def _round_coord(value: float | None) -> float | None:
    """Round a coordinate to 4 decimals (about 11 m), keeping None."""
    return None if value is None else round(float(value), 4)


_SCALARS = (str, int, float, type(None))


def _evidence_dict(evidence: Any) -> dict[str, Any]:
    """``dataclasses.asdict`` of an evidence item, without its deep copy when every value is a plain scalar."""
    names = [f.name for f in dataclasses.fields(evidence)]
    values = [getattr(evidence, name) for name in names]
    if all(type(v) in _SCALARS for v in values):
        return dict(zip(names, values))
    return dataclasses.asdict(evidence)


def event_to_row(event: Event, *, timestamp: int | None = None, article_id: str | None = None) -> dict[str, Any]:
    """The ACLED row of an event: 31 ACLED columns in order, then article_id and evidence.

    ``article_id`` is the article's id for an event that names none (as if it were ``event.article_id``).
    """
    place = event.place
    info = _country_info(place)
    a1, a2 = event.actor1, event.actor2
    inter1 = a1.inter if a1 is not None else None
    inter2 = a2.inter if a2 is not None else None
    disorder = disorder_type(event.event_type, event.sub_event_type)
    event_date = event.event_date.isoformat() if event.event_date else ""
    location = place.name if place is not None else ""
    article_id = event.article_id or article_id or (event.article_ids[0] if event.article_ids else "")
    event_id = event.event_id_cnty or make_event_id(
        info.iso3 if info is not None else None,
        article_id, event.sub_event_type, event_date, location)
    civilian = (inter2 == _CIVILIANS_INTER and _POLITICAL_VIOLENCE in disorder)
    return {
        "event_id_cnty": event_id,
        "event_date": event_date,
        "year": event.event_date.year if event.event_date else None,
        "time_precision": event.time_precision,
        "disorder_type": disorder,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": a1.name if a1 is not None else "",
        "assoc_actor_1": "; ".join(event.assoc_actor_1),
        "inter1": inter1,
        "actor2": a2.name if a2 is not None else "",
        "assoc_actor_2": "; ".join(event.assoc_actor_2),
        "inter2": inter2,
        "interaction": interaction_code(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if civilian else "",
        "iso": int(info.isonumeric) if info is not None and info.isonumeric is not None else None,
        "region": (info.region or "") if info is not None else "",
        "country": info.name if info is not None else ((place.country or "") if place else ""),
        "admin1": (place.admin1 or "") if place else "",
        "admin2": (place.admin2 or "") if place else "",
        "admin3": "",
        "location": location,
        "latitude": _round_coord(place.latitude) if place else None,
        "longitude": _round_coord(place.longitude) if place else None,
        "geo_precision": place.geo_precision if place else None,
        "source": event.source,
        "source_scale": event.source_scale,
        "notes": event.notes,
        "fatalities": event.fatalities,
        "tags": event.tags,
        "timestamp": event.timestamp or timestamp or int(time.time()),
        "article_id": article_id,
        "evidence": [_evidence_dict(ev) for ev in event.evidence],
    }
