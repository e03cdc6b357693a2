"""Versioned schema migrations: an ordered list of functions, each run once, recorded in ``schema_version``.

Rules for adding a migration: append a function to ``MIGRATIONS`` (never
edit or reorder an existing one: databases in the field already ran it),
write it with dialect-neutral SQLAlchemy Core DDL so it runs on SQLite and
PostgreSQL, then update ``schema.py`` to match.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa

from eventcoder.errors import StoreError

Migration = Callable[[sa.Connection], None]

# Our table names: a database holding one of them but no schema_version is not ours.
_OUR_TABLES = ("articles", "events", "event_sources", "evidence")


def _version_table(metadata: sa.MetaData) -> sa.Table:
    """The schema_version table (same in every version)."""
    return sa.Table(
        "schema_version", metadata,
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
    )


def _v1_initial(conn: sa.Connection) -> None:
    """Version 1: articles, events (31 typed ACLED columns), event_sources, evidence, and their indexes."""
    # A frozen copy of the version-1 tables: later changes to schema.py must not alter it.
    md = sa.MetaData()
    sa.Table(
        "articles", md,
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("publisher", sa.Text),
        sa.Column("source_path", sa.Text),
        sa.Column("dateline_place", sa.Text),
        sa.Column("dateline_country", sa.String(2)),
        sa.Column("body_start", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    )
    acled = [
        ("event_id_cnty", sa.String(32)), ("event_date", sa.Date()), ("year", sa.Integer()),
        ("time_precision", sa.Integer()), ("disorder_type", sa.Text()),
        ("event_type", sa.String(64)), ("sub_event_type", sa.String(64)),
        ("actor1", sa.Text()), ("assoc_actor_1", sa.Text()), ("inter1", sa.Integer()),
        ("actor2", sa.Text()), ("assoc_actor_2", sa.Text()), ("inter2", sa.Integer()),
        ("interaction", sa.Integer()), ("civilian_targeting", sa.Text()), ("iso", sa.Integer()),
        ("region", sa.Text()), ("country", sa.Text()), ("admin1", sa.Text()),
        ("admin2", sa.Text()), ("admin3", sa.Text()), ("location", sa.Text()),
        ("latitude", sa.Double()), ("longitude", sa.Double()), ("geo_precision", sa.Integer()),
        ("source", sa.Text()), ("source_scale", sa.Text()), ("notes", sa.Text()),
        ("fatalities", sa.Integer()), ("tags", sa.Text()), ("timestamp", sa.BigInteger()),
    ]
    events = sa.Table(
        "events", md,
        *[sa.Column(name, type_, primary_key=(name == "event_id_cnty")) for name, type_ in acled],
        sa.Column("article_id", sa.String(128), sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("salience", sa.String(32)),
        sa.Column("score", sa.Double),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    for col in ("event_date", "country", "admin1", "event_type", "sub_event_type",
                "actor1", "actor2", "article_id"):
        sa.Index(f"ix_events_{col}", events.c[col])
    sources = sa.Table(
        "event_sources", md,
        sa.Column("event_id_cnty", sa.String(32),
                  sa.ForeignKey("events.event_id_cnty", ondelete="CASCADE"), primary_key=True),
        sa.Column("article_id", sa.String(128), primary_key=True),
    )
    sa.Index("ix_event_sources_article_id", sources.c.article_id)
    evidence = sa.Table(
        "evidence", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id_cnty", sa.String(32),
                  sa.ForeignKey("events.event_id_cnty", ondelete="CASCADE"), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.Column("sentence_start", sa.Integer, nullable=False),
        sa.Column("sentence_end", sa.Integer, nullable=False),
    )
    sa.Index("ix_evidence_event_id_cnty", evidence.c.event_id_cnty)
    md.create_all(conn)


# Version N is MIGRATIONS[N - 1].
MIGRATIONS: list[Migration] = [_v1_initial]

SCHEMA_VERSION: int = len(MIGRATIONS)


def current_version(conn: sa.Connection) -> int:
    """The schema version recorded in a database (0 when it has none)."""
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    table = _version_table(sa.MetaData())
    return conn.execute(sa.select(sa.func.max(table.c.version))).scalar() or 0


def migrate(conn: sa.Connection, where: str = "the store") -> int:
    """Run pending migrations on a connection inside its open transaction; return the version reached."""
    inspector = sa.inspect(conn)
    table = _version_table(sa.MetaData())
    if not inspector.has_table("schema_version"):
        foreign = [name for name in _OUR_TABLES if inspector.has_table(name)]
        if foreign:
            raise StoreError(f"{where} has tables ({', '.join(foreign)}) but no schema_version: "
                             "it is not an eventcoder store; choose another database")
        table.create(conn)
    version = conn.execute(sa.select(sa.func.max(table.c.version))).scalar() or 0
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{where} has schema version {version}, newer than this eventcoder knows "
            f"(version {SCHEMA_VERSION}); upgrade eventcoder to open it")
    for number in range(version + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[number - 1](conn)
        conn.execute(sa.insert(table).values(version=number, applied_at=dt.datetime.now(dt.timezone.utc)))
    return SCHEMA_VERSION
