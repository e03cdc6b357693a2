"""Tests for the event store: schema and migrations, saving articles and events, queries.

The ``store`` fixture runs every test that uses it against SQLite and against
the real PostgreSQL server named by ``EVENTCODER_TEST_POSTGRES`` (a fresh
schema per test, dropped afterwards); the PostgreSQL runs are skipped with a
reason when the variable is absent or the server is unreachable.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import sqlite3
import sys
import types
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventcoder.errors import StoreError
from eventcoder.export import event_to_row
from eventcoder.store import SCHEMA_VERSION, Store, normalise_url
from eventcoder.store import schema as store_schema
from eventcoder.vocab import ACLED_COLUMNS, Actor, Article, Event, Evidence, Place

TEXT = "MOSUL – Gunmen killed two civilians in Makhmour on Friday. Police arrested three suspects."


@dataclass
class FakeCountry:
    """Stands in for resolve.countries.CountryInfo."""

    name: str
    iso2: str
    iso3: str
    isonumeric: int
    region: str


@pytest.fixture(autouse=True)
def fake_countries(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fixed country table, so rows do not depend on the resolve package's data."""
    table = [FakeCountry("Iraq", "IQ", "IRQ", 368, "Middle East"),
             FakeCountry("Syria", "SY", "SYR", 760, "Middle East")]
    module = types.ModuleType("eventcoder.resolve.countries")
    module.country_info = lambda key: next(  # type: ignore[attr-defined]
        (c for c in table if key.upper() == c.iso2 or key.lower() == c.name.lower()), None)
    monkeypatch.setitem(sys.modules, "eventcoder.resolve.countries", module)


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    """Where a test's SQLite store lives."""
    return tmp_path / "events.db"


PG_ENV = "EVENTCODER_TEST_POSTGRES"


