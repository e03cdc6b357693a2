"""Many-row INSERTs straight to the DBAPI, with each column's own SQLAlchemy value conversion.

SQLAlchemy's ``conn.execute(table.insert(), rows)`` converts parameters row by
row through its compiler (``construct_params``): on the ingest path that cost
more than SQLite's own work. Here the statement is compiled once per (table,
columns, dialect), each value goes through the column type's bind processor
(so dates, datetimes and the like are stored exactly as SQLAlchemy stores
them), and the rows go to the DBAPI's ``executemany`` as tuples.
"""
from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

Processor = Callable[[Any], Any] | None


def insert_many(conn: sa.Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT rows (dicts with the same keys) into table: one executemany, values converted as SQLAlchemy does."""
    if not rows:
        return
    names = tuple(rows[0])
    sql, processors = _compiled(table, names, conn.dialect)
    # Values taken with one C-level itemgetter; only the columns with a processor are converted in Python.
    get = operator.itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
    convert = [(i, p) for i, p in enumerate(processors) if p is not None]
    values: list[tuple] = []
    for row in rows:
        if len(row) != len(names):
            raise ValueError(f"insert_many({table.name}): every row needs the columns {names}")
        value = get(row)
        if convert:
            value = list(value)
            for i, p in convert:
                if value[i] is not None:
                    value[i] = p(value[i])
            value = tuple(value)  # exec_driver_sql takes tuples (or dicts), not lists
        values.append(value)
    conn.exec_driver_sql(sql, values)


def param_mark(dialect: sa.Dialect) -> str:
    """The DBAPI's positional placeholder ('?' for sqlite3, '%s' for psycopg)."""
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(dialect.paramstyle)
    if mark is None:
        raise NotImplementedError(f"positional parameters in style {dialect.paramstyle!r}")
    return mark


@lru_cache(maxsize=64)
def _compiled(table: sa.Table, names: tuple[str, ...], dialect: sa.Dialect) -> tuple[str, tuple[Processor, ...]]:
    """The INSERT in the DBAPI's parameter style and each named column's bind processor."""
    mark = param_mark(dialect)
    quote = dialect.identifier_preparer.quote
    columns = [table.c[n] for n in names]
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
           f"VALUES ({', '.join([mark] * len(names))})")
    return sql, tuple(c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns)
