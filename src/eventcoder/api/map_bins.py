"""Map bins from the summary tables: full four-week blocks and weeks from the period cells, the days around them from ``event_cells``.

A map at zoom z reads the next stored level up (cells nest: a level cell
shifted right by level - z bits is the zoom cell). The date range splits into
its full four-week blocks (level 6, zoom 3-6), the full Monday-to-Sunday weeks
of the rest (levels 2 and 6, ``store.period_cells``) and the days left over,
read from the daily cells (levels 2 and 8); zoom 7-8 read daily cells only.
Each source answers with the same rule: stored cells whose events all lie
inside the bbox are summed by SQLite; the events of stored cells that
straddle the bbox edge are read from ``events``. The sums equal a GROUP BY
over ``events`` with the same filters (tests/test_map_bins.py).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from eventcoder.api import summaries
from eventcoder.api.selection import Filters, _whole_world
from eventcoder.store import aggregates, period_cells, schema
from eventcoder.store.period_cells import Period

E = schema.events.c
DAY = dt.timedelta(days=1)
# Up to this many straddling period cells, their daily cells are read by primary-key seeks (one statement
# branch per cell); more are read with one scan of their days.
SEEK_CELLS = 50


@dataclass(frozen=True)
class Source:
    """Summary rows of one table at one level, over some of the dates: ``dates`` are disjoint ranges, each SQL on
    ``date_column`` with its parameters; ``period`` is None for the daily cells."""

    table: str
    date_column: str
    level: int
    dates: tuple[tuple[str, list[Any]], ...]
    period: Period | None = None


# A run of the split date range: (period, first day of its first period, of its last (None: open)) for full
# periods, (None, first day, last day (None: open)) for days.
Run = tuple[Period | None, dt.date, dt.date | None]


def _full(period: Period, low: dt.date, high: dt.date | None) -> tuple[dt.date, dt.date | None] | None:
    """The first days of the first and last full periods within [low, high] (None: no full period)."""
    first = period.start(low)
    if first < low:
        first = period.after(first)
    if high is None:
        return first, None
    last = period.start(high)
    if period.last_day(last) > high:
        last = period.start(last - DAY)
    return (first, last) if first <= last else None


def split(periods: Sequence[Period], low: dt.date | None, high: dt.date | None) -> list[Run]:
    """A date range (None: open) as runs of full periods, coarsest first (each within the range), and the day
    ranges left over; ``periods`` are ordered coarsest first."""
    if low is None:  # no date filter: every period, the no-date sentinel's too
        return [(periods[0], dt.date.min, None)] if periods else [(None, dt.date.min, None)]
    if high is not None and high < low:
        return []
    if not periods:
        return [(None, low, high)]
    period, finer = periods[0], periods[1:]
    try:
        full = _full(period, low, high)
        if full is None:
            return split(finer, low, high)
        first, last = full
        after = None if last is None or period.last_day(last) >= (high or dt.date.max) else period.after(last)
    except OverflowError:  # a range at the end of the calendar: finer periods or days
        return split(finer, low, high)
    return [(period, first, last), *(split(finer, low, first - DAY) if first > low else []),
            *(split(finer, after, high) if after is not None else [])]


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


def _any_range(column: str, ranges: list[tuple[dt.date | None, dt.date | None]]) -> tuple[tuple[str, list[Any]], ...]:
    """``column`` within each of these (disjoint) ranges, as SQL and parameters: a statement reads each range in a
    UNION ALL branch of its own (an OR of ranges made SQLite de-duplicate the rows of a MULTI-INDEX OR through a
    temporary index: 2.4 times the time for the weekly rows on both sides of a 90-day map's blocks)."""
    return tuple(_range_sql(column, a, b) for a, b in ranges)


def sources(filters: Filters, zoom: int) -> list[Source] | None:
    """Where the bins of these dates come from at this zoom (None: the summary tables cannot serve the zoom)."""
    level = next((lv for lv in aggregates.LEVELS if lv >= zoom), None)
    if level is None:
        return None
    periods = _periods_for(zoom)
    low = high = None
    if filters.start is not None or filters.end is not None:
        # Events without a date (stored as NO_DATE) are out of any date range.
        low = max(filters.start or aggregates.NO_DATE, aggregates.NO_DATE + DAY)
        high = filters.end
    runs = split([p for p, _ in periods], low, high)
    out = []
    for period, period_level in periods:
        ranges = [(None if low is None else a, b) for p, a, b in runs if p is period]
        if ranges:
            out.append(Source(period.table_name, period.column, period_level, _any_range(period.column, ranges),
                              period))
    days = [(None if low is None else a, b) for p, a, b in runs if p is None]
    if days:
        out.append(Source("event_cells", "event_date", level, _any_range("event_date", days)))
    return out


def _periods_for(zoom: int) -> list[tuple[Period, int]]:
    """The periods with cells at the coarsest stored period level fit for a zoom, longest first, with that level
    (a period whose cells are finer would read more rows than the weeks it replaces: blocks at level 6 for
    the world map at zoom 2)."""
    levels = [lv for p in period_cells.PERIODS for lv in p.levels if lv >= zoom]
    if not levels:
        return []
    level = min(levels)
    return [(p, level) for p in period_cells.PERIODS if level in p.levels]


def _where(source: Source, filters: Filters) -> list[tuple[str, list[Any]]]:
    """The source's rows for the country / type / date filters, as SQL and parameters, one per date range."""
    out = []
    for dates, date_params in source.dates:
        sql = ["level = ?"]
        params: list[Any] = [source.level]
        if filters.country:
            sql.append(f"scope = 0 AND country IN ({', '.join('?' * len(filters.country))})")
            params += filters.country
        else:
            sql.append("scope = 1 AND country = ''")
        sql.append(dates)
        params += date_params
        if filters.event_type:
            sql.append(f"event_type IN ({', '.join('?' * len(filters.event_type))})")
            params += filters.event_type
        out.append((" AND ".join(sql), params))
    return out


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


def _fetch(conn: sa.Connection, sql: str, params: list[Any]) -> list[tuple]:
    """The rows of a plain SQL statement as the DBAPI's tuples (in the connection's transaction): wrapping a
    thousand rows in SQLAlchemy's Row objects, and unpacking those, cost a tenth of a map's time."""
    result = conn.exec_driver_sql(sql, tuple(params))
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def _sum_inside(conn: sa.Connection, parts: list[Source], filters: Filters, zoom: int,
                bbox: tuple[float, float, float, float] | None) -> list:
    """(zoom cx, cy, type, n, fatalities, sum lat, sum lon, first id) of every source's inside cells in that
    order, grouped by SQLite in one statement (one sort of the weekly and daily rows together).

    Plain SQL, not SQLAlchemy Core: building and caching the statement's expressions cost as much Python time
    as SQLite's whole work here. Values are bound; names come from this module only.
    """
    inside, _, params = _bbox_sql(bbox) if bbox is not None else ("1", "", [0.0, 0.0, 0.0, 0.0])
    branches = []
    for source in parts:
        shift = 2 ** (source.level - zoom)  # cx, cy >= 0: integer division is floor
        for where, wparams in _where(source, filters):
            where, wparams = _numbered(where, wparams, len(params) + 1)
            branches.append(f"SELECT cx / {shift} AS zx, cy / {shift} AS zy, event_type AS t, n, fatalities AS f, "
                            f"sum_lat AS slat, sum_lon AS slon, first_id AS first FROM {source.table} "
                            f"WHERE {where} AND {inside}")
            params += wparams
    sql = (f"SELECT zx, zy, t, sum(n), sum(f), sum(slat), sum(slon), min(first) FROM "
           f"({' UNION ALL '.join(branches)}) GROUP BY zx, zy, t ORDER BY zx, zy, t")
    return _fetch(conn, sql, params)


def _straddling(conn: sa.Connection, source: Source, filters: Filters,
                bbox: tuple[float, float, float, float]) -> list:
    """Keys (country, day or week, type, cx, cy) of the source's stored cells that straddle the bbox edge."""
    _, edge, params = _bbox_sql(bbox)
    branches = []
    for where, wparams in _where(source, filters):
        where, wparams = _numbered(where, wparams, len(params) + 1)
        branches.append(f"SELECT country, {source.date_column}, event_type, cx, cy FROM {source.table} "
                        f"WHERE {where} AND {edge}")
        params += wparams
    rows = _fetch(conn, " UNION ALL ".join(branches), params)
    return [(c, dt.date.fromisoformat(d), t, x, y) for c, d, t, x, y in rows]


def _add_straddling(conn: sa.Connection, source: Source, filters: Filters, zoom: int,
                    straddling: list, groups: dict[tuple[int, int, str], list]) -> None:
    """Add the events inside the bbox of stored cells that straddle its edge, read from ``events``."""
    size = summaries.cell_size(zoom)
    level_size = aggregates.cell_size(source.level)
    wanted = {tuple(r) for r in straddling}
    scope_all = not filters.country
    period = source.period
    bucket = period.start if period is not None else (lambda d: d)
    # (first day, last day, country) of each straddling row's days: a period's rows come from all its days
    spans = sorted({(first, period.last_day(first) if period is not None else first, None if scope_all else c)
                    for c, first, *_ in straddling})
    # Only the events of the straddling cells (the same truncation as the summary rows' cells), when they are
    # few enough for one condition; the key check below keeps exactly those events either way.
    cells = sorted({(r[3], r[4]) for r in straddling})
    in_cells: list[sa.ColumnElement[bool]] = []
    if len(cells) <= 50:
        cx = aggregates._cell(conn, E.longitude, 180.0, source.level)
        cy = aggregates._cell(conn, E.latitude, 90.0, source.level)
        in_cells = [sa.or_(*[sa.and_(cx == x, cy == y) for x, y in cells])]
    for chunk in aggregates.chunks(spans, 100):
        on = sa.or_(*[sa.and_(_on_dates(a, b), *([] if k is None else [
                              sa.or_(E.country.is_(None), E.country == "") if k == "" else E.country == k]))
                      for a, b, k in chunk])
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


def _on_dates(first: dt.date, last: dt.date) -> sa.ColumnElement[bool]:
    """Events dated within [first, last]; a range from NO_DATE includes the events without a date."""
    within = E.event_date == first if first == last else E.event_date.between(first, last)
    return sa.or_(E.event_date.is_(None), within) if first == aggregates.NO_DATE else within


def _refine_by_days(conn: sa.Connection, source: Source, filters: Filters, zoom: int,
                    bbox: tuple[float, float, float, float], straddling: list,
                    groups: dict[tuple[int, int, str], list]) -> tuple[Source, list]:
    """Add the daily cells inside the bbox of a period's stored cells that straddle its edge; return the daily
    source and the keys of the daily cells that straddle it still (their events come from ``events``).

    A straddling week or block holds a week or four of events: reading them all from ``events`` cost more than
    the whole map; its daily cells (nested in it: the same or a finer level) are few and mostly inside.
    """
    period = source.period
    level = next(lv for lv in aggregates.LEVELS if lv >= source.level)
    shift, zshift = level - source.level, level - zoom
    spans = sorted({(first, period.last_day(first)) for _, first, *_ in straddling})
    day_source = Source("event_cells", "event_date", level, _any_range("event_date", spans))
    inside, edge, params = _bbox_sql(bbox)
    select = (f"SELECT country, event_date, event_type, cx, cy, n, fatalities, sum_lat, sum_lon, first_id, {inside} "
              f"FROM event_cells WHERE ")
    if len(straddling) <= SEEK_CELLS:
        # One primary-key seek per day of each straddling cell, its type and its columns of daily cells (the
        # key is level, scope, country, day, type, cx, cy): a condition on the cells alone scanned every daily
        # row of the period's days.
        branches = []
        for country, first, etype, cx, cy in straddling:
            days = [first + dt.timedelta(days=k) for k in range((period.last_day(first) - first).days + 1)]
            sql, values = _numbered(
                f"level = ? AND scope = ? AND country = ? AND event_date IN ({', '.join('?' * len(days))}) "
                "AND event_type = ? AND cx BETWEEN ? AND ? AND cy BETWEEN ? AND ?",
                [level, 0 if filters.country else 1, country, *[d.isoformat() for d in days], etype,
                 cx << shift, ((cx + 1) << shift) - 1, cy << shift, ((cy + 1) << shift) - 1], len(params) + 1)
            branches.append(f"{select}{sql} AND ({inside} OR ({edge}))")
            params += values
        rows = _fetch(conn, " UNION ALL ".join(branches), params)
    else:
        branches = []
        for where, wparams in _where(day_source, filters):
            where, wparams = _numbered(where, wparams, len(params) + 1)
            branches.append(f"{select}{where} AND ({inside} OR ({edge}))")
            params += wparams
        rows = _fetch(conn, " UNION ALL ".join(branches), params)
    wanted = {tuple(r) for r in straddling}
    still = []
    for country, day, etype, cx, cy, n, fat, slat, slon, first, is_inside in rows:
        day = dt.date.fromisoformat(day)
        if (country, period.start(day), etype, cx >> shift, cy >> shift) not in wanted:
            continue
        if not is_inside:
            still.append((country, day, etype, cx, cy))
            continue
        g = groups.get((cx >> zshift, cy >> zshift, etype))
        if g is None:
            groups[(cx >> zshift, cy >> zshift, etype)] = [n, fat, slat, slon, first]
        else:
            g[0] += n
            g[1] += fat
            g[2] += slat
            g[3] += slon
            g[4] = min(g[4], first)
    return day_source, still


def from_summary(conn: sa.Connection, filters: Filters, zoom: int) -> dict[str, Any] | None:
    """``summaries.bins`` from the summary tables (None when they cannot answer exactly)."""
    if conn.dialect.name != "sqlite" or not summaries._summary_ok(conn, filters):
        return None  # PostgreSQL's float-to-int cast rounds: its raw query stays the reference there
    parts = sources(filters, zoom)
    if parts is None:
        return None
    if not parts:  # an empty date range (end before start)
        return summaries._bins_answer(zoom, size_of=summaries.cell_size(zoom), groups=[])
    bbox = filters.bbox if filters.bbox is not None and not _whole_world(filters.bbox) else None
    rows = _sum_inside(conn, parts, filters, zoom, bbox)
    straddling = [(s, found) for s in parts if (found := _straddling(conn, s, filters, bbox))] if bbox else []
    if straddling:
        groups = {(x, y, t): [n, fat, slat, slon, first] for x, y, t, n, fat, slat, slon, first in rows}
        for source, found in straddling:
            if source.period is not None:
                source, found = _refine_by_days(conn, source, filters, zoom, bbox, found, groups)
            if found:
                _add_straddling(conn, source, filters, zoom, found, groups)
        rows = sorted((*k, *v) for k, v in groups.items())
    return summaries._bins_answer(zoom, size_of=summaries.cell_size(zoom), groups=rows)
