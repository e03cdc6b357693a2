"""Exception handlers: every error the app answers is JSON ``{"success": false, "error": {...}}``."""
from __future__ import annotations

import json
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from eventcoder.api.queries import QueryError
from eventcoder.api.responses import error_response
from eventcoder.errors import EventcoderError, InputError

log = logging.getLogger("eventcoder.api")


def add_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn exceptions into the API's JSON error bodies."""
    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such path: {request.url.path}"
        return error_response(exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path"))
            parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
        return error_response(400, "; ".join(parts) or "invalid request")

    @app.exception_handler(QueryError)
    async def _query_error(request: Request, exc: QueryError) -> Response:
        return error_response(400, str(exc))

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError) -> Response:
        return error_response(400, exc.problem)

    @app.exception_handler(EventcoderError)
    async def _store_error(request: Request, exc: EventcoderError) -> Response:
        log.error("%s %s: %s", request.method, request.url.path, exc)
        return error_response(500, "the server could not read the store; see the server log")
