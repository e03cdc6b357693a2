"""The read side's fast paths give the answers of the plain paths they replace.

- ACLED pages built as JSON by SQLite (``api.acled_json``) parse to exactly the
  rows of ``queries.select_rows`` + orjson, for any field list, filter and page,
  after updates and deletions, and fall back to the Python path when a number
  would not round-trip through SQLite's 15 digits;
- schema version 6 puts ``fatalities`` into the date indexes of ACLED reads.
"""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import orjson
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from eventcoder.api import acled_json, create_app, queries
from eventcoder.store import Store, schema
from eventcoder.store.migrations import MIGRATIONS, SCHEMA_VERSION

NOW = dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc)
AWKWARD_TEXT = ['plain', 'quote " and \\ backslash', "tab\tnew\nline\r\x01\x1f\x7f", "ünïcødé — 中文 🙂",
                "</script><script>alert(1)</script>", "", None]


def fill(store: Store, n: int = 240, seed: int = 3) -> None:
    """n events with awkward values: missing text and numbers, control characters, non-ASCII, no date."""
    rnd = random.Random(seed)
    with store.engine.begin() as conn:
        conn.execute(schema.articles.insert(), [{"id": f"art{i}", "text": "t", "body_start": 0, "ingested_at": NOW}
                                                for i in range(4)])
        rows = []
        for i in range(n):
            day = None if i % 37 == 0 else dt.date(2024, 1, 1) + dt.timedelta(days=rnd.randrange(60))
            rows.append({
                "event_id_cnty": f"IRQ{i:05d}", "event_date": day, "year": day.year if day else None,
                "time_precision": rnd.choice((1, 2, 3, None)), "disorder_type": "Political violence",
                "event_type": rnd.choice(("Battles", "Protests", None)), "sub_event_type": "Armed clash",
                "actor1": rnd.choice(AWKWARD_TEXT), "actor2": rnd.choice(AWKWARD_TEXT),
                "inter1": rnd.choice((1, 3, None)), "interaction": 13, "iso": 368,
                "country": rnd.choice(("Iraq", "Syria", "")), "admin1": rnd.choice(AWKWARD_TEXT),
                "location": rnd.choice(AWKWARD_TEXT), "notes": rnd.choice(AWKWARD_TEXT),
                "latitude": None if i % 11 == 0 else round(rnd.uniform(-90, 90), 4),
                "longitude": None if i % 11 == 0 else round(rnd.uniform(-180, 180), 4),
                "geo_precision": 1, "fatalities": rnd.choice((0, 1, 5, 12, None)), "timestamp": 1_700_000_000 + i,
                "article_id": f"art{i % 4}", "updated_at": NOW})
        conn.execute(schema.events.insert(), rows)


@pytest.fixture()
def store(tmp_path: Path):
    with Store.open(str(tmp_path / "reads.db")) as opened:
        fill(opened)
        yield opened


def python_page(conn: sa.Connection, conds, columns, limit: int, offset: int = 0) -> list[dict]:
    """The rows as the Python path serialises them (the reference)."""
    return orjson.loads(orjson.dumps(list(queries.select_rows(conn, conds, columns, limit=limit, offset=offset))))


CASES = [
    ({}, {}, None),
    ({"country": "Iraq"}, {}, "event_id_cnty|event_date|event_type|actor1|location|fatalities"),
    ({"event_date": "2024-01-10|2024-02-10", "fatalities": "5"}, {"event_date": "BETWEEN", "fatalities": ">="}, None),
    ({"actor1": "ü", "country": "Iraq|Syria"}, {"actor1": "LIKE"}, "notes|latitude|longitude|actor1|actor2"),
    ({"fatalities": "0"}, {}, "fatalities|event_date|year|time_precision"),
]


@pytest.mark.parametrize("filters,operators,fields", CASES)
def test_sqlite_json_rows_equal_the_python_rows(store: Store, filters, operators, fields) -> None:
    columns = queries.parse_fields(fields)
    conds = queries.acled_conditions(filters, operators)
    with store.engine.connect() as conn:
        for limit, offset in ((500, 0), (7, 0), (7, 14), (5, 10_000)):
            texts = acled_json.page_rows(conn, conds, columns, limit=limit, offset=offset)
            assert texts is not None
            got = [orjson.loads(t) for t in texts]
            want = python_page(conn, conds, columns, limit, offset)
            assert got == want
            assert [list(r) for r in got] == [columns] * len(got)  # keys in the asked order
            # Same bytes as orjson makes of the Python rows (coordinates have 4 decimals here).
            assert acled_json.page_body(texts, None) == orjson.dumps(
                {"success": True, "count": len(want), "total_count": None, "data": want})


def test_rows_follow_updates_and_deletions(store: Store) -> None:
    columns = queries.parse_fields(None)
    with store.engine.begin() as conn:
        e = schema.events.c
        conn.execute(schema.events.update().where(e.event_id_cnty == "IRQ00005")
                     .values(notes='changed "notes"\n', fatalities=99, latitude=1.5))
        conn.execute(schema.events.delete().where(e.event_id_cnty == "IRQ00006"))
    with store.engine.connect() as conn:
        texts = acled_json.page_rows(conn, [], columns, limit=5000)
        rows = {r["event_id_cnty"]: r for r in map(orjson.loads, texts)}
        assert rows == {r["event_id_cnty"]: r for r in python_page(conn, [], columns, 5000)}
    assert rows["IRQ00005"]["notes"] == 'changed "notes"\n' and rows["IRQ00005"]["fatalities"] == 99
    assert "IRQ00006" not in rows


