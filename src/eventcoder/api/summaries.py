"""The API's aggregates: map bins, events per day and key figures, from the store's summary tables
(``store.aggregates``) when they can answer exactly, else from ``events``."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from eventcoder.api.queries import E
from eventcoder.api.selection import Filters
from eventcoder.store import aggregates, pending, schema

CIVILIAN_TARGETING = "Civilian targeting"
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
