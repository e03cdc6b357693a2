"""ACLED's read-endpoint filter language and the row reads of the API, in SQLAlchemy Core: bound parameters only.

``acled_conditions`` turns ACLED's read-endpoint parameters
(``country=Iraq|Syria``, ``fatalities=10&fatalities_where=>``,
``event_date=2024-01-01|2024-01-31&event_date_where=BETWEEN``,
``actor1=%police%&actor1_where=LIKE``) into WHERE conditions; ``select_rows``
and ``count_rows`` read the matching events (ACLED reads and downloads). The
dashboard's filters are ``api.selection``, the aggregates ``api.summaries``,
single records ``api.records``.

Every value reaches the database as a bound parameter; column names come
only from the fixed ACLED column list, never from the request.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from eventcoder.export.rows import NUMERIC_COLUMNS
from eventcoder.store import schema
from eventcoder.vocab import ACLED_COLUMNS

E = schema.events.c


# Columns a client may filter on and ask for: ACLED's 31, then our article_id.
QUERY_COLUMNS: tuple[str, ...] = ACLED_COLUMNS + ("article_id",)
INTEGER_COLUMNS = frozenset(c for c in NUMERIC_COLUMNS if c not in ("latitude", "longitude"))
FLOAT_COLUMNS = frozenset({"latitude", "longitude"})
TEXT_COLUMNS = frozenset(c for c in QUERY_COLUMNS if c not in NUMERIC_COLUMNS and c != "event_date")

OPERATORS: tuple[str, ...] = ("=", ">", "<", ">=", "<=", "BETWEEN", "LIKE")

# Largest integer SQLite (and BIGINT) can bind.
_INT_MAX = 2**63 - 1
# At most this many values in one `a|b|c` filter.
MAX_VALUES = 200


class QueryError(ValueError):
    """A request's filters make no sense; the message tells the client what to fix (HTTP 400)."""


# -- ACLED-style filters ------------------------------------------------------


def _convert(column: str, raw: str) -> Any:
    """A filter value converted to the column's type; QueryError when it cannot be."""
    text = raw.strip()
    if column in INTEGER_COLUMNS:
        if column == "timestamp" and len(text) == 10 and text[4:5] == "-":
            # ACLED clients often pass a date for timestamp: the start of that day, UTC.
            day = _convert("event_date", text)
            return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())
        try:
            value = int(text)
        except ValueError:
            raise QueryError(f"{column} takes whole numbers, not {raw!r}") from None
        if abs(value) > _INT_MAX:
            raise QueryError(f"{column} value {raw!r} is out of range")
        return value
    if column in FLOAT_COLUMNS:
        try:
            value = float(text)
        except ValueError:
            raise QueryError(f"{column} takes numbers, not {raw!r}") from None
        if not math.isfinite(value):
            raise QueryError(f"{column} value {raw!r} is not a finite number")
        return value
    if column == "event_date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise QueryError(f"{column} takes dates as YYYY-MM-DD, not {raw!r}") from None
    return raw


def _split(value: str) -> list[str]:
    """ACLED's `a|b|c`: the values, at most MAX_VALUES of them."""
    parts = value.split("|")
    if len(parts) > MAX_VALUES:
        raise QueryError(f"at most {MAX_VALUES} values separated by '|' in one filter")
    return parts


def _like_pattern(value: str) -> str:
    """A LIKE pattern: the value as given when it has a % wildcard, else 'contains'."""
    return value if "%" in value else f"%{value}%"


def acled_condition(column: str, value: str, operator: str = "=") -> sa.ColumnElement[bool]:
    """One WHERE condition for an ACLED filter `column=value&column_where=operator`."""
    if column not in QUERY_COLUMNS:
        raise QueryError(f"unknown field {column!r}")
    op = operator.strip().upper()
    if op not in OPERATORS:
        raise QueryError(f"{column}_where must be one of {', '.join(OPERATORS)}, not {operator!r}")
    col = E[column]
    parts = _split(value)
    if op == "LIKE":
        if column not in TEXT_COLUMNS:
            raise QueryError(f"LIKE works on text fields only; {column} is not one")
        # ilike: case-insensitive on SQLite and PostgreSQL alike.
        return sa.or_(*[col.ilike(_like_pattern(p)) for p in parts])
    if op == "BETWEEN":
        if len(parts) != 2:
            raise QueryError(f"{column}_where=BETWEEN takes two values: {column}=low|high")
        low, high = (_convert(column, p) for p in parts)
        return col.between(low, high)
    values = [_convert(column, p) for p in parts]
    if op == "=":
        return col == values[0] if len(values) == 1 else col.in_(values)
    if len(values) != 1:
        raise QueryError(f"{column}_where={op} takes one value, not several separated by '|'")
    compare = {">": col.__gt__, "<": col.__lt__, ">=": col.__ge__, "<=": col.__le__}[op]
    return compare(values[0])


def acled_conditions(filters: Mapping[str, str], operators: Mapping[str, str]) -> list[sa.ColumnElement[bool]]:
    """WHERE conditions for ACLED filters {column: value} with operators {column: op}."""
    for column in operators:
        if column not in filters:
            raise QueryError(f"{column}_where is given but {column} is not")
    return [acled_condition(col, value, operators.get(col, "=")) for col, value in filters.items()]


def parse_fields(fields: str | None) -> list[str]:
    """The columns asked for with `fields=a|b` (all of QUERY_COLUMNS when not given)."""
    if not fields:
        return list(QUERY_COLUMNS)
    names = [f.strip() for f in _split(fields) if f.strip()]
    unknown = [f for f in names if f not in QUERY_COLUMNS]
    if unknown:
        raise QueryError(f"unknown field(s) in fields: {', '.join(unknown)}")
    return list(dict.fromkeys(names)) or list(QUERY_COLUMNS)


def select_rows(conn: sa.Connection, conds: Sequence[sa.ColumnElement[bool]], columns: Sequence[str],
                *, limit: int | None, offset: int = 0) -> Iterator[dict[str, Any]]:
    """Matching events as dicts of the asked columns, newest first then by id, streamed."""
    stmt = (sa.select(*[shown(c) for c in columns]).where(*conds)
            .order_by(*ORDER)
            .offset(offset or None).limit(limit))
    result = conn.execution_options(yield_per=1000).execute(stmt)
    names = list(columns)
    for part in result.partitions():  # a thousand rows per fetch, without a Python call per row
        yield from (dict(zip(names, row)) for row in part)


# The order of ACLED reads and downloads: newest first (events without a date last), then by id.
ORDER = (E.event_date.desc().nulls_last(), E.event_id_cnty)


def shown(column: str) -> sa.ColumnElement:
    """A column as the API shows it, computed by the database (a 500-row page then needs no per-value Python):
    the date as ISO text, '' for missing text, numbers as stored (None when missing)."""
    col = E[column]
    if column == "event_date":
        return sa.func.coalesce(sa.cast(col, sa.String), "").label(column)
    if column in NUMERIC_COLUMNS:
        return col
    return sa.func.coalesce(col, "").label(column)


def count_rows(conn: sa.Connection, conds: Sequence[sa.ColumnElement[bool]]) -> int:
    """Number of matching events."""
    return conn.execute(sa.select(sa.func.count()).select_from(schema.events).where(*conds)).scalar_one()
