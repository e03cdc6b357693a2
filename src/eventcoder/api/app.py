"""The web app: an ACLED-compatible JSON API, map/timeline aggregates and the dashboard page.

``create_app(db, token=..., tiles=...)`` builds the FastAPI app; ``eventcoder
serve`` runs it with uvicorn. Safety rules kept here:

- article text and every stored string are data: the API only returns JSON or
  CSV, and the page builds its DOM from text nodes; a strict
  Content-Security-Policy (no inline script, no foreign origins but the
  configured tile server) backs that up;
- SQL is built with SQLAlchemy Core and bound parameters only (``queries.py``);
- request bodies, query strings and page sizes are bounded;
- the write endpoint (POST /api/articles) answers 403 unless the server was
  started with a token, and 401 without the right ``Authorization: Bearer``;
- every error is JSON ``{"success": false, "error": {"status", "message"}}``.
"""
from __future__ import annotations

import csv
import datetime as dt
import hmac
import io
import json
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import sqlalchemy as sa
from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from eventcoder import __version__
from eventcoder.api import models, queries
from eventcoder.api.queries import QUERY_COLUMNS, Filters, QueryError
from eventcoder.errors import EventcoderError, InputError
from eventcoder.export.formats import csv_cell
from eventcoder.store import Store, schema

log = logging.getLogger("eventcoder.api")

# Limits.
MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_QUERY_BYTES = 8 * 1024
ACLED_MAX_LIMIT = 5000
EXPORT_MAX_LIMIT = 100_000
MAX_PAGE = 1_000_000

WEB_DIR = Path(__file__).resolve().parent.parent / "web"

# Browser assets from npm packages: URL name -> path inside node_modules (a fixed list: no path from a request).
VENDOR_FILES: dict[str, str] = {
    "leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet.css": "leaflet/dist/leaflet.css",
    "images/layers.png": "leaflet/dist/images/layers.png",
    "images/layers-2x.png": "leaflet/dist/images/layers-2x.png",
    "images/marker-icon.png": "leaflet/dist/images/marker-icon.png",
    "images/marker-icon-2x.png": "leaflet/dist/images/marker-icon-2x.png",
    "images/marker-shadow.png": "leaflet/dist/images/marker-shadow.png",
    "topojson-client.min.js": "topojson-client/dist/topojson-client.min.js",
    "countries-110m.json": "world-atlas/countries-110m.json",
    "countries-50m.json": "world-atlas/countries-50m.json",
}
_MEDIA = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".json": "application/json", ".png": "image/png", ".html": "text/html; charset=utf-8",
          ".svg": "image/svg+xml"}

ACLED_RESERVED = {"fields", "limit", "page", "with_total", "_format", "export_type", "key", "email", "terms"}

_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": models.Error, "description": "Invalid parameters"},
}


def node_modules_dir() -> Path | None:
    """Where the npm packages are: $EVENTCODER_NODE_MODULES, the repository's node_modules, or ./node_modules."""
    candidates = []
    if os.environ.get("EVENTCODER_NODE_MODULES"):
        candidates.append(Path(os.environ["EVENTCODER_NODE_MODULES"]))
    candidates += [Path(__file__).resolve().parents[3] / "node_modules", Path.cwd() / "node_modules"]
    for path in candidates:
        if (path / "leaflet" / "dist" / "leaflet.js").is_file():
            return path
    return None


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _json(value: Any, status: int = 200) -> Response:
    return Response(_dumps(value), status_code=status, media_type="application/json")


def _error(status: int, message: str) -> Response:
    return _json({"success": False, "error": {"status": status, "message": message}}, status)


