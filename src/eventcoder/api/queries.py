"""Read-only queries of the API, in SQLAlchemy Core over the store's tables: bound parameters only.

Two filter languages live here:

- ``acled_conditions``: ACLED's read-endpoint parameters (``country=Iraq|Syria``,
  ``fatalities=10&fatalities_where=>``, ``event_date=2024-01-01|2024-01-31&
  event_date_where=BETWEEN``, ``actor1=%police%&actor1_where=LIKE``).
- ``Filters``: the dashboard's filters (date range, country, admin1, types,
  actor, minimum fatalities, text, bounding box), shared by the map bins,
  the timeline, the key figures and the downloads.

Every value reaches the database as a bound parameter; column names come
only from the fixed ACLED column list, never from the request.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import sqlalchemy as sa
import yaml

from eventcoder.export.rows import EVIDENCE_KEYS, NUMERIC_COLUMNS
from eventcoder.store import aggregates, pending, schema
from eventcoder.vocab import ACLED_COLUMNS

E = schema.events.c

# Columns a client may filter on and ask for: ACLED's 31, then our article_id.
QUERY_COLUMNS: tuple[str, ...] = ACLED_COLUMNS + ("article_id",)
INTEGER_COLUMNS = frozenset(c for c in NUMERIC_COLUMNS if c not in ("latitude", "longitude"))
FLOAT_COLUMNS = frozenset({"latitude", "longitude"})
TEXT_COLUMNS = frozenset(c for c in QUERY_COLUMNS if c not in NUMERIC_COLUMNS and c != "event_date")

OPERATORS: tuple[str, ...] = ("=", ">", "<", ">=", "<=", "BETWEEN", "LIKE")

# Largest integer SQLite (and BIGINT) can bind.
_INT_MAX = 2**63 - 1
# At most this many values in one `a|b|c` filter.
MAX_VALUES = 200
CIVILIAN_TARGETING = "Civilian targeting"


class QueryError(ValueError):
    """A request's filters make no sense; the message tells the client what to fix (HTTP 400)."""


# -- ACLED-style filters ------------------------------------------------------


def _convert(column: str, raw: str) -> Any:
    """A filter value converted to the column's type; QueryError when it cannot be."""
    text = raw.strip()
    if column in INTEGER_COLUMNS:
        if column == "timestamp" and len(text) == 10 and text[4:5] == "-":
            # ACLED clients often pass a date for timestamp: the start of that day, UTC.
            day = _convert("event_date", text)
            return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())
        try:
            value = int(text)
        except ValueError:
            raise QueryError(f"{column} takes whole numbers, not {raw!r}") from None
        if abs(value) > _INT_MAX:
            raise QueryError(f"{column} value {raw!r} is out of range")
        return value
    if column in FLOAT_COLUMNS:
        try:
            value = float(text)
        except ValueError:
            raise QueryError(f"{column} takes numbers, not {raw!r}") from None
        if not math.isfinite(value):
            raise QueryError(f"{column} value {raw!r} is not a finite number")
        return value
    if column == "event_date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise QueryError(f"{column} takes dates as YYYY-MM-DD, not {raw!r}") from None
    return raw


def _split(value: str) -> list[str]:
    """ACLED's `a|b|c`: the values, at most MAX_VALUES of them."""
    parts = value.split("|")
    if len(parts) > MAX_VALUES:
        raise QueryError(f"at most {MAX_VALUES} values separated by '|' in one filter")
    return parts


def _like_pattern(value: str) -> str:
    """A LIKE pattern: the value as given when it has a % wildcard, else 'contains'."""
    return value if "%" in value else f"%{value}%"


def acled_condition(column: str, value: str, operator: str = "=") -> sa.ColumnElement[bool]:
    """One WHERE condition for an ACLED filter `column=value&column_where=operator`."""
    if column not in QUERY_COLUMNS:
        raise QueryError(f"unknown field {column!r}")
    op = operator.strip().upper()
    if op not in OPERATORS:
        raise QueryError(f"{column}_where must be one of {', '.join(OPERATORS)}, not {operator!r}")
    col = E[column]
    parts = _split(value)
    if op == "LIKE":
        if column not in TEXT_COLUMNS:
            raise QueryError(f"LIKE works on text fields only; {column} is not one")
        # ilike: case-insensitive on SQLite and PostgreSQL alike.
        return sa.or_(*[col.ilike(_like_pattern(p)) for p in parts])
    if op == "BETWEEN":
        if len(parts) != 2:
            raise QueryError(f"{column}_where=BETWEEN takes two values: {column}=low|high")
        low, high = (_convert(column, p) for p in parts)
        return col.between(low, high)
    values = [_convert(column, p) for p in parts]
    if op == "=":
        return col == values[0] if len(values) == 1 else col.in_(values)
    if len(values) != 1:
        raise QueryError(f"{column}_where={op} takes one value, not several separated by '|'")
    compare = {">": col.__gt__, "<": col.__lt__, ">=": col.__ge__, "<=": col.__le__}[op]
    return compare(values[0])


