"""Weekly map cells (schema version 6): the map cells of ``aggregates`` summed per week, at ``WEEK_LEVELS``.

``event_cells`` holds one row per (day, country, type, cell). At fine zoom a
cell rarely holds two events of one day, so a 90-day map of one country read
about as many summary rows as events (22,000 for Iraq in the 1,000,000-event
benchmark) and spent its time in SQLite's GROUP BY. ``event_cell_weeks``
holds the same sums per Monday-to-Sunday week: a map reads the full weeks of
its date range here and only the days at either end from ``event_cells``
(``api.map_bins``), about three times fewer rows for one country at zoom 6 and
four times fewer for the world at zoom 2.

Kept in step with ``events`` by ``aggregates`` (``add`` upserts new events'
rows; ``refresh`` recomputes the weeks of recomputed days; ``rebuild`` all),
with the same cell formula, sentinels and ``scope`` rows as ``event_cells``.
``week`` is the Monday of the event's week; events without a date have
``NO_DATE`` (a Monday) as day and week.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

# Levels with weekly cells: 2 serves the world map (zoom 0-2), 6 serves zoom 3-6. A map at zoom 7-8
# reads the daily cells of level 8 only (a week of cells that fine hardly groups).
WEEK_LEVELS: tuple[int, ...] = (2, 6)


def week_start(day: dt.date) -> dt.date:
    """The Monday of a date's week."""
    return day - dt.timedelta(days=day.weekday())


def define_table(md: sa.MetaData) -> sa.Table:
    """``event_cell_weeks``: the columns of ``event_cells`` with ``week`` instead of ``event_date``."""
    def key(name: str, type_: sa.types.TypeEngine) -> sa.Column:
        return sa.Column(name, type_, primary_key=True, autoincrement=False, nullable=False)

    return sa.Table(
        "event_cell_weeks", md,
        key("level", sa.SmallInteger()), key("scope", sa.SmallInteger()), key("country", sa.String(200)),
        key("week", sa.Date()), key("event_type", sa.String(64)),
        key("cx", sa.Integer()), key("cy", sa.Integer()),
        *cell_value_columns(),
        sqlite_with_rowid=False,
    )


def cell_value_columns() -> list[sa.Column]:
    """The value columns of every map-cell table (``event_cells`` per day, ``event_cell_weeks`` per week)."""
    return [sa.Column("n", sa.BigInteger, nullable=False),
            sa.Column("fatalities", sa.BigInteger, nullable=False),
            *(sa.Column(name, sa.Double, nullable=False)
              for name in ("sum_lat", "sum_lon", "min_lat", "max_lat", "min_lon", "max_lon")),
            sa.Column("first_id", sa.String(32), nullable=False)]


def table() -> sa.Table:
    """The weekly cells table of the store schema."""
    from eventcoder.store import schema

    return schema.event_cell_weeks


def week_sql(conn: sa.Connection, day: sa.ColumnElement) -> sa.ColumnElement:
    """The Monday of a date column's week, in SQL."""
    if conn.dialect.name == "sqlite":
        # strftime('%w'): 0 = Sunday ... 6 = Saturday; days back to Monday = (w + 6) % 7.
        back = (sa.cast(sa.func.strftime("%w", day), sa.Integer) + 6) % 7
        return sa.func.date(day, sa.literal("-") + sa.cast(back, sa.String) + sa.literal(" days"))
    return sa.cast(sa.func.date_trunc("week", day), sa.Date)


def _selects(conn: sa.Connection, scope: int, where: list[sa.ColumnElement[bool]],
             source: sa.Table | None = None) -> list[sa.Select]:
    """INSERT ... SELECT sources of the weekly rows of the events matching ``where`` (of ``events``, or of
    ``source``, as in ``aggregates._group_selects``)."""
    from eventcoder.store import aggregates, schema

    E = (source if source is not None else schema.events).c
    week = week_sql(conn, sa.func.coalesce(E.event_date, aggregates.NO_DATE))
    country = sa.literal("") if scope else sa.func.coalesce(E.country, "")
    etype = sa.func.coalesce(E.event_type, "")
    fat = sa.func.coalesce(sa.func.sum(E.fatalities), 0)
    keys = [week, etype] if scope else [country, week, etype]
    out = []
    for level in WEEK_LEVELS:
        cx, cy = aggregates._cell(conn, E.longitude, 180.0, level), aggregates._cell(conn, E.latitude, 90.0, level)
        out.append(sa.select(
            sa.literal(level, sa.SmallInteger), sa.literal(scope, sa.SmallInteger), country, week, etype, cx, cy,
            sa.func.count(), fat, sa.func.sum(E.latitude), sa.func.sum(E.longitude), sa.func.min(E.latitude),
            sa.func.max(E.latitude), sa.func.min(E.longitude), sa.func.max(E.longitude),
            sa.func.min(E.event_id_cnty))
            .where(*where, E.latitude.is_not(None), E.longitude.is_not(None)).group_by(*keys, cx, cy))
    return out


