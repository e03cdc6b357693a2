"""Summary tables of the events, kept in step by the store on every write (schema version 3).

The API's map bins, timeline and key figures read these instead of scanning
``events``:

- ``event_days``: per (day, country, event_type): events, fatalities,
  civilian-targeting events;
- ``event_cells``: per (zoom level in ``LEVELS``, day, country, event_type,
  grid cell at that level): events, fatalities, sums of latitude and
  longitude (for centroids), the bounding box of the events and the
  smallest event id (the id of a cell holding one event);
- ``actor_days``: per (day, country, event_type, actor): events naming the
  actor as actor1 or actor2 (for distinct active actors).

Every table holds each group twice: ``scope`` 0 per country, ``scope`` 1 for
all countries together (``country`` = ''), so a query without a country
filter reads few rows. Missing values become sentinels, since they are part
of the primary key: no date is ``NO_DATE``, no country or type is ''.

Maintenance is by recomputation: after a write, every (day, country) whose
events were inserted, changed or deleted has its rows of all three tables
rebuilt from ``events`` (``refresh``), and the all-countries rows of those
days as well. That keeps minima and bounding boxes exact after deletions.
``rebuild`` recomputes everything (the v3 migration's backfill, bulk loads).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import sqlalchemy as sa

# Zoom levels with stored cells; a map at zoom z <= MAX_LEVEL reads the next stored level up
# (cells nest: the cell of zoom z is the level cell shifted right by level - z bits).
LEVELS: tuple[int, ...] = (2, 4, 6, 8)
MAX_LEVEL = LEVELS[-1]
# Cells are 1/CELLS_PER_TILE of a 256-px tile, as in the API (api.queries.cell_size).
CELLS_PER_TILE = 4
# The event_date of events without one (a primary-key column cannot be NULL).
NO_DATE = dt.date(1, 1, 1)
CIVILIAN_TARGETING = "Civilian targeting"


def cell_size(level: int) -> float:
    """Cell width in degrees at a zoom level (the API's formula)."""
    return 360.0 / (2 ** level) / CELLS_PER_TILE


def define_tables(md: sa.MetaData) -> tuple[sa.Table, sa.Table, sa.Table]:
    """The three summary tables (used by the v3 migration and by ``schema.py``)."""
    def key(name: str, type_: sa.types.TypeEngine) -> sa.Column:
        return sa.Column(name, type_, primary_key=True, autoincrement=False, nullable=False)

    days = sa.Table(
        "event_days", md,
        key("scope", sa.SmallInteger()), key("country", sa.String(200)), key("event_date", sa.Date()),
        key("event_type", sa.String(64)),
        sa.Column("n", sa.BigInteger, nullable=False),
        sa.Column("fatalities", sa.BigInteger, nullable=False),
        sa.Column("civilian_n", sa.BigInteger, nullable=False),
        sqlite_with_rowid=False,
    )
    cells = sa.Table(
        "event_cells", md,
        key("level", sa.SmallInteger()), key("scope", sa.SmallInteger()), key("country", sa.String(200)),
        key("event_date", sa.Date()), key("event_type", sa.String(64)),
        key("cx", sa.Integer()), key("cy", sa.Integer()),
        sa.Column("n", sa.BigInteger, nullable=False),
        sa.Column("fatalities", sa.BigInteger, nullable=False),
        sa.Column("sum_lat", sa.Double, nullable=False),
        sa.Column("sum_lon", sa.Double, nullable=False),
        sa.Column("min_lat", sa.Double, nullable=False),
        sa.Column("max_lat", sa.Double, nullable=False),
        sa.Column("min_lon", sa.Double, nullable=False),
        sa.Column("max_lon", sa.Double, nullable=False),
        sa.Column("first_id", sa.String(32), nullable=False),
        sqlite_with_rowid=False,
    )
    actors = sa.Table(
        "actor_days", md,
        key("scope", sa.SmallInteger()), key("country", sa.String(200)), key("event_date", sa.Date()),
        key("event_type", sa.String(64)), key("actor", sa.String(400)),
        sa.Column("n", sa.BigInteger, nullable=False),
        sqlite_with_rowid=False,
    )
    return days, cells, actors


def _events(conn: sa.Connection) -> sa.Table:
    from eventcoder.store import schema

    return schema.events


def _tables() -> tuple[sa.Table, sa.Table, sa.Table]:
    from eventcoder.store import schema

    return schema.event_days, schema.event_cells, schema.actor_days


def _cell(conn: sa.Connection, coord: sa.ColumnElement, offset: float, level: int) -> sa.ColumnElement:
    """floor((coord + offset) / size) as an integer (coord + offset >= 0)."""
    value = (coord + offset) / cell_size(level)
    if conn.dialect.name == "sqlite":
        return sa.cast(value, sa.Integer)  # truncation, = floor for values >= 0
    return sa.cast(sa.func.floor(value), sa.Integer)  # PostgreSQL's cast rounds


def _group_selects(conn: sa.Connection, scope: int, where: list[sa.ColumnElement[bool]]
                   ) -> list[tuple[sa.Table, sa.Select]]:
    """INSERT ... SELECT sources rebuilding the summary rows of the events matching ``where``."""
    E = _events(conn).c
    days, cells, actors = _tables()
    date = sa.func.coalesce(E.event_date, NO_DATE)
    country = sa.literal("") if scope else sa.func.coalesce(E.country, "")
    etype = sa.func.coalesce(E.event_type, "")
    civ = sa.case((E.civilian_targeting == CIVILIAN_TARGETING, 1), else_=0)
    fat = sa.func.coalesce(sa.func.sum(E.fatalities), 0)
    s = sa.literal(scope, sa.SmallInteger)
    keys = [date, etype] if scope else [country, date, etype]
    out: list[tuple[sa.Table, sa.Select]] = [(days, sa.select(
        s, country, date, etype, sa.func.count(), fat, sa.func.coalesce(sa.func.sum(civ), 0))
        .where(*where).group_by(*keys))]
    for level in LEVELS:
        cx, cy = _cell(conn, E.longitude, 180.0, level), _cell(conn, E.latitude, 90.0, level)
        out.append((cells, sa.select(
            sa.literal(level, sa.SmallInteger), s, country, date, etype, cx, cy, sa.func.count(), fat,
            sa.func.sum(E.latitude), sa.func.sum(E.longitude), sa.func.min(E.latitude), sa.func.max(E.latitude),
            sa.func.min(E.longitude), sa.func.max(E.longitude), sa.func.min(E.event_id_cnty))
            .where(*where, E.latitude.is_not(None), E.longitude.is_not(None))
            .group_by(*keys, cx, cy)))
    named = sa.union_all(sa.select(E.actor1.label("actor"), E.country, E.event_date, E.event_type)
                         .where(*where, E.actor1 != ""),
                         sa.select(E.actor2.label("actor"), E.country, E.event_date, E.event_type)
                         .where(*where, E.actor2 != "")).subquery()
    a_country = sa.literal("") if scope else sa.func.coalesce(named.c.country, "")
    a_date = sa.func.coalesce(named.c.event_date, NO_DATE)
    a_type = sa.func.coalesce(named.c.event_type, "")
    a_keys = [a_date, a_type, named.c.actor] if scope else [a_country, a_date, a_type, named.c.actor]
    out.append((actors, sa.select(s, a_country, a_date, a_type, named.c.actor, sa.func.count())
                .group_by(*a_keys)))
    return out


def _insert(conn: sa.Connection, table: sa.Table, select: sa.Select) -> None:
    columns = [c.name for c in table.columns]
    conn.execute(table.insert().from_select(columns, select))


def rebuild(conn: sa.Connection) -> None:
    """Recompute every summary row from ``events`` (inside the caller's transaction)."""
    for table in _tables():
        conn.execute(table.delete())
    for scope in (0, 1):
        for table, select in _group_selects(conn, scope, []):
            _insert(conn, table, select)


def _key(row: Mapping[str, Any]) -> tuple[dt.date | None, str | None]:
    day = row.get("event_date")
    if isinstance(day, str):
        day = dt.date.fromisoformat(day) if day else None
    return day, row.get("country")


def events_changed(conn: sa.Connection, old: Iterable[Mapping[str, Any]], new: Iterable[Mapping[str, Any]]) -> None:
    """Bring the summary tables in step after events were deleted (``old`` rows) and/or written (``new`` rows).

    Call once per write, after the ``events`` table holds its new state; rows
    need ``event_date`` and ``country``.
    """
    keys = {_key(r) for r in old} | {_key(r) for r in new}
    if keys:
        refresh(conn, keys)


def refresh(conn: sa.Connection, keys: Iterable[tuple[dt.date | None, str | None]]) -> None:
    """Recompute the summary rows of these (event_date, country) groups and the all-countries rows of their days.

    One DELETE and one INSERT ... SELECT per table for a whole write (in chunks of
    keys), not per group: a batch touches many days and countries at once.
    """
    E = _events(conn).c
    keys = sorted({(d or NO_DATE, c or "") for d, c in keys})
    date = sa.func.coalesce(E.event_date, NO_DATE)
    country = sa.func.coalesce(E.country, "")
    for chunk in _chunks(keys, 200):
        days = sorted({d for d, _ in chunk})
        for table in _tables():
            conn.execute(table.delete().where(table.c.scope == 0, sa.or_(
                *[sa.and_(table.c.country == c, table.c.event_date == d) for d, c in chunk])))
        # plain OR-of-ANDs, not expanding IN parameters: the same condition appears twice in the
        # actors' UNION ALL, which SQLAlchemy cannot expand inside INSERT ... SELECT
        where = [_on_days(E.event_date, days), sa.or_(*[sa.and_(country == c, date == d) for d, c in chunk])]
        for table, select in _group_selects(conn, 0, where):
            _insert(conn, table, select)
    for days in _chunks(sorted({d for d, _ in keys}), 200):
        for table in _tables():
            conn.execute(table.delete().where(table.c.scope == 1, table.c.country == "",
                                              sa.or_(*[table.c.event_date == d for d in days])))
        for table, select in _group_selects(conn, 1, [_on_days(E.event_date, days)]):
            _insert(conn, table, select)


def _on_days(col: sa.ColumnElement, days: list[dt.date]) -> sa.ColumnElement[bool]:
    """Events on these days; NO_DATE stands for events without a date (stored NULL or NO_DATE)."""
    cond = sa.or_(*[col == d for d in days])
    return sa.or_(cond, col.is_(None)) if NO_DATE in days else cond


def _chunks(items: list, size: int) -> Iterator[list]:
    """Consecutive slices of at most size items."""
    for i in range(0, len(items), size):
        yield items[i:i + size]