@functools.lru_cache(maxsize=1)
def postgres_unavailable() -> str | None:
    """Why the PostgreSQL store tests cannot run (None when they can)."""
    dsn = os.environ.get(PG_ENV)
    if not dsn:
        return f"{PG_ENV} is not set: PostgreSQL store tests skipped (scripts/test.sh sets it)"
    try:
        import psycopg

        with psycopg.connect(dsn, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means: skip, saying why
        return f"PostgreSQL at {dsn} is unreachable: {exc}"
    return None


@contextlib.contextmanager
def postgres_schema():
    """A fresh schema in the test PostgreSQL database; yields a store URL using it, drops it after."""
    import psycopg

    dsn = os.environ[PG_ENV]
    name = f"ectest_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    try:
        yield f"{dsn}{'&' if '?' in dsn else '?'}options=-csearch_path%3D{name}"
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {name} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, db_path: Path):
    """A store location on each backend: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(db_path)
        return
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    with postgres_schema() as url:
        yield url


@pytest.fixture()
def store(store_url: str):
    """A fresh store on each backend."""
    with Store.open(store_url) as opened:
        yield opened


def count(store: Store, table: str) -> int:
    """Rows in a store table."""
    with store.engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


def is_sqlite(store: Store) -> bool:
    return store.engine.dialect.name == "sqlite"


def place(name: str = "Makhmour", country: str = "IQ", admin1: str = "Erbil") -> Place:
    """A resolved town."""
    names = {"IQ": "Iraq", "SY": "Syria"}
    return Place(name, 35.7751, 43.5806, country=names[country], country_code=country,
                 admin1=admin1, admin2=name, geo_precision=1)


def article(article_id: str = "a1", text: str = TEXT) -> Article:
    """A stored report."""
    return Article(id=article_id, text=text, title="Attack in Makhmour", published=dt.date(2024, 3, 9),
                   publisher="Kurdistan 24", url=f"https://example.org/{article_id}",
                   dateline_place="Mosul", dateline_country="IQ", body_start=8)


def event(article_id: str = "a1", *, sub: str = "Attack", date: dt.date = dt.date(2024, 3, 8),
          actor1: str = "Unidentified Armed Group (Iraq)", actor2: str | None = "Civilians (Iraq)",
          where: Place | None = None, **overrides: object) -> Event:
    """A Violence-against-civilians event with evidence."""
    types_ = {"Attack": "Violence against civilians", "Armed clash": "Battles", "Arrests": "Strategic developments"}
    start = TEXT.index("Gunmen")
    end = TEXT.index(".") + 1
    values: dict[str, object] = dict(
        event_type=types_[sub], sub_event_type=sub, event_date=date, time_precision=1,
        actor1=Actor(actor1, 3), actor2=Actor(actor2, 7) if actor2 else None,
        assoc_actor_2=["Farmers (Iraq)"], place=where or place(), fatalities=2,
        notes="Gunmen killed two civilians.", source="Kurdistan 24", source_scale="Subnational",
        article_id=article_id,
        evidence=[Evidence("actor1", "Gunmen", start, start + 6, TEXT[start:end], start, end),
                  Evidence("fatalities", "two", TEXT.index("two"), TEXT.index("two") + 3, TEXT[start:end], start, end)],
        timestamp=1_700_000_000,
    )
    values.update(overrides)
    return Event(**values)  # type: ignore[arg-type]


# -- schema and migrations -----------------------------------------------------

def test_schema_created_and_version_recorded(store: Store) -> None:
    assert store.schema_version() == SCHEMA_VERSION == 9
    inspector = sa.inspect(store.engine)
    tables = set(inspector.get_table_names())
    assert {"schema_version", "articles", "events", "event_sources", "evidence",
            "reports", "merges", "deleted"} <= tables
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT max(version) FROM schema_version")).scalar() == SCHEMA_VERSION
    indexes = {ix["name"] for ix in inspector.get_indexes("events")}
    for col in ("admin1", "event_type", "sub_event_type", "actor1", "actor2", "article_id",
                "country_type_date", "lat_lon", "timestamp", "country_date_id", "date_id"):
        assert f"ix_events_{col}" in indexes
    # Version 4 dropped these two: prefixes of ix_events_date_id and ix_events_country_date_id.
    assert not {"ix_events_event_date", "ix_events_country"} & indexes
    # Version 7 dropped this one: no query reads merges through it.
    assert "ix_merges_event_id_cnty" not in {ix["name"] for ix in inspector.get_indexes("merges")}


def test_migrated_columns_match_schema_module(store: Store) -> None:
    """The migrations and schema.py describe the same tables."""
    inspector = sa.inspect(store.engine)
    for table in store_schema.metadata.sorted_tables:
        assert [c["name"] for c in inspector.get_columns(table.name)] == [c.name for c in table.columns]
    event_columns = [c["name"] for c in inspector.get_columns("events")]
    assert event_columns[:31] == list(ACLED_COLUMNS)
    assert [c["name"] for c in inspector.get_columns("evidence")][-1] == "article_id"


def test_reopen_runs_nothing_new(db_path: Path) -> None:
    Store.open(str(db_path)).close()
    with Store.open(f"sqlite:///{db_path}") as again:
        assert again.schema_version() == SCHEMA_VERSION
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    con.close()


def test_reopen_runs_nothing_new_on_each_backend(store_url: str) -> None:
    Store.open(store_url).close()
    with Store.open(store_url) as again:
        assert again.schema_version() == SCHEMA_VERSION
        assert count(again, "schema_version") == SCHEMA_VERSION


def test_v6_store_opens_as_v9_without_the_merges_event_index(store_url: str) -> None:
    """A version-6 store (with ix_merges_event_id_cnty; no write generation, no ix_merges_report_id) opens as
    version 9: the event index gone, the report index and the generation there; decisions, explain and writes
    go on as before."""
    with Store.open(store_url) as s:
        s.save_batch([(article("m1"), [event("m1")]), (article("m2"), [event("m2")])])
        with s.engine.begin() as conn:
            conn.execute(sa.text("CREATE INDEX ix_merges_event_id_cnty ON merges (event_id_cnty)"))
            conn.execute(sa.text("DROP INDEX ix_merges_report_id"))
            conn.execute(sa.text("DROP TABLE store_writes"))
            conn.execute(sa.text("DELETE FROM schema_version WHERE version >= 7"))
        before = s.explain(next(s.query_events())["event_id_cnty"])
    with Store.open(store_url) as s:
        assert s.schema_version() == SCHEMA_VERSION == 9
        names = {ix["name"] for ix in sa.inspect(s.engine).get_indexes("merges")}
        assert "ix_merges_event_id_cnty" not in names and "ix_merges_report_id" in names
        assert s.explain(before["event_id_cnty"]) == before
        assert s.save_batch([(article("m3"), [event("m3")])]) == [True]
        assert len(s.explain(before["event_id_cnty"])["decisions"]) == 3
        with s.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT generation FROM store_writes")).scalar_one() == 1


def test_recode_reads_a_reports_last_decision_through_its_index(db_path: Path) -> None:
    """Version 9: recode's read of a report's latest decision searches ``ix_merges_report_id`` (it scanned
    ``merges`` once per re-coded report)."""
    from eventcoder.store import writer

    with Store.open(str(db_path)) as s, s.engine.connect() as conn:
        sql = str(writer._LAST_REASON.compile(conn, compile_kwargs={"literal_binds": False}))
        plan = " ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, ("IRQ1", 1, 0)))
    assert "USING INDEX ix_merges_report_id" in plan and "SCAN merges" not in plan


def test_newer_schema_version_refuses_to_open(db_path: Path) -> None:
    Store.open(str(db_path)).close()
    con = sqlite3.connect(db_path)
    con.execute("INSERT INTO schema_version VALUES (?, '2030-01-01 00:00:00')", (SCHEMA_VERSION + 1,))
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer than this eventcoder knows"):
        Store.open(str(db_path))


def test_foreign_database_refused(db_path: Path) -> None:
    con = sqlite3.connect(db_path)
    con.execute("CREATE TABLE events (x INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="not an eventcoder store"):
        Store.open(str(db_path))


def test_wal_foreign_keys_and_busy_timeout(db_path: Path) -> None:
    with Store.open(str(db_path)) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
        # Durable on commit against a crash of the process (WAL + NORMAL); checkpoints every 40,000 pages.
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 40_000


def test_bad_locations(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(str(tmp_path / "missing" / "events.db"))
    with pytest.raises(StoreError, match="folder"):
        Store.open(str(tmp_path))
    not_db = tmp_path / "notes.txt"
    not_db.write_text("this is not a database " * 100)
    with pytest.raises(StoreError):
        Store.open(str(not_db))


def test_url_forms(tmp_path: Path) -> None:
    assert normalise_url(":memory:") == "sqlite://"
    assert normalise_url(str(tmp_path / "e.db")) == f"sqlite:///{tmp_path / 'e.db'}"
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgresql+psycopg2://u@h/db") == "postgresql+psycopg2://u@h/db"


def test_in_memory_store() -> None:
    with Store.open(":memory:") as mem:
        assert mem.save_article_events(article(), [event()])
        assert mem.stats() == {"articles": 1, "events": 1}


# -- saving -------------------------------------------------------------------

def with_sources(row: dict) -> dict:
    """An event_to_row row as the store returns it: each evidence dict names its article."""
    return row | {"evidence": [ev | {"article_id": row["article_id"]} for ev in row["evidence"]]}


def test_round_trip_equals_event_to_row(store: Store) -> None:
    ev = event()
    assert store.save_article_events(article(), [ev])
    rows = list(store.query_events())
    assert rows == [with_sources(event_to_row(ev))]
    assert rows[0]["evidence"][1]["text"] == "two"
    assert rows[0]["country"] == "Iraq" and rows[0]["iso"] == 368


def test_round_trip_with_missing_values(store: Store) -> None:
    ev = event(actor2=None, fatalities=None, date=None, time_precision=None,
               where=Place("Nowhere", None, None), evidence=[])
    store.save_article_events(article(), [ev])
    assert list(store.query_events()) == [with_sources(event_to_row(ev))]


def test_store_fills_article_id_and_timestamp(store: Store) -> None:
    ev = event(article_id="", timestamp=0)
    store.save_article_events(article("a9"), [ev])
    (row,) = store.query_events()
    assert row["article_id"] == "a9" and row["timestamp"] > 1_600_000_000
    # The generated id is the one event_to_row derives for the event as saved.
    assert row == with_sources(event_to_row(event(article_id="a9", timestamp=0), timestamp=row["timestamp"]))


def test_get_article_and_has_article(store: Store) -> None:
    assert not store.has_article("a1") and store.get_article("a1") is None
    store.save_article_events(article(), [])
    assert store.has_article("a1")
    assert store.get_article("a1") == article()


def test_ingesting_twice_adds_nothing(store: Store) -> None:
    assert store.save_article_events(article(), [event()])
    before = list(store.query_events())
    assert not store.save_article_events(article(), [event(), event(sub="Arrests")])
    assert list(store.query_events()) == before
    assert store.stats() == {"articles": 1, "events": 1}
    assert count(store, "evidence") == 2
    assert count(store, "event_sources") == 1
    assert count(store, "reports") == 1


def test_changed_text_replaces_events(store: Store) -> None:
    store.save_article_events(article(), [event(), event(sub="Armed clash")])
    assert store.count_events() == 2
    new_text = TEXT + " Updated."
    assert store.save_article_events(article(text=new_text), [event(sub="Arrests", evidence=[])])
    rows = list(store.query_events())
    assert [r["sub_event_type"] for r in rows] == ["Arrests"]
    assert store.get_article("a1").text == new_text
    assert count(store, "evidence") == 0
    assert count(store, "event_sources") == 1
    # The two events the report no longer codes are published as deletions.
    gone = store.deleted_since(0)
    assert len(gone) == 2 and all(d["merged_into"] is None and "a1 changed" in d["reason"] for d in gone)


def test_sources_include_every_report(store: Store) -> None:
    store.save_article_events(article("a1"), [event(event_id_cnty="IRQ1", article_ids=["a1", "a2", "a3"])])
    with store.engine.connect() as conn:
        sources = conn.execute(sa.text("SELECT article_id FROM event_sources")).scalars()
        assert sorted(sources) == ["a1", "a2", "a3"]


def test_explicit_id_joins_the_event_of_another_article(store: Store) -> None:
    """An event saved under an existing event's id is another report of that event."""
    store.save_article_events(article("a1"), [event("a1", event_id_cnty="IRQ77")])
    store.save_article_events(article("a2", TEXT + " b"), [event("a2", event_id_cnty="IRQ77", fatalities=1,
                                                                source="Rudaw")])
    (row,) = store.query_events()
    assert row["event_id_cnty"] == "IRQ77" and row["article_id"] == "a1"
    assert row["fatalities"] == 1 and row["source"] == "Kurdistan 24; Rudaw"
    assert {e["article_id"] for e in row["evidence"]} == {"a1", "a2"}