class _Guard:
    """ASGI middleware: bounded query strings and bodies, and security headers on every response."""

    def __init__(self, app: Any, csp: str):
        self.app = app
        self.headers = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        ]

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in self.headers if h[0] not in names]
            await send(message)

        if len(scope.get("query_string", b"")) > MAX_QUERY_BYTES:
            await _error(414, f"query string longer than {MAX_QUERY_BYTES} bytes")(scope, receive, send_with_headers)
            return
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            await _error(413, f"request body larger than {MAX_BODY_BYTES} bytes")(scope, receive, send_with_headers)
            return
        if scope["method"] in ("POST", "PUT", "PATCH"):
            # Read the body up to the limit (a chunked body has no content-length), then replay it.
            chunks, size, more = [], 0, True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    await _error(413, f"request body larger than {MAX_BODY_BYTES} bytes")(
                        scope, receive, send_with_headers)
                    return
                chunks.append(chunk)
                more = message.get("more_body", False)
            body = b"".join(chunks)
            sent = False

            async def replay() -> dict:
                nonlocal sent
                if not sent:
                    sent = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            await self.app(scope, replay, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


class AnswerCache:
    """Recent answers of the aggregate endpoints, dropped as soon as the store changes.

    For a SQLite file the store's version is the modification time and size of
    the database and its WAL file (every commit changes them); for other
    databases answers live at most ``ttl`` seconds.
    """

    def __init__(self, engine: sa.Engine, size: int = 512, ttl: float = 2.0):
        url = engine.url
        self.path = Path(url.database) if url.drivername.startswith("sqlite") and url.database not in (
            None, "", ":memory:") else None
        self.size, self.ttl = size, ttl
        self.items: OrderedDict[tuple, bytes] = OrderedDict()
        self.lock = threading.Lock()

    def version(self) -> tuple:
        if self.path is None:
            return (int(time.monotonic() / self.ttl),)
        out: list[int] = []
        for suffix in ("", "-wal"):
            try:
                st = os.stat(f"{self.path}{suffix}")
                out += [st.st_mtime_ns, st.st_size]
            except OSError:
                out += [0, 0]
        return tuple(out)

    def get(self, key: tuple, compute: Callable[[], Any]) -> Response:
        full = (key, self.version())
        with self.lock:
            body = self.items.get(full)
            if body is not None:
                self.items.move_to_end(full)
        if body is None:
            body = _dumps(compute())
            with self.lock:
                self.items[full] = body
                while len(self.items) > self.size:
                    self.items.popitem(last=False)
        return Response(body, media_type="application/json")


def content_security_policy(tiles: str | None) -> str:
    """The CSP: our own origin only, plus the tile server's origin for images when one is set."""
    img = "'self' data:"
    if tiles:
        parts = urlsplit(tiles.replace("{s}", "a"))
        if parts.scheme in ("http", "https") and parts.netloc:
            host = parts.netloc
            if "{s}" in tiles:
                host = "*." + host.split(".", 1)[1] if "." in host else host
            img += f" {parts.scheme}://{host}"
    return ("default-src 'none'; script-src 'self'; style-src 'self'; "
            f"img-src {img}; connect-src 'self'; font-src 'self'; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'none'")


def _acled_openapi_parameters() -> list[dict[str, Any]]:
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


def create_app(db: str, *, token: str | None = None, tiles: str | None = None) -> FastAPI:
    """The API and dashboard over the store at ``db`` (path or URL)."""
    store = Store.open(db)
    engine = store.engine
    vendor_root = node_modules_dir()
    cache = AnswerCache(engine)
    coder_lock = threading.Lock()
    coder_box: dict[str, Any] = {}

    app = FastAPI(
        title="eventcoder API",
        version=__version__,
        description="ACLED-compatible read API over an eventcoder store, map/timeline aggregates, "
                    "events with their evidence, and (with a token) article ingest.",
        docs_url=None, redoc_url=None,
    )
    app.state.store = store
    app.add_middleware(_Guard, csp=content_security_policy(tiles))
    bearer = HTTPBearer(auto_error=False, description="The token given to `eventcoder serve --token`.")

    # -- errors ----------------------------------------------------------------

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such path: {request.url.path}"
        return _error(exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path"))
            parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
        return _error(400, "; ".join(parts) or "invalid request")

    @app.exception_handler(QueryError)
    async def _query_error(request: Request, exc: QueryError) -> Response:
        return _error(400, str(exc))

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError) -> Response:
        return _error(400, exc.problem)

    @app.exception_handler(EventcoderError)
    async def _store_error(request: Request, exc: EventcoderError) -> Response:
        log.error("%s %s: %s", request.method, request.url.path, exc)
        return _error(500, "the server could not read the store; see the server log")

    # -- dependencies ------------------------------------------------------------

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
        def many(value: str | None) -> list[str]:
            return [v for v in queries._split(value) if v] if value else []

        return Filters(start=start, end=end, country=many(country), admin1=many(admin1),
                       event_type=many(event_type), sub_event_type=many(sub_event_type),
                       actor=actor or None, min_fatalities=min_fatalities, text=q or None,
                       bbox=queries.parse_bbox(bbox))

    # -- ACLED-compatible endpoints ---------------------------------------------------

    @app.get("/api/acled/read", tags=["ACLED"], response_model=models.AcledResponse,
             responses={**_ERROR_RESPONSES, 200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                                                  "description": "Rows as JSON (default) or CSV"}},
             openapi_extra={"parameters": _acled_openapi_parameters()})
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
        filters, operators = _acled_filters(request)
        columns = queries.parse_fields(fields)
        conds = queries.acled_conditions(filters, operators)
        with engine.connect() as conn:
            rows = list(queries.select_rows(conn, conds, columns, limit=limit, offset=(page - 1) * limit))
            total = queries.count_rows(conn, conds) if with_total else None
        if (export_type or format_) == "csv":
            return Response(_csv_text(rows, columns), media_type="text/csv; charset=utf-8",
                            headers={"content-disposition": 'attachment; filename="acled.csv"'})
        return _json({"success": True, "count": len(rows), "total_count": total, "data": rows})

    @app.get("/api/deleted/read", tags=["ACLED"], response_model=models.DeletedResponse,
             responses=_ERROR_RESPONSES)
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
            records = [queries.deletion_record(r) for r in deleted_since(since)]
        if deleted_timestamp is not None:
            t = deleted_timestamp
            keep = {"=": lambda x: x == t, ">": lambda x: x > t, "<": lambda x: x < t,
                    ">=": lambda x: x >= t, "<=": lambda x: x <= t}[deleted_timestamp_where]
            records = [r for r in records if r["deleted_timestamp"] is not None and keep(r["deleted_timestamp"])]
        records.sort(key=lambda r: (-(r["deleted_timestamp"] or 0), r["event_id_cnty"]))
        page_rows = records[(page - 1) * limit: page * limit]
        return _json({"success": True, "count": len(page_rows),
                      "total_count": len(records) if with_total else None, "data": page_rows})

    # -- map, timeline, figures, downloads -----------------------------------------------

    @app.get("/api/events.geojson", tags=["map"], responses={
        **_ERROR_RESPONSES, 200: {"content": {"application/geo+json": {"schema": {"type": "object"}}},
                                  "description": "A GeoJSON FeatureCollection of events with coordinates"}},
             response_class=Response)
    def events_geojson(filters: Filters = Depends(dashboard_filters),
                       limit: int = Query(10_000, ge=1, le=EXPORT_MAX_LIMIT)) -> Response:
        """Events with coordinates as GeoJSON points (ACLED columns as properties)."""
        conds = filters.conditions() + [schema.events.c.latitude.is_not(None),
                                        schema.events.c.longitude.is_not(None)]
        return StreamingResponse(_geojson_stream(engine, conds, limit), media_type="application/geo+json",
                                 headers={"content-disposition": 'attachment; filename="events.geojson"'})

    @app.get("/api/events.csv", tags=["map"], responses={
        **_ERROR_RESPONSES, 200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                                  "description": "Events as CSV in ACLED column order, then article_id"}},
             response_class=Response)
    def events_csv(filters: Filters = Depends(dashboard_filters),
                   limit: int = Query(EXPORT_MAX_LIMIT, ge=1, le=EXPORT_MAX_LIMIT)) -> Response:
        """The dashboard's selection as CSV (ACLED columns, then article_id)."""
        return StreamingResponse(_csv_stream(engine, filters.conditions(), limit),
                                 media_type="text/csv; charset=utf-8",
                                 headers={"content-disposition": 'attachment; filename="events.csv"'})

    @app.get("/api/events/bins", tags=["map"], response_model=models.BinsResponse, responses=_ERROR_RESPONSES)
    def events_bins(filters: Filters = Depends(dashboard_filters),
                    zoom: int = Query(2, ge=0, le=22, description="Map zoom level: cells are 64 px wide.")) -> Response:
        """Events binned on a grid that follows the zoom level: count, fatalities, types per cell."""
        def compute() -> Any:
            with engine.connect() as conn:
                return queries.bins(conn, filters, zoom)
        return cache.get(("bins", filters.key(), zoom), compute)

    @app.get("/api/timeline", tags=["map"], response_model=models.TimelineResponse, responses=_ERROR_RESPONSES)
    def timeline(filters: Filters = Depends(dashboard_filters)) -> Response:
        """Events and fatalities per day, with every filter but the date range."""
        def compute() -> Any:
            with engine.connect() as conn:
                return {"days": queries.timeline(conn, filters)}
        return cache.get(("timeline", filters.key()), compute)

    @app.get("/api/stats", tags=["map"], response_model=models.Stats, responses=_ERROR_RESPONSES)
    def stats(filters: Filters = Depends(dashboard_filters)) -> Response:
        """Key figures of the selection: events, fatalities, civilian-targeting events, active actors."""
        def compute() -> Any:
            with engine.connect() as conn:
                return queries.stats(conn, filters)
        return cache.get(("stats", filters.key()), compute)

    @app.get("/api/facets", tags=["map"], response_model=models.Facets, responses=_ERROR_RESPONSES)
    def facets(country: str | None = Query(None, max_length=2000, description="Countries for admin1, '|'-separated.")
               ) -> Response:
        """Values for the dashboard's pickers."""
        chosen = tuple(c for c in queries._split(country) if c) if country else ()

        def compute() -> Any:
            with engine.connect() as conn:
                return queries.facets(conn, chosen)
        return cache.get(("facets", chosen), compute)

    # -- single records -------------------------------------------------------------------

    @app.get("/api/events/{event_id}", tags=["records"], response_model=models.EventDetail,
             responses={**_ERROR_RESPONSES, 404: {"model": models.Error, "description": "No such event"}})
    def event(event_id: str = PathParam(max_length=128)) -> Response:
        """One event: its ACLED row, the evidence behind each field and its sources."""
        with engine.connect() as conn:
            detail = queries.event_detail(conn, event_id)
        if detail is None:
            return _error(404, f"no event {event_id!r}")
        return _json(detail)

    @app.get("/api/articles/{article_id}", tags=["records"], response_model=models.ArticleDetail,
             responses={**_ERROR_RESPONSES, 404: {"model": models.Error, "description": "No such article"}})
    def article(article_id: str = PathParam(max_length=128)) -> Response:
        """One stored article: metadata, full text and the ids of its events."""
        with engine.connect() as conn:
            detail = queries.article_detail(conn, article_id)
        if detail is None:
            return _error(404, f"no article {article_id!r}")
        return _json(detail)

    @app.post("/api/articles", tags=["records"], response_model=models.Ingested, status_code=201,
              responses={**_ERROR_RESPONSES,
                         401: {"model": models.Error, "description": "Missing or wrong token"},
                         403: {"model": models.Error, "description": "Writing is disabled (no --token)"},
                         413: {"model": models.Error, "description": "Body too large"}})
    def post_article(body: models.ArticleIn,
                     credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Response:
        """Code a report and store it with its events. Needs `serve --token` and `Authorization: Bearer TOKEN`."""
        if not token:
            return _error(403, "writing is disabled: start the server with --token to enable POST /api/articles")
        given = credentials.credentials if credentials is not None else ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            return _error(401, "missing or wrong token: send 'Authorization: Bearer TOKEN'")
        from eventcoder.ingest.records import article_from_record

        record = {k: v for k, v in body.model_dump().items() if v is not None}
        art = article_from_record(record, "POST /api/articles", source_path="api")
        with coder_lock:
            if "coder" not in coder_box:
                from eventcoder.pipeline import Coder
                coder_box["coder"] = Coder()
            events = coder_box["coder"].code_one(art)
            stored = store.save_article_events(art, events)
        with engine.connect() as conn:
            ids = conn.execute(sa.select(schema.events.c.event_id_cnty)
                               .where(schema.events.c.article_id == art.id)
                               .order_by(schema.events.c.event_id_cnty)).scalars().all()
        return _json({"success": True, "article_id": art.id, "stored": stored, "event_ids": list(ids)}, 201)

    # -- page and assets ---------------------------------------------------------------------

    @app.get("/api/config", tags=["page"], response_model=models.Config)
    def config() -> Response:
        """Settings the page needs: tile URL, whether writing is on, whether the basemap is installed."""
        return _json({"tiles": tiles, "write_enabled": bool(token), "version": __version__,
                      "basemap": vendor_root is not None})

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        return FileResponse(WEB_DIR / "index.html", media_type=_MEDIA[".html"],
                            headers={"cache-control": "no-cache"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    web_files = {p.name for p in WEB_DIR.iterdir() if p.suffix in (".js", ".css", ".svg")}

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in web_files:
            return _error(404, f"no such file: {name}")
        path = WEB_DIR / name
        return FileResponse(path, media_type=_MEDIA[path.suffix], headers={"cache-control": "no-cache"})

    @app.get("/vendor/{name:path}", include_in_schema=False)
    def vendor(name: str) -> Response:
        rel = VENDOR_FILES.get(name)
        if rel is None:
            return _error(404, f"no such file: {name}")
        if vendor_root is None:
            return _error(404, f"{name} is not installed: run `npm ci` in the repository root")
        path = vendor_root / rel
        return FileResponse(path, media_type=_MEDIA[path.suffix],
                            headers={"cache-control": "public, max-age=86400"})

    def openapi() -> dict[str, Any]:
        # Validation errors come back as 400 with our Error body, not FastAPI's 422.
        if app.openapi_schema:
            return app.openapi_schema
        doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        for path in doc.get("paths", {}).values():
            for op in path.values():
                responses = op.get("responses", {})
                responses.pop("422", None)
                responses.setdefault("400", {"description": "Invalid parameters", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        schemas.setdefault("Error", models.Error.model_json_schema(ref_template="#/components/schemas/{model}")
                           .get("$defs", {}).get("Error") or models.Error.model_json_schema())
        app.openapi_schema = doc
        return doc

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _acled_filters(request: Request) -> tuple[dict[str, str], dict[str, str]]:
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


def _csv_text(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """Rows as CSV text, cells made safe for spreadsheets."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row[c]) for c in columns])
    return buf.getvalue()


def _csv_stream(engine: sa.Engine, conds: list, limit: int) -> Iterator[str]:
    """The selection as streamed CSV, cells made safe for spreadsheets."""
    columns = list(QUERY_COLUMNS)
    with engine.connect() as conn:
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(columns)
        for i, row in enumerate(queries.select_rows(conn, conds, columns, limit=limit), 1):
            writer.writerow([csv_cell(row[c]) for c in columns])
            if i % 1000 == 0:
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()
        yield buf.getvalue()


def _geojson_stream(engine: sa.Engine, conds: list, limit: int) -> Iterator[bytes]:
    columns = list(QUERY_COLUMNS)
    yield b'{"type":"FeatureCollection","features":['
    with engine.connect() as conn:
        parts: list[bytes] = []
        for i, row in enumerate(queries.select_rows(conn, conds, columns, limit=limit)):
            feature = {"type": "Feature", "id": row["event_id_cnty"],
                       "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                       "properties": row}
            parts.append((b"," if i else b"") + _dumps(feature))
            if len(parts) >= 500:
                yield b"".join(parts)
                parts = []
        yield b"".join(parts)
    yield b"]}"
