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
_OUR_TABLES = ("articles", "events", "event_sources", "evidence", "reports", "deleted")


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


def _v2_dedup_living_search(conn: sa.Connection) -> None:
    """Version 2: reports (one row per event as coded from one article), merge decisions, deletions,
    evidence.article_id, indexes for typical queries, and full-text search over article text.

    A version-1 store is carried over as it is: each stored event becomes the
    single report of itself (same id), its evidence gets its article.
    """
    md = sa.MetaData()
    reports = sa.Table(
        "reports", md,
        sa.Column("report_id", sa.String(32), primary_key=True),
        sa.Column("event_id_cnty", sa.String(32), nullable=False),
        sa.Column("article_id", sa.String(128), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("published", sa.Date),
        sa.Column("event_date", sa.Date),
        sa.Column("country", sa.Text),
        sa.Column("family", sa.String(64)),
        sa.Column("row", sa.Text, nullable=False),
        sa.Column("coded_at", sa.BigInteger, nullable=False),
    )
    sa.Index("ix_reports_event_id_cnty", reports.c.event_id_cnty)
    sa.Index("ix_reports_article_id", reports.c.article_id)
    sa.Index("ix_reports_family_date", reports.c.family, reports.c.event_date)
    sa.Index("ix_reports_seq", reports.c.seq)
    merges = sa.Table(
        "merges", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id_cnty", sa.String(32), nullable=False),
        sa.Column("report_id", sa.String(32), nullable=False),
        sa.Column("article_id", sa.String(128), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("decided_at", sa.BigInteger, nullable=False),
    )
    sa.Index("ix_merges_event_id_cnty", merges.c.event_id_cnty)
    deleted = sa.Table(
        "deleted", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id_cnty", sa.String(32), nullable=False),
        sa.Column("deleted_timestamp", sa.BigInteger, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("merged_into", sa.String(32)),
    )
    sa.Index("ix_deleted_event_id_cnty", deleted.c.event_id_cnty)
    sa.Index("ix_deleted_deleted_timestamp", deleted.c.deleted_timestamp)
    md.create_all(conn)
    conn.execute(sa.text("ALTER TABLE evidence ADD COLUMN article_id VARCHAR(128)"))
    conn.execute(sa.text("UPDATE evidence SET article_id = (SELECT events.article_id FROM events "
                         "WHERE events.event_id_cnty = evidence.event_id_cnty)"))
    for name, cols in (("ix_events_country_type_date", "country, event_type, event_date"),
                       ("ix_events_lat_lon", "latitude, longitude"),
                       ("ix_events_timestamp", "timestamp")):
        conn.execute(sa.text(f"CREATE INDEX {name} ON events ({cols})"))
    _backfill_reports(conn, reports)
    if conn.dialect.name == "sqlite":
        # The store keeps it in step with articles (rowid = fts_rowid(article id)); no triggers, so
        # a VACUUM that renumbers the articles table's rowids cannot break it.
        conn.execute(sa.text("CREATE VIRTUAL TABLE articles_fts USING fts5(article_id UNINDEXED, title, text, tokenize='porter unicode61')"))
        for r in conn.execute(sa.text("SELECT id, title, text FROM articles")).all():
            conn.execute(sa.text("INSERT INTO articles_fts(rowid, article_id, title, text) VALUES (:r, :i, :t, :x)"),
                         {"r": fts_rowid(r.id), "i": r.id, "t": r.title or "", "x": r.text})
    elif conn.dialect.name == "postgresql":
        conn.execute(sa.text(f"CREATE INDEX ix_articles_fts ON articles USING gin ({PG_TSVECTOR})"))


def fts_rowid(article_id: str) -> int:
    """The SQLite full-text row of an article: a stable 60-bit number from its id."""
    import hashlib

    return int(hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:15], 16)


# The PostgreSQL full-text document of an article (the expression its GIN index is built on).
PG_TSVECTOR = "to_tsvector('english', coalesce(title, '') || ' ' || text)"


def _backfill_reports(conn: sa.Connection, reports: sa.Table) -> None:
    """Give every version-1 event one report: itself, with its row and evidence as stored."""
    import json

    from eventcoder.dedup.rules import family

    md = sa.MetaData()
    events = sa.Table("events", md, autoload_with=conn)
    evidence = sa.Table("evidence", md, autoload_with=conn)
    articles = sa.Table("articles", md, autoload_with=conn)
    keys = ("field", "text", "start", "end", "sentence", "sentence_start", "sentence_end")
    stmt = (sa.select(events, articles.c.published, articles.c.ingested_at)
            .join(articles, articles.c.id == events.c.article_id)
            .order_by(articles.c.ingested_at, events.c.event_id_cnty))
    seq = 0
    for r in conn.execute(stmt).mappings().all():
        row = {k: v for k, v in r.items() if k not in ("salience", "score", "updated_at", "published", "ingested_at")}
        row["event_date"] = row["event_date"].isoformat() if row["event_date"] else ""
        row["evidence"] = [{k: ev[k] for k in keys} for ev in conn.execute(
            sa.select(evidence).where(evidence.c.event_id_cnty == r["event_id_cnty"])
            .order_by(evidence.c.id)).mappings()]
        seq += 1
        conn.execute(sa.insert(reports).values(
            report_id=r["event_id_cnty"], event_id_cnty=r["event_id_cnty"], article_id=r["article_id"],
            seq=seq, published=r["published"], event_date=dt.date.fromisoformat(row["event_date"])
            if row["event_date"] else None, country=row["country"], family=family(row),
            row=json.dumps(row, default=str), coded_at=r["timestamp"] or 0))


def _v3_summaries(conn: sa.Connection) -> None:
    """Version 3: summary tables for the API's map, timeline and key figures (``store.aggregates``),
    filled from the stored events, and indexes serving ACLED reads in their order (newest first, then id)."""
    from eventcoder.store import aggregates

    md = sa.MetaData()
    # The table definitions of version 3 live with the code that maintains them; a later change to
    # them needs a new migration, as for any table.
    aggregates.define_tables(md)
    md.create_all(conn)
    md_events = sa.MetaData()
    events = sa.Table("events", md_events, autoload_with=conn)
    for name, cols in (("ix_events_country_date_id", (events.c.country, events.c.event_date.desc(),
                                                      events.c.event_id_cnty)),
                       ("ix_events_date_id", (events.c.event_date.desc(), events.c.event_id_cnty))):
        sa.Index(name, *cols).create(conn)
    aggregates.rebuild(conn, weeks=False)  # the weekly cells come with version 5


def _v4_fewer_pages_per_event(conn: sa.Connection) -> None:
    """Version 4: fewer index entries and summary rows per written event (write throughput).

    ``ix_events_event_date`` and ``ix_events_country`` go: they are prefixes of
    ``ix_events_date_id`` and ``ix_events_country_date_id``, which serve the
    same filters and orders. The summary cells keep zoom levels 2 and 8 only
    (``aggregates.LEVELS``): each level costs two rows per written event, and
    grouped by day levels 4 and 6 hold hardly fewer rows than level 8 (100,000
    synthetic events over 3 years: 81,000 and 98,000 all-countries rows against
    100,000; level 2: 49,000).
    """
    for name in ("ix_events_event_date", "ix_events_country"):
        conn.execute(sa.text(f"DROP INDEX IF EXISTS {name}"))
    conn.execute(sa.text("DELETE FROM event_cells WHERE level NOT IN (2, 8)"))


def _v5_deferred_summaries(conn: sa.Connection) -> None:
    """Version 5: ``summary_pending``, the log of summary changes a write defers (``store.pending``).

    An older store's summaries are in step with its events, so the log starts empty.
    """
    from eventcoder.store import pending

    md = sa.MetaData()
    # The table definition of version 5 lives with the code that maintains it (as for version 3).
    pending.define_table(md)
    md.create_all(conn)


def _v6_read_paths(conn: sa.Connection) -> None:
    """Version 6 (read side): ``fatalities`` in the date indexes of ACLED reads, and weekly map cells.

    ``ix_events_date_id`` becomes (event_date DESC, event_id_cnty, fatalities) and
    ``ix_events_country_date_id`` (country, event_date DESC, event_id_cnty, fatalities):
    a read with ``fatalities_where`` then tests the toll in the index entry and looks up
    only the matching rows (a 7-day window of 1,000,000 events holds ~6,400 events, of
    which a few hundred pass ``fatalities >= 5``). Same number of indexes.

    ``event_cell_weeks`` (``store.period_cells``) holds the map cells of zoom levels 2 and 6
    per week, filled here from the stored events (about 10 s for 1,000,000 events).
    """
    from eventcoder.store import period_cells

    md = sa.MetaData()
    events = sa.Table("events", md, autoload_with=conn)
    c = events.c
    for name, cols in (("ix_events_date_id", (c.event_date.desc(), c.event_id_cnty, c.fatalities)),
                       ("ix_events_country_date_id", (c.country, c.event_date.desc(), c.event_id_cnty,
                                                      c.fatalities))):
        conn.execute(sa.text(f"DROP INDEX IF EXISTS {name}"))
        sa.Index(name, *cols).create(conn)
    # The table definition of version 6 lives with the code that maintains it (as for version 3).
    week_md = sa.MetaData()
    period_cells.define_table(week_md, period_cells.WEEK)
    week_md.create_all(conn)
    period_cells.rebuild(conn, [period_cells.WEEK])


def _v7_unused_merges_index(conn: sa.Connection) -> None:
    """Version 7: ``ix_merges_event_id_cnty`` goes (write throughput: one index entry less per decision).

    No statement reads ``merges`` through it: ``Store.explain`` asks for
    ``event_id_cnty = :id OR report_id IN (...)``, and with ``report_id``
    unindexed neither SQLite nor PostgreSQL can use an index for that OR, so it
    scans ``merges`` with or without it (EXPLAIN QUERY PLAN: ``SCAN merges``);
    recode's last-reason read filters on ``report_id`` alone. Every other index
    on ``events``, ``reports``, ``evidence``, ``event_sources`` and ``deleted``
    serves a query whose plan would otherwise scan the table (README, "Benchmark").
    """
    conn.execute(sa.text("DROP INDEX IF EXISTS ix_merges_event_id_cnty"))


def _v8_block_cells(conn: sa.Connection) -> None:
    """Version 8: ``event_cell_blocks``, the map cells of zoom level 6 per block of four weeks
    (``store.period_cells``).

    A 90-day map of one country then sums its two or three full blocks, the full weeks around them and the
    days at either end, instead of twelve weeks and the days (``api.map_bins``). Filled here from the stored
    events.
    """
    from eventcoder.store import period_cells

    md = sa.MetaData()
    period_cells.define_table(md, period_cells.BLOCK)
    md.create_all(conn)
    period_cells.rebuild(conn, [period_cells.BLOCK])

def _v9_write_generation(conn: sa.Connection) -> None:
    """Version 9: ``store_writes``, the store's write generation, and ``ix_merges_report_id``.

    Every write transaction that changes ``reports`` advances the generation
    (one row), inside the write lock. A writer keeps what it read of the
    stored reports for dedup from one batch to the next
    (``store.stored.StoredView``) only while the generation is the one its
    own last write left: another writer's commit makes it read afresh.

    ``ix_merges_report_id`` serves recode's last-reason read (the latest
    decision on a report that stays in its event), which scanned ``merges``
    once per re-coded report.
    """
    md = sa.MetaData()
    table = sa.Table("store_writes", md,
                     sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
                     sa.Column("generation", sa.BigInteger, nullable=False))
    md.create_all(conn)  # checkfirst, as the other migrations that add tables
    if conn.execute(sa.select(table.c.id)).first() is None:
        conn.execute(table.insert().values(id=1, generation=0))
    merges = sa.Table("merges", sa.MetaData(), autoload_with=conn)
    sa.Index("ix_merges_report_id", merges.c.report_id).create(conn, checkfirst=True)


# Version N is MIGRATIONS[N - 1].
MIGRATIONS: list[Migration] = [_v1_initial, _v2_dedup_living_search, _v3_summaries, _v4_fewer_pages_per_event,
                               _v5_deferred_summaries, _v6_read_paths, _v7_unused_merges_index,
                               _v8_block_cells, _v9_write_generation]

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
