"""Event store: SQLite by default (WAL), PostgreSQL for shared use, one SQLAlchemy Core layer, versioned schema."""
from eventcoder.store.engine import normalise_url
from eventcoder.store.migrations import MIGRATIONS, SCHEMA_VERSION
from eventcoder.store.store import BULK_SUMMARY_EVERY, Store

__all__ = ["BULK_SUMMARY_EVERY", "MIGRATIONS", "SCHEMA_VERSION", "Store", "normalise_url"]
