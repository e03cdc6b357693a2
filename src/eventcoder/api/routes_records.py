"""Single-record endpoints: one event, one article, and the token-guarded article ingest."""
from __future__ import annotations

import hmac
import threading
from typing import Any

import sqlalchemy as sa
from fastapi import Depends, FastAPI
from fastapi import Path as PathParam
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from eventcoder.api import models, records
from eventcoder.api.responses import ERROR_RESPONSES, error_response, json_response
from eventcoder.store import Store, schema


def add_record_routes(app: FastAPI, store: Store, token: str | None) -> None:
    """Register GET /api/events/{id}, GET /api/articles/{id} and POST /api/articles (needs ``token``)."""
    engine = store.engine
    coder_lock = threading.Lock()
    coder_box: dict[str, Any] = {}
    bearer = HTTPBearer(auto_error=False, description="The token given to `eventcoder serve --token`.")

    @app.get("/api/events/{event_id}", tags=["records"], response_model=models.EventDetail,
             responses={**ERROR_RESPONSES, 404: {"model": models.Error, "description": "No such event"}})
    def event(event_id: str = PathParam(max_length=128)) -> Response:
        """One event: its ACLED row, the evidence behind each field and its sources."""
        with engine.connect() as conn:
            detail = records.event_detail(conn, event_id)
        if detail is None:
            return error_response(404, f"no event {event_id!r}")
        return json_response(detail)

    @app.get("/api/articles/{article_id}", tags=["records"], response_model=models.ArticleDetail,
             responses={**ERROR_RESPONSES, 404: {"model": models.Error, "description": "No such article"}})
    def article(article_id: str = PathParam(max_length=128)) -> Response:
        """One stored article: metadata, full text and the ids of its events."""
        with engine.connect() as conn:
            detail = records.article_detail(conn, article_id)
        if detail is None:
            return error_response(404, f"no article {article_id!r}")
        return json_response(detail)

    @app.post("/api/articles", tags=["records"], response_model=models.Ingested, status_code=201,
              responses={**ERROR_RESPONSES,
                         401: {"model": models.Error, "description": "Missing or wrong token"},
                         403: {"model": models.Error, "description": "Writing is disabled (no --token)"},
                         413: {"model": models.Error, "description": "Body too large"}})
    def post_article(body: models.ArticleIn,
                     credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Response:
        """Code a report and store it with its events. Needs `serve --token` and `Authorization: Bearer TOKEN`."""
        if not token:
            return error_response(
                403, "writing is disabled: start the server with --token to enable POST /api/articles")
        given = credentials.credentials if credentials is not None else ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            return error_response(401, "missing or wrong token: send 'Authorization: Bearer TOKEN'")
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
        return json_response({"success": True, "article_id": art.id, "stored": stored, "event_ids": list(ids)}, 201)
