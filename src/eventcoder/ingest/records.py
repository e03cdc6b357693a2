"""Articles from text plus metadata, and from JSON/CSV records."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from eventcoder.errors import InputError
from eventcoder.ingest.clean import clean_text, normalise_line
from eventcoder.ingest.dateline import filed_on, read_dateline
from eventcoder.ingest.dates import parse_published
from eventcoder.ingest.ids import article_id
from eventcoder.vocab import Article

# Accepted field names, first match wins (lower-cased keys).
TEXT_KEYS = ("text", "body", "content", "notes")
TITLE_KEYS = ("title", "headline")
DATE_KEYS = ("published", "date", "event_date", "pubdate", "published_at", "publication_date")
PUBLISHER_KEYS = ("publisher", "source", "outlet")
URL_KEYS = ("url", "link")


def _meta(value: object) -> str | None:
    """A metadata value as a tidy one-line string, or None when blank."""
    if value is None:
        return None
    text = normalise_line(str(value).replace("\n", " "))
    return text or None


def build_article(text: str, source: str, *, title: str | None = None,
                  published: dt.date | None = None, publisher: str | None = None,
                  url: str | None = None, source_path: str | None = None,
                  id: str | None = None) -> Article:
    """Clean text, read the dateline and give the Article a stable id; InputError if no text."""
    cleaned = clean_text(text)
    if not cleaned:
        raise InputError(source, "no text left after removing whitespace and boilerplate")
    place, country, dateline_publisher, body_start, day = read_dateline(cleaned)
    published = filed_on(day, published) or published  # "BASRA, Iraq, Sept 14" published at 00:50 on the 15th
    url, title, publisher = _meta(url), _meta(title), _meta(publisher)
    return Article(
        id=id or article_id(url, cleaned, publisher or dateline_publisher), text=cleaned, title=title, published=published,
        publisher=publisher or dateline_publisher, url=url, source_path=source_path,
        dateline_place=place, dateline_country=country, body_start=body_start,
    )


def pick(record: Mapping[str, object], keys: tuple[str, ...]) -> object | None:
    """The value of the first key present (and not None) in record."""
    for key in keys:
        if record.get(key) is not None:
            return record[key]
    return None


def record_text(record: Mapping[str, object], source: str) -> str:
    """The text field of a record; InputError when it is missing, empty or not a string."""
    key = next((k for k in TEXT_KEYS if record.get(k) is not None), None)
    if key is None:
        raise InputError(source, f"no 'text' field (also looked for {', '.join(TEXT_KEYS[1:])})")
    value = record[key]
    if not isinstance(value, str):
        raise InputError(source, f"'{key}' must be a string, not {type(value).__name__}")
    if not value.strip():
        raise InputError(source, f"'{key}' is empty")
    return value


def article_from_record(record: dict, source: str, *, source_path: str | None = None) -> Article:
    """An Article from a record with 'text' and optional id/title/published/publisher/url."""
    if not isinstance(record, Mapping):
        raise InputError(source, f"expected a JSON object, got {type(record).__name__}")
    fields = {str(k).strip().lower(): v for k, v in record.items()}
    record_id = fields.get("id")
    return build_article(
        record_text(fields, source), source,
        title=_meta(pick(fields, TITLE_KEYS)),
        published=parse_published(pick(fields, DATE_KEYS)),
        publisher=_meta(pick(fields, PUBLISHER_KEYS)),
        url=_meta(pick(fields, URL_KEYS)),
        source_path=source_path or source,
        id=None if record_id is None or str(record_id).strip() == "" else str(record_id),
    )
