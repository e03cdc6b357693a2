"""Turn a store URL or path into a SQLAlchemy engine: SQLite (default) or PostgreSQL."""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import StaticPool

from eventcoder.errors import StoreError

# Milliseconds a SQLite writer waits for another writer's lock before failing.
BUSY_TIMEOUT_MS = 30_000

# Execution option naming a connection that will write: SQLite then takes the write lock at BEGIN.
WRITE_OPTION = "eventcoder_write"

_MEMORY_URLS = {"sqlite://", "sqlite:///:memory:", ":memory:"}


def normalise_url(url_or_path: str) -> str:
    """A SQLAlchemy URL for a plain path, ':memory:', 'sqlite:///...' or 'postgresql://...'."""
    text = str(url_or_path).strip()
    if not text:
        raise StoreError("no store given: pass a file path such as events.db or a database URL")
    if text in _MEMORY_URLS:
        return "sqlite://"
    if "://" not in text:
        path = Path(text).expanduser()
        if not path.parent.exists():
            raise StoreError(f"cannot create the store {text}: folder {path.parent} does not exist")
        if path.is_dir():
            raise StoreError(f"cannot open the store {text}: it is a folder, give a file name such as events.db")
        return f"sqlite:///{path.resolve()}"
    scheme, rest = text.split("://", 1)
    # psycopg (version 3) is the PostgreSQL driver we support; SQLAlchemy's bare default is psycopg2.
    if scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    return text


def create_engine(url_or_path: str) -> sa.Engine:
    """An engine for a store URL or path, with SQLite tuned for concurrent use (WAL, FKs, busy timeout)."""
    url = normalise_url(url_or_path)
    kwargs: dict[str, Any] = {}
    is_sqlite = url.startswith("sqlite")
    if url == "sqlite://":
        # One shared connection, otherwise every connection sees its own empty in-memory database.
        kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
    elif is_sqlite:
        # The pool hands a connection to one thread at a time, so sharing across threads is safe.
        # Keep as many connections as the API's threads use at once (`serve --threads`): an
        # overflow connection is closed on return and the next one pays the connect and its pragmas.
        kwargs.update(connect_args={"check_same_thread": False}, pool_size=40, max_overflow=10)
    try:
        engine = sa.create_engine(url, **kwargs)
    except ModuleNotFoundError as exc:
        raise StoreError(f"the driver for {url.split('://', 1)[0]} is not installed ({exc.name}); "
                         "for PostgreSQL run: pip install 'psycopg[binary]'") from exc
    except sa.exc.ArgumentError as exc:
        raise StoreError(f"cannot understand the store URL {url_or_path!r}: {exc}") from exc
    if is_sqlite:
        _tune_sqlite(engine)
    elif engine.dialect.name == "postgresql":
        _serialise_postgres_writers(engine)
    return engine


def _serialise_postgres_writers(engine: sa.Engine) -> None:
    """A PostgreSQL writer takes a transaction-scoped advisory lock first, as SQLite's BEGIN IMMEDIATE does.

    Dedup reads the events near a report and then writes: two loaders doing
    that at once could each miss the other's report of the same event.
    Readers take no lock. The lock is per schema, so stores in different
    schemas of one database do not wait for each other.
    """

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext(current_schema()))")


WAL_AUTOCHECKPOINT_PAGES = 40_000
MMAP_BYTES = 1 << 34  # address space, not memory: pages are read in as they are touched


def _enable_wal(cursor: sqlite3.Cursor) -> None:
    """Switch the file to WAL (a setting kept in the file), retrying while another connection holds a lock.

    SQLite answers a journal-mode change with "database is locked" at once, without the busy timeout,
    when another connection is using the file: two loaders opening a new store together would fail.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() in ("wal", "memory"):
                return
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _tune_sqlite(engine: sa.Engine) -> None:
    """Install connect/begin hooks: pragmas on connect, real BEGIN so DDL and reads are transactional."""

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's begin hook issue BEGIN: pysqlite otherwise delays it until the first DML,
        # which leaves migrations (DDL) and multi-statement reads outside any transaction.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # WAL lets readers (API, dashboard) run while a loader writes; in-memory databases ignore it.
            _enable_wal(cursor)
            # In WAL mode NORMAL never corrupts and never loses a committed transaction when the process
            # dies (only an OS crash or power cut can drop the last ones); FULL would fsync every commit.
            cursor.execute("PRAGMA synchronous = NORMAL")
            # A write batch touches pages all over the events' indexes and the summary tables: a 32 MB page
            # cache (SQLite's default is 2 MB) keeps them from spilling mid-transaction, and checkpointing
            # every 40,000 WAL pages (160 MB) instead of 1,000 writes a page rewritten by consecutive batches
            # once, and waits for the checkpoint's fsync a quarter as often as at 10,000 (ingest benchmark:
            # about +15% events/s). The price: the -wal file grows to about 160 MB during a long ingest (it
            # is removed when the last connection closes), and readers search a larger WAL index meanwhile.
            cursor.execute("PRAGMA cache_size = -32768")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
            # Reads through a memory map instead of a read() call per page: the API's queries look up
            # rows all over a large events table (about half the time of a filtered read at 1M events).
            cursor.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        finally:
            cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # A writer takes the lock up front: upgrading a read lock later fails at once instead of waiting.
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")
