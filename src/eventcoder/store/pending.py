"""Deferred summary maintenance (schema version 5): a write logs what it changed, a refresh applies it later.

Keeping the summary tables (``store.aggregates``) in step inside every
ingest batch cost about ten summary rows, spread over their pages, per
written event. Instead a batch appends to ``summary_pending`` (an
append-only log: new rows land on the table's last page):

- one row per event the write *added* (absent before): its id, with its
  day and country;
- one row per (day, country) whose summary rows must be *recomputed* (an
  event there was changed or deleted): ``event_id_cnty`` is NULL.

``refresh`` applies the whole log in one go, inside a write transaction
(so no writer adds to it meanwhile): the recomputed keys are rebuilt from
``events`` (``aggregates.refresh``), the added events are read back and
added incrementally (``aggregates.add``) unless their day is recomputed
anyway, then the log is emptied. The result is the same as maintaining the
summaries batch by batch.

Readers stay exact while the log holds rows: ``stale`` tells whether a
summary read could see a logged (day, country), and the API then answers
from ``events`` instead (``api.summaries._summary_ok``). A crash between a
batch and its refresh leaves the log committed with the batch; the next
``Store.open`` (or any later refresh) applies it. A writer that keeps the
summaries in step itself (``summary_every=1``) applies the log first, and
``aggregates.rebuild`` empties it: either would otherwise count logged
events twice. When a store applies its log: ``Store._refresh_due``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from eventcoder.store import aggregates, set_upserts
from eventcoder.store.bulk import insert_many, param_mark



def define_table(md: sa.MetaData) -> sa.Table:
    """The ``summary_pending`` log (used by the v5 migration and by ``schema.py``)."""
    return sa.Table(
        "summary_pending", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        # The summary tables' sentinels: aggregates.NO_DATE for no date, '' for no country.
        sa.Column("event_date", sa.Date, nullable=False),
        sa.Column("country", sa.String(200), nullable=False),
        # An event added by the write; NULL: recompute this (day, country).
        sa.Column("event_id_cnty", sa.String(32)),
    )


def _table() -> sa.Table:
    from eventcoder.store import schema

    return schema.summary_pending


def _key(row: Mapping[str, Any]) -> tuple[dt.date, str]:
    day, country = aggregates.event_key(row)
    return day or aggregates.NO_DATE, country or ""


def mark(conn: sa.Connection, old: Iterable[Mapping[str, Any]], new: Iterable[Mapping[str, Any]]) -> None:
    """Log a write's summary changes instead of applying them (arguments as ``aggregates.events_changed``)."""
    old, new = list(old), list(new)
    if not old and not new:
        return
    rows: list[dict[str, Any]] = []
    if any(r.get("event_id_cnty") is None for r in old):
        keys = {_key(r) for r in old} | {_key(r) for r in new}  # cannot tell updates from inserts
    else:
        same = aggregates.same_contribution(old, new)
        old = [r for r in old if r["event_id_cnty"] not in same]
        new = [r for r in new if r.get("event_id_cnty") not in same]
        replaced = {r["event_id_cnty"] for r in old}
        keys = {_key(r) for r in old} | {_key(r) for r in new if r.get("event_id_cnty") in replaced}
        for r in new:
            if r.get("event_id_cnty") not in replaced:
                day, country = _key(r)
                rows.append({"event_date": day, "country": country, "event_id_cnty": r["event_id_cnty"]})
    rows.extend({"event_date": d, "country": c, "event_id_cnty": None} for d, c in sorted(keys))
    insert_many(conn, _table(), rows)


def has_pending(conn: sa.Connection) -> bool:
    """Whether the log holds anything (one indexed lookup)."""
    t = _table()
    return conn.execute(sa.select(t.c.id).limit(1)).first() is not None


def stale(conn: sa.Connection, countries: Sequence[str] | None, start: dt.date | None,
          end: dt.date | None) -> bool:
    """Whether summary rows of these countries (None: all) between these days (inclusive; None: open) may lag
    ``events``: the log holds a key among them. Conservative: ignores the event type.

    Plain SQL in the driver's parameter style: every map, timeline and key-figures request asks this, and
    building the statement with SQLAlchemy Core cost ten times SQLite's lookup in an empty log.
    """
    mark = param_mark(conn.dialect)
    day = aggregates._date_param(conn)
    where: list[str] = []
    params: list[Any] = []
    if countries:
        where.append(f"country IN ({', '.join([mark] * len(countries))})")
        params += list(countries)
    if start is not None:
        where.append(f"event_date >= {mark}")
        params.append(day(start))
    if end is not None:
        where.append(f"event_date <= {mark}")
        params.append(day(end))
    sql = "SELECT id FROM summary_pending" + (" WHERE " + " AND ".join(where) if where else "") + " LIMIT 1"
    return conn.exec_driver_sql(sql, tuple(params)).first() is not None


def refresh(conn: sa.Connection) -> int:
    """Apply the whole log to the summary tables and empty it (inside the caller's write transaction).

    Returns the number of log rows applied. The added events go into the summary rows with a few set-based
    upserts (``set_upserts.add_selected``: the database groups them from ``events``, one statement per
    table and scope), instead of being read back and grouped in Python.
    """
    t = _table()
    count, last = conn.execute(sa.select(sa.func.count(), sa.func.max(t.c.id))).one()
    if not count:
        return 0
    c = t.c
    recounted_days = sa.select(c.event_date).where(c.event_id_cnty.is_(None))
    # The groups to recompute, and the logged keys of added events on their days: a recomputed day rebuilds
    # its all-countries rows from events, so such an event's own (day, country) is recomputed too.
    keys = {(r.event_date, r.country) for r in conn.execute(
        sa.select(c.event_date, c.country).distinct()
        .where(sa.or_(c.event_id_cnty.is_(None), c.event_date.in_(recounted_days))))}
    # Added events on the other days. An event changed or deleted after it was logged had its logged day
    # recomputed (``mark`` logs the old key of every replaced or deleted event), so it is left out here;
    # events deleted since are absent from ``events``.
    added = (sa.select(c.event_id_cnty)
             .where(c.event_id_cnty.is_not(None), c.event_date.not_in(recounted_days)))
    set_upserts.add_selected(conn, added)
    if keys:
        aggregates.refresh(conn, keys)
    conn.execute(t.delete().where(t.c.id <= last))
    return int(count)
