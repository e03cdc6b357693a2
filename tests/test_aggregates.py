"""The summary tables (store.aggregates) on both backends: equal to a direct count after inserts, recodes
and deletions, and the API's map bins / timeline / key figures equal to the direct queries over events."""
from __future__ import annotations

import datetime as dt
import random

import sqlalchemy as sa

from eventcoder.api import summaries
from eventcoder.api.selection import Filters
from eventcoder.store import Store, aggregates, schema
from eventcoder.vocab import Place

# Fixtures shared with the base store suite: each test runs on SQLite and on PostgreSQL.
from test_store import article, db_path, event, fake_countries, place, store, store_url  # noqa: F401

TABLES = ("event_days", "event_cells", "actor_days", "event_cell_weeks", "event_cell_blocks")


def snapshot(conn: sa.Connection) -> dict[str, list[tuple]]:
    """Every summary row, floats rounded (sums may add up in another order)."""
    out = {}
    for name in TABLES:
        table = getattr(schema, name)
        rows = conn.execute(sa.select(table)).all()
        out[name] = sorted(tuple(round(v, 6) if isinstance(v, float) else v for v in r) for r in rows)
    return out


def assert_in_step(store: Store) -> None:
    """The maintained summary rows equal a recomputation from events, and add up to direct counts."""
    with store.engine.connect() as conn:
        trans = conn.begin()
        try:
            kept = snapshot(conn)
            e = schema.events.c
            n, fat = conn.execute(sa.select(sa.func.count(),
                                            sa.func.coalesce(sa.func.sum(e.fatalities), 0))).one()
            d = schema.event_days.c
            for scope in (0, 1):
                got = conn.execute(sa.select(sa.func.coalesce(sa.func.sum(d.n), 0),
                                             sa.func.coalesce(sa.func.sum(d.fatalities), 0))
                                   .where(d.scope == scope)).one()
                assert (int(got[0]), int(got[1])) == (n, fat)
            aggregates.rebuild(conn)
            fresh = snapshot(conn)
        finally:
            trans.rollback()
    assert kept == fresh


def raw(fn, conn, filters, *args):
    """An API aggregate computed straight from events (the summary tables bypassed)."""
    saved = summaries._summary_ok
    summaries._summary_ok = lambda *a, **k: False
    try:
        return fn(conn, filters, *args)
    finally:
        summaries._summary_ok = saved


def canonical_bins(answer: dict) -> dict:
    bins = sorted((tuple(b["bounds"]), b["count"], b["fatalities"], tuple(sorted(b["types"].items())),
                   b["event_id"], round(b["latitude"], 4), round(b["longitude"], 4)) for b in answer["bins"])
    return {"total": answer["total"], "zoom": answer["zoom"], "bins": bins}


def assert_api_agrees(store: Store, filters_list: list[Filters]) -> None:
    with store.engine.connect() as conn:
        for f in filters_list:
            assert summaries.stats(conn, f) == raw(summaries.stats, conn, f), f
            assert summaries.timeline(conn, f) == raw(summaries.timeline, conn, f), f
            if conn.dialect.name == "sqlite":
                for zoom in (0, 2, 3, 6, 8, 9):
                    assert canonical_bins(summaries.bins(conn, f, zoom)) == \
                        canonical_bins(raw(summaries.bins, conn, f, zoom)), (f, zoom)


def town(name: str, lat: float, lon: float, country: str = "IQ") -> Place:
    names = {"IQ": "Iraq", "SY": "Syria"}
    return Place(name, lat, lon, country=names[country], country_code=country, admin1="A", admin2=name,
                 geo_precision=1)


FILTERS = [
    Filters(),
    Filters(country=["Iraq"]),
    Filters(country=["Iraq", "Syria"], start=dt.date(2024, 3, 1), end=dt.date(2024, 3, 31)),
    Filters(event_type=["Battles"]),
    Filters(start=dt.date(2024, 3, 5), end=dt.date(2024, 3, 9), bbox=(40.0, 30.0, 44.0, 36.0)),
    Filters(country=["Iraq"], bbox=(43.0, 35.0, 44.0, 36.0)),
    Filters(bbox=(170.0, -90.0, -170.0, 90.0)),  # across the antimeridian
    Filters(end=dt.date(2024, 3, 8)),
]


