"""Writing a batch: articles, reports, decisions, then every affected event rebuilt from its reports.

``BatchWriter`` (``store.writer``) collects a batch in a ``Batch``; ``flush``
writes it with a few multi-row statements inside the caller's write
transaction. An event is rewritten only when its content changes, with a
new ``timestamp`` strictly later than the old; an event left without
reports goes to ``deleted`` with the reason.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from eventcoder.dedup import merge_reports
from eventcoder.dedup.rules import as_date
from eventcoder.store import aggregates, pending, schema
from eventcoder.store.bulk import insert_many
from eventcoder.store.migrations import fts_rowid
from eventcoder.store.stored import StoredView, chunks, load_row
from eventcoder.vocab import ACLED_COLUMNS, Article

EVIDENCE_COLUMNS = ("field", "text", "start", "end", "sentence", "sentence_start", "sentence_end", "article_id")

_r, _e = schema.reports.c, schema.events.c
_MEMBERS = (sa.select(_r.event_id_cnty, _r.seq, _r.row, _r.published)
            .where(_r.event_id_cnty.in_(sa.bindparam("ids", expanding=True))).order_by(_r.seq))
_UNDELETE = sa.delete(schema.deleted).where(schema.deleted.c.event_id_cnty.in_(sa.bindparam("ids", expanding=True)))
_DELETE_EVENT_ROWS = [sa.delete(t).where(t.c.event_id_cnty.in_(sa.bindparam("ids", expanding=True)))
                      for t in (schema.evidence, schema.event_sources, schema.events)]
_INSERT_DELETED = schema.deleted.insert()  # one row at a time; bulk rows go through store.bulk
_UPDATE_ARTICLE = sa.update(schema.articles).where(schema.articles.c.id == sa.bindparam("_id"))
_FTS_DELETE = sa.text("DELETE FROM articles_fts WHERE rowid = :r")
_FTS_INSERT = "INSERT INTO articles_fts(rowid, article_id, title, text) VALUES (?, ?, ?, ?)"  # SQLite only
_STORED_EVENTS = (sa.select(*[_e[c] for c in ACLED_COLUMNS], _e.article_id)
                  .where(_e.event_id_cnty.in_(sa.bindparam("ids", expanding=True))))
_STORED_EVIDENCE = (sa.select(schema.evidence.c.event_id_cnty,
                              *[schema.evidence.c[k] for k in EVIDENCE_COLUMNS])
                    .where(schema.evidence.c.event_id_cnty.in_(sa.bindparam("ids", expanding=True)))
                    .order_by(schema.evidence.c.id))
_STORED_SOURCES = (sa.select(schema.event_sources.c.event_id_cnty, schema.event_sources.c.article_id)
                   .where(schema.event_sources.c.event_id_cnty.in_(sa.bindparam("ids", expanding=True))))


@dataclass
class SaveResult:
    """What a save did: articles stored, events inserted or updated, events that left the dataset."""

    saved: list[bool] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


@dataclass
class Batch:
    """What a batch will write: articles (with whether they replace a stored one), report table rows, decisions,
    and the events to rebuild (with where moved reports went and why an event may be left without any)."""

    articles: list[tuple[Article, bool]] = field(default_factory=list)
    reports: list[dict[str, Any]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)  # the coded row of each of ``reports``
    pending: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)  # event -> (seq, row)
    pending_reports: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # event -> report table rows
    decisions: list[dict[str, Any]] = field(default_factory=list)
    affected: set[str] = field(default_factory=set)
    moved: dict[str, set[str]] = field(default_factory=dict)
    why_gone: dict[str, str] = field(default_factory=dict)


def flush(conn: sa.Connection, batch: Batch, view: StoredView, *, now: dt.datetime, defer_summaries: bool,
          result: SaveResult) -> list[str]:
    """Write the batch (adding to ``result``); the events it deleted or rewrote."""
    stamp = int(now.timestamp())
    write_articles(conn, batch.articles, now)
    if batch.reports:
        insert_many(conn, schema.reports, batch.reports)
    if batch.decisions:
        insert_many(conn, schema.merges, batch.decisions)
    affected = sorted(batch.affected)
    members = known_members(batch, view, affected)
    unknown = [i for i in affected if i not in members]
    members.update({i: [] for i in unknown})
    for chunk in chunks(unknown):
        for x in conn.execute(_MEMBERS, {"ids": chunk}):
            members[x.event_id_cnty].append(load_row(x.row, x.published))
    stored = stored_events(conn, view, affected)
    drop, event_rows, source_rows, evidence_rows, revived = [], [], [], [], []
    for event_id in affected:
        old = stored.get(event_id)
        if not members[event_id]:
            if old is None:
                continue
            drop.append(event_id)
            into = sorted(batch.moved.get(event_id, set()) - {event_id})
            reason = (f"merged into {into[0]}: its report now codes the same event" if into
                      else batch.why_gone.get(event_id, "no report codes it any more"))
            conn.execute(_INSERT_DELETED, dict(
                event_id_cnty=event_id, deleted_timestamp=max(stamp, (old[0]["timestamp"] or 0) + 1),
                reason=reason, merged_into=into[0] if into else None))
            result.deleted.append(event_id)
            continue
        merged = merge_reports(members[event_id], event_id)
        evidence = [{k: ev.get(k) for k in EVIDENCE_COLUMNS} for ev in merged.row["evidence"]]
        values = {col: merged.row[col] for col in ACLED_COLUMNS}
        values["event_date"] = as_date(values["event_date"])
        values["article_id"] = merged.row["article_id"]
        if old is not None:
            old_values, old_evidence, old_sources = old
            if ({k: v for k, v in old_values.items() if k != "timestamp"}
                    == {k: v for k, v in values.items() if k != "timestamp"}
                    and old_evidence == evidence and old_sources == set(merged.article_ids)):
                continue
            values["timestamp"] = max(stamp, (old_values["timestamp"] or 0) + 1)
            drop.append(event_id)
        else:
            values["timestamp"] = merged.row.get("timestamp") or stamp
            revived.append(event_id)
        oldest = members[event_id][0]
        values.update(salience=oldest.get("_salience"), score=oldest.get("_score"), updated_at=now)
        event_rows.append(values)
        source_rows.extend({"event_id_cnty": event_id, "article_id": aid} for aid in merged.article_ids)
        evidence_rows.extend({"event_id_cnty": event_id, **ev} for ev in evidence)
        result.changed.append(event_id)
    delete_events(conn, drop)
    for chunk in chunks(revived):
        conn.execute(_UNDELETE, {"ids": chunk})
    if event_rows:
        insert_many(conn, schema.events, event_rows)
    if source_rows:
        insert_many(conn, schema.event_sources, source_rows)
    if evidence_rows:
        insert_many(conn, schema.evidence, evidence_rows)
    # >>> summary tables (store/aggregates.py, schema v3): the one call that keeps them in step,
    # now or (schema v5) logged for store.pending.refresh
    old_rows = [stored[i][0] for i in drop]
    if defer_summaries:
        pending.mark(conn, old=old_rows, new=event_rows)
    else:
        aggregates.events_changed(conn, old=old_rows, new=event_rows)
    # <<< summary tables
    view.stored(zip(batch.reports, batch.rows), written=[r["event_id_cnty"] for r in event_rows], deleted=drop)
    return drop


def known_members(batch: Batch, view: StoredView, event_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """The rows of events' reports as the store will read them back after this batch's inserts, oldest
    first, for the events whose stored reports are in the view already (or known to be none)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for event_id in event_ids:
        stored = view.members.get(event_id)
        if stored is None and view.clusters.get(event_id) is False:
            stored = []
        new = batch.pending_reports.get(event_id, [])
        # A date reads back as itself (a datetime would come back as its date: leave that to the store).
        if stored is None or any(r["published"] is not None and type(r["published"]) is not dt.date for r in new):
            continue
        both = [(s.seq, s.row()) for s in stored] + [(r["seq"], load_row(r["row"], r["published"])) for r in new]
        both.sort(key=lambda p: p[0])
        out[event_id] = [row for _, row in both]
    return out


