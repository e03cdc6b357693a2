"""The store's tables as they are after every migration has run (used for queries, not to create them).

Migrations in ``migrations.py`` create and alter the tables; a test checks
that a migrated database has exactly the columns declared here.
"""
from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version", metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
)

articles = sa.Table(
    "articles", metadata,
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

# The 31 ACLED columns as typed columns, in ACLED order.
ACLED_COLUMN_TYPES: dict[str, sa.types.TypeEngine] = {
    "event_id_cnty": sa.String(32),
    "event_date": sa.Date(),
    "year": sa.Integer(),
    "time_precision": sa.Integer(),
    "disorder_type": sa.Text(),
    "event_type": sa.String(64),
    "sub_event_type": sa.String(64),
    "actor1": sa.Text(),
    "assoc_actor_1": sa.Text(),
    "inter1": sa.Integer(),
    "actor2": sa.Text(),
    "assoc_actor_2": sa.Text(),
    "inter2": sa.Integer(),
    "interaction": sa.Integer(),
    "civilian_targeting": sa.Text(),
    "iso": sa.Integer(),
    "region": sa.Text(),
    "country": sa.Text(),
    "admin1": sa.Text(),
    "admin2": sa.Text(),
    "admin3": sa.Text(),
    "location": sa.Text(),
    "latitude": sa.Double(),
    "longitude": sa.Double(),
    "geo_precision": sa.Integer(),
    "source": sa.Text(),
    "source_scale": sa.Text(),
    "notes": sa.Text(),
    "fatalities": sa.Integer(),
    "tags": sa.Text(),
    "timestamp": sa.BigInteger(),
}

events = sa.Table(
    "events", metadata,
    *[sa.Column(name, type_, primary_key=(name == "event_id_cnty"))
      for name, type_ in ACLED_COLUMN_TYPES.items()],
    sa.Column("article_id", sa.String(128), sa.ForeignKey("articles.id"), nullable=False),
    sa.Column("salience", sa.String(32)),
    sa.Column("score", sa.Double),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# No foreign key on article_id: a merged event may cite a report not (yet) stored.
event_sources = sa.Table(
    "event_sources", metadata,
    sa.Column("event_id_cnty", sa.String(32),
              sa.ForeignKey("events.event_id_cnty", ondelete="CASCADE"), primary_key=True),
    sa.Column("article_id", sa.String(128), primary_key=True),
)

evidence = sa.Table(
    "evidence", metadata,
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
    # The report the span is in (a merged event has evidence from several reports).
    sa.Column("article_id", sa.String(128)),
)

# One row per event as coded from one article; ``event_id_cnty`` is the (merged) event it belongs to.
# ``row`` is the report's ACLED row as JSON (with its evidence); ``seq`` orders reports by arrival.
reports = sa.Table(
    "reports", metadata,
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

# Every dedup decision: a report starting an event ("new") or joining one ("merge"), with the reason.
merges = sa.Table(
    "merges", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id_cnty", sa.String(32), nullable=False),
    sa.Column("report_id", sa.String(32), nullable=False),
    sa.Column("article_id", sa.String(128), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("decided_at", sa.BigInteger, nullable=False),
)

# Events that left the dataset (merged into another, or no longer coded), like ACLED's deleted endpoint.
deleted = sa.Table(
    "deleted", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id_cnty", sa.String(32), nullable=False),
    sa.Column("deleted_timestamp", sa.BigInteger, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("merged_into", sa.String(32)),
)

# The store's write generation (version 9): one row, advanced by every write that changes ``reports``
# (``store.stored``: a writer's cached view of the stored reports is valid while nobody else wrote).
store_writes = sa.Table(
    "store_writes", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("generation", sa.BigInteger, nullable=False),
)

# Summary tables (version 3), kept in step with events by ``store.aggregates``; read by the API.
from eventcoder.store.aggregates import define_tables as _define_summary_tables  # noqa: E402

event_days, event_cells, actor_days = _define_summary_tables(metadata)

# Deferred summary maintenance (version 5): what writes changed, until ``store.pending.refresh`` applies it.
from eventcoder.store.pending import define_table as _define_pending_table  # noqa: E402

summary_pending = _define_pending_table(metadata)

# Weekly (version 6) and four-week (version 8) map cells, kept in step by ``store.aggregates`` through
# ``store.period_cells``.
from eventcoder.store.period_cells import BLOCK as _BLOCK, define_table as _define_period_table  # noqa: E402

event_cell_weeks = _define_period_table(metadata)
event_cell_blocks = _define_period_table(metadata, _BLOCK)
