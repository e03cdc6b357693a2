"""Deferred summary maintenance (store.pending, schema v5) on both backends: while writes wait in the log the
API still answers exactly (from events), a refresh leaves the summaries equal to a rebuild, a writer killed
before its refresh loses nothing, and immediate and deferred writers can share a store."""
from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
import textwrap

import pytest
import sqlalchemy as sa

from eventcoder.api import summaries
from eventcoder.api.selection import Filters
from eventcoder.errors import StoreError
from eventcoder.store import Store, pending, schema
from eventcoder.store import store as store_module

from test_aggregates import FILTERS, TABLES, assert_api_agrees, assert_in_step, raw, snapshot, town
from test_store import article, db_path, event, fake_countries, place, store_url  # noqa: F401

SUBS = ("Attack", "Armed clash", "Arrests")


@pytest.fixture(autouse=True)
def no_time_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches apply the log by count only here, however slowly a test's checks run between them."""
    monkeypatch.setattr(store_module, "SUMMARY_GAP_SECONDS", 3600.0)
    monkeypatch.setattr(store_module, "SUMMARY_SECONDS", 3600.0)


def pending_rows(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(schema.summary_pending)).scalar_one()


def random_items(rnd: random.Random, prefix: str, n: int) -> list:
    towns = [town(f"T{i}", 33 + rnd.random() * 4, 40 + rnd.random() * 6, rnd.choice(("IQ", "SY")))
             for i in range(5)] + [place()]
    items = []
    for i in range(n):
        evs = [event(f"{prefix}{i}", sub=rnd.choice(SUBS),
                     date=dt.date(2024, 3, 1) + dt.timedelta(days=rnd.randrange(8)), where=rnd.choice(towns),
                     fatalities=rnd.randrange(5),
                     actor1=rnd.choice(("Militia A", "Police Forces of Iraq", "Unidentified Armed Group (Iraq)")))]
        items.append((article(f"{prefix}{i}", f"Report {prefix}{i}: " + "x" * i), evs))
    return items


def test_deferred_writes_stay_exact_until_and_after_refresh(store_url: str) -> None:  # noqa: F811
    rnd = random.Random(7)
    items = random_items(rnd, "d", 24)
    with Store.open(store_url, summary_every=1000) as store:
        with store.engine.connect() as conn:
            before = snapshot(conn)
        for k in range(0, 24, 6):
            store.save_batch(items[k:k + 6])
        # Nothing applied yet: the summary tables are as they were, the log holds the writes...
        with store.engine.connect() as conn:
            assert snapshot(conn) == before
            assert pending.stale(conn, None, None, None)
        assert pending_rows(store) > 0
        # ...and every aggregate the API gives still equals a count over events.
        assert_api_agrees(store, FILTERS)
        # Changes and deletions while earlier additions still wait in the log.
        recoded = [(a, [] if rnd.random() < 0.3 else [
            event(a.id, sub=rnd.choice(SUBS), date=dt.date(2024, 3, 1) + dt.timedelta(days=rnd.randrange(8)),
                  where=place(), fatalities=rnd.randrange(9), actor2=None)]) for a, _ in items[:10]]
        result = store.recode_batch(recoded)
        assert result.changed or result.deleted
        assert_api_agrees(store, FILTERS)
        assert store.refresh_summaries() > 0
        assert pending_rows(store) == 0
        assert_in_step(store)
        assert_api_agrees(store, FILTERS)
        store.save_batch(random_items(rnd, "e", 5))
        assert pending_rows(store) > 0
    # close() applied the rest
    with Store.open(store_url) as store:
        assert pending_rows(store) == 0
        assert_in_step(store)


def test_every_nth_batch_applies_the_log(store_url: str) -> None:  # noqa: F811
    rnd = random.Random(3)
    items = random_items(rnd, "n", 9)
    with Store.open(store_url, summary_every=3) as store:
        store.save_batch(items[0:3])
        store.save_batch(items[3:6])
        assert pending_rows(store) > 0
        store.save_batch(items[6:9])  # the third batch applies the log in its own transaction
        assert pending_rows(store) == 0
        assert_in_step(store)


def test_a_batch_after_a_pause_applies_the_log(store_url: str, monkeypatch) -> None:  # noqa: F811
    """A writer that waits for its input between batches (ingest coding reports) keeps the summaries in step."""
    rnd = random.Random(4)
    items = random_items(rnd, "p", 6)
    with Store.open(store_url, summary_every=1000) as store:
        store.save_batch(items[0:3])
        assert pending_rows(store) > 0
        monkeypatch.setattr(store_module, "SUMMARY_GAP_SECONDS", 0.0)  # every batch now comes "after a pause"
        store.save_batch(items[3:6])
        assert pending_rows(store) == 0
        assert_in_step(store)


