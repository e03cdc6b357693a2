"""The dashboard's filters (``Filters``): date range, country, admin1, types, actor, minimum fatalities, text and
bounding box, shared by the map bins, the timeline, the key figures and the downloads."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import sqlalchemy as sa

from eventcoder.api.queries import E, QueryError


@dataclass
class Filters:
    """The dashboard's filters; every list matches any of its values."""

    start: dt.date | None = None
    end: dt.date | None = None
    country: list[str] = field(default_factory=list)
    admin1: list[str] = field(default_factory=list)
    event_type: list[str] = field(default_factory=list)
    sub_event_type: list[str] = field(default_factory=list)
    actor: str | None = None
    min_fatalities: int | None = None
    text: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north

    def conditions(self, *, dates: bool = True) -> list[sa.ColumnElement[bool]]:
        """WHERE conditions (the date range left out when dates=False, for the timeline)."""
        conds: list[sa.ColumnElement[bool]] = []
        if dates and self.start is not None:
            conds.append(E.event_date >= self.start)
        if dates and self.end is not None:
            conds.append(E.event_date <= self.end)
        for col, values in ((E.country, self.country), (E.admin1, self.admin1),
                            (E.event_type, self.event_type), (E.sub_event_type, self.sub_event_type)):
            if values:
                conds.append(col == values[0] if len(values) == 1 else col.in_(values))
        if self.actor:
            needle = self.actor.lower()
            conds.append(sa.or_(sa.func.lower(E.actor1).contains(needle, autoescape=True),
                                sa.func.lower(E.actor2).contains(needle, autoescape=True)))
        if self.min_fatalities is not None:
            conds.append(E.fatalities >= self.min_fatalities)
        if self.text:
            needle = self.text.lower()
            conds.append(sa.or_(*[sa.func.lower(c).contains(needle, autoescape=True)
                                  for c in (E.notes, E.location, E.admin1, E.admin2, E.actor1, E.actor2)]))
        if self.bbox is not None and not _whole_world(self.bbox):
            west, south, east, north = self.bbox
            # With a date range the date index is the better path; "+ 0" keeps the planner off the
            # coordinate index, which it otherwise picks for wide boxes and then scans most of the table.
            lat, lon = (E.latitude + 0, E.longitude + 0) if dates and (self.start or self.end) else (
                E.latitude, E.longitude)
            conds.append(lat.between(south, north))
            if west <= east:
                conds.append(lon.between(west, east))
            else:  # the box crosses the antimeridian
                conds.append(sa.or_(lon >= west, lon <= east))
        return conds

    def key(self) -> tuple:
        """A hashable form, for caching answers."""
        return (self.start, self.end, tuple(self.country), tuple(self.admin1), tuple(self.event_type),
                tuple(self.sub_event_type), self.actor, self.min_fatalities, self.text, self.bbox)


def _whole_world(bbox: tuple[float, float, float, float]) -> bool:
    """Whether a box covers every place a map can show (Web Mercator stops near ±85°)."""
    west, south, east, north = bbox
    return west <= -180 and east >= 180 and south <= -85 and north >= 85


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """`west,south,east,north` in degrees, or None."""
    if not text:
        return None
    parts = text.split(",")
    if len(parts) != 4:
        raise QueryError("bbox takes four numbers: west,south,east,north")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise QueryError(f"bbox takes four numbers: west,south,east,north, not {text!r}") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise QueryError("bbox values must be finite numbers")
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise QueryError("bbox must lie within -180..180 longitude and -90..90 latitude, south <= north")
    return west, south, east, north