def stored_events(conn: sa.Connection, view: StoredView, event_ids: Sequence[str]
                  ) -> dict[str, tuple[dict[str, Any], list[dict[str, Any]], set[str]]]:
    """Stored ACLED values, evidence and sources of events (absent ones are left out)."""
    out: dict[str, tuple[dict[str, Any], list[dict[str, Any]], set[str]]] = {}
    # Events the view knows to be absent are still absent (events are written after this).
    for chunk in chunks([i for i in event_ids if view.event_ids.get(i) is not False]):
        for x in conn.execute(_STORED_EVENTS, {"ids": chunk}).mappings():
            out[x["event_id_cnty"]] = (dict(x), [], set())
        present = [i for i in chunk if i in out]
        if not present:
            continue
        for x in conn.execute(_STORED_EVIDENCE, {"ids": present}).mappings():
            out[x["event_id_cnty"]][1].append({k: x[k] for k in EVIDENCE_COLUMNS})
        for x in conn.execute(_STORED_SOURCES, {"ids": present}):
            out[x.event_id_cnty][2].add(x.article_id)
    return out


def write_articles(conn: sa.Connection, articles: Sequence[tuple[Article, bool]], now: dt.datetime) -> None:
    """Insert new article rows, update changed ones, and keep their full-text entries in step."""
    sqlite = conn.dialect.name == "sqlite"
    new, fts = [], []
    for article, update in articles:
        values = {
            "url": article.url, "title": article.title, "published": article.published,
            "publisher": article.publisher, "source_path": article.source_path,
            "dateline_place": article.dateline_place, "dateline_country": article.dateline_country,
            "body_start": article.body_start, "text": article.text, "ingested_at": now,
        }
        if update:
            conn.execute(_UPDATE_ARTICLE, {"_id": article.id, **values})
            if sqlite:
                conn.execute(_FTS_DELETE, {"r": fts_rowid(article.id)})
        else:
            new.append({"id": article.id, **values})
        fts.append((fts_rowid(article.id), article.id, article.title or "", article.text))
    if new:
        insert_many(conn, schema.articles, new)
    if fts and sqlite:
        conn.exec_driver_sql(_FTS_INSERT, fts)


def delete_events(conn: sa.Connection, event_ids: Sequence[str]) -> None:
    """Delete events with their evidence and sources (explicitly: no reliance on ON DELETE CASCADE)."""
    for chunk in chunks(event_ids):
        for stmt in _DELETE_EVENT_ROWS:
            conn.execute(stmt, {"ids": chunk})
