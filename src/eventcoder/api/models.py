"""Pydantic models of the API's requests and responses: they make the OpenAPI document."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from eventcoder.api.queries import FLOAT_COLUMNS, INTEGER_COLUMNS, QUERY_COLUMNS


def _column_type(column: str) -> Any:
    if column in INTEGER_COLUMNS:
        return int | None
    if column in FLOAT_COLUMNS:
        return float | None
    return str


# An ACLED row; every field is optional because `fields=a|b` returns only those asked for.
AcledRow = create_model(
    "AcledRow",
    __config__=ConfigDict(extra="forbid"),
    **{c: (_column_type(c), Field(default=None, description=f"ACLED column {c}")) for c in QUERY_COLUMNS},
)


class ErrorDetail(BaseModel):
    status: int = Field(description="The HTTP status code, repeated.")
    message: str = Field(description="What went wrong and how to fix the request.")


class Error(BaseModel):
    """Every error response: status code in the HTTP status line and in the body."""

    success: Literal[False] = False
    error: ErrorDetail


class AcledResponse(BaseModel):
    """ACLED's read response: `count` rows on this page, `total_count` with `with_total=true`."""

    success: bool
    count: int
    total_count: int | None = Field(description="All matching rows (null unless with_total=true).")
    data: list[AcledRow]  # type: ignore[valid-type]


class Deletion(BaseModel):
    event_id_cnty: str
    deleted_timestamp: int | None = Field(description="Unix seconds when the event was deleted or merged.")
    merged_into: str | None = Field(default=None, description="The surviving event when merged by dedup.")


class DeletedResponse(BaseModel):
    success: bool
    count: int
    total_count: int | None
    data: list[Deletion]


class Evidence(BaseModel):
    field: str
    text: str
    start: int
    end: int
    sentence: str
    sentence_start: int
    sentence_end: int
    article_id: str = Field(description="The report whose text the span is in.")


class Source(BaseModel):
    article_id: str
    title: str | None
    publisher: str | None
    published: str | None
    url: str | None
    primary: bool


class EventDetail(BaseModel):
    event: AcledRow  # type: ignore[valid-type]
    evidence: list[Evidence]
    sources: list[Source]


class ArticleDetail(BaseModel):
    id: str
    title: str | None
    published: str | None
    publisher: str | None
    url: str | None
    dateline_place: str | None
    dateline_country: str | None
    body_start: int
    text: str
    event_ids: list[str]


class Bin(BaseModel):
    latitude: float
    longitude: float
    count: int
    fatalities: int
    types: dict[str, int] = Field(description="Events per event type in the cell.")
    event_id: str | None = Field(description="The event's id when the cell holds exactly one.")
    bounds: list[float] = Field(description="west, south, east, north of the cell.")


class BinsResponse(BaseModel):
    zoom: int
    cell_size: float = Field(description="Cell width in degrees.")
    total: int
    bins: list[Bin]


class Day(BaseModel):
    date: str
    events: int
    fatalities: int


class TimelineResponse(BaseModel):
    days: list[Day]


class Stats(BaseModel):
    events: int
    fatalities: int
    civilian_targeting: int = Field(description="Events flagged 'Civilian targeting'.")
    actors: int = Field(description="Distinct actor1/actor2 names.")


class Facets(BaseModel):
    countries: list[str]
    admin1: list[str]
    event_types: dict[str, list[str]]
    actors: list[str]
    first_date: str | None
    last_date: str | None


class Config(BaseModel):
    tiles: str | None = Field(description="Tile URL template for an online basemap, if configured.")
    write_enabled: bool
    version: str
    basemap: bool = Field(description="Whether the offline country-borders basemap assets are installed.")


class ArticleIn(BaseModel):
    """A report to code and store (POST /api/articles)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=1_000_000)
    title: str | None = Field(default=None, max_length=2000)
    published: str | None = Field(default=None, max_length=64, description="Publication date, e.g. 2024-05-01.")
    publisher: str | None = Field(default=None, max_length=500)
    url: str | None = Field(default=None, max_length=4000)
    id: str | None = Field(default=None, max_length=128)


class Ingested(BaseModel):
    success: bool
    article_id: str
    stored: bool = Field(description="False when the same article was already stored.")
    event_ids: list[str]
