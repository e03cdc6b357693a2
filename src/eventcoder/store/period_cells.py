"""Map cells per week (schema version 6) and per four weeks (version 8): the cells of ``aggregates`` summed per period.

``event_cells`` holds one row per (day, country, type, cell). At fine zoom a
cell rarely holds two events of one day, so a 90-day map of one country read
about as many summary rows as events (22,000 for Iraq in the 1,000,000-event
benchmark) and spent its time in SQLite's GROUP BY. ``event_cell_weeks``
holds the same sums per Monday-to-Sunday week (levels 2 and 6) and
``event_cell_blocks`` per block of four weeks (level 6): a map reads the full
blocks of its date range, the full weeks around them and only the days at
either end from ``event_cells`` (``api.map_bins``).

Kept in step with ``events`` by ``aggregates`` (``add`` upserts new events'
rows; ``refresh`` recomputes the weeks and blocks of recomputed days;
``rebuild`` all), with the same cell formula, sentinels and ``scope`` rows as
``event_cells``. A row's period column holds the period's first day (a
Monday); events without a date have ``NO_DATE`` (a Monday, the first of
block 0) as day and period.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa


def week_start(day: dt.date) -> dt.date:
    """The Monday of a date's week."""
    return day - dt.timedelta(days=day.weekday())


# Blocks of four weeks count from this Monday (the store's NO_DATE, the date of events without one).
BLOCK_EPOCH = dt.date(1, 1, 1)
BLOCK_DAYS = 28


def block_start(day: dt.date) -> dt.date:
    """The first Monday of a date's four-week block (blocks follow each other from BLOCK_EPOCH)."""
    return day - dt.timedelta(days=(day - BLOCK_EPOCH).days % BLOCK_DAYS)


@dataclass(frozen=True)
class Period:
    """A period of stored map cells: its table, period column, zoom levels and calendar rule."""

    table_name: str
    column: str
    levels: tuple[int, ...]
    start: Callable[[dt.date], dt.date]  # the first day of a date's period
    after: Callable[[dt.date], dt.date]  # the first day of the next period, from a period's first day

    def last_day(self, first: dt.date) -> dt.date:
        """The last day of the period starting on ``first``."""
        return self.after(first) - dt.timedelta(days=1)

    def sql(self, conn: sa.Connection, day: sa.ColumnElement) -> sa.ColumnElement:
        """The first day of a date column's period, in SQL."""
        if self.column == "week":
            if conn.dialect.name == "sqlite":
                # strftime('%w'): 0 = Sunday ... 6 = Saturday; days back to Monday = (w + 6) % 7.
                back = (sa.cast(sa.func.strftime("%w", day), sa.Integer) + 6) % 7
                return sa.func.date(day, sa.literal("-") + sa.cast(back, sa.String) + sa.literal(" days"))
            return sa.cast(sa.func.date_trunc("week", day), sa.Date)
        # A block: back (days since BLOCK_EPOCH) % BLOCK_DAYS days.
        if conn.dialect.name == "sqlite":
            since = sa.cast(sa.func.julianday(day) - sa.func.julianday(BLOCK_EPOCH.isoformat()), sa.Integer)
            return sa.func.date(day, sa.literal("-") + sa.cast(since % BLOCK_DAYS, sa.String) + sa.literal(" days"))
        return day - (day - sa.cast(sa.literal(BLOCK_EPOCH.isoformat()), sa.Date)) % BLOCK_DAYS

    def table(self) -> sa.Table:
        """The period's table in the store schema."""
        from eventcoder.store import schema

        return schema.metadata.tables[self.table_name]


# Weeks at levels 2 (the world map, zoom 0-2) and 6 (zoom 3-6); a map at zoom 7-8 reads the daily cells of
# level 8 only (a week of cells that fine hardly groups). Four-week blocks at level 6 only: a 90-day country
# map holds two or three of them (Iraq in the benchmark: ~760 rows a block against ~500 a week and ~250 a
# day); the world map's 30-day windows seldom hold a whole block. Blocks, not calendar months: a block is
# four whole weeks, so the rest of a range is whole weeks and the days at its two ends only (a month's edges
# are no week's, which left days on both sides of every month: more daily rows than months saved).
WEEK = Period("event_cell_weeks", "week", (2, 6), week_start, lambda first: first + dt.timedelta(days=7))
BLOCK = Period("event_cell_blocks", "block", (6,), block_start,
               lambda first: first + dt.timedelta(days=BLOCK_DAYS))
