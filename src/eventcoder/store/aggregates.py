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

Maintenance: events that a write only adds (absent from ``events`` before)
are added to the summary rows incrementally (``add``): grouped in Python by
key, then one upsert per table (``INSERT ... ON CONFLICT DO UPDATE``) adding
counts and sums and widening minima, maxima and bounding boxes. Every day
that a write deletes or changes events on is recomputed instead: each
(day, country) of those events, and of added events on those days, has its
rows of all three tables rebuilt from ``events`` (``refresh``), and the
all-countries rows of those days as well. That keeps minima and bounding
boxes exact after deletions. An event rewritten with the same values in
every summarised column (a report merged in that only adds a source) is
skipped: its rows cannot change. ``rebuild`` recomputes everything (the v3
migration's backfill, bulk loads).
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from eventcoder.store import period_cells
from eventcoder.store.bulk import param_mark

# Zoom levels with stored cells; a map at zoom z <= MAX_LEVEL reads the next stored level up
# (cells nest: the cell of zoom z is the level cell shifted right by level - z bits). Two levels since
# schema v4 (v3 had 2, 4, 6, 8): every level costs two rows per written event, and with the day in the
# key levels 4 and 6 hold hardly fewer rows than level 8 (see migrations._v4_fewer_pages_per_event).
LEVELS: tuple[int, ...] = (2, 8)
MAX_LEVEL = LEVELS[-1]
# Cells are 1/CELLS_PER_TILE of a 256-px tile, as in the API (api.summaries.cell_size).
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
        *period_cells.cell_value_columns(),
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


def _group_selects(conn: sa.Connection, scope: int, where: list[sa.ColumnElement[bool]],
                   source: sa.Table | None = None) -> list[tuple[sa.Table, sa.Select]]:
    """INSERT ... SELECT sources rebuilding the summary rows of the events matching ``where`` (of ``events``, or
    of ``source``, a table with the columns of ``SUMMARY_COLUMNS`` and ``event_id_cnty``)."""
    E = (source if source is not None else _events(conn)).c
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


def rebuild(conn: sa.Connection, *, weeks: bool = True) -> None:
    """Recompute every summary row from ``events`` (inside the caller's transaction), and empty the log of
    deferred changes (``store.pending``, schema v5), which the rebuild includes; ``weeks=False`` leaves out
    the weekly and four-week cells (the version-3 migration runs before their tables exist)."""
    for table in _tables():
        conn.execute(table.delete())
    if sa.inspect(conn).has_table("summary_pending"):  # absent while the v3 migration runs
        conn.execute(sa.text("DELETE FROM summary_pending"))
    for scope in (0, 1):
        for table, select in _group_selects(conn, scope, []):
            _insert(conn, table, select)
    if weeks:
        period_cells.rebuild(conn)


def _key(row: Mapping[str, Any]) -> tuple[dt.date | None, str | None]:
    day = row.get("event_date")
    if isinstance(day, str):
        day = dt.date.fromisoformat(day) if day else None
    return day, row.get("country")


# The event columns the summary rows are computed from (with event_id_cnty, for the cells' smallest id).
SUMMARY_COLUMNS = ("event_date", "country", "event_type", "latitude", "longitude", "fatalities",
                   "civilian_targeting", "actor1", "actor2")


def _same_contribution(old: list[Mapping[str, Any]], new: list[Mapping[str, Any]]) -> set[str]:
    """Ids of events rewritten with equal values in every summarised column (a report merged in that added a
    source or evidence only): their summary rows stay exactly as they are."""
    by_id = {r["event_id_cnty"]: r for r in old}
    same = set()
    for r in new:
        o = by_id.get(r.get("event_id_cnty"))
        if o is not None and all(o.get(c) == r.get(c) for c in SUMMARY_COLUMNS):
            same.add(r["event_id_cnty"])
    return same


def events_changed(conn: sa.Connection, old: Iterable[Mapping[str, Any]], new: Iterable[Mapping[str, Any]]) -> None:
    """Bring the summary tables in step after events were deleted (``old`` rows) and/or written (``new`` rows).

    Call once per write, after the ``events`` table holds its new state; rows
    need ``event_date`` and ``country``. New rows whose ``event_id_cnty`` is
    not among the old rows must be events that were absent before the write
    (a new event, not a changed one): they are added incrementally unless
    their day is recomputed anyway (a day with deleted or changed events).
    A changed event whose summarised columns all keep their values is left
    out: its summary rows do not change.
    """
    old, new = list(old), list(new)
    if not old and not new:
        return
    if any(r.get("event_id_cnty") is None for r in old):
        refresh(conn, {_key(r) for r in old} | {_key(r) for r in new})  # cannot tell updates from inserts
        return
    # Merging a report into a stored event mostly adds a source: no need to recount that event's days.
    same = _same_contribution(old, new)
    if same:
        old = [r for r in old if r["event_id_cnty"] not in same]
        new = [r for r in new if r.get("event_id_cnty") not in same]
    replaced = {r["event_id_cnty"] for r in old}
    keys = {_key(r) for r in old} | {_key(r) for r in new if r.get("event_id_cnty") in replaced}
    days = {d or NO_DATE for d, _ in keys}
    added = []
    for r in new:
        if r.get("event_id_cnty") in replaced:
            continue
        k = _key(r)
        if (k[0] or NO_DATE) in days:
            keys.add(k)
        else:
            added.append(r)
    if added and not add(conn, added):
        keys |= {_key(r) for r in added}
    if keys:
        refresh(conn, keys)


def _group_rows(conn: sa.Connection, rows: list[Mapping[str, Any]]
                ) -> tuple[dict[tuple, list], dict[tuple, list], dict[tuple, int]] | None:
    """The summary values of events as the SQL of ``_group_selects`` computes them (both scopes), grouped by
    primary key: days -> [n, fatalities, civilian_n], cells -> [n, fatalities, sum_lat, sum_lon, min_lat,
    max_lat, min_lon, max_lon, [event ids]], actors -> n. None for a value the store may read back otherwise
    (then the caller recomputes)."""
    sqlite = conn.dialect.name == "sqlite"
    days: dict[tuple, list] = {}
    cells: dict[tuple, list] = {}
    actors: dict[tuple, int] = {}
    sizes = [(level, cell_size(level)) for level in LEVELS]
    for r in rows:
        day = r.get("event_date")
        if isinstance(day, str):
            day = dt.date.fromisoformat(day) if day else None
        if day is None:
            day = NO_DATE
        elif type(day) is not dt.date:
            return None
        country, etype = r.get("country"), r.get("event_type")
        country = "" if country is None else country
        etype = "" if etype is None else etype
        event_id = r.get("event_id_cnty")
        fat, lat, lon = r.get("fatalities"), r.get("latitude"), r.get("longitude")
        civ = 1 if r.get("civilian_targeting") == CIVILIAN_TARGETING else 0
        if not (type(country) is str and type(etype) is str and type(event_id) is str
                and (fat is None or type(fat) is int) and (lat is None) == (lon is None)):
            return None
        if lat is not None:
            if type(lat) not in (int, float) or type(lon) not in (int, float):
                return None
            lat, lon = float(lat), float(lon)
            if not (math.isfinite(lat) and math.isfinite(lon)):
                return None
        fat = fat or 0
        named = []
        for name in ("actor1", "actor2"):
            a = r.get(name)
            if a is None or a == "":
                continue
            if type(a) is not str:
                return None
            named.append(a)
        for scope, c in ((0, country), (1, "")):
            g = days.setdefault((scope, c, day, etype), [0, 0, 0])
            g[0] += 1
            g[1] += fat
            g[2] += civ
            for a in named:
                k = (scope, c, day, etype, a)
                actors[k] = actors.get(k, 0) + 1
            if lat is None:
                continue
            for level, size in sizes:
                x, y = (lon + 180.0) / size, (lat + 90.0) / size
                cx, cy = (int(x), int(y)) if sqlite else (math.floor(x), math.floor(y))
                period_cells.add_to_cell(cells, (level, scope, c, day, etype, cx, cy), fat, lat, lon, event_id)
    return days, cells, actors


def add(conn: sa.Connection, rows: list[Mapping[str, Any]]) -> bool:
    """Add events that were absent from ``events`` before this write to the summary rows: one upsert per table
    adding counts and sums and widening the minima, maxima and smallest event ids. False (nothing written)
    when a value cannot be summarised in Python exactly as SQL would; the caller then recomputes."""
    name = conn.dialect.name
    if name not in ("sqlite", "postgresql"):
        return False
    grouped = _group_rows(conn, rows)
    if grouped is None:
        return False
    # (schema v6, v8) the weekly and four-week cells
    g_periods = [(p, period_cells.group_rows(conn, rows, p)) for p in period_cells.PERIODS]
    if any(g is None for _, g in g_periods):
        return False
    _write_groups(conn, grouped)
    for period, g in g_periods:
        first = _first_ids_by_collation(conn, g) if name == "postgresql" else min
        _upsert(conn, period.table(), period_cells.upsert_rows(g, _date_param(conn), first))
    return True


def _write_groups(conn: sa.Connection, grouped: tuple[dict[tuple, list], dict[tuple, list], dict[tuple, int]]) -> None:
    """Upsert ``_group_rows`` groups into the summary tables (adding to rows that exist)."""
    g_days, g_cells, g_actors = grouped
    if conn.dialect.name == "postgresql":
        first = _first_ids_by_collation(conn, g_cells)
    else:
        first = min  # min() of TEXT in SQLite: BINARY collation, the order of Python's str
    # Rows go straight to the DBAPI's executemany with tuples: SQLAlchemy's per-row parameter
    # processing cost more than the upserts themselves (about 14 summary rows per event).
    day = _date_param(conn)
    days, cells, actors = _tables()
    _upsert(conn, days, [(*k[:2], day(k[2]), k[3], *v) for k, v in g_days.items()])
    _upsert(conn, cells, [(*k[:3], day(k[3]), *k[4:], *v[:8], first(v[8])) for k, v in g_cells.items()])
    _upsert(conn, actors, [(*k[:2], day(k[2]), *k[3:], v) for k, v in g_actors.items()])


# How each non-key column of a summary table absorbs a new value: add it, or keep the smaller / larger.
_MERGE = {"n": "+", "fatalities": "+", "civilian_n": "+", "sum_lat": "+", "sum_lon": "+",
          "min_lat": "least", "max_lat": "greatest", "min_lon": "least", "max_lon": "greatest",
          "first_id": "least"}


@lru_cache(maxsize=16)
def _upsert_sql(dialect: sa.Dialect, table: sa.Table) -> str:
    """INSERT ... ON CONFLICT DO UPDATE for one summary table, in the DBAPI's own parameter style."""
    cols = [c.name for c in table.columns]
    keys = [c.name for c in table.primary_key.columns]
    mark = param_mark(dialect)
    sqlite = dialect.name == "sqlite"
    sets = []
    for c in cols:
        how = _MERGE.get(c)
        if how == "+":
            sets.append(f"{c} = {table.name}.{c} + excluded.{c}")
        elif how:
            func = {"least": "min", "greatest": "max"}[how] if sqlite else how  # SQLite's scalar min/max
            sets.append(f"{c} = {func}({table.name}.{c}, excluded.{c})")
    return (f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join([mark] * len(cols))}) "
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {', '.join(sets)}")