def test_stale_looks_only_at_the_filters_keys(store_url: str) -> None:  # noqa: F811
    with Store.open(store_url, summary_every=1000) as store:
        store.save_batch([(article("s1"), [event("s1", date=dt.date(2024, 3, 8))])])
        with store.engine.connect() as conn:
            assert pending.stale(conn, None, None, None)
            assert pending.stale(conn, ["Iraq"], dt.date(2024, 3, 8), dt.date(2024, 3, 8))
            assert not pending.stale(conn, ["Syria"], None, None)
            assert not pending.stale(conn, None, dt.date(2024, 3, 9), None)
            assert not pending.stale(conn, ["Iraq"], None, dt.date(2024, 3, 7))
            # Where the log cannot touch the answer, the API reads the summaries (which lag, but not there).
            assert summaries._summary_ok(conn, Filters(country=["Syria"]))
            assert not summaries._summary_ok(conn, Filters(country=["Iraq"]))


def test_immediate_writer_applies_a_deferred_writers_log_first(store_url: str) -> None:  # noqa: F811
    """A default store (summary_every=1) writing into a store whose log is not empty must not count the logged
    events twice: it applies the log, then maintains the summaries as before."""
    rnd = random.Random(9)
    items = random_items(rnd, "m", 12)
    deferred = Store.open(store_url, summary_every=1000)
    deferred.save_batch(items[:6])
    deferred.recode_batch([(items[0][0], [])])
    with Store.open(store_url) as immediate:  # opening applies the log too; write more into it afterwards
        deferred.save_batch(items[6:9])
        assert pending_rows(immediate) > 0
        immediate.save_batch(items[9:])
        assert pending_rows(immediate) == 0
        assert_in_step(immediate)
        assert_api_agrees(immediate, FILTERS)
    deferred.close()
    with Store.open(store_url) as store:
        assert_in_step(store)


def test_rebuild_empties_the_log(store_url: str) -> None:  # noqa: F811
    """A full rebuild counts the logged events already: applying the log after it would count them twice."""
    from eventcoder.store import aggregates

    with Store.open(store_url, summary_every=1000) as store:
        store.save_batch(random_items(random.Random(2), "r", 4))
        assert pending_rows(store) > 0
        with store.engine.begin() as conn:
            aggregates.rebuild(conn)
        assert pending_rows(store) == 0
        assert_in_step(store)


def test_bad_summary_every(store_url: str) -> None:  # noqa: F811
    with pytest.raises(StoreError, match="summary_every"):
        Store.open(store_url, summary_every=0)


_CRASH = textwrap.dedent('''
    import datetime as dt, os, signal, sys
    from eventcoder.store import Store
    from eventcoder.vocab import Actor, Article, Event, Place

    place = Place("Makhmour", 35.7751, 43.5806, country="Iraq", country_code="IQ", admin1="Erbil",
                  admin2="Makhmour", geo_precision=1)
    items = []
    for i in range(8):
        a = Article(id=f"k{i}", text=f"Report {i}: gunmen attacked a village.", title="Attack",
                    published=dt.date(2024, 3, 9), publisher=f"Outlet {i % 3}")
        items.append((a, [Event(event_type="Violence against civilians", sub_event_type="Attack",
                                event_date=dt.date(2024, 3, 1 + i % 4), time_precision=1,
                                actor1=Actor("Unidentified Armed Group (Iraq)", 3), place=place,
                                fatalities=i, source=f"Outlet {i % 3}")]))
    store = Store.open(sys.argv[1], summary_every=1000)
    store.save_batch(items[:4])
    store.save_batch(items[4:])
    os.kill(os.getpid(), signal.SIGKILL)  # dies after its commits, before any refresh
''')


def test_writer_killed_before_its_refresh_loses_nothing(store_url: str, tmp_path) -> None:  # noqa: F811
    script = tmp_path / "crash.py"
    script.write_text(_CRASH)
    proc = subprocess.run([sys.executable, str(script), store_url], env=dict(os.environ), timeout=120)
    assert proc.returncode == -9
    # Read the store as the killed writer left it, without Store.open (which would apply the log).
    from eventcoder.store.engine import create_engine

    engine = create_engine(store_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(schema.summary_pending)).scalar_one() > 0
            assert conn.execute(sa.select(sa.func.count()).select_from(schema.event_days)).scalar_one() == 0
            events = conn.execute(sa.select(sa.func.count()).select_from(schema.events)).scalar_one()
            assert events > 0
            # The API stays exact meanwhile: it answers from events.
            assert summaries.stats(conn, Filters())["events"] == events
            for f in FILTERS:
                assert summaries.stats(conn, f) == raw(summaries.stats, conn, f), f
                assert summaries.timeline(conn, f) == raw(summaries.timeline, conn, f), f
    finally:
        engine.dispose()
    with Store.open(store_url) as store:  # the next open applies the log
        assert pending_rows(store) == 0
        assert_in_step(store)
        assert_api_agrees(store, FILTERS)
        with store.engine.connect() as conn:
            assert summaries.stats(conn, Filters())["events"] == events
            assert all(conn.execute(sa.select(sa.func.count()).select_from(getattr(schema, t))).scalar_one()
                       for t in TABLES)