PERIODS: tuple[Period, ...] = (BLOCK, WEEK)  # longest first
WEEK_LEVELS = WEEK.levels  # (as before schema v8)


def define_table(md: sa.MetaData, period: Period = WEEK) -> sa.Table:
    """A period's table: the columns of ``event_cells`` with the period's first day instead of ``event_date``."""
    def key(name: str, type_: sa.types.TypeEngine) -> sa.Column:
        return sa.Column(name, type_, primary_key=True, autoincrement=False, nullable=False)

    return sa.Table(
        period.table_name, md,
        key("level", sa.SmallInteger()), key("scope", sa.SmallInteger()), key("country", sa.String(200)),
        key(period.column, sa.Date()), key("event_type", sa.String(64)),
        key("cx", sa.Integer()), key("cy", sa.Integer()),
        *cell_value_columns(),
        sqlite_with_rowid=False,
    )


def cell_value_columns() -> list[sa.Column]:
    """The value columns of every map-cell table (``event_cells`` per day, the period tables)."""
    return [sa.Column("n", sa.BigInteger, nullable=False),
            sa.Column("fatalities", sa.BigInteger, nullable=False),
            *(sa.Column(name, sa.Double, nullable=False)
              for name in ("sum_lat", "sum_lon", "min_lat", "max_lat", "min_lon", "max_lon")),
            sa.Column("first_id", sa.String(32), nullable=False)]


def _selects(conn: sa.Connection, period: Period, scope: int, where: list[sa.ColumnElement[bool]],
             source: sa.Table | None = None) -> list[sa.Select]:
    """INSERT ... SELECT sources of the period rows of the events matching ``where`` (of ``events``, or of
    ``source``, as in ``aggregates._group_selects``)."""
    from eventcoder.store import aggregates, schema

    E = (source if source is not None else schema.events).c
    first = period.sql(conn, sa.func.coalesce(E.event_date, aggregates.NO_DATE))
    country = sa.literal("") if scope else sa.func.coalesce(E.country, "")
    etype = sa.func.coalesce(E.event_type, "")
    fat = sa.func.coalesce(sa.func.sum(E.fatalities), 0)
    keys = [first, etype] if scope else [country, first, etype]
    out = []
    for level in period.levels:
        cx, cy = aggregates._cell(conn, E.longitude, 180.0, level), aggregates._cell(conn, E.latitude, 90.0, level)
        out.append(sa.select(
            sa.literal(level, sa.SmallInteger), sa.literal(scope, sa.SmallInteger), country, first, etype, cx, cy,
            sa.func.count(), fat, sa.func.sum(E.latitude), sa.func.sum(E.longitude), sa.func.min(E.latitude),
            sa.func.max(E.latitude), sa.func.min(E.longitude), sa.func.max(E.longitude),
            sa.func.min(E.event_id_cnty))
            .where(*where, E.latitude.is_not(None), E.longitude.is_not(None)).group_by(*keys, cx, cy))
    return out


def _insert(conn: sa.Connection, table: sa.Table, select: sa.Select) -> None:
    conn.execute(table.insert().from_select([c.name for c in table.columns], select))


def rebuild(conn: sa.Connection, periods: Sequence[Period] = PERIODS) -> None:
    """Recompute every row of these periods' tables from ``events`` (inside the caller's transaction)."""
    for period in periods:
        table = period.table()
        conn.execute(table.delete())
        for scope in (0, 1):
            for select in _selects(conn, period, scope, []):
                _insert(conn, table, select)


def _in_periods(period: Period, firsts: list[dt.date]) -> sa.ColumnElement[bool]:
    """Events dated in these periods (NO_DATE's period: events without a date)."""
    from eventcoder.store import aggregates, schema

    day = schema.events.c.event_date
    cond = sa.or_(*[day.between(f, period.last_day(f)) for f in firsts])
    return sa.or_(cond, day.is_(None)) if aggregates.NO_DATE in firsts else cond


