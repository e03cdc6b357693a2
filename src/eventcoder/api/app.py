"""The web app: an ACLED-compatible JSON API, map/timeline aggregates and the dashboard page.

``create_app(db, token=..., tiles=...)`` builds the FastAPI app; ``eventcoder
serve`` runs it with uvicorn. Safety rules kept here:

- article text and every stored string are data: the API only returns JSON or
  CSV, and the page builds its DOM from text nodes; a strict
  Content-Security-Policy (no inline script, no foreign origins but the
  configured tile server) backs that up;
- SQL is built with SQLAlchemy Core and bound parameters only (``queries.py``, ``summaries.py``, ``records.py``;
  ``map_bins.py`` builds plain SQL text from fixed names, values bound);
- request bodies, query strings and page sizes are bounded;
- the write endpoint (POST /api/articles) answers 403 unless the server was
  started with a token, and 401 without the right ``Authorization: Bearer``;
- every error is JSON ``{"success": false, "error": {"status", "message"}}``.
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator

import anyio.to_thread

from fastapi import FastAPI

from eventcoder import __version__
from eventcoder.api.errors import add_error_handlers
from eventcoder.api.guard import Guard, content_security_policy
from eventcoder.api.limits import ACLED_MAX_LIMIT, EXPORT_MAX_LIMIT, MAX_BODY_BYTES, MAX_PAGE, MAX_QUERY_BYTES
from eventcoder.api.openapi import install_openapi
from eventcoder.api.responses import AnswerCache
from eventcoder.api.routes_acled import add_acled_routes
from eventcoder.api.routes_map import add_map_routes
from eventcoder.api.routes_pages import VENDOR_FILES, WEB_DIR, add_page_routes, node_modules_dir
from eventcoder.api.routes_records import add_record_routes
from eventcoder.store import Store

# Re-exported: limits and page settings used to live here.
__all__ = ["ACLED_MAX_LIMIT", "EXPORT_MAX_LIMIT", "MAX_BODY_BYTES", "MAX_PAGE", "MAX_QUERY_BYTES", "VENDOR_FILES",
           "WEB_DIR", "AnswerCache", "content_security_policy", "create_app", "node_modules_dir"]


# Threads running the (synchronous) endpoints of one server process. They share one interpreter lock: a
# second thread overlaps SQLite's work (which releases it) and keeps one slow request (an export) from
# holding up the rest; more only contend for the lock. benchmarks/api.py, 1,000,000 events, 2 cores,
# `--workers 2`, server CPU per request for 1 / 2 / 6 / 12 threads: ACLED country read 2.4 / 2.6 / 2.8 / 3.1 ms,
# country map bins 7.3 / 7.3 / 8.2 / 8.3 ms (6 was the default before; anyio's own default is 40).
DEFAULT_THREADS = 2


def create_app(db: str, *, token: str | None = None, tiles: str | None = None,
               threads: int = DEFAULT_THREADS) -> FastAPI:
    """The API and dashboard over the store at ``db`` (path or URL)."""
    store = Store.open(db)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="eventcoder API",
        version=__version__,
        description="ACLED-compatible read API over an eventcoder store, map/timeline aggregates, "
                    "events with their evidence, and (with a token) article ingest.",
        docs_url=None, redoc_url=None,
    )
    app.state.store = store
    app.add_middleware(Guard, csp=content_security_policy(tiles))
    add_error_handlers(app)
    add_acled_routes(app, store)
    add_map_routes(app, store.engine, AnswerCache(store.engine))
    add_record_routes(app, store, token)
    add_page_routes(app, token=token, tiles=tiles)
    install_openapi(app)
    return app


# `serve --workers N` hands the settings to its worker processes in these environment variables.
ENV_DB, ENV_TOKEN, ENV_TILES, ENV_THREADS = ("EVENTCODER_SERVE_DB", "EVENTCODER_SERVE_TOKEN",
                                             "EVENTCODER_SERVE_TILES", "EVENTCODER_SERVE_THREADS")


def app_from_env() -> FastAPI:
    """The app of one ``serve --workers`` process, built from the EVENTCODER_SERVE_* settings."""
    return create_app(os.environ[ENV_DB], token=os.environ.get(ENV_TOKEN) or None,
                      tiles=os.environ.get(ENV_TILES) or None,
                      threads=int(os.environ.get(ENV_THREADS) or DEFAULT_THREADS))
