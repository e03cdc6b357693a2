"""Map bins from the summary tables: full weeks from ``event_cell_weeks``, the days around them from ``event_cells``.

A map at zoom z reads the next stored level up (cells nest: a level cell
shifted right by level - z bits is the zoom cell). The date range splits into
its full Monday-to-Sunday weeks, read from the weekly cells (levels 2 and 6,
``store.week_cells``), and the days before the first and after the last full
week, read from the daily cells (levels 2 and 8); zoom 7-8 read daily cells
only. Each source answers with the same rule: stored cells whose events all
lie inside the bbox are summed by SQLite; the events of stored cells that
straddle the bbox edge are read from ``events``. The sums equal a GROUP BY
over ``events`` with the same filters (tests/test_aggregates.py).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from eventcoder.api import queries
from eventcoder.store import aggregates, schema, week_cells

E = schema.events.c


@dataclass(frozen=True)
class Source:
    """Summary rows of one table at one level, over some of the dates: ``dates`` is SQL on ``date_column`` with
    its parameters."""

    table: str
    date_column: str
    level: int
    dates: tuple[str, list[Any]]

    @property
    def weekly(self) -> bool:
        """Whether the rows are weekly (their date is a week's Monday)."""
        return self.table == "event_cell_weeks"


def split_weeks(low: dt.date | None, high: dt.date | None) -> tuple[tuple[dt.date, dt.date | None] | None,
                                                                    list[tuple[dt.date, dt.date]]]:
    """A date range (None: open) as its full weeks (first and last Monday, None: open) and the day ranges
    around them."""
    if low is None:
        return (dt.date.min, None), []  # no date filter: every week, the no-date sentinel's too
    try:
        first = low + dt.timedelta(days=(7 - low.weekday()) % 7)
        before = [(low, first - dt.timedelta(days=1))] if first > low else []
        if high is None:
            return (first, None), before
        last_sunday = high - dt.timedelta(days=(high.weekday() + 1) % 7)
        last = last_sunday - dt.timedelta(days=6)
    except OverflowError:  # a range at the end of the calendar: days only
        return None, [(low, high or dt.date.max)] if high is None or low <= high else []
    if high < low:
        return None, []
    if first > last:
        return None, [(low, high)]
    after = [(last_sunday + dt.timedelta(days=1), high)] if high > last_sunday else []
    return (first, last), before + after


def _range_sql(column: str, low: dt.date | None, high: dt.date | None) -> tuple[str, list[Any]]:
    """``column`` within [low, high] (either end open when None); dates bound as ISO text, as the store keeps them."""
    parts, params = [], []
    if low is not None:
        parts.append(f"{column} >= ?")
        params.append(low.isoformat())
    if high is not None:
        parts.append(f"{column} <= ?")
        params.append(high.isoformat())
    return " AND ".join(parts) or "1", params


def sources(filters: queries.Filters, zoom: int) -> list[Source] | None:
    """Where the bins of these dates come from at this zoom (None: the summary tables cannot serve the zoom)."""
    level = next((lv for lv in aggregates.LEVELS if lv >= zoom), None)
    if level is None:
        return None
    week_level = next((lv for lv in week_cells.WEEK_LEVELS if lv >= zoom), None)
    low = high = None
    if filters.start is not None or filters.end is not None:
        # Events without a date (stored as NO_DATE) are out of any date range.
        low = max(filters.start or aggregates.NO_DATE, aggregates.NO_DATE + dt.timedelta(days=1))
        high = filters.end
    if week_level is None:
        return [Source("event_cells", "event_date", level, _range_sql("event_date", low, high))]
    weeks, edges = split_weeks(low, high)
    out = []
    if weeks is not None:
        out.append(Source("event_cell_weeks", "week", week_level,
                          _range_sql("week", None if low is None else weeks[0], weeks[1])))
    if edges:
        ranges = [_range_sql("event_date", a, b) for a, b in edges]
        sql = "(" + " OR ".join(f"({part})" for part, _ in ranges) + ")"
        out.append(Source("event_cells", "event_date", level, (sql, [p for _, ps in ranges for p in ps])))
    return out


def _where(source: Source, filters: queries.Filters) -> tuple[str, list[Any]]:
    """The source's rows for the country / type / date filters, as SQL and parameters."""
    sql = ["level = ?"]
    params: list[Any] = [source.level]
    if filters.country:
        sql.append(f"scope = 0 AND country IN ({', '.join('?' * len(filters.country))})")
        params += filters.country
    else:
        sql.append("scope = 1 AND country = ''")
    sql.append(source.dates[0])
    params += source.dates[1]
    if filters.event_type:
        sql.append(f"event_type IN ({', '.join('?' * len(filters.event_type))})")
        params += filters.event_type
    return " AND ".join(sql), params


def _bbox_sql(bbox: tuple[float, float, float, float]) -> tuple[str, str, list[Any]]:
    """SQL for stored cells wholly inside the bbox and for cells straddling its edge, and their parameters
    (``?1``-``?4``: west, south, east, north)."""
    lat_in = "(min_lat >= ?2 AND max_lat <= ?4)"
    lat_out = "(max_lat < ?2 OR min_lat > ?4)"
    west, _, east, _ = bbox
    if west <= east:
        lon_in, lon_out = "(min_lon >= ?1 AND max_lon <= ?3)", "(max_lon < ?1 OR min_lon > ?3)"
    else:  # across the antimeridian
        lon_in, lon_out = "(min_lon >= ?1 OR max_lon <= ?3)", "(min_lon > ?3 AND max_lon < ?1)"
    inside = f"({lat_in} AND {lon_in})"
    return inside, f"NOT {inside} AND NOT ({lat_out} OR {lon_out})", list(bbox)


def _numbered(sql: str, params: list[Any], first: int) -> tuple[str, list[Any]]:
    """Plain ``?`` placeholders numbered from ``first`` (the bbox takes ?1-?4)."""
    parts = sql.split("?")
    out = [parts[0]]
    for i, part in enumerate(parts[1:]):
        out.append(f"?{first + i}{part}")
    return "".join(out), params


def _sum_inside(conn: sa.Connection, parts: list[Source], filters: queries.Filters, zoom: int,
                bbox: tuple[float, float, float, float] | None) -> list:
    """(zoom cx, cy, type, n, fatalities, sum lat, sum lon, first id) of every source's inside cells in that
    order, grouped by SQLite in one statement (one sort of the weekly and daily rows together).

    Plain SQL, not SQLAlchemy Core: building and caching the statement's expressions cost as much Python time
    as SQLite's whole work here. Values are bound; names come from this module only.
    """
    inside, _, params = _bbox_sql(bbox) if bbox is not None else ("1", "", [0.0, 0.0, 0.0, 0.0])
    branches = []
    for source in parts:
        where, wparams = _where(source, filters)
        where, wparams = _numbered(where, wparams, len(params) + 1)
        shift = 2 ** (source.level - zoom)  # cx, cy >= 0: integer division is floor
        branches.append(f"SELECT cx / {shift} AS zx, cy / {shift} AS zy, event_type AS t, n, fatalities AS f, "
                        f"sum_lat AS slat, sum_lon AS slon, first_id AS first FROM {source.table} "
                        f"WHERE {where} AND {inside}")
        params += wparams
    sql = (f"SELECT zx, zy, t, sum(n), sum(f), sum(slat), sum(slon), min(first) FROM "
           f"({' UNION ALL '.join(branches)}) GROUP BY zx, zy, t ORDER BY zx, zy, t")
    return conn.exec_driver_sql(sql, tuple(params)).all()


def _straddling(conn: sa.Connection, source: Source, filters: queries.Filters,
                bbox: tuple[float, float, float, float]) -> list:
    """Keys (country, day or week, type, cx, cy) of the source's stored cells that straddle the bbox edge."""
    _, edge, params = _bbox_sql(bbox)
    where, wparams = _numbered(*_where(source, filters), 5)
    rows = conn.exec_driver_sql(f"SELECT country, {source.date_column}, event_type, cx, cy FROM {source.table} "
                                f"WHERE {where} AND {edge}", tuple(params + wparams)).all()
    return [(c, dt.date.fromisoformat(d), t, x, y) for c, d, t, x, y in rows]


def _add_straddling(conn: sa.Connection, source: Source, filters: queries.Filters, zoom: int,
                    straddling: list, groups: dict[tuple[int, int, str], list]) -> None:
    """Add the events inside the bbox of stored cells that straddle its edge, read from ``events``."""
    size = queries.cell_size(zoom)
    level_size = aggregates.cell_size(source.level)
    wanted = {tuple(r) for r in straddling}
    scope_all = not filters.country
    bucket = week_cells.week_start if source.weekly else (lambda d: d)
    keys = set()
    for country, day, *_ in straddling:
        for k in range(7 if source.weekly else 1):  # a week's rows come from its seven days
            keys.add((day + dt.timedelta(days=k), country))
    # Only the events of the straddling cells (the same truncation as the summary rows' cells), when they are
    # few enough for one condition; the key check below keeps exactly those events either way.
    cells = sorted({(r[3], r[4]) for r in straddling})
    in_cells: list[sa.ColumnElement[bool]] = []
    if len(cells) <= 50:
        cx = aggregates._cell(conn, E.longitude, 180.0, source.level)
        cy = aggregates._cell(conn, E.latitude, 90.0, source.level)
        in_cells = [sa.or_(*[sa.and_(cx == x, cy == y) for x, y in cells])]
    for chunk in aggregates.chunks(sorted(keys), 100):
        on = sa.or_(*[sa.and_(sa.or_(E.event_date.is_(None), E.event_date == d) if d == aggregates.NO_DATE
                              else E.event_date == d,
                              *([] if scope_all else [sa.or_(E.country.is_(None), E.country == "")
                                                      if k == "" else E.country == k]))
                      for d, k in dict.fromkeys((d, None if scope_all else k) for d, k in chunk)])
        rows = conn.execute(
            sa.select(E.country, E.event_date, E.event_type, E.latitude, E.longitude, E.fatalities, E.event_id_cnty)
            .where(*filters.conditions(), E.latitude.is_not(None), E.longitude.is_not(None), on, *in_cells))
        for country, day, etype, lat, lon, fat, event_id in rows:
            key = ("" if scope_all else (country or ""), bucket(day or aggregates.NO_DATE), etype or "",
                   int((lon + 180.0) / level_size), int((lat + 90.0) / level_size))
            if key not in wanted:
                continue
            g = groups.setdefault((int((lon + 180.0) / size), int((lat + 90.0) / size), etype or ""),
                                  [0, 0, 0.0, 0.0, None])
            g[0] += 1
            g[1] = int(g[1] or 0) + int(fat or 0)
            g[2] += lat
            g[3] += lon
            g[4] = event_id if g[4] is None else min(g[4], event_id)


def from_summary(conn: sa.Connection, filters: queries.Filters, zoom: int) -> dict[str, Any] | None:
    """``queries.bins`` from the summary tables (None when they cannot answer exactly)."""
    if conn.dialect.name != "sqlite" or not queries._summary_ok(conn, filters):
        return None  # PostgreSQL's float-to-int cast rounds: its raw query stays the reference there
    parts = sources(filters, zoom)
    if parts is None:
        return None
    if not parts:  # an empty date range (end before start)
        return queries._bins_answer(zoom, size_of=queries.cell_size(zoom), groups=[])
    bbox = filters.bbox if filters.bbox is not None and not queries._whole_world(filters.bbox) else None
    rows = _sum_inside(conn, parts, filters, zoom, bbox)
    straddling = [(s, found) for s in parts if (found := _straddling(conn, s, filters, bbox))] if bbox else []
    if straddling:
        groups = {(x, y, t): [n, fat, slat, slon, first] for x, y, t, n, fat, slat, slon, first in rows}
        for source, found in straddling:
            _add_straddling(conn, source, filters, zoom, found, groups)
        rows = sorted((*k, *v) for k, v in groups.items())
    return queries._bins_answer(zoom, size_of=queries.cell_size(zoom), groups=rows)
