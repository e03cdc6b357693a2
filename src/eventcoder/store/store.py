"""The event store: articles, events, their sources and evidence, behind one SQLAlchemy Core layer."""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from eventcoder.errors import StoreError
from eventcoder.export.rows import EVIDENCE_KEYS, NUMERIC_COLUMNS, event_to_row, make_event_id
from eventcoder.store import schema
from eventcoder.store.engine import WRITE_OPTION, create_engine
from eventcoder.store.migrations import SCHEMA_VERSION, current_version, migrate
from eventcoder.vocab import ACLED_COLUMNS, Article, Event

# Rows fetched per round trip when streaming query results, and ids per IN (...) list:
# well under SQLite's bound-parameter limit.
_CHUNK = 500

# A filter value: one value, or several (any of them matches, like ACLED's "a|b").
Filter = str | Sequence[str] | None


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    """Consecutive slices of at most ``size`` items."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _unique(items: Iterable[str]) -> list[str]:
    """Non-empty items without repeats, first occurrence first."""
    return list(dict.fromkeys(item for item in items if item))


class Store:
    """An open event store; use ``Store.open(url_or_path)``, preferably as a context manager."""

    def __init__(self, engine: sa.Engine, where: str):
        self._engine = engine
        self.where = where

    # -- opening and closing -------------------------------------------------

    @classmethod
    def open(cls, url_or_path: str) -> Store:
        """Open (creating if needed) a store at a path or URL and run pending migrations."""
        engine = create_engine(url_or_path)
        where = f"the store {url_or_path}"
        try:
            with engine.connect() as conn:
                conn.execution_options(**{WRITE_OPTION: True})
                with conn.begin():
                    migrate(conn, where)
        except StoreError:
            engine.dispose()
            raise
        except sa.exc.SQLAlchemyError as exc:
            engine.dispose()
            raise StoreError(f"cannot open {where}: {exc.orig if hasattr(exc, 'orig') else exc}") from exc
        return cls(engine, where)

    def close(self) -> None:
        """Release the store's connections."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

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

    def save_article_events(self, article: Article, events: list[Event]) -> bool:
        """Store an article and replace its events, sources and evidence in one transaction.

        Returns False and changes nothing when the article is already stored
        with the same text, so ingesting a report twice adds nothing.
        """
        now = dt.datetime.now(dt.timezone.utc)
        with self._errors(f"save article {article.id}"), self._engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                stored = conn.execute(sa.select(schema.articles.c.text)
                                      .where(schema.articles.c.id == article.id)).first()
                if stored is not None and stored.text == article.text:
                    return False
                self._write_article(conn, article, now, update=stored is not None)
                rows = self._event_rows(conn, article, events, int(now.timestamp()))
                old_ids = set(conn.execute(sa.select(schema.events.c.event_id_cnty)
                                           .where(schema.events.c.article_id == article.id)).scalars())
                # Events re-saved under an explicit id (e.g. a merged event) replace their old row.
                self._delete_events(conn, sorted(old_ids | {row["event_id_cnty"] for row, _ in rows}))
                self._insert_events(conn, rows, article.id, now)
        return True

    def _write_article(self, conn: sa.Connection, article: Article, now: dt.datetime, *, update: bool) -> None:
        """Insert the article row, or update it when its text changed."""
        values = {
            "url": article.url, "title": article.title, "published": article.published,
            "publisher": article.publisher, "source_path": article.source_path,
            "dateline_place": article.dateline_place, "dateline_country": article.dateline_country,
            "body_start": article.body_start, "text": article.text, "ingested_at": now,
        }
        if update:
            conn.execute(sa.update(schema.articles).where(schema.articles.c.id == article.id).values(**values))
        else:
            conn.execute(sa.insert(schema.articles).values(id=article.id, **values))

    def _event_rows(self, conn: sa.Connection, article: Article, events: list[Event],
                    timestamp: int) -> list[tuple[dict[str, Any], Event]]:
        """Rows for an article's events, with generated ids stepped past collisions."""
        rows: list[tuple[dict[str, Any], Event]] = []
        taken: set[str] = set()
        explicit = [e.event_id_cnty for e in events if e.event_id_cnty]
        if len(explicit) != len(set(explicit)):
            dup = next(i for i in explicit if explicit.count(i) > 1)
            raise StoreError(f"{self.where}: article {article.id} has two events with event_id_cnty {dup}; "
                             "merge them (dedup) before saving")
        taken.update(explicit)
        for event in events:
            if not event.article_id:
                event = dataclasses.replace(event, article_id=article.id)
            row = event_to_row(event, timestamp=timestamp)
            if not event.event_id_cnty:
                attempt = 0
                # A hashed id may equal another event's: derive the next one rather than overwrite it.
                while row["event_id_cnty"] in taken or self._owned_elsewhere(conn, row["event_id_cnty"], article.id):
                    attempt += 1
                    row["event_id_cnty"] = make_event_id(
                        row["event_id_cnty"][:-8], row["article_id"], row["sub_event_type"],
                        row["event_date"], row["location"], attempt)
            taken.add(row["event_id_cnty"])
            rows.append((row, event))
        return rows

    @staticmethod
    def _owned_elsewhere(conn: sa.Connection, event_id: str, article_id: str) -> bool:
        """Whether an event with this id is stored for another article."""
        e = schema.events.c
        stmt = sa.select(e.event_id_cnty).where(e.event_id_cnty == event_id, e.article_id != article_id)
        return conn.execute(stmt).first() is not None

    @staticmethod
    def _delete_events(conn: sa.Connection, event_ids: Sequence[str]) -> None:
        """Delete events with their evidence and sources (explicitly: no reliance on ON DELETE CASCADE)."""
        for chunk in _chunks(event_ids):
            conn.execute(sa.delete(schema.evidence).where(schema.evidence.c.event_id_cnty.in_(chunk)))
            conn.execute(sa.delete(schema.event_sources).where(schema.event_sources.c.event_id_cnty.in_(chunk)))
            conn.execute(sa.delete(schema.events).where(schema.events.c.event_id_cnty.in_(chunk)))

    @staticmethod
    def _insert_events(conn: sa.Connection, rows: list[tuple[dict[str, Any], Event]],
                       article_id: str, now: dt.datetime) -> None:
        """Insert event rows, their sources and their evidence."""
        if not rows:
            return
        event_values, source_values, evidence_values = [], [], []
        for row, event in rows:
            values = {col: row[col] for col in ACLED_COLUMNS}
            values["event_date"] = dt.date.fromisoformat(row["event_date"]) if row["event_date"] else None
            values.update(article_id=row["article_id"], salience=event.salience,
                          score=event.score, updated_at=now)
            event_values.append(values)
            for source in _unique([row["article_id"], article_id, *event.article_ids]):
                source_values.append({"event_id_cnty": row["event_id_cnty"], "article_id": source})
            for ev in row["evidence"]:
                evidence_values.append({"event_id_cnty": row["event_id_cnty"], **ev})
        conn.execute(sa.insert(schema.events), event_values)
        conn.execute(sa.insert(schema.event_sources), source_values)
        if evidence_values:
            conn.execute(sa.insert(schema.evidence), evidence_values)

    # -- reading -------------------------------------------------------------

    @staticmethod
    def _conditions(*, start: dt.date | None = None, end: dt.date | None = None,
                    country: Filter = None, admin1: Filter = None, event_type: Filter = None,
                    sub_event_type: Filter = None, actor: str | None = None) -> list[sa.ColumnElement[bool]]:
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
        return conds

    def count_events(self, *, start: dt.date | None = None, end: dt.date | None = None,
                     country: Filter = None, admin1: Filter = None, event_type: Filter = None,
                     sub_event_type: Filter = None, actor: str | None = None) -> int:
        """Number of events matching the filters of ``query_events``."""
        conds = self._conditions(start=start, end=end, country=country, admin1=admin1,
                                 event_type=event_type, sub_event_type=sub_event_type, actor=actor)
        stmt = sa.select(sa.func.count()).select_from(schema.events).where(*conds)
        with self._errors("count events"), self._engine.connect() as conn:
            return conn.execute(stmt).scalar_one()

    def query_events(self, *, start: dt.date | None = None, end: dt.date | None = None,
                     country: Filter = None, admin1: Filter = None, event_type: Filter = None,
                     sub_event_type: Filter = None, actor: str | None = None,
                     limit: int | None = None, offset: int = 0) -> Iterator[dict[str, Any]]:
        """Stream matching events as ACLED rows (like ``event_to_row``), newest first then by id.

        Dates are inclusive; country, admin1 and the types match exactly (a
        sequence matches any of its values); actor is a case-insensitive
        substring of actor1 or actor2.
        """
        e = schema.events.c
        conds = self._conditions(start=start, end=end, country=country, admin1=admin1,
                                 event_type=event_type, sub_event_type=sub_event_type, actor=actor)
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

    @staticmethod
    def _evidence_for(conn: sa.Connection, event_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """Evidence dicts per event id, in the order they were saved."""
        ev = schema.evidence.c
        out: dict[str, list[dict[str, Any]]] = {}
        stmt = (sa.select(ev.event_id_cnty, *[ev[k] for k in EVIDENCE_KEYS])
                .where(ev.event_id_cnty.in_(list(event_ids))).order_by(ev.id))
        for r in conn.execute(stmt).mappings():
            out.setdefault(r["event_id_cnty"], []).append({k: r[k] for k in EVIDENCE_KEYS})
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


__all__ = ["SCHEMA_VERSION", "Store"]