def acled_conditions(filters: Mapping[str, str], operators: Mapping[str, str]) -> list[sa.ColumnElement[bool]]:
    """WHERE conditions for ACLED filters {column: value} with operators {column: op}."""
    for column in operators:
        if column not in filters:
            raise QueryError(f"{column}_where is given but {column} is not")
    return [acled_condition(col, value, operators.get(col, "=")) for col, value in filters.items()]


def parse_fields(fields: str | None) -> list[str]:
    """The columns asked for with `fields=a|b` (all of QUERY_COLUMNS when not given)."""
    if not fields:
        return list(QUERY_COLUMNS)
    names = [f.strip() for f in _split(fields) if f.strip()]
    unknown = [f for f in names if f not in QUERY_COLUMNS]
    if unknown:
        raise QueryError(f"unknown field(s) in fields: {', '.join(unknown)}")
    return list(dict.fromkeys(names)) or list(QUERY_COLUMNS)


def _value(column: str, value: Any) -> Any:
    """A database value as the API shows it: ISO dates, '' for missing text, None for missing numbers."""
    if column == "event_date":
        return "" if value is None else value if isinstance(value, str) else value.isoformat()
    if value is None and column not in NUMERIC_COLUMNS:
        return ""
    return value


def select_rows(conn: sa.Connection, conds: Sequence[sa.ColumnElement[bool]], columns: Sequence[str],
                *, limit: int | None, offset: int = 0) -> Iterator[dict[str, Any]]:
    """Matching events as dicts of the asked columns, newest first then by id, streamed."""
    stmt = (sa.select(*[shown(c) for c in columns]).where(*conds)
            .order_by(*ORDER)
            .offset(offset or None).limit(limit))
    result = conn.execution_options(yield_per=1000).execute(stmt)
    names = list(columns)
    for part in result.partitions():  # a thousand rows per fetch, without a Python call per row
        yield from (dict(zip(names, row)) for row in part)


# The order of ACLED reads and downloads: newest first (events without a date last), then by id.
ORDER = (E.event_date.desc().nulls_last(), E.event_id_cnty)


def shown(column: str) -> sa.ColumnElement:
    """A column as the API shows it, computed by the database (a 500-row page then needs no per-value Python):
    the date as ISO text, '' for missing text, numbers as stored (None when missing)."""
    col = E[column]
    if column == "event_date":
        return sa.func.coalesce(sa.cast(col, sa.String), "").label(column)
    if column in NUMERIC_COLUMNS:
        return col
    return sa.func.coalesce(col, "").label(column)


def count_rows(conn: sa.Connection, conds: Sequence[sa.ColumnElement[bool]]) -> int:
    """Number of matching events."""
    return conn.execute(sa.select(sa.func.count()).select_from(schema.events).where(*conds)).scalar_one()


# -- dashboard filters ----------------------------------------------------------


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


# -- aggregates -----------------------------------------------------------------

# Map bins: cells of 1/CELLS_PER_TILE of a 256-pixel tile at the map's zoom (64 px).
CELLS_PER_TILE = 4


def cell_size(zoom: int) -> float:
    """Bin width in degrees at a zoom level."""
    return 360.0 / (2 ** zoom) / CELLS_PER_TILE


# -- answers from the store's summary tables (store.aggregates) --------------------------


def _summary_ok(conn: sa.Connection, filters: Filters, *, dates: bool = True) -> bool:
    """Whether the summary tables can answer these filters exactly (only country, type and dates)."""
    if filters.admin1 or filters.sub_event_type or filters.actor or filters.min_fatalities is not None \
            or filters.text:
        return False
    if dates and any(d is not None and d <= aggregates.NO_DATE for d in (filters.start, filters.end)):
        return False  # the sentinel date of events without one
    # Store.open migrates every store to schema version 3, which has the summary tables.
    # A deferred write (store.pending, v5) not yet applied to them: answer from events, exactly.
    return not pending.stale(conn, filters.country, filters.start if dates else None,
                             filters.end if dates else None)


