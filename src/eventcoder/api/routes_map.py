"""Map, timeline, figure and download endpoints of the dashboard."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from fastapi import Depends, FastAPI, Header, Query
from fastapi.responses import Response, StreamingResponse

from eventcoder.api import models, queries, records, summaries
from eventcoder.api.downloads import csv_stream, geojson_stream
from eventcoder.api.filters import dashboard_filters
from eventcoder.api.limits import EXPORT_MAX_LIMIT
from eventcoder.api.selection import Filters
from eventcoder.api.responses import ERROR_RESPONSES, NOT_MODIFIED, AnswerCache
from eventcoder.store import schema


ETAG_HELP = "An ETag of an earlier answer: 304 without a body while the store is unchanged."


def add_map_routes(app: FastAPI, engine: sa.Engine, cache: AnswerCache) -> None:
    """Register the GeoJSON/CSV downloads and the cached bins, timeline, stats and facets aggregates."""
    @app.get("/api/events.geojson", tags=["map"], responses={
        **ERROR_RESPONSES, 200: {"content": {"application/geo+json": {"schema": {"type": "object"}}},
                                 "description": "A GeoJSON FeatureCollection of events with coordinates"}},
             response_class=Response)
    def events_geojson(filters: Filters = Depends(dashboard_filters),
                       limit: int = Query(10_000, ge=1, le=EXPORT_MAX_LIMIT)) -> Response:
        """Events with coordinates as GeoJSON points (ACLED columns as properties)."""
        conds = filters.conditions() + [schema.events.c.latitude.is_not(None),
                                        schema.events.c.longitude.is_not(None)]
        return StreamingResponse(geojson_stream(engine, conds, limit), media_type="application/geo+json",
                                 headers={"content-disposition": 'attachment; filename="events.geojson"'})

    @app.get("/api/events.csv", tags=["map"], responses={
        **ERROR_RESPONSES, 200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                                 "description": "Events as CSV in ACLED column order, then article_id"}},
             response_class=Response)
    def events_csv(filters: Filters = Depends(dashboard_filters),
                   limit: int = Query(EXPORT_MAX_LIMIT, ge=1, le=EXPORT_MAX_LIMIT)) -> Response:
        """The dashboard's selection as CSV (ACLED columns, then article_id)."""
        return StreamingResponse(csv_stream(engine, filters.conditions(), limit),
                                 media_type="text/csv; charset=utf-8",
                                 headers={"content-disposition": 'attachment; filename="events.csv"'})

    cached = {**ERROR_RESPONSES, **NOT_MODIFIED}

    @app.get("/api/events/bins", tags=["map"], response_model=models.BinsResponse, responses=cached)
    def events_bins(filters: Filters = Depends(dashboard_filters),
                    zoom: int = Query(2, ge=0, le=22, description="Map zoom level: cells are 64 px wide."),
                    if_none_match: str | None = Header(None, max_length=2000, description=ETAG_HELP)) -> Response:
        """Events binned on a grid that follows the zoom level: count, fatalities, types per cell."""
        def compute() -> Any:
            with engine.connect() as conn:
                return summaries.bins(conn, filters, zoom)
        return cache.get(("bins", filters.key(), zoom), compute, if_none_match)

    @app.get("/api/timeline", tags=["map"], response_model=models.TimelineResponse, responses=cached)
    def timeline(filters: Filters = Depends(dashboard_filters),
                 if_none_match: str | None = Header(None, max_length=2000, description=ETAG_HELP)) -> Response:
        """Events and fatalities per day, with every filter but the date range."""
        def compute() -> Any:
            with engine.connect() as conn:
                return {"days": summaries.timeline(conn, filters)}
        return cache.get(("timeline", filters.key()), compute, if_none_match)

    @app.get("/api/stats", tags=["map"], response_model=models.Stats, responses=cached)
    def stats(filters: Filters = Depends(dashboard_filters),
              if_none_match: str | None = Header(None, max_length=2000, description=ETAG_HELP)) -> Response:
        """Key figures of the selection: events, fatalities, civilian-targeting events, active actors."""
        def compute() -> Any:
            with engine.connect() as conn:
                return summaries.stats(conn, filters)
        return cache.get(("stats", filters.key()), compute, if_none_match)

    @app.get("/api/facets", tags=["map"], response_model=models.Facets, responses=cached)
    def facets(country: str | None = Query(None, max_length=2000, description="Countries for admin1, '|'-separated."),
               if_none_match: str | None = Header(None, max_length=2000, description=ETAG_HELP)) -> Response:
        """Values for the dashboard's pickers."""
        chosen = tuple(c for c in queries._split(country) if c) if country else ()

        def compute() -> Any:
            with engine.connect() as conn:
                return records.facets(conn, chosen)
        return cache.get(("facets", chosen), compute, if_none_match)
