"""The ACLED-compatible read endpoints (/api/acled/read, /api/deleted/read)."""
from __future__ import annotations

from typing import Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.responses import Response

from eventcoder.api import acled_json, models, queries, records
from eventcoder.api.downloads import csv_text
from eventcoder.api.filters import acled_filters, acled_openapi_parameters
from eventcoder.api.limits import ACLED_MAX_LIMIT, MAX_PAGE
from eventcoder.api.responses import ERROR_RESPONSES, json_response
from eventcoder.store import Store


def add_acled_routes(app: FastAPI, store: Store) -> None:
    """Register ACLED's read and deleted endpoints over ``store``."""
    engine = store.engine

    @app.get("/api/acled/read", tags=["ACLED"], response_model=models.AcledResponse,
             responses={**ERROR_RESPONSES, 200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                                                 "description": "Rows as JSON (default) or CSV"}},
             openapi_extra={"parameters": acled_openapi_parameters()})
    def acled_read(
        request: Request,
        fields: str | None = Query(None, max_length=2000, description="Columns to return, '|'-separated."),
        limit: int = Query(ACLED_MAX_LIMIT, ge=1, le=ACLED_MAX_LIMIT, description="Rows per page."),
        page: int = Query(1, ge=1, le=MAX_PAGE, description="Page number, from 1."),
        with_total: bool = Query(False, description="Also count all matching rows (total_count)."),
        format_: Literal["json", "csv"] = Query("json", alias="_format", description="json or csv."),
        export_type: Literal["json", "csv"] | None = Query(None, description="ACLED's name for _format."),
        key: str | None = Query(None, max_length=200, description="Accepted and ignored (ACLED clients send it)."),
        email: str | None = Query(None, max_length=200, description="Accepted and ignored (ACLED clients send it)."),
    ) -> Response:
        """ACLED's read endpoint: field filters, `_where` operators, `|` for several values, paging."""
        filters, operators = acled_filters(request)
        columns = queries.parse_fields(fields)
        conds = queries.acled_conditions(filters, operators)
        csv = (export_type or format_) == "csv"
        with engine.connect() as conn:
            if not csv:
                # Rows built as JSON by SQLite when it can do so exactly (most of a page's time was Python).
                texts = acled_json.page_rows(conn, conds, columns, limit=limit, offset=(page - 1) * limit)
                if texts is not None:
                    total = queries.count_rows(conn, conds) if with_total else None
                    return Response(acled_json.page_body(texts, total), media_type="application/json")
            rows = list(queries.select_rows(conn, conds, columns, limit=limit, offset=(page - 1) * limit))
            total = queries.count_rows(conn, conds) if with_total else None
        if csv:
            return Response(csv_text(rows, columns), media_type="text/csv; charset=utf-8",
                            headers={"content-disposition": 'attachment; filename="acled.csv"'})
        return json_response({"success": True, "count": len(rows), "total_count": total, "data": rows})

    @app.get("/api/deleted/read", tags=["ACLED"], response_model=models.DeletedResponse,
             responses=ERROR_RESPONSES)
    def deleted_read(
        deleted_timestamp: int | None = Query(None, ge=0, le=2**53, description="Unix seconds."),
        deleted_timestamp_where: Literal["=", ">", "<", ">=", "<="] = Query(
            ">=", description="Operator for deleted_timestamp (default >=)."),
        limit: int = Query(ACLED_MAX_LIMIT, ge=1, le=ACLED_MAX_LIMIT),
        page: int = Query(1, ge=1, le=MAX_PAGE),
        with_total: bool = Query(False),
    ) -> Response:
        """Events deleted or merged away (ACLED's deleted endpoint); empty while the store records none."""
        records: list[dict[str, Any]] = []
        deleted_since = getattr(store, "deleted_since", None)
        if deleted_since is not None:
            since = deleted_timestamp if deleted_timestamp_where in (">", ">=") and deleted_timestamp else 0
            records = [records.deletion_record(r) for r in deleted_since(since)]
        if deleted_timestamp is not None:
            t = deleted_timestamp
            keep = {"=": lambda x: x == t, ">": lambda x: x > t, "<": lambda x: x < t,
                    ">=": lambda x: x >= t, "<=": lambda x: x <= t}[deleted_timestamp_where]
            records = [r for r in records if r["deleted_timestamp"] is not None and keep(r["deleted_timestamp"])]
        records.sort(key=lambda r: (-(r["deleted_timestamp"] or 0), r["event_id_cnty"]))
        page_rows = records[(page - 1) * limit: page * limit]
        return json_response({"success": True, "count": len(page_rows),
                              "total_count": len(records) if with_total else None, "data": page_rows})
