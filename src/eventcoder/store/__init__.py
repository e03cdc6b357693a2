"""Event store: SQLite by default (WAL), PostgreSQL for shared use, one SQLAlchemy Core layer, versioned schema."""
from eventcoder.store.engine import normalise_url
from eventcoder.store.migrations import MIGRATIONS, SCHEMA_VERSION
from eventcoder.store.store import Store

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Store", "normalise_url"]
