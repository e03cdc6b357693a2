"""Parquet partitions of a distributed run, and the manifest that lists them.

Layout of an output folder::

    DIR/manifest.json                 partitions in input order, with status and counts
    DIR/events/part-<id>.parquet      one file per partition: the ACLED row of every event
                                      (export columns, evidence as JSON), plus `_event`
                                      (the full Event as JSON, for a lossless load) and
                                      `_article` (the article's position in the partition)
    DIR/articles/part-<id>.parquet    the partition's articles (text and metadata), so
                                      `eventcoder load` can store them with their events

Each file is written to a temporary name in the same folder and renamed into
place, so a partition is either complete or absent; the events file is
renamed last and is what marks a partition done. The manifest is rewritten
atomically (tmp + rename) by the driver only.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from eventcoder.export.formats import parquet_schema
from eventcoder.export.rows import ROW_COLUMNS, event_to_row
from eventcoder.vocab import Actor, Article, Event, Evidence, Place

MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1
ARTICLE_COLUMNS = ("id", "text", "title", "published", "publisher", "url", "source_path",
                   "dateline_place", "dateline_country", "body_start")


def events_path(out: Path, part_id: str) -> Path:
    return out / "events" / f"part-{part_id}.parquet"


def articles_path(out: Path, part_id: str) -> Path:
    return out / "articles" / f"part-{part_id}.parquet"


def is_done(out: Path, part_id: str) -> bool:
    """A partition is done when both of its files are in place (the events file comes last)."""
    return events_path(out, part_id).exists() and articles_path(out, part_id).exists()


# --- records <-> JSON -----------------------------------------------------------

def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def event_json(event: Event) -> str:
    """The whole Event record as JSON (nested actors, place, evidence)."""
    return json.dumps(dataclasses.asdict(event), ensure_ascii=False, default=_jsonable, sort_keys=True)


def event_from_json(text: str) -> Event:
    """The Event record back from `event_json`."""
    d = json.loads(text)
    for key, cls in (("actor1", Actor), ("actor2", Actor), ("place", Place)):
        if d.get(key) is not None:
            d[key] = cls(**d[key])
    d["evidence"] = [Evidence(**e) for e in d.get("evidence", [])]
    if d.get("event_date"):
        d["event_date"] = dt.date.fromisoformat(d["event_date"])
    return Event(**d)


# --- writing ------------------------------------------------------------------

def _atomic_parquet(table: Any, final: Path) -> None:
    import pyarrow.parquet as pq

    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.parent / f".{final.name}.{uuid.uuid4().hex}.tmp"
    try:
        pq.write_table(table, str(tmp))
        os.replace(tmp, final)
    finally:
        if tmp.exists():
            tmp.unlink()


def events_schema() -> Any:
    import pyarrow as pa

    base = parquet_schema()
    return pa.schema(list(base) + [pa.field("_event", pa.string()), pa.field("_article", pa.int32())])


def articles_schema() -> Any:
    import pyarrow as pa

    types = {"published": pa.date32(), "body_start": pa.int32()}
    return pa.schema([pa.field(c, types.get(c, pa.string())) for c in ARTICLE_COLUMNS])


def write_partition(out: Path, part_id: str, coded: Iterable[tuple[Article, list[Event]]]) -> tuple[int, int]:
    """Write one partition's articles and events; returns (articles, events)."""
    import pyarrow as pa

    arts: dict[str, list[Any]] = {c: [] for c in ARTICLE_COLUMNS}
    evs: dict[str, list[Any]] = {c: [] for c in (*ROW_COLUMNS, "_event", "_article")}
    n_articles = n_events = 0
    for index, (article, events) in enumerate(coded):
        n_articles += 1
        for c in ARTICLE_COLUMNS:
            arts[c].append(getattr(article, c))
        for event in events:
            n_events += 1
            row = event_to_row(event)
            for c in ROW_COLUMNS:
                evs[c].append(_parquet_value(c, row.get(c)))
            evs["_event"].append(event_json(event))
            evs["_article"].append(index)
    _atomic_parquet(pa.Table.from_pydict(arts, schema=articles_schema()), articles_path(out, part_id))
    _atomic_parquet(pa.Table.from_pydict(evs, schema=events_schema()), events_path(out, part_id))
    return n_articles, n_events


def _parquet_value(col: str, value: Any) -> Any:
    """A row value as its Parquet column holds it (evidence as JSON, dates as dates)."""
    if col == "evidence":
        return json.dumps(value or [], ensure_ascii=False, default=_jsonable)
    if col == "event_date":
        return dt.date.fromisoformat(value) if value else None
    return value


# --- manifest -----------------------------------------------------------------

def read_manifest(out: Path) -> dict:
    """The manifest of an output folder ({} when there is none yet)."""
    path = out / MANIFEST
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def write_manifest(out: Path, manifest: dict) -> None:
    """Rewrite the manifest atomically."""
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / f".{MANIFEST}.{uuid.uuid4().hex}.tmp"
    tmp.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, out / MANIFEST)


def done_ids(out: Path) -> list[str]:
    """Ids of the done partitions, in manifest (input) order."""
    manifest = read_manifest(out)
    if not manifest:
        raise FileNotFoundError(f"{out}: no {MANIFEST} (not the output folder of `eventcoder extract --out`)")
    return [p["id"] for p in manifest.get("partitions", [])
            if p.get("status") == "done" and is_done(out, p["id"])]


# --- reading ------------------------------------------------------------------

def read_rows(out: Path) -> Iterator[dict[str, Any]]:
    """Every event row of a run in input order, as `event_to_row` gives them (evidence a list)."""
    import pyarrow.parquet as pq

    for part_id in done_ids(out):
        table = pq.read_table(str(events_path(out, part_id)), columns=list(ROW_COLUMNS))
        for row in table.to_pylist():
            row["evidence"] = json.loads(row["evidence"]) if row["evidence"] else []
            if isinstance(row["event_date"], dt.date):
                row["event_date"] = row["event_date"].isoformat()
            elif row["event_date"] is None:
                row["event_date"] = ""
            yield row


def iter_coded(out: Path) -> Iterator[tuple[Article, list[Event]]]:
    """(Article, events) of every done partition, in input order (one partition in memory at a time)."""
    import pyarrow.parquet as pq

    for part_id in done_ids(out):
        arts = pq.read_table(str(articles_path(out, part_id))).to_pylist()
        events: list[list[Event]] = [[] for _ in arts]
        table = pq.read_table(str(events_path(out, part_id)), columns=["_event", "_article"])
        for rec in table.to_pylist():
            events[rec["_article"]].append(event_from_json(rec["_event"]))
        for a, evs in zip(arts, events):
            yield Article(**a), evs
