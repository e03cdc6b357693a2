"""ACLED read pages as JSON text built by SQLite, row by row, in C.

``/api/acled/read`` spent most of a 500-row page in Python: a tuple per row
from the driver, a dict per row, then orjson. SQLite's ``json_object`` builds
each row's JSON object in the query itself, so a page is a list of ready
strings joined once (a 30-day country page of 500 rows with 6 fields: 0.9 ms
-> 0.6 ms in SQLite and Python together; all 32 columns: 3.2 -> 1.8 ms).

The text must parse to exactly what the Python path (``queries.select_rows``
+ orjson) returns. Strings, integers and NULL come out the same; SQLite
writes a REAL with 15 significant digits (``%!.15g``), which is exact for
every value that 15 digits round-trip (the pipeline stores coordinates
rounded to 4 decimals). Each row carries a flag saying whether all its REAL
values round-trip; a page with any other value (or a BLOB, or another
database) is built by the Python path instead.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import sqlalchemy as sa

from eventcoder.api.queries import ORDER, QUERY_COLUMNS, QueryError
from eventcoder.export.rows import NUMERIC_COLUMNS
from eventcoder.store import schema


@lru_cache(maxsize=256)
def _select_list(columns: tuple[str, ...]) -> tuple[sa.ColumnElement, sa.ColumnElement]:
    """``json_object('col', value, ...)`` and the row's exactness flag, as literal SQL made once per field list.

    Literal text, not bound parameters: the names come from the fixed column list (``queries.QUERY_COLUMNS``,
    checked by ``parse_fields``), and SQLAlchemy's per-execution work on ~90 bound parameters and functions
    cost more than SQLite's work on the whole page.
    """
    unknown = [c for c in columns if c not in QUERY_COLUMNS]
    if unknown:  # parse_fields refuses these first; never put an unchecked name into SQL text
        raise QueryError(f"unknown field(s): {', '.join(unknown)}")
    values = []
    for name in columns:
        c = f"events.{name}"
        if name == "event_date":
            values.append(f"'{name}', coalesce(CAST({c} AS VARCHAR), '')")
        elif name in NUMERIC_COLUMNS:
            values.append(f"'{name}', {c}")
        else:
            values.append(f"'{name}', coalesce({c}, '')")
    # A REAL (in any numeric column: INTEGER affinity keeps non-integral values REAL) must round-trip
    # through the 15 significant digits json_object writes.
    checks = [f"(typeof(events.{c}) != 'real' OR CAST(printf('%!.15g', events.{c}) AS REAL) = events.{c})"
              for c in columns if c in NUMERIC_COLUMNS]
    return (sa.literal_column(f"json_object({', '.join(values)})"),
            sa.literal_column(" AND ".join(checks) if checks else "1"))


def page_rows(conn: sa.Connection, conds: Sequence[sa.ColumnElement[bool]], columns: Sequence[str],
              *, limit: int, offset: int = 0) -> list[str] | None:
    """A page of matching events as JSON object texts (keys in ``columns`` order), newest first then by id;
    None when SQLite cannot build them exactly as the Python path would (then use ``queries.select_rows``)."""
    if conn.dialect.name != "sqlite":
        return None
    obj, flag = _select_list(tuple(columns))
    stmt = (sa.select(obj, flag).select_from(schema.events).where(*conds)
            .order_by(*ORDER).offset(offset or None).limit(limit))
    try:
        result = conn.execute(stmt).all()
    except sa.exc.OperationalError:  # e.g. a BLOB stored in a text column: JSON cannot hold it
        return None
    if not all(ok for _, ok in result):
        return None
    return [text for text, _ in result]


def page_body(rows: list[str], total: int | None) -> bytes:
    """The read endpoint's JSON answer around ready row texts (the bytes orjson makes of the same dict)."""
    head = '{"success":true,"count":%d,"total_count":%s,"data":[' % (len(rows), "null" if total is None else total)
    return (head + ",".join(rows) + "]}").encode()
