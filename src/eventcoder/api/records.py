"""Single records and picker values of the API: an event with its evidence and sources, an article, a deletion
record, the dashboard's facets."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import sqlalchemy as sa
import yaml

from eventcoder.api.queries import E, QUERY_COLUMNS
from eventcoder.export.rows import EVIDENCE_KEYS, NUMERIC_COLUMNS
from eventcoder.store import schema


def _value(column: str, value: Any) -> Any:
    """A database value as the API shows it: ISO dates, '' for missing text, None for missing numbers."""
    if column == "event_date":
        return "" if value is None else value if isinstance(value, str) else value.isoformat()
    if value is None and column not in NUMERIC_COLUMNS:
        return ""
    return value


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, list[str]]:
    """ACLED event types and their sub-event types, from the shipped taxonomy file."""
    text = resources.files("eventcoder.data").joinpath("taxonomy.yaml").read_text("utf-8")
    return {k: list(v) for k, v in yaml.safe_load(text)["event_types"].items()}


def facets(conn: sa.Connection, country: Sequence[str]) -> dict[str, Any]:
    """Values for the dashboard's pickers: countries, admin1 (of the chosen countries), types, actors."""
    countries = conn.execute(sa.select(E.country).where(E.country != "").distinct()
                             .order_by(E.country)).scalars().all()
    admin1: list[str] = []
    if country:
        admin1 = conn.execute(sa.select(E.admin1).where(E.country.in_(list(country)), E.admin1 != "")
                              .distinct().order_by(E.admin1)).scalars().all()
    n = sa.func.count().label("n")
    top = conn.execute(sa.select(E.actor1, n).where(E.actor1 != "").group_by(E.actor1)
                       .order_by(n.desc()).limit(200)).all()
    bounds = conn.execute(sa.select(sa.func.min(E.event_date), sa.func.max(E.event_date))).one()
    return {
        "countries": list(countries), "admin1": list(admin1), "event_types": taxonomy(),
        "actors": sorted(a for a, _ in top),
        "first_date": bounds[0].isoformat() if bounds[0] else None,
        "last_date": bounds[1].isoformat() if bounds[1] else None,
    }


def event_detail(conn: sa.Connection, event_id: str) -> dict[str, Any] | None:
    """An event's ACLED row, evidence and sources (with the stored articles' metadata)."""
    row = conn.execute(sa.select(*[E[c] for c in QUERY_COLUMNS]).where(E.event_id_cnty == event_id)).first()
    if row is None:
        return None
    event = {c: _value(c, v) for c, v in zip(QUERY_COLUMNS, row)}
    ev = schema.evidence.c
    # A merged event's evidence comes from several reports; newer stores record which one per span.
    keys = EVIDENCE_KEYS + (("article_id",) if "article_id" in ev else ())
    evidence = [dict(zip(keys, r)) for r in conn.execute(
        sa.select(*[ev[k] for k in keys]).where(ev.event_id_cnty == event_id).order_by(ev.id))]
    for item in evidence:
        item["article_id"] = item.get("article_id") or event["article_id"]
    s, a = schema.event_sources.c, schema.articles.c
    stmt = (sa.select(s.article_id, a.title, a.publisher, a.published, a.url)
            .select_from(schema.event_sources.outerjoin(schema.articles, a.id == s.article_id))
            .where(s.event_id_cnty == event_id).order_by(s.article_id))
    sources = [{"article_id": r.article_id, "title": r.title, "publisher": r.publisher,
                "published": r.published.isoformat() if r.published else None, "url": r.url,
                "primary": r.article_id == event["article_id"]}
               for r in conn.execute(stmt)]
    sources.sort(key=lambda x: not x["primary"])
    return {"event": event, "evidence": evidence, "sources": sources}


def article_detail(conn: sa.Connection, article_id: str) -> dict[str, Any] | None:
    """A stored article: metadata, text and the ids of the events it reports."""
    a = schema.articles.c
    row = conn.execute(sa.select(a.id, a.title, a.published, a.publisher, a.url, a.dateline_place,
                                 a.dateline_country, a.body_start, a.text)
                       .where(a.id == article_id)).mappings().first()
    if row is None:
        return None
    out = dict(row)
    out["published"] = row["published"].isoformat() if row["published"] else None
    s = schema.event_sources.c
    ids = conn.execute(sa.select(s.event_id_cnty).where(s.article_id == article_id)
                       .order_by(s.event_id_cnty)).scalars().all()
    out["event_ids"] = list(ids)
    return out


def deletion_record(item: Any) -> dict[str, Any]:
    """One item of ``Store.deleted_since`` (a mapping, an object or a pair) as
    ``{"event_id_cnty", "deleted_timestamp", "merged_into"}``."""
    if isinstance(item, Mapping):
        get = item.get
    elif isinstance(item, (tuple, list)):
        pairs = dict(zip(("event_id_cnty", "deleted_timestamp", "merged_into"), item))
        get = pairs.get
    else:
        def get(key: str) -> Any:
            return getattr(item, key, None)
    event_id = get("event_id_cnty") or get("event_id")
    stamp = get("deleted_timestamp")
    if stamp is None:
        stamp = get("deleted_at") if get("deleted_at") is not None else get("timestamp")
    merged = get("merged_into")
    return {"event_id_cnty": str(event_id), "deleted_timestamp": _epoch(stamp),
            "merged_into": str(merged) if merged else None}


def _epoch(value: Any) -> int | None:
    """A timestamp column value as Unix seconds."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return int(value.timestamp())
    return int(value)