def _upsert(conn: sa.Connection, table: sa.Table, values: list[tuple]) -> None:
    if values:
        conn.exec_driver_sql(_upsert_sql(conn.dialect, table), values)


def _date_param(conn: sa.Connection):
    """How a date goes to the DBAPI: SQLite stores ISO text (as SQLAlchemy's Date does), psycopg takes dates."""
    if conn.dialect.name == "sqlite":
        return dt.date.isoformat
    return lambda d: d


def _first_ids_by_collation(conn: sa.Connection, g_cells: dict[tuple, list]):
    """min() of event ids in the database's collation (PostgreSQL's may differ from Python's str order)."""
    ids = sorted({i for g in g_cells.values() if len(g[8]) > 1 for i in g[8]})
    order: dict[str, int] = {}
    if ids:
        got = conn.execute(sa.text("SELECT t.id FROM unnest(CAST(:ids AS text[])) AS t(id) ORDER BY t.id"),
                           {"ids": ids}).scalars().all()
        order = {i: n for n, i in enumerate(got)}
    return lambda candidates: min(candidates, key=lambda i: order.get(i, 0))


def refresh(conn: sa.Connection, keys: Iterable[tuple[dt.date | None, str | None]]) -> None:
    """Recompute the summary rows of these (event_date, country) groups and the all-countries rows of their days.

    The old rows go with one DELETE per table (in chunks of keys); the new ones are grouped in Python from
    one read of those days' events (``_regroup_in_python``), or, for a value Python cannot group exactly as
    SQL, by one INSERT ... SELECT per table.
    """
    E = _events(conn).c
    keys = sorted({(d or NO_DATE, c or "") for d, c in keys})
    if not keys:
        return
    _delete_groups(conn, keys)
    period_cells.refresh(conn, keys)  # (read side, schema v6, v8) the map cells of those days' weeks and blocks
    if _regroup_in_python(conn, keys):
        return
    date = sa.func.coalesce(E.event_date, NO_DATE)
    country = sa.func.coalesce(E.country, "")
    for chunk in chunks(keys, 200):
        days = sorted({d for d, _ in chunk})
        # plain OR-of-ANDs, not expanding IN parameters: the same condition appears twice in the
        # actors' UNION ALL, which SQLAlchemy cannot expand inside INSERT ... SELECT
        where = [_on_days(E.event_date, days), sa.or_(*[sa.and_(country == c, date == d) for d, c in chunk])]
        for table, select in _group_selects(conn, 0, where):
            _insert(conn, table, select)
    for days in chunks(sorted({d for d, _ in keys}), 200):
        for table, select in _group_selects(conn, 1, [_on_days(E.event_date, days)]):
            _insert(conn, table, select)