def _summary_where(table: sa.Table, filters: Filters, *, dates: bool = True) -> list[sa.ColumnElement[bool]]:
    """Conditions on a summary table for the country / type / date filters."""
    c = table.c
    conds: list[sa.ColumnElement[bool]] = []
    if filters.country:
        conds += [c.scope == 0, c.country.in_(filters.country) if len(filters.country) > 1
                  else c.country == filters.country[0]]
    else:
        conds += [c.scope == 1, c.country == ""]
    if dates and (filters.start is not None or filters.end is not None):
        # Events without a date (stored as NO_DATE) are out of any date range.
        low = max(filters.start or aggregates.NO_DATE, aggregates.NO_DATE + dt.timedelta(days=1))
        conds.append(c.event_date >= low)
        if filters.end is not None:
            conds.append(c.event_date <= filters.end)
    if filters.event_type:
        conds.append(c.event_type.in_(filters.event_type) if len(filters.event_type) > 1
                     else c.event_type == filters.event_type[0])
    return conds


def _bins_answer(zoom: int, size_of: float, groups: Iterable[tuple]) -> dict[str, Any]:
    """The bins answer from flat (cx, cy, type, n, fatalities, sum lat, sum lon, smallest id) groups; a cell's
    types are listed in the order of its groups."""
    size = size_of
    cells: dict[tuple[int, int], list] = {}  # (cx, cy) -> [count, fatalities, sum lat, sum lon, types, first id]
    for cx, cy, etype, n, fat, slat, slon, first in groups:
        cell = cells.get((cx, cy))
        if cell is None:
            cells[(cx, cy)] = [n, int(fat or 0), 0.0 + slat, 0.0 + slon, {etype or "": n}, first]
        else:
            cell[0] += n
            cell[1] += int(fat or 0)
            cell[2] += slat
            cell[3] += slon
            cell[4][etype or ""] = n
    # Cell edges repeat along rows and columns: round each once.
    xs = {x: round(x * size - 180, 6) for x in {x for x, _ in cells} | {x + 1 for x, _ in cells}}
    ys = {y: round(y * size - 90, 6) for y in {y for _, y in cells} | {y + 1 for _, y in cells}}
    out, total = [], 0
    for (x, y), (count, fat, slat, slon, types, first) in cells.items():
        total += count
        out.append({
            "latitude": round(slat / count, 5), "longitude": round(slon / count, 5),
            "count": count, "fatalities": fat, "types": types, "event_id": first if count == 1 else None,
            "bounds": [xs[x], ys[y], xs[x + 1], ys[y + 1]],
        })
    out.sort(key=lambda b: -b["count"])
    return {"zoom": zoom, "cell_size": size, "total": total, "bins": out}


def bins(conn: sa.Connection, filters: Filters, zoom: int) -> dict[str, Any]:
    """Events with coordinates grouped into square cells: count, fatalities, centroid, types."""
    from eventcoder.api import map_bins  # it builds on this module

    answer = map_bins.from_summary(conn, filters, zoom)
    if answer is not None:
        return answer
    size = cell_size(zoom)
    # lon + 180 and lat + 90 are >= 0, so CAST truncation is floor on SQLite and PostgreSQL alike.
    cx = sa.cast((E.longitude + 180.0) / size, sa.Integer).label("cx")
    cy = sa.cast((E.latitude + 90.0) / size, sa.Integer).label("cy")
    conds = filters.conditions() + [E.latitude.is_not(None), E.longitude.is_not(None)]
    stmt = (sa.select(cx, cy, E.event_type, sa.func.count().label("n"),
                      sa.func.coalesce(sa.func.sum(E.fatalities), 0).label("fat"),
                      sa.func.sum(E.latitude).label("slat"), sa.func.sum(E.longitude).label("slon"),
                      sa.func.min(E.event_id_cnty).label("first"))
            .where(*conds).group_by(cx, cy, E.event_type))
    return _bins_answer(zoom, size_of=size, groups=conn.execute(stmt))