def test_generated_id_collision_steps_to_a_new_id(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A hashed id already taken by another article's event is not overwritten."""
    import eventcoder.export.rows as rows_module

    real = rows_module.make_event_id

    def colliding(iso3, article_id, sub, date, location, attempt=0):
        return f"{iso3}00000001" if attempt == 0 else real(iso3, article_id, sub, date, location, attempt)

    monkeypatch.setattr(rows_module, "make_event_id", colliding)
    monkeypatch.setattr("eventcoder.store.store.make_event_id", colliding)
    store.save_article_events(article("a1"), [event("a1")])
    # Other days than a1's event: different events, whose hashed ids all collide with it.
    store.save_article_events(article("a2", TEXT + " b"), [event("a2", date=dt.date(2024, 3, 1)),
                                                           event("a2", sub="Arrests", date=dt.date(2024, 3, 2))])
    ids = [r["event_id_cnty"] for r in store.query_events()]
    assert len(ids) == 3 and len(set(ids)) == 3 and "IRQ00000001" in ids


def test_duplicate_explicit_ids_in_one_article_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="two events"):
        store.save_article_events(article(), [event(event_id_cnty="X1"), event(event_id_cnty="X1")])
    assert store.stats() == {"articles": 0, "events": 0}  # the transaction rolled back


