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

from eventcoder.store import aggregates, week_cells


def add_selected(conn: sa.Connection, event_ids: sa.Select) -> None:
    """Add the events whose ids ``event_ids`` selects (absent from the summaries so far) to every summary
    table (inside the caller's write transaction)."""
    E = aggregates._events(conn).c
    where = [E.event_id_cnty.in_(event_ids)]
    for scope in (0, 1):
        for table, select in aggregates._group_selects(conn, scope, where):
            _upsert_from(conn, table, select)
        for select in week_cells._selects(conn, scope, where):
            _upsert_from(conn, week_cells.table(), select)


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