def timeline(conn: sa.Connection, filters: Filters) -> list[dict[str, Any]]:
    """Events and fatalities per day (all filters but the date range), oldest first."""
    if filters.bbox is None and _summary_ok(conn, filters, dates=False):
        t = schema.event_days.c
        stmt = (sa.select(t.event_date, sa.func.sum(t.n), sa.func.sum(t.fatalities))
                .where(*_summary_where(schema.event_days, filters, dates=False),
                       t.event_date > aggregates.NO_DATE)
                .group_by(t.event_date).order_by(t.event_date))
        return [{"date": d.isoformat(), "events": int(n), "fatalities": int(f or 0)}
                for d, n, f in conn.execute(stmt)]
    stmt = (sa.select(E.event_date, sa.func.count(), sa.func.coalesce(sa.func.sum(E.fatalities), 0))
            .where(*filters.conditions(dates=False), E.event_date.is_not(None))
            .group_by(E.event_date).order_by(E.event_date))
    return [{"date": d.isoformat(), "events": n, "fatalities": int(f or 0)} for d, n, f in conn.execute(stmt)]


def stats(conn: sa.Connection, filters: Filters) -> dict[str, int]:
    """Key figures: events, fatalities, civilian-targeting events, distinct actors."""
    if filters.bbox is None and _summary_ok(conn, filters):
        return _stats_from_summary(conn, filters)
    conds = filters.conditions()
    row = conn.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(E.fatalities), 0),
                  sa.func.coalesce(sa.func.sum(sa.case((E.civilian_targeting == CIVILIAN_TARGETING, 1),
                                                       else_=0)), 0))
        .where(*conds)).one()
    actors = sa.union(sa.select(E.actor1.label("a")).where(*conds, E.actor1 != ""),
                      sa.select(E.actor2.label("a")).where(*conds, E.actor2 != "")).subquery()
    n_actors = conn.execute(sa.select(sa.func.count()).select_from(actors)).scalar_one()
    return {"events": row[0], "fatalities": int(row[1] or 0), "civilian_targeting": int(row[2] or 0),
            "actors": n_actors}


@lru_cache(maxsize=64)
def _stats_sql(countries: int, types: int, low: bool, high: bool) -> tuple[sa.TextClause, sa.TextClause]:
    """The key figures' two summary queries for a filter shape (as ``_summary_where``), made once per shape:
    building them with SQLAlchemy Core on every request cost more than SQLite's work."""
    where = ["scope = 0 AND country IN :countries" if countries else "scope = 1 AND country = ''"]
    params = [sa.bindparam("countries", expanding=True)] if countries else []
    if low:
        where.append("event_date >= :low")
        params.append(sa.bindparam("low", type_=sa.Date))
    if high:
        where.append("event_date <= :high")
        params.append(sa.bindparam("high", type_=sa.Date))
    if types:
        where.append("event_type IN :types")
        params.append(sa.bindparam("types", expanding=True))
    cond = " AND ".join(where)
    days = sa.text("SELECT coalesce(sum(n), 0), coalesce(sum(fatalities), 0), coalesce(sum(civilian_n), 0) "
                   f"FROM event_days WHERE {cond}").bindparams(*params)
    actors = sa.text(f"SELECT count(DISTINCT actor) FROM actor_days WHERE {cond}").bindparams(*params)
    return days, actors


def _stats_from_summary(conn: sa.Connection, filters: Filters) -> dict[str, int]:
    """``stats`` from event_days and actor_days (country, type and date filters only)."""
    values: dict[str, Any] = {}
    low = high = None
    if filters.start is not None or filters.end is not None:
        # Events without a date (stored as NO_DATE) are out of any date range.
        low = max(filters.start or aggregates.NO_DATE, aggregates.NO_DATE + dt.timedelta(days=1))
        high = filters.end
    for name, value in (("countries", filters.country), ("types", filters.event_type), ("low", low),
                        ("high", high)):
        if value:
            values[name] = value
    days, actors = _stats_sql(len(filters.country), len(filters.event_type), low is not None, high is not None)
    row = conn.execute(days, values).one()
    n_actors = conn.execute(actors, values).scalar_one()
    return {"events": int(row[0]), "fatalities": int(row[1]), "civilian_targeting": int(row[2]),
            "actors": int(n_actors)}


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, list[str]]:
    """ACLED event types and their sub-event types, from the shipped taxonomy file."""
    text = resources.files("eventcoder.data").joinpath("taxonomy.yaml").read_text("utf-8")
    return {k: list(v) for k, v in yaml.safe_load(text)["event_types"].items()}


