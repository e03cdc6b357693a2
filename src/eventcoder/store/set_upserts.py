"""Adding logged events to the summary tables with set-based upserts (``store.pending.refresh``).

The database groups the added events straight from ``events`` with the
same ``SELECT ... GROUP BY`` that ``aggregates.rebuild`` uses, and merges
each group into the existing row (``INSERT ... SELECT ... ON CONFLICT DO
UPDATE``: counts and sums added, minima, maxima, bounding boxes and the
smallest event id widened): one statement per table, scope and level,
whatever the number of events. Before this, a refresh read the events back
and grouped them in Python (``aggregates._group_rows``) to send one upsert
row per group, which cost more than the upserts themselves.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from eventcoder.store import aggregates, period_cells


# The added events' summarised columns, copied once per refresh (a TEMP table: this connection only).
_ADDED = "summary_added"


def _added_table() -> sa.Table:
    """The TEMP table's columns, typed as in ``events`` (for building the SELECTs; created by ``add_selected``)."""
    from eventcoder.store import schema

    events = schema.events
    return sa.Table(_ADDED, sa.MetaData(), *[sa.Column(c, events.c[c].type)
                                               for c in ("event_id_cnty", *aggregates.SUMMARY_COLUMNS)])


def add_selected(conn: sa.Connection, event_ids: sa.Select) -> None:
    """Add the events whose ids ``event_ids`` selects (absent from the summaries so far) to every summary
    table (inside the caller's write transaction).

    Their rows are copied once into a TEMP table, which the upserts then read: each one joining
    ``events`` with the log itself made PostgreSQL scan ``events`` in each (a hash join).
    """
    from eventcoder.store import schema

    E = schema.events.c
    added = _added_table()
    columns = [E[c.name] for c in added.columns]
    copy = sa.select(*columns).where(E.event_id_cnty.in_(event_ids))
    conn.execute(sa.text(f"DROP TABLE IF EXISTS {_ADDED}"))
    conn.execute(sa.text(f"CREATE TEMPORARY TABLE {_ADDED} AS "
                         + str(copy.compile(conn, compile_kwargs={"literal_binds": True}))))
    for scope in (0, 1):
        for table, select in aggregates._group_selects(conn, scope, [], source=added):
            _upsert_from(conn, table, select)
        for period in period_cells.PERIODS:
            for select in period_cells._selects(conn, period, scope, [], source=added):
                _upsert_from(conn, period.table(), select)
    # (after an error, the transaction's rollback takes the table away: DDL is transactional on both)
    conn.execute(sa.text(f"DROP TABLE {_ADDED}"))


def _upsert_from(conn: sa.Connection, table: sa.Table, select: sa.Select) -> None:
    """INSERT INTO table SELECT ... ON CONFLICT (primary key) DO UPDATE, merging values as ``aggregates.add``."""
    name = conn.dialect.name
    if name not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"summary upserts on {name}")
    dialect = sqlite if name == "sqlite" else postgresql
    # SQLite reads "SELECT ... ON CONFLICT" as a join constraint unless the SELECT has a WHERE clause.
    if select.whereclause is None:
        select = select.where(sa.true())
    stmt = dialect.insert(table).from_select([c.name for c in table.columns], select)
    ex = stmt.excluded
    least, greatest = (sa.func.min, sa.func.max) if name == "sqlite" else (sa.func.least, sa.func.greatest)
    sets = {}
    for column in table.columns:
        how = aggregates._MERGE.get(column.name)
        if how == "+":
            sets[column.name] = column + ex[column.name]
        elif how == "least":
            sets[column.name] = least(column, ex[column.name])
        elif how == "greatest":
            sets[column.name] = greatest(column, ex[column.name])
    conn.execute(stmt.on_conflict_do_update(index_elements=list(table.primary_key.columns), set_=sets))