def _delete_groups(conn: sa.Connection, keys: list[tuple[dt.date, str]]) -> None:
    """Delete the summary rows of these (day, country) groups and the all-countries rows of their days.

    One primary-key prefix delete per group, sent with executemany: a statement with an OR of every group
    cost more to compile and to plan than the deletes themselves.
    """
    mark = param_mark(conn.dialect)
    day = _date_param(conn)
    per_key = [(c, day(d)) for d, c in keys]
    per_day = [(day(d),) for d in sorted({d for d, _ in keys})]
    for table in _tables():
        # event_cells' key starts with the level: name it, so each delete is a prefix of the key
        levels = [(level,) for level in LEVELS] if "level" in table.c else [()]
        where = f"level = {mark} AND " if "level" in table.c else ""
        conn.exec_driver_sql(f"DELETE FROM {table.name} WHERE {where}scope = 0 AND country = {mark} "
                             f"AND event_date = {mark}", [(*lv, *k) for lv in levels for k in per_key])
        conn.exec_driver_sql(f"DELETE FROM {table.name} WHERE {where}scope = 1 AND country = '' "
                             f"AND event_date = {mark}", [(*lv, *k) for lv in levels for k in per_day])


def _regroup_in_python(conn: sa.Connection, keys: list[tuple[dt.date, str]]) -> bool:
    """Write the summary rows of deleted groups again from their days' events, grouped in Python (one read of the
    events instead of ten INSERT ... SELECTs, each filtering the days' events by every key). False, with nothing
    written, when a value cannot be grouped in Python exactly as SQL would (the caller then uses SQL)."""
    if conn.dialect.name not in ("sqlite", "postgresql"):
        return False
    E = _events(conn).c
    cols = [E.event_id_cnty, *[E[c] for c in SUMMARY_COLUMNS]]
    rows: list[Mapping[str, Any]] = []
    for days in chunks(sorted({d for d, _ in keys}), 200):
        rows.extend(conn.execute(sa.select(*cols).where(_on_days(E.event_date, days))).mappings())
    grouped = _group_rows(conn, rows)
    if grouped is None:
        return False
    wanted = set(keys)  # scope 0: only these groups (the others of these days were not deleted)
    g_days, g_cells, g_actors = grouped
    _write_groups(conn, ({k: v for k, v in g_days.items() if k[0] == 1 or (k[2], k[1]) in wanted},
                         {k: v for k, v in g_cells.items() if k[1] == 1 or (k[3], k[2]) in wanted},
                         {k: v for k, v in g_actors.items() if k[0] == 1 or (k[2], k[1]) in wanted}))
    return True


def _on_days(col: sa.ColumnElement, days: list[dt.date]) -> sa.ColumnElement[bool]:
    """Events on these days; NO_DATE stands for events without a date (stored NULL or NO_DATE)."""
    cond = sa.or_(*[col == d for d in days])
    return sa.or_(cond, col.is_(None)) if NO_DATE in days else cond


def chunks(items: list, size: int) -> Iterator[list]:
    """Consecutive slices of at most size items."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


# Used by store.pending, which logs writes and applies them later with add / refresh.
event_key = _key
same_contribution = _same_contribution