# -- queries ------------------------------------------------------------------

@pytest.fixture()
def filled(store: Store) -> Store:
    """Four events over two articles, two countries, three days."""
    store.save_article_events(article("a1"), [
        event("a1", date=dt.date(2024, 3, 8)),
        event("a1", sub="Armed clash", date=dt.date(2024, 3, 9), actor2="Military Forces of Iraq (2022-)"),
    ])
    store.save_article_events(article("a2", TEXT + " 2"), [
        event("a2", date=dt.date(2024, 3, 10), where=place("Raqqa", "SY", "Ar-Raqqa"),
              actor1="Islamic State (Syria)"),
        event("a2", sub="Arrests", date=dt.date(2024, 3, 7), where=place("Kirkuk", "IQ", "Kirkuk"),
              actor1="Police Forces of Iraq (2022-)", actor2=None),
    ])
    return store


def test_order_newest_first(filled: Store) -> None:
    dates = [r["event_date"] for r in filled.query_events()]
    assert dates == ["2024-03-10", "2024-03-09", "2024-03-08", "2024-03-07"]


@pytest.mark.parametrize(("filters", "expected"), [
    ({}, 4),
    ({"start": dt.date(2024, 3, 8)}, 3),
    ({"end": dt.date(2024, 3, 8)}, 2),
    ({"start": dt.date(2024, 3, 8), "end": dt.date(2024, 3, 9)}, 2),
    ({"country": "Iraq"}, 3),
    ({"country": "Syria"}, 1),
    ({"country": ["Syria", "Iraq"]}, 4),
    ({"admin1": "Kirkuk"}, 1),
    ({"event_type": "Battles"}, 1),
    ({"sub_event_type": "Attack"}, 2),
    ({"actor": "military forces"}, 1),  # matches actor2, case-insensitive
    ({"actor": "of iraq"}, 2),
    ({"actor": "(IRAQ)"}, 3),
    ({"actor": "%"}, 0),  # LIKE wildcards are literal
    ({"country": "Iraq", "event_type": "Violence against civilians"}, 1),
])
def test_filters(filled: Store, filters: dict, expected: int) -> None:
    rows = list(filled.query_events(**filters))
    assert len(rows) == expected
    assert filled.count_events(**filters) == expected


