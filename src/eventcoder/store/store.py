"""The event store: articles, events, their sources and evidence, behind one SQLAlchemy Core layer."""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from eventcoder.errors import StoreError
from eventcoder.export.rows import EVIDENCE_KEYS, NUMERIC_COLUMNS, make_event_id  # noqa: F401 (tests patch make_event_id)
from eventcoder.store import pending, schema
from eventcoder.store.engine import WRITE_OPTION, create_engine
from eventcoder.store.migrations import PG_TSVECTOR, SCHEMA_VERSION, current_version, migrate
from eventcoder.store.stored import StoredView
from eventcoder.store.writer import BatchWriter, SaveResult
from eventcoder.vocab import ACLED_COLUMNS, Article, Event

# Rows fetched per round trip when streaming query results, and ids per IN (...) list:
# well under SQLite's bound-parameter limit.
_CHUNK = 500

# A filter value: one value, or several (any of them matches, like ACLED's "a|b").
Filter = str | Sequence[str] | None

# With deferred summaries (``summary_every`` > 1), a batch also applies the log once this many seconds
# have passed since the first batch it holds, so the summaries never lag for long.
SUMMARY_SECONDS = 5.0
# ... and when it comes this many seconds after the previous save ended (or after opening): a writer that
# waits for its input between batches (ingest coding reports) gains nothing from deferring, and the API
# would answer from events (slower) while the log waits.
SUMMARY_GAP_SECONDS = 1.0
# ``summary_every`` of the bulk writers (ingest, recode, load): the summary log is applied every this many
# batches (and at the end of the run), not in every batch's transaction.
BULK_SUMMARY_EVERY = 16


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    """Consecutive slices of at most ``size`` items."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


_FTS_TOKEN = re.compile(r'"([^"]*)"|(\S+)')


def fts5_query(text: str) -> str:
    """A safe SQLite FTS5 query from user text: words and "quoted phrases" all required, OR between.

    Punctuation inside a word makes a phrase of its parts ("al-Shabaab" ->
    "al shabaab"), so no user input is an FTS5 syntax error.
    """
    parts: list[str] = []
    for phrase, word in _FTS_TOKEN.findall(text):
        if word and word.upper() == "OR":
            if parts and parts[-1] != "OR":
                parts.append("OR")
            continue
        words = re.findall(r"\w+", phrase or word)
        if words:
            parts.append('"' + " ".join(words) + '"')
    while parts and parts[-1] == "OR":
        parts.pop()
    return " ".join(parts) or '""'


class Store:
    """An open event store; use ``Store.open(url_or_path)``, preferably as a context manager."""

    def __init__(self, engine: sa.Engine, where: str, *, summary_every: int = 1):
        if summary_every < 1:
            raise StoreError(f"summary_every must be 1 or more (batches per summary refresh), not {summary_every}")
        self._engine = engine
        self.where = where
        self.summary_every = summary_every
        self._unrefreshed = 0  # batches of this Store whose summary changes are still in the log
        self._first_unrefreshed = 0.0  # time.monotonic() of the first of them
        self._last_save = time.monotonic()  # when the last save ended (or the store was opened)
        # What the last committed batch read of the stored reports for dedup (store.stored); the next batch
        # reuses it unless another writer wrote since. Taken out while a batch runs: a failed batch drops it.
        self._view: StoredView | None = None

    # -- opening and closing -------------------------------------------------

    @classmethod
    def open(cls, url_or_path: str, *, summary_every: int = 1) -> Store:
        """Open (creating if needed) a store at a path or URL and run pending migrations.

        ``summary_every`` > 1 defers the summary tables' maintenance
        (``store.pending``): writes log their changes, and every
        ``summary_every``-th batch (or one after a pause of
        ``SUMMARY_GAP_SECONDS``, or the first after ``SUMMARY_SECONDS``),
        ``refresh_summaries`` and ``close`` apply the log. 1 (the default)
        keeps them in step in every batch. Opening applies a log left by a
        writer that died before its refresh.
        """
        engine = create_engine(url_or_path)
        where = f"the store {url_or_path}"
        try:
            with engine.connect() as conn:
                conn.execution_options(**{WRITE_OPTION: True})
                with conn.begin():
                    migrate(conn, where)
                    if pending.has_pending(conn):
                        pending.refresh(conn)
        except StoreError:
            engine.dispose()
            raise
        except sa.exc.SQLAlchemyError as exc:
            engine.dispose()
            raise StoreError(f"cannot open {where}: {exc.orig if hasattr(exc, 'orig') else exc}") from exc
        return cls(engine, where, summary_every=summary_every)

    def close(self) -> None:
        """Apply this store's deferred summary changes, then release its connections."""
        try:
            if self._unrefreshed:
                self.refresh_summaries()
        finally:
            self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        if exc_type is None:
            self.close()
            return
        # Leaving on an error: still try to apply the log, but never hide the error in flight.
        with contextlib.suppress(StoreError):
            if self._unrefreshed:
                self.refresh_summaries()
        self._engine.dispose()

    def refresh_summaries(self) -> int:
        """Apply the log of deferred summary changes (every writer's) in one transaction; the rows applied."""
        with self._write("refresh the summary tables") as conn:
            applied = pending.refresh(conn)
        self._unrefreshed = 0
        return applied

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine (for tools that need raw access, e.g. the API)."""
        return self._engine

    @contextlib.contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        """Turn database errors into StoreError with what we were doing."""
        try:
            yield
        except sa.exc.SQLAlchemyError as exc:
            detail = exc.orig if getattr(exc, "orig", None) is not None else exc
            raise StoreError(f"{self.where}: cannot {action}: {detail}") from exc

    def schema_version(self) -> int:
        """The schema version recorded in the database."""
        with self._errors("read the schema version"), self._engine.connect() as conn:
            return current_version(conn)

    # -- articles ------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        """Whether an article with this id is stored."""
        stmt = sa.select(schema.articles.c.id).where(schema.articles.c.id == article_id)
        with self._errors("read articles"), self._engine.connect() as conn:
            return conn.execute(stmt).first() is not None

    def get_article(self, article_id: str) -> Article | None:
        """The stored article with this id, or None."""
        a = schema.articles.c
        stmt = sa.select(a.id, a.text, a.title, a.published, a.publisher, a.url, a.source_path,
                         a.dateline_place, a.dateline_country, a.body_start).where(a.id == article_id)
        with self._errors("read articles"), self._engine.connect() as conn:
            row = conn.execute(stmt).mappings().first()
        return Article(**row) if row is not None else None

    def stats(self) -> dict[str, int]:
        """Counts of stored articles and events."""
        with self._errors("count rows"), self._engine.connect() as conn:
            return {
                "articles": conn.execute(sa.select(sa.func.count()).select_from(schema.articles)).scalar_one(),
                "events": conn.execute(sa.select(sa.func.count()).select_from(schema.events)).scalar_one(),
            }

    # -- writing -------------------------------------------------------------

    @contextlib.contextmanager
    def _write(self, action: str) -> Iterator[sa.Connection]:
        """One write transaction (SQLite BEGIN IMMEDIATE / PostgreSQL advisory lock): all or nothing."""
        with self._errors(action), self._engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                yield conn

    def save_article_events(self, article: Article, events: list[Event]) -> bool:
        """Store an article and its events in one transaction, merged with stored reports of the same events.

        Returns False and changes nothing when the article is already stored
        with the same text, so ingesting a report twice adds nothing. When its
        text changed, its events are replaced (ids kept for events that go on).
        """
        return self.save_batch([(article, events)])[0]

    def save_batch(self, items: Iterable[tuple[Article, list[Event]]]) -> list[bool]:
        """Store several articles with their events in one transaction; one bool per article (stored or not).

        Each article's events are deduplicated against the stored events and
        the earlier articles of the batch; the batch is all or nothing.
        """
        return self._save(items, recode=False).saved

    def recode_batch(self, items: Iterable[tuple[Article, list[Event]]]) -> SaveResult:
        """Replace stored articles' events by re-coded ones, in one transaction (the living dataset).

        Events that go on keep their id and get a new ``timestamp`` when
        anything about them changed; events that no longer exist, or whose
        reports now join another event, are recorded in ``deleted``.
        """
        return self._save(items, recode=True)

    def _save(self, items: Iterable[tuple[Article, list[Event]]], *, recode: bool) -> SaveResult:
        now = dt.datetime.now(dt.timezone.utc)
        items = list(items)
        deferred = self.summary_every > 1
        started = time.monotonic()
        view, self._view = self._view, None
        with self._write(f"save {len(items)} articles") as conn:
            if not deferred and pending.has_pending(conn):
                # Another writer's log first: maintaining the summaries on top of it would count twice.
                pending.refresh(conn)
            writer = BatchWriter(conn, now, recode=recode, defer_summaries=deferred, view=view)
            writer.prepare(items)
            saved = [writer.add(article, events) for article, events in items]
            result = writer.flush()
            refreshed = deferred and self._refresh_due(started)
            if refreshed:
                pending.refresh(conn)
        self._view = writer.view  # committed: the view is what the store now holds
        if deferred:
            self._unrefreshed = 0 if refreshed else self._unrefreshed + 1
            if self._unrefreshed == 1:
                self._first_unrefreshed = started
        self._last_save = time.monotonic()
        result.saved = saved
        result.changed = [e for e in dict.fromkeys(result.changed) if e not in result.deleted]
        return result

    def _refresh_due(self, started: float) -> bool:
        """Whether the batch being saved (since ``started``) should apply the summary log: every
        ``summary_every``-th batch, a batch after a pause (``SUMMARY_GAP_SECONDS``), or a late one."""
        return (self._unrefreshed + 1 >= self.summary_every
                or started - self._last_save >= SUMMARY_GAP_SECONDS
                or (self._unrefreshed > 0 and started - self._first_unrefreshed >= SUMMARY_SECONDS))

    def iter_articles(self) -> Iterator[Article]:
        """Every stored article, in the order they were first stored."""
        a = schema.articles.c
        with self._errors("read articles"), self._engine.connect() as conn:
            ids = list(conn.execute(sa.select(a.id).order_by(a.ingested_at, a.id)).scalars())
        # Short reads, chunk by chunk: the caller may write between them (recode does).
        for chunk in _chunks(ids):
            stmt = sa.select(a.id, a.text, a.title, a.published, a.publisher, a.url, a.source_path,
                             a.dateline_place, a.dateline_country, a.body_start).where(a.id.in_(list(chunk)))
            with self._errors("read articles"), self._engine.connect() as conn:
                found = {row["id"]: Article(**row) for row in conn.execute(stmt).mappings()}
            yield from (found[i] for i in chunk if i in found)

    # -- reading -------------------------------------------------------------

    def _conditions(self, *, start: dt.date | None = None, end: dt.date | None = None,
                    country: Filter = None, admin1: Filter = None, event_type: Filter = None,
                    sub_event_type: Filter = None, actor: str | None = None, text: str | None = None,
                    bbox: Sequence[float] | None = None,
                    changed_since: int | None = None) -> list[sa.ColumnElement[bool]]:
        """WHERE conditions for the query filters (all bound parameters)."""
        e = schema.events.c
        conds: list[sa.ColumnElement[bool]] = []
        if start is not None:
            conds.append(e.event_date >= start)
        if end is not None:
            conds.append(e.event_date <= end)
        for column, value in ((e.country, country), (e.admin1, admin1),
                              (e.event_type, event_type), (e.sub_event_type, sub_event_type)):
            if value is None:
                continue
            # Exact match, as in ACLED's API, so the indexes on these columns serve the filter.
            conds.append(column == value if isinstance(value, str) else column.in_(list(value)))
        if actor:
            needle = actor.lower()
            conds.append(sa.or_(sa.func.lower(e.actor1).contains(needle, autoescape=True),
                                sa.func.lower(e.actor2).contains(needle, autoescape=True)))
        if text is not None and text.strip():
            conds.append(e.event_id_cnty.in_(self._text_match(text)))
        if bbox is not None:
            west, south, east, north = (float(v) for v in bbox)
            conds.append(e.latitude.between(south, north))
            # A box across the antimeridian has west > east.
            conds.append(e.longitude.between(west, east) if west <= east
                         else sa.or_(e.longitude >= west, e.longitude <= east))
        if changed_since is not None:
            conds.append(e.timestamp >= int(changed_since))
        return conds

    def _text_match(self, text: str) -> sa.Select:
        """Ids of events with a source article matching a full-text query (FTS5 / tsvector)."""
        s = schema.event_sources.c
        if self._engine.dialect.name == "postgresql":
            a = schema.articles.c
            matching = sa.select(a.id).where(sa.text(f"{PG_TSVECTOR} @@ websearch_to_tsquery('english', :q)")
                                             .bindparams(q=text))
        else:
            matching = sa.select(sa.column("article_id")).select_from(sa.table("articles_fts")).where(
                sa.text("articles_fts MATCH :q").bindparams(q=fts5_query(text)))
        return sa.select(s.event_id_cnty).where(s.article_id.in_(matching))

    def count_events(self, *, start: dt.date | None = None, end: dt.date | None = None,
                     country: Filter = None, admin1: Filter = None, event_type: Filter = None,
                     sub_event_type: Filter = None, actor: str | None = None, text: str | None = None,
                     bbox: Sequence[float] | None = None, changed_since: int | None = None) -> int:
        """Number of events matching the filters of ``query_events``."""
        conds = self._conditions(start=start, end=end, country=country, admin1=admin1,
                                 event_type=event_type, sub_event_type=sub_event_type, actor=actor,
                                 text=text, bbox=bbox, changed_since=changed_since)
        stmt = sa.select(sa.func.count()).select_from(schema.events).where(*conds)
        with self._errors("count events"), self._engine.connect() as conn:
            return conn.execute(stmt).scalar_one()

    def query_events(self, *, start: dt.date | None = None, end: dt.date | None = None,
                     country: Filter = None, admin1: Filter = None, event_type: Filter = None,
                     sub_event_type: Filter = None, actor: str | None = None, text: str | None = None,
                     bbox: Sequence[float] | None = None, changed_since: int | None = None,
                     limit: int | None = None, offset: int = 0) -> Iterator[dict[str, Any]]:
        """Stream matching events as ACLED rows (like ``event_to_row``), newest first then by id.

        Dates are inclusive; country, admin1 and the types match exactly (a
        sequence matches any of its values); actor is a case-insensitive
        substring of actor1 or actor2; ``text`` is a full-text query over the
        text and title of the event's source articles (words, "quoted
        phrases", OR); ``bbox`` is (west, south, east, north) in degrees;
        ``changed_since`` keeps events whose ``timestamp`` is at or after it.
        Each evidence dict also names the ``article_id`` its span is in.
        """
        e = schema.events.c
        conds = self._conditions(start=start, end=end, country=country, admin1=admin1,
                                 event_type=event_type, sub_event_type=sub_event_type, actor=actor,
                                 text=text, bbox=bbox, changed_since=changed_since)
        stmt = (sa.select(*[e[col] for col in ACLED_COLUMNS], e.article_id)
                .where(*conds)
                .order_by(e.event_date.desc().nulls_last(), e.event_id_cnty)
                .offset(offset or None).limit(limit))
        with self._errors("query events"), self._engine.connect() as conn:
            # One read transaction for the whole stream: events and evidence come from one snapshot.
            result = conn.execution_options(yield_per=_CHUNK).execute(stmt).mappings()
            for chunk in result.partitions():
                evidence = self._evidence_for(conn, [r["event_id_cnty"] for r in chunk])
                for r in chunk:
                    yield self._db_to_row(r, evidence.get(r["event_id_cnty"], []))

    def search(self, text: str, *, limit: int | None = 100, **filters: Any) -> list[dict[str, Any]]:
        """Events whose source articles match a full-text query, newest first (other filters as query_events)."""
        return list(self.query_events(text=text, limit=limit, **filters))

    def changed_since(self, timestamp: int, **filters: Any) -> Iterator[dict[str, Any]]:
        """Events added or changed at or after a Unix time (their ``timestamp``), like ACLED's timestamp filter."""
        return self.query_events(changed_since=timestamp, **filters)

    def deleted_since(self, timestamp: int = 0) -> list[dict[str, Any]]:
        """Events deleted at or after a Unix time, oldest deletion first, like ACLED's deleted endpoint.

        Each is ``{event_id_cnty, deleted_timestamp, reason, merged_into}``;
        ``merged_into`` names the event that absorbed it (None when it was
        dropped because no report codes it any more).
        """
        d = schema.deleted.c
        stmt = (sa.select(d.event_id_cnty, d.deleted_timestamp, d.reason, d.merged_into)
                .where(d.deleted_timestamp >= int(timestamp)).order_by(d.deleted_timestamp, d.id))
        with self._errors("read deletions"), self._engine.connect() as conn:
            return [dict(r) for r in conn.execute(stmt).mappings()]

    def explain(self, event_id: str) -> dict[str, Any]:
        """Why an event is what it is: its row, its reports, every dedup decision, its deletion or merges.

        ``{"event_id_cnty", "event": row or None, "reports": [...],
        "decisions": [...], "deleted": [...], "merged_from": [...]}``.
        """
        r, m, d, a = schema.reports.c, schema.merges.c, schema.deleted.c, schema.articles.c
        with self._errors(f"explain event {event_id}"), self._engine.connect() as conn:
            reports = []
            for x in conn.execute(sa.select(r.report_id, r.article_id, r.seq, r.row, r.published, a.publisher,
                                            a.title, a.url)
                                  .join(schema.articles, a.id == r.article_id, isouter=True)
                                  .where(r.event_id_cnty == event_id).order_by(r.seq)).mappings():
                row = json.loads(x["row"])
                reports.append({
                    "report_id": x["report_id"], "article_id": x["article_id"], "publisher": x["publisher"],
                    "published": x["published"].isoformat() if x["published"] else None,
                    "title": x["title"], "url": x["url"],
                    **{k: row.get(k) for k in ("event_date", "time_precision", "sub_event_type", "actor1",
                                               "actor2", "location", "geo_precision", "fatalities")}})
            report_ids = [x["report_id"] for x in reports]
            decisions = [dict(x) for x in conn.execute(
                sa.select(m.event_id_cnty, m.report_id, m.article_id, m.action, m.reason, m.decided_at)
                .where(sa.or_(m.event_id_cnty == event_id, m.report_id.in_(report_ids)))
                .order_by(m.id)).mappings()]
            deleted = [dict(x) for x in conn.execute(
                sa.select(d.event_id_cnty, d.deleted_timestamp, d.reason, d.merged_into)
                .where(d.event_id_cnty == event_id).order_by(d.id)).mappings()]
            merged_from = [dict(x) for x in conn.execute(
                sa.select(d.event_id_cnty, d.deleted_timestamp, d.reason, d.merged_into)
                .where(d.merged_into == event_id).order_by(d.id)).mappings()]
        rows = list(self.query_events_by_id([event_id]))
        return {"event_id_cnty": event_id, "event": rows[0] if rows else None, "reports": reports,
                "decisions": decisions, "deleted": deleted, "merged_from": merged_from}

    def query_events_by_id(self, event_ids: Sequence[str]) -> Iterator[dict[str, Any]]:
        """The stored events with these ids, as ACLED rows (in id order; missing ids are skipped)."""
        e = schema.events.c
        with self._errors("read events"), self._engine.connect() as conn:
            for chunk in _chunks(sorted(set(event_ids))):
                stmt = (sa.select(*[e[col] for col in ACLED_COLUMNS], e.article_id)
                        .where(e.event_id_cnty.in_(list(chunk))).order_by(e.event_id_cnty))
                found = conn.execute(stmt).mappings().all()
                evidence = self._evidence_for(conn, [x["event_id_cnty"] for x in found])
                for x in found:
                    yield self._db_to_row(x, evidence.get(x["event_id_cnty"], []))

    @staticmethod
    def _evidence_for(conn: sa.Connection, event_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """Evidence dicts per event id, in the order they were saved."""
        ev = schema.evidence.c
        out: dict[str, list[dict[str, Any]]] = {}
        keys = (*EVIDENCE_KEYS, "article_id")
        stmt = (sa.select(ev.event_id_cnty, *[ev[k] for k in keys])
                .where(ev.event_id_cnty.in_(list(event_ids))).order_by(ev.id))
        for r in conn.execute(stmt).mappings():
            out.setdefault(r["event_id_cnty"], []).append({k: r[k] for k in keys})
        return out

    @staticmethod
    def _db_to_row(r: sa.RowMapping, evidence: list[dict[str, Any]]) -> dict[str, Any]:
        """An events table row as an ACLED row dict (same shape and types as ``event_to_row``)."""
        row: dict[str, Any] = {}
        for col in ACLED_COLUMNS:
            value = r[col]
            if col == "event_date":
                value = value.isoformat() if value is not None else ""
            elif value is None and col not in NUMERIC_COLUMNS:
                value = ""
            row[col] = value
        row["article_id"] = r["article_id"]
        row["evidence"] = evidence
        return row


__all__ = ["BULK_SUMMARY_EVERY", "SCHEMA_VERSION", "SaveResult", "Store", "fts5_query"]