def test_summaries_follow_inserts_recodes_and_deletions(store: Store) -> None:
    rnd = random.Random(5)
    towns = [town(f"T{i}", 33 + rnd.random() * 4, 40 + rnd.random() * 6, rnd.choice(("IQ", "SY")))
             for i in range(6)] + [place(), town("Edge", 35.0, 43.999, "IQ"), town("Far", -16.4, 179.4, "IQ")]
    subs = ("Attack", "Armed clash", "Arrests")
    items = []
    for i in range(30):
        a = article(f"r{i}", f"Report {i}: " + "x" * i)
        evs = [event(f"r{i}", sub=rnd.choice(subs), date=dt.date(2024, 3, 1) + dt.timedelta(days=rnd.randrange(10)),
                     where=rnd.choice(towns), fatalities=rnd.randrange(5),
                     actor1=rnd.choice(("Militia A", "Police Forces of Iraq", "Unidentified Armed Group (Iraq)")))]
        items.append((a, evs))
    store.save_batch(items[:20])
    assert_in_step(store)
    store.save_batch(items[20:])
    assert_in_step(store)
    assert_api_agrees(store, FILTERS)

    # Recode: new types, dates, places and tolls; some reports now code nothing (their events are deleted).
    recoded = []
    for a, _ in items[:12]:
        evs = [] if rnd.random() < 0.3 else [
            event(a.id, sub=rnd.choice(subs), date=dt.date(2024, 3, 1) + dt.timedelta(days=rnd.randrange(10)),
                  where=rnd.choice(towns), fatalities=rnd.randrange(9), actor2=None)]
        recoded.append((a, evs))
    result = store.recode_batch(recoded)
    assert result.changed or result.deleted
    assert_in_step(store)
    assert_api_agrees(store, FILTERS)

    # Delete everything one article at a time.
    for a, _ in items:
        store.recode_batch([(a, [])])
    assert_in_step(store)
    with store.engine.connect() as conn:
        for name in TABLES:
            assert conn.execute(sa.select(sa.func.count()).select_from(getattr(schema, name))).scalar_one() == 0


def test_events_without_date_or_place(store: Store) -> None:
    a = article("n1")
    no_place = Place("Nowhere", None, None, country="Iraq", country_code="IQ")
    store.save_batch([(a, [event("n1", date=None, where=no_place)]),
                      (article("n2"), [event("n2", date=dt.date(2024, 3, 2))])])
    assert_in_step(store)
    assert_api_agrees(store, FILTERS)
    with store.engine.connect() as conn:
        assert summaries.stats(conn, Filters())["events"] == 2
        assert summaries.stats(conn, Filters(start=dt.date(2024, 1, 1)))["events"] == 1
        assert [d["date"] for d in summaries.timeline(conn, Filters())] == ["2024-03-02"]


def test_v2_store_is_backfilled(store_url: str) -> None:  # noqa: F811
    """A store made before version 3 gets its summary tables filled by the migration."""
    from eventcoder.store.migrations import MIGRATIONS

    with Store.open(store_url) as s:
        s.save_batch([(article(f"b{i}"), [event(f"b{i}", date=dt.date(2024, 3, 1 + 5 * i))]) for i in range(3)])
        with s.engine.begin() as conn:
            for name in TABLES:
                conn.execute(getattr(schema, name).delete())
                conn.execute(sa.text(f"DROP TABLE {name}"))
            for ix in ("ix_events_country_date_id", "ix_events_date_id"):
                conn.execute(sa.text(f"DROP INDEX {ix}"))
            conn.execute(sa.text("DELETE FROM schema_version WHERE version >= 3"))
    assert len(MIGRATIONS) == 9
    with Store.open(store_url) as s:
        assert s.schema_version() == 9
        assert_in_step(s)
        with s.engine.connect() as conn:
            stored = conn.execute(sa.select(sa.func.count()).select_from(schema.events)).scalar_one()
            assert summaries.stats(conn, Filters())["events"] == stored > 0


def test_v3_store_upgrades_to_fewer_levels_and_indexes(store_url: str, monkeypatch) -> None:  # noqa: F811
    """A version-3 store (cells at zoom levels 2, 4, 6, 8; two more indexes on events) opens as the latest: the
    extra levels' rows and the two indexes are gone, the summaries equal a rebuild, the API's map still agrees
    with the events at every zoom, and writes go on."""
    with Store.open(store_url) as s:
        s.save_batch([(article(f"c{i}"), [event(f"c{i}", date=dt.date(2024, 3, 1 + i))]) for i in range(4)])
        with s.engine.begin() as conn:
            monkeypatch.setattr(aggregates, "LEVELS", (2, 4, 6, 8))
            aggregates.rebuild(conn)
            monkeypatch.undo()
            for name, col in (("ix_events_event_date", "event_date"), ("ix_events_country", "country")):
                conn.execute(sa.text(f"CREATE INDEX {name} ON events ({col})"))
            conn.execute(sa.text("DELETE FROM schema_version WHERE version >= 4"))
            levels = conn.execute(sa.select(schema.event_cells.c.level).distinct()).scalars().all()
            assert sorted(levels) == [2, 4, 6, 8]
    with Store.open(store_url) as s:
        assert s.schema_version() == 9
        indexes = {ix["name"] for ix in sa.inspect(s.engine).get_indexes("events")}
        assert not {"ix_events_event_date", "ix_events_country"} & indexes
        with s.engine.connect() as conn:
            levels = conn.execute(sa.select(schema.event_cells.c.level).distinct()).scalars().all()
        assert sorted(levels) == list(aggregates.LEVELS) == [2, 8]
        assert_in_step(s)
        assert_api_agrees(s, FILTERS)
        s.save_batch([(article("c9"), [event("c9", date=dt.date(2024, 3, 2))])])
        assert_in_step(s)