def _insert(conn: sa.Connection, select: sa.Select) -> None:
    t = table()
    conn.execute(t.insert().from_select([c.name for c in t.columns], select))


def rebuild(conn: sa.Connection) -> None:
    """Recompute every weekly row from ``events`` (inside the caller's transaction)."""
    conn.execute(table().delete())
    for scope in (0, 1):
        for select in _selects(conn, scope, []):
            _insert(conn, select)


def _in_weeks(conn: sa.Connection, weeks: list[dt.date]) -> sa.ColumnElement[bool]:
    """Events dated in these weeks (NO_DATE's week: events without a date)."""
    from eventcoder.store import aggregates, schema

    day = schema.events.c.event_date
    cond = sa.or_(*[day.between(w, w + dt.timedelta(days=6)) for w in weeks])
    return sa.or_(cond, day.is_(None)) if aggregates.NO_DATE in weeks else cond


def refresh(conn: sa.Connection, keys: Iterable[tuple[dt.date | None, str | None]]) -> None:
    """Recompute the weekly rows of the weeks of these (event_date, country) groups, and all countries' rows
    of those weeks (``aggregates.refresh`` calls this for the days it recomputes)."""
    from eventcoder.store import aggregates, schema

    E = schema.events.c
    t = table()
    pairs = sorted({(week_start(d or aggregates.NO_DATE), c or "") for d, c in keys})
    country = sa.func.coalesce(E.country, "")
    week = week_sql(conn, sa.func.coalesce(E.event_date, aggregates.NO_DATE))
    for chunk in aggregates.chunks(pairs, 200):
        conn.execute(t.delete().where(t.c.scope == 0, sa.or_(
            *[sa.and_(t.c.country == c, t.c.week == w) for w, c in chunk])))
        weeks = sorted({w for w, _ in chunk})
        where = [_in_weeks(conn, weeks), sa.or_(*[sa.and_(country == c, week == w) for w, c in chunk])]
        for select in _selects(conn, 0, where):
            _insert(conn, select)
    for weeks in aggregates.chunks(sorted({w for w, _ in pairs}), 200):
        conn.execute(t.delete().where(t.c.scope == 1, t.c.country == "", sa.or_(*[t.c.week == w for w in weeks])))
        for select in _selects(conn, 1, [_in_weeks(conn, weeks)]):
            _insert(conn, select)


def group_rows(conn: sa.Connection, rows: list[Mapping[str, Any]]) -> dict[tuple, list] | None:
    """New events' weekly cell values as ``_selects`` computes them, by primary key -> [n, fatalities,
    sum_lat, sum_lon, min_lat, max_lat, min_lon, max_lon, [event ids]]; None for a value ``aggregates.add``
    cannot summarise exactly (it then recomputes)."""
    from eventcoder.store import aggregates

    sqlite = conn.dialect.name == "sqlite"
    sizes = [(level, aggregates.cell_size(level)) for level in WEEK_LEVELS]
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
        week = week_start(day)
        for scope, c in ((0, country), (1, "")):
            for level, size in sizes:
                x, y = (lon + 180.0) / size, (lat + 90.0) / size
                cx, cy = (int(x), int(y)) if sqlite else (math.floor(x), math.floor(y))
                k = (level, scope, c, week, etype, cx, cy)
                g = cells.get(k)
                if g is None:
                    cells[k] = [1, fat, lat, lon, lat, lat, lon, lon, [r["event_id_cnty"]]]
                else:
                    g[0] += 1
                    g[1] += fat
                    g[2] += lat
                    g[3] += lon
                    g[4], g[5] = min(g[4], lat), max(g[5], lat)
                    g[6], g[7] = min(g[6], lon), max(g[7], lon)
                    g[8].append(r["event_id_cnty"])
    return cells


def upsert_rows(cells: dict[tuple, list], day: Any, first: Any) -> list[tuple]:
    """Upsert parameters of ``group_rows``' cells (``day`` and ``first`` as in ``aggregates.add``)."""
    return [(*k[:3], day(k[3]), *k[4:], *v[:8], first(v[8])) for k, v in cells.items()]
