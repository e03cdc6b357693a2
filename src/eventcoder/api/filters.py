"""Query-string filters: the dashboard's filter dependency and ACLED's field filters and operators."""
from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Query, Request

from eventcoder.api import queries
from eventcoder.api.queries import QUERY_COLUMNS, QueryError
from eventcoder.api.selection import Filters, parse_bbox

ACLED_RESERVED = {"fields", "limit", "page", "with_total", "_format", "export_type", "key", "email", "terms"}


def acled_openapi_parameters() -> list[dict[str, Any]]:
    """The ACLED field filters and their `_where` operators, for the OpenAPI document."""
    params = []
    for col in QUERY_COLUMNS:
        params.append({
            "name": col, "in": "query", "required": False,
            "description": f"Filter on {col}; several values separated by '|' match any of them "
                           f"(with {col}_where=BETWEEN: low|high).",
            "schema": {"type": "string", "maxLength": 1000},
        })
        params.append({
            "name": f"{col}_where", "in": "query", "required": False,
            "description": f"Operator for the {col} filter (default =). LIKE works on text fields; "
                           "a value without % matches as 'contains'.",
            "schema": {"type": "string", "enum": list(queries.OPERATORS)},
        })
    return params


def dashboard_filters(
    start: dt.date | None = Query(None, description="First event date (inclusive)."),
    end: dt.date | None = Query(None, description="Last event date (inclusive)."),
    country: str | None = Query(None, max_length=2000, description="Country name(s), '|'-separated."),
    admin1: str | None = Query(None, max_length=2000, description="Admin1 name(s), '|'-separated."),
    event_type: str | None = Query(None, max_length=2000, description="Event type(s), '|'-separated."),
    sub_event_type: str | None = Query(None, max_length=2000, description="Sub-event type(s), '|'-separated."),
    actor: str | None = Query(None, max_length=200, description="Substring of actor1 or actor2 (any case)."),
    min_fatalities: int | None = Query(None, ge=0, le=1_000_000, description="At least this many fatalities."),
    q: str | None = Query(None, max_length=200, description="Text in notes, location, admin areas or actors."),
    bbox: str | None = Query(None, max_length=200, description="west,south,east,north in degrees."),
) -> Filters:
    """The dashboard's filters from the query string (shared by the map, timeline and download routes)."""
    def many(value: str | None) -> list[str]:
        return [v for v in queries._split(value) if v] if value else []

    return Filters(start=start, end=end, country=many(country), admin1=many(admin1),
                   event_type=many(event_type), sub_event_type=many(sub_event_type),
                   actor=actor or None, min_fatalities=min_fatalities, text=q or None,
                   bbox=parse_bbox(bbox))


def acled_filters(request: Request) -> tuple[dict[str, str], dict[str, str]]:
    """The ACLED field filters {column: value} and operators {column: op} of a request."""
    params = request.query_params
    filters: dict[str, str] = {}
    operators: dict[str, str] = {}
    for name in dict.fromkeys(params.keys()):
        if name in ACLED_RESERVED:
            continue
        values = params.getlist(name)
        if name.endswith("_where") and name[:-6] in QUERY_COLUMNS:
            operators[name[:-6]] = values[-1]
        elif name in QUERY_COLUMNS:
            value = "|".join(v for v in values if v != "")
            if value:
                filters[name] = value
        else:
            raise QueryError(f"unknown parameter {name!r}: filter on ACLED columns "
                             f"({', '.join(QUERY_COLUMNS[:4])}, ...) or use fields, limit, page, with_total, _format")
    missing = [c for c in operators if c not in params]
    if missing:
        raise QueryError(f"{missing[0]}_where is given but {missing[0]} is not")
    return filters, {c: op for c, op in operators.items() if c in filters}