def test_pure_inserts_are_added_incrementally(store: Store, monkeypatch) -> None:  # noqa: F811
    """Batches that only add events update the summary rows by upserts (no recount), and the result equals a
    full rebuild: events without a place, date or country, several events of one key in one batch."""
    calls = {"pure": 0, "old": ()}
    real_add, real_changed, real_refresh = aggregates.add, aggregates.events_changed, aggregates.refresh

    def spy_add(conn, rows):
        assert real_add(conn, rows), "inserted events fell back to a recount"
        return True

    def spy_changed(conn, old, new):
        calls["old"] = old = list(old)
        calls["pure"] += not old
        return real_changed(conn, old, new)

    def no_refresh(conn, keys):  # dedup may merge a report into a stored event: then that day is recounted
        assert calls["old"], "pure inserts recounted"
        real_refresh(conn, keys)

    monkeypatch.setattr(aggregates, "add", spy_add)
    monkeypatch.setattr(aggregates, "events_changed", spy_changed)
    monkeypatch.setattr(aggregates, "refresh", no_refresh)
    rnd = random.Random(11)

    def where(n: int) -> Place:  # a new place for every event, so that dedup merges none into a stored event
        kind = rnd.randrange(10)
        if kind == 0:
            return Place(f"Nowhere {n}", None, None, country="Iraq", country_code="IQ")
        if kind == 1:
            return Place(f"Sea {n}", 34.0 + n / 100, 41.0, country=None, country_code=None)
        if kind == 2:
            return town(f"Far {n}", -16.4, 179.4 - n / 1000, "IQ")
        return town(f"P{n}", 33 + rnd.random() * 4, 40 + rnd.random() * 6, rnd.choice(("IQ", "SY")))

    subs = ("Attack", "Armed clash", "Arrests")
    actors = ("Militia A", "Police Forces of Iraq", "Unidentified Armed Group (Iraq)", "Militia B")
    n = 0
    for batch in range(8):
        items = []
        for _ in range(6):
            n += 1
            date = None if rnd.random() < 0.15 else dt.date(2024, 3, 1) + dt.timedelta(days=rnd.randrange(4))
            items.append((article(f"p{n}", f"Report {n}: " + "y" * n), [event(
                f"p{n}", sub=rnd.choice(subs), date=date, where=where(n), fatalities=rnd.randrange(4),
                actor1=rnd.choice(actors), actor2=rnd.choice((None, "Civilians (Iraq)", "Militia A")))]))
        # two events of one key in one batch: same day, country, type and cell, both new
        for k, (name, lat, lon) in enumerate(((f"Twin A{batch}", 35.1, 43.1), (f"Twin B{batch}", 35.12, 43.13))):
            n += 1
            items.append((article(f"p{n}", f"Twin report {n} " + "z" * n), [event(
                f"p{n}", sub="Armed clash", date=dt.date(2024, 3, 2 + 3 * batch), where=town(name, lat, lon, "SY"),
                actor1=actors[batch % 4], actor2=None, fatalities=k + batch)]))
        store.save_batch(items)
        assert_in_step(store)
    assert calls["pure"] >= 4
    assert_api_agrees(store, FILTERS)


def test_merged_report_that_adds_a_source_recounts_nothing(store: Store, monkeypatch) -> None:  # noqa: F811
    """A report merged into a stored event rewrites the event (a new source) but none of its summarised values:
    no day is recounted. A merged report that lowers the toll changes a summarised value: its day is."""
    from test_store import TEXT

    store.save_batch([(article("m1"), [event("m1")])])
    recounted: list[set] = []
    real_refresh = aggregates.refresh

    def spy_refresh(conn, keys):
        recounted.append(set(keys))
        real_refresh(conn, keys)

    monkeypatch.setattr(aggregates, "refresh", spy_refresh)
    store.save_batch([(article("m2", TEXT + " Another outlet."), [event("m2")])])
    assert store.stats()["events"] == 1  # merged: the event was rewritten with a second source
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.event_sources)).scalar_one() == 2
    assert recounted == []
    assert_in_step(store)
    store.save_batch([(article("m3", TEXT + " A third outlet."), [event("m3", fatalities=1)])])
    assert store.stats()["events"] == 1
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(schema.events.c.fatalities)).scalar_one() == 1
    assert recounted == [{(dt.date(2024, 3, 8), "Iraq")}]
    assert_in_step(store)
    assert_api_agrees(store, FILTERS)
