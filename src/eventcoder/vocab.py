"""The project's vocabulary: the typed records every stage reads and returns.

Stages never reach into each other's internals; they exchange these records.
All records are plain dataclasses so they pickle cheaply to process pools and
Dask workers and serialise with ``dataclasses.asdict``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# ACLED's 31 columns, in ACLED's order and spelling.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type",
    "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1",
    "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location",
    "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)

# Our additions after the ACLED columns.
EXTRA_COLUMNS: tuple[str, ...] = ("article_id", "evidence")

INTER_LABELS: dict[int, str] = {
    1: "State forces", 2: "Rebel groups", 3: "Political militias",
    4: "Identity militias", 5: "Rioters", 6: "Protesters", 7: "Civilians",
    8: "External/Other forces",
}


@dataclass
class Article:
    """One news report after ingest: clean text plus metadata."""

    id: str
    text: str
    title: str | None = None
    published: dt.date | None = None
    publisher: str | None = None
    url: str | None = None
    source_path: str | None = None
    dateline_place: str | None = None
    dateline_country: str | None = None  # ISO2 when the dateline names one
    # Character offset where the body starts (after a dateline), 0 if none.
    body_start: int = 0


@dataclass
class Evidence:
    """The sentence and character span in an article behind one coded field."""

    field: str
    text: str  # the exact words, text[start:end] of the article
    start: int
    end: int
    sentence: str
    sentence_start: int
    sentence_end: int


@dataclass
class Actor:
    """A resolved actor: canonical name and ACLED actor type (inter 1-8)."""

    name: str
    inter: int
    country: str | None = None  # ISO2 or None
    mention: str | None = None  # the words in the text
    start: int | None = None
    end: int | None = None


@dataclass
class Place:
    """A resolved place with coordinates, admin areas and ACLED geo precision."""

    name: str
    latitude: float | None
    longitude: float | None
    country: str | None = None  # English country name
    country_code: str | None = None  # ISO2
    admin1: str | None = None
    admin2: str | None = None
    geonameid: int | None = None
    feature_code: str | None = None  # GeoNames code: PPL, PPLA, ADM1, PCLI, ...
    geo_precision: int = 1
    population: int = 0
    text: str | None = None  # the words in the text
    start: int | None = None
    end: int | None = None


@dataclass
class Span:
    """A character span of an article with its words."""

    text: str
    start: int
    end: int


@dataclass
class Mention:
    """An event trigger with its arguments, found in one sentence."""

    article_id: str
    sentence_index: int
    sentence: Span
    trigger: Span
    event_type: str
    sub_event_type: str
    score: float = 1.0
    agent: Span | None = None
    target: Span | None = None
    places: list[Span] = field(default_factory=list)
    time: Span | None = None
    fatalities: int | None = None
    fatalities_span: Span | None = None
    modality: str = "asserted"  # asserted|negated|threatened|planned|hypothetical|denied|historical|generic|habitual|opinion|referenced|perceived
    scene: Span | None = None  # the sentence before, when its time or places stand in for missing ones


@dataclass
class Event:
    """A coded event: ACLED fields plus the evidence behind each field."""

    event_type: str
    sub_event_type: str
    event_date: dt.date | None = None
    time_precision: int | None = None
    actor1: Actor | None = None
    actor2: Actor | None = None
    assoc_actor_1: list[str] = field(default_factory=list)
    assoc_actor_2: list[str] = field(default_factory=list)
    place: Place | None = None
    fatalities: int | None = None
    notes: str = ""
    source: str = ""
    source_scale: str = ""
    tags: str = ""
    article_id: str = ""
    article_ids: list[str] = field(default_factory=list)
    event_id_cnty: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    salience: str = "secondary"
    score: float = 1.0
    timestamp: int = 0
    # Killed per side ("soldier", "attacker", "civilian", "people"), so that tolls
    # reported in several sentences add up across sides but never double count.
    toll_parts: dict[str, int] = field(default_factory=dict, repr=False)