def test_limit_and_offset(filled: Store) -> None:
    all_ids = [r["event_id_cnty"] for r in filled.query_events()]
    assert [r["event_id_cnty"] for r in filled.query_events(limit=2)] == all_ids[:2]
    assert [r["event_id_cnty"] for r in filled.query_events(limit=2, offset=2)] == all_ids[2:]
    assert [r["event_id_cnty"] for r in filled.query_events(offset=3)] == all_ids[3:]


def test_evidence_attached_to_each_row(filled: Store) -> None:
    for row in filled.query_events():
        assert [e["field"] for e in row["evidence"]] == ["actor1", "fatalities"]


def test_stats(filled: Store) -> None:
    assert filled.stats() == {"articles": 2, "events": 4}


def test_many_events_stream_across_chunks(store: Store) -> None:
    """More events than one fetch chunk: every row still gets its own evidence."""
    events = [event(date=dt.date(2020, 1, 1) + dt.timedelta(days=i)) for i in range(1200)]
    store.save_article_events(article(), events)
    rows = list(store.query_events())
    assert len(rows) == 1200 and all(len(r["evidence"]) == 2 for r in rows)


def test_insert_many_converts_values_as_sqlalchemy_does(store: Store) -> None:
    """Bulk rows read back as SQLAlchemy's own insert stores them: dates, datetimes and NULLs, one-column rows."""
    from eventcoder.store.bulk import insert_many

    now = dt.datetime(2024, 3, 9, 12, 30, tzinfo=dt.timezone.utc)
    rows = [dict(id=f"bulk{i}", url=None, title=None, published=dt.date(2024, 3, i) if i else None,
                 publisher="P", source_path=None, dateline_place=None, dateline_country=None, body_start=0,
                 text=f"text {i}", ingested_at=now) for i in range(3)]
    with store.engine.begin() as conn:
        insert_many(conn, store_schema.articles, rows)
        insert_many(conn, store_schema.schema_version, [{"version": 99}][:0])  # no rows: nothing happens
        with pytest.raises(ValueError, match="every row needs"):
            insert_many(conn, store_schema.articles, [rows[0], {"id": "short"}])
    a = store_schema.articles.c
    with store.engine.connect() as conn:
        got = conn.execute(sa.select(a.id, a.published, a.title, a.ingested_at).where(a.id.like("bulk%"))
                           .order_by(a.id)).all()
    assert [(r.id, r.published, r.title) for r in got] == [(f"bulk{i}", rows[i]["published"], None) for i in range(3)]
    assert all(r.ingested_at.replace(tzinfo=dt.timezone.utc) == now for r in got)
