"""The dedup view a store keeps from one batch to the next (store.stored, schema v9), on both backends: it is
never used once another writer has written, nor after a batch that failed, and it gives the same store as
reading everything afresh."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from eventcoder.errors import StoreError
from eventcoder.store import Store, stored
from eventcoder.vocab import Place

# Fixtures shared with the base store suite: each test runs on SQLite and on PostgreSQL.
from test_store import TEXT, article, count, db_path, event, fake_countries, store_url  # noqa: F401

BASRA = Place("Basra", 30.5085, 47.7804, country="Iraq", country_code="IQ", admin1="Basra", admin2="Basra",
              geo_precision=1)


def generation(s: Store) -> int:
    with s.engine.connect() as conn:
        return conn.execute(sa.text("SELECT generation FROM store_writes")).scalar_one()


def test_a_writer_sees_what_another_wrote_between_its_batches(store_url: str) -> None:  # noqa: F811
    """Writer A has read the day's window; writer B then stores another event on that day; A's next report of
    B's event must join it (a view kept across B's write would miss B's report and start a duplicate)."""
    with Store.open(store_url) as a, Store.open(store_url) as b:
        a.save_batch([(article("v1"), [event("v1")])])  # Makhmour, 8 March: A reads the windows of 7-9 March
        assert generation(a) == 1
        b.save_batch([(article("v2", TEXT + " Second."), [event("v2", where=BASRA)])])
        assert generation(b) == 2
        a.save_batch([(article("v3", TEXT + " Third."), [event("v3", where=BASRA)])])
        assert a.stats() == {"articles": 3, "events": 2}
        explained = a.explain(next(r for r in a.query_events() if r["location"] == "Basra")["event_id_cnty"])
        assert [d["action"] for d in explained["decisions"]] == ["new", "merge"]


def test_a_failed_batch_leaves_no_view(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """A batch that re-codes a changed article (its old reports leave the view) and then fails is rolled back:
    the next batch must not use that view, in which the old reports are gone."""
    reads = []
    real = stored.StoredView.__init__

    def counting(self, generation: int) -> None:
        reads.append(generation)
        real(self, generation)

    monkeypatch.setattr(stored.StoredView, "__init__", counting)
    with Store.open(store_url) as s:
        s.save_batch([(article("f1"), [event("f1")])])
        s.save_batch([(article("f0", TEXT + " Other."), [event("f0", where=BASRA)])])
        assert len(reads) == 1  # the second batch used the first one's view
        bad = [event("f2", event_id_cnty="IRQ1"), event("f2", event_id_cnty="IRQ1")]
        with pytest.raises(StoreError, match="two events with event_id_cnty"):
            s.save_batch([(article("f1", TEXT + " Changed."), [event("f1", fatalities=3)]),
                          (article("f2", TEXT + " Bad."), bad)])
        s.save_batch([(article("f3", TEXT + " Another outlet."), [event("f3")])])
        assert s.stats() == {"articles": 3, "events": 2}  # f3 joined f1's event
        assert count(s, "reports") == 3
        assert reads == [0, 2]  # the failed batch used the view and dropped it: the next one read afresh


def test_a_view_too_large_starts_over(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """Past MAX_CACHED_REPORTS the next batch reads afresh (memory stays bounded), with the same result."""
    monkeypatch.setattr(stored, "MAX_CACHED_REPORTS", 2)
    with Store.open(store_url) as s:
        for i in range(4):
            day = dt.date(2024, 3, 8) + dt.timedelta(days=i % 2)
            s.save_batch([(article(f"g{i}", f"{TEXT} {i}"), [event(f"g{i}", date=day, source=f"Outlet {i}")])])
        assert s.stats() == {"articles": 4, "events": 1}