@pytest.mark.parametrize("column,value", [("latitude", 0.1 + 0.2), ("longitude", 1 / 3), ("fatalities", 2.1 + 0.2),
                                          ("latitude", float("inf"))])
def test_numbers_sqlite_cannot_write_exactly_take_the_python_path(store: Store, tmp_path: Path, column, value) -> None:
    """A REAL whose 15-digit text is not the same double (or is not JSON at all) sends the page to Python."""
    with store.engine.begin() as conn:
        conn.execute(schema.events.update().where(schema.events.c.event_id_cnty == "IRQ00001").values({column: value}))
    conds = queries.acled_conditions({"event_id_cnty": "IRQ00001|IRQ00002"}, {})
    with store.engine.connect() as conn:
        assert acled_json.page_rows(conn, conds, [column], limit=10) is None
        assert acled_json.page_rows(conn, queries.acled_conditions({"event_id_cnty": "IRQ00002"}, {}),
                                    [column], limit=10) is not None
    client = TestClient(create_app(str(tmp_path / "reads.db")))
    body = client.get("/api/acled/read", params={"event_id_cnty": "IRQ00001", "fields": column}).json()
    want = None if value == float("inf") else value  # orjson writes infinity as null
    assert body["data"] == [{column: want}] and body["count"] == 1


def test_endpoint_answers_equal_the_python_path(store: Store, tmp_path: Path, monkeypatch) -> None:
    client = TestClient(create_app(str(tmp_path / "reads.db")))
    params = [{}, {"country": "Iraq", "limit": "9", "page": "2", "with_total": "true"},
              {"fields": "notes|actor1", "notes": "script", "notes_where": "LIKE"},
              {"event_date": "2024-01-05|2024-01-20", "event_date_where": "BETWEEN", "fatalities": "1",
               "fatalities_where": ">"}]
    fast = [client.get("/api/acled/read", params=p) for p in params]
    monkeypatch.setattr(acled_json, "page_rows", lambda *a, **k: None)
    slow = [client.get("/api/acled/read", params=p) for p in params]
    for f, s in zip(fast, slow):
        assert f.status_code == s.status_code == 200
        assert f.headers["content-type"] == s.headers["content-type"] == "application/json"
        assert f.content == s.content
    assert fast[1].json()["total_count"] > fast[1].json()["count"] == 9


def _index_columns(conn: sa.Connection, name: str) -> list[str]:
    return [r[2] for r in conn.exec_driver_sql(f"PRAGMA index_info({name})")]


def test_v6_puts_fatalities_in_the_date_indexes(tmp_path: Path) -> None:
    """A version-5 store opens as version 6 with the two read indexes extended (and reads use them), and its
    weekly map cells filled from the stored events."""
    path = str(tmp_path / "old.db")
    with Store.open(path) as s:
        fill(s, n=50)
        with s.engine.begin() as conn:
            for name in ("ix_events_date_id", "ix_events_country_date_id"):
                conn.exec_driver_sql(f"DROP INDEX {name}")
            conn.exec_driver_sql("CREATE INDEX ix_events_date_id ON events (event_date DESC, event_id_cnty)")
            conn.exec_driver_sql("CREATE INDEX ix_events_country_date_id ON events "
                                 "(country, event_date DESC, event_id_cnty)")
            conn.exec_driver_sql("DROP TABLE event_cell_weeks")
            conn.exec_driver_sql("DROP TABLE event_cell_blocks")
            conn.exec_driver_sql("DELETE FROM schema_version WHERE version >= 6")
    assert len(MIGRATIONS) == SCHEMA_VERSION == 9
    with Store.open(path) as s, s.engine.connect() as conn:
        assert s.schema_version() == 9
        assert _index_columns(conn, "ix_events_date_id") == ["event_date", "event_id_cnty", "fatalities"]
        assert _index_columns(conn, "ix_events_country_date_id") == ["country", "event_date", "event_id_cnty",
                                                                     "fatalities"]
        conds = queries.acled_conditions({"event_date": "2024-01-01|2024-01-09", "fatalities": "5"},
                                         {"event_date": "BETWEEN", "fatalities": ">="})
        stmt = sa.select(schema.events.c.event_id_cnty).where(*conds).order_by(*queries.ORDER)
        plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + str(stmt.compile(conn, compile_kwargs={"literal_binds": True}))))
        assert "ix_events_date_id" in plan and "TEMP B-TREE" not in plan
        w = schema.event_cell_weeks.c
        placed = conn.execute(sa.select(sa.func.count()).select_from(schema.events)
                              .where(schema.events.c.latitude.is_not(None))).scalar_one()
        assert placed > 0 and conn.execute(sa.select(sa.func.sum(w.n)).where(w.level == 6, w.scope == 1)).scalar() \
            == placed


def test_serve_default_threads_is_the_apps() -> None:
    from eventcoder.api.app import DEFAULT_THREADS
    from eventcoder.cli.serve_cmds import serve

    assert next(p.default for p in serve.params if p.name == "threads") == DEFAULT_THREADS