def facets(conn: sa.Connection, country: Sequence[str]) -> dict[str, Any]:
    """Values for the dashboard's pickers: countries, admin1 (of the chosen countries), types, actors."""
    countries = conn.execute(sa.select(E.country).where(E.country != "").distinct()
                             .order_by(E.country)).scalars().all()
    admin1: list[str] = []
    if country:
        admin1 = conn.execute(sa.select(E.admin1).where(E.country.in_(list(country)), E.admin1 != "")
                              .distinct().order_by(E.admin1)).scalars().all()
    n = sa.func.count().label("n")
    top = conn.execute(sa.select(E.actor1, n).where(E.actor1 != "").group_by(E.actor1)
                       .order_by(n.desc()).limit(200)).all()
    bounds = conn.execute(sa.select(sa.func.min(E.event_date), sa.func.max(E.event_date))).one()
    return {
        "countries": list(countries), "admin1": list(admin1), "event_types": taxonomy(),
        "actors": sorted(a for a, _ in top),
        "first_date": bounds[0].isoformat() if bounds[0] else None,
        "last_date": bounds[1].isoformat() if bounds[1] else None,
    }


# -- single records -------------------------------------------------------------------


def event_detail(conn: sa.Connection, event_id: str) -> dict[str, Any] | None:
    """An event's ACLED row, evidence and sources (with the stored articles' metadata)."""
    row = conn.execute(sa.select(*[E[c] for c in QUERY_COLUMNS]).where(E.event_id_cnty == event_id)).first()
    if row is None:
        return None
    event = {c: _value(c, v) for c, v in zip(QUERY_COLUMNS, row)}
    ev = schema.evidence.c
    # A merged event's evidence comes from several reports; newer stores record which one per span.
    keys = EVIDENCE_KEYS + (("article_id",) if "article_id" in ev else ())
    evidence = [dict(zip(keys, r)) for r in conn.execute(
        sa.select(*[ev[k] for k in keys]).where(ev.event_id_cnty == event_id).order_by(ev.id))]
    for item in evidence:
        item["article_id"] = item.get("article_id") or event["article_id"]
    s, a = schema.event_sources.c, schema.articles.c
    stmt = (sa.select(s.article_id, a.title, a.publisher, a.published, a.url)
            .select_from(schema.event_sources.outerjoin(schema.articles, a.id == s.article_id))
            .where(s.event_id_cnty == event_id).order_by(s.article_id))
    sources = [{"article_id": r.article_id, "title": r.title, "publisher": r.publisher,
                "published": r.published.isoformat() if r.published else None, "url": r.url,
                "primary": r.article_id == event["article_id"]}
               for r in conn.execute(stmt)]
    sources.sort(key=lambda x: not x["primary"])
    return {"event": event, "evidence": evidence, "sources": sources}


def article_detail(conn: sa.Connection, article_id: str) -> dict[str, Any] | None:
    """A stored article: metadata, text and the ids of the events it reports."""
    a = schema.articles.c
    row = conn.execute(sa.select(a.id, a.title, a.published, a.publisher, a.url, a.dateline_place,
                                 a.dateline_country, a.body_start, a.text)
                       .where(a.id == article_id)).mappings().first()
    if row is None:
        return None
    out = dict(row)
    out["published"] = row["published"].isoformat() if row["published"] else None
    s = schema.event_sources.c
    ids = conn.execute(sa.select(s.event_id_cnty).where(s.article_id == article_id)
                       .order_by(s.event_id_cnty)).scalars().all()
    out["event_ids"] = list(ids)
    return out


def deletion_record(item: Any) -> dict[str, Any]:
    """One item of ``Store.deleted_since`` (a mapping, an object or a pair) as
    ``{"event_id_cnty", "deleted_timestamp", "merged_into"}``."""
    if isinstance(item, Mapping):
        get = item.get
    elif isinstance(item, (tuple, list)):
        pairs = dict(zip(("event_id_cnty", "deleted_timestamp", "merged_into"), item))
        get = pairs.get
    else:
        def get(key: str) -> Any:
            return getattr(item, key, None)
    event_id = get("event_id_cnty") or get("event_id")
    stamp = get("deleted_timestamp")
    if stamp is None:
        stamp = get("deleted_at") if get("deleted_at") is not None else get("timestamp")
    merged = get("merged_into")
    return {"event_id_cnty": str(event_id), "deleted_timestamp": _epoch(stamp),
            "merged_into": str(merged) if merged else None}


def _epoch(value: Any) -> int | None:
    """A timestamp column value as Unix seconds."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return int(value.timestamp())
    return int(value)