def refresh(conn: sa.Connection, keys: Iterable[tuple[dt.date | None, str | None]]) -> None:
    """Recompute the period rows of the weeks and blocks of these (event_date, country) groups, and all
    countries' rows of those periods (``aggregates.refresh`` calls this for the days it recomputes)."""
    from eventcoder.store import aggregates, schema

    E = schema.events.c
    keys = list(keys)
    country = sa.func.coalesce(E.country, "")
    for period in PERIODS:
        t = period.table()
        col = t.c[period.column]
        pairs = sorted({(period.start(d or aggregates.NO_DATE), c or "") for d, c in keys})
        first = period.sql(conn, sa.func.coalesce(E.event_date, aggregates.NO_DATE))
        for chunk in aggregates.chunks(pairs, 200):
            conn.execute(t.delete().where(t.c.scope == 0, sa.or_(
                *[sa.and_(t.c.country == c, col == f) for f, c in chunk])))
            firsts = sorted({f for f, _ in chunk})
            where = [_in_periods(period, firsts), sa.or_(*[sa.and_(country == c, first == f) for f, c in chunk])]
            for select in _selects(conn, period, 0, where):
                _insert(conn, t, select)
        for firsts in aggregates.chunks(sorted({f for f, _ in pairs}), 200):
            conn.execute(t.delete().where(t.c.scope == 1, t.c.country == "", sa.or_(*[col == f for f in firsts])))
            for select in _selects(conn, period, 1, [_in_periods(period, firsts)]):
                _insert(conn, t, select)


def group_rows(conn: sa.Connection, rows: list[Mapping[str, Any]], period: Period) -> dict[tuple, list] | None:
    """New events' period cell values as ``_selects`` computes them, by primary key -> [n, fatalities,
    sum_lat, sum_lon, min_lat, max_lat, min_lon, max_lon, [event ids]]; None for a value ``aggregates.add``
    cannot summarise exactly (it then recomputes)."""
    from eventcoder.store import aggregates

    sqlite = conn.dialect.name == "sqlite"
    sizes = [(level, aggregates.cell_size(level)) for level in period.levels]
    cells: dict[tuple, list] = {}
    for r in rows:
        day = r.get("event_date")
        if isinstance(day, str):
            day = dt.date.fromisoformat(day) if day else None
        if day is None:
            day = aggregates.NO_DATE
        elif type(day) is not dt.date:
            return None
        lat, lon = r.get("latitude"), r.get("longitude")
        if lat is None or lon is None:
            continue  # aggregates._group_rows has checked the values of every row
        lat, lon = float(lat), float(lon)
        country, etype, fat = r.get("country") or "", r.get("event_type") or "", r.get("fatalities") or 0
        first = period.start(day)
        for scope, c in ((0, country), (1, "")):
            for level, size in sizes:
                x, y = (lon + 180.0) / size, (lat + 90.0) / size
                cx, cy = (int(x), int(y)) if sqlite else (math.floor(x), math.floor(y))
                add_to_cell(cells, (level, scope, c, first, etype, cx, cy), fat, lat, lon, r["event_id_cnty"])
    return cells


def add_to_cell(cells: dict[tuple, list], key: tuple, fat: int, lat: float, lon: float, event_id: str) -> None:
    """Count one event into a map cell's running values: count, fatalities, coordinate sums, bounding box, ids."""
    g = cells.get(key)
    if g is None:
        cells[key] = [1, fat, lat, lon, lat, lat, lon, lon, [event_id]]
        return
    g[0] += 1
    g[1] += fat
    g[2] += lat
    g[3] += lon
    g[4], g[5] = min(g[4], lat), max(g[5], lat)
    g[6], g[7] = min(g[6], lon), max(g[7], lon)
    g[8].append(event_id)


def upsert_rows(cells: dict[tuple, list], day: Any, first: Any) -> list[tuple]:
    """Upsert parameters of ``group_rows``' cells (``day`` and ``first`` as in ``aggregates.add``)."""
    return [(*k[:3], day(k[3]), *k[4:], *v[:8], first(v[8])) for k, v in cells.items()]
