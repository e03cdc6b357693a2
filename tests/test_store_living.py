"""The living dataset on both backends: dedup across reports, recode in place, deletions, search, upgrades."""
from __future__ import annotations

import datetime as dt
import threading

import sqlalchemy as sa

from eventcoder.store import Store
from eventcoder.store.migrations import MIGRATIONS
from eventcoder.vocab import Article

# Fixtures shared with the base store suite: each test runs on SQLite and on PostgreSQL.
from test_store import (article, count, db_path, event, fake_countries, place, store, store_url,  # noqa: F401
                        TEXT)


def report(article_id: str, text: str = TEXT, published: dt.date = dt.date(2024, 3, 9),
           publisher: str = "Kurdistan 24") -> Article:
    return article(article_id, text) if article_id == "a1" and text == TEXT else Article(
        id=article_id, text=text, title=f"Report {article_id}", published=published, publisher=publisher)


def ids(store: Store) -> list[str]:
    return sorted(r["event_id_cnty"] for r in store.query_events())


def test_two_outlets_one_event(store: Store) -> None:
    store.save_article_events(report("a1"), [event("a1", fatalities=3)])
    (first,) = store.query_events()
    store.save_article_events(report("a2", TEXT + " Rudaw.", publisher="Rudaw"),
                              [event("a2", source="Rudaw", fatalities=2, actor1="Islamic State")])
    (row,) = store.query_events()
    assert row["event_id_cnty"] == first["event_id_cnty"]
    assert row["source"] == "Kurdistan 24; Rudaw" and row["fatalities"] == 2
    assert row["actor1"] == "Islamic State"  # the report naming the actor wins over "gunmen"
    assert {e["article_id"] for e in row["evidence"]} == {"a1", "a2"}
    assert row["timestamp"] > first["timestamp"]
    info = store.explain(row["event_id_cnty"])
    assert [d["action"] for d in info["decisions"]] == ["new", "merge"]
    assert "same day 2024-03-08" in info["decisions"][1]["reason"]
    assert [r["article_id"] for r in info["reports"]] == ["a1", "a2"]
    assert count(store, "reports") == 2 and count(store, "event_sources") == 2


def test_bombing_and_later_clash_stay_two(store: Store) -> None:
    bombing = event("a1", sub="Armed clash", event_type="Explosions/Remote violence",
                    sub_event_type="Suicide bomb", actor2=None)
    store.save_article_events(report("a1"), [bombing, event("a1", sub="Armed clash")])
    store.save_article_events(report("a2", TEXT + " 2"), [event("a2", sub="Armed clash", source="Rudaw")])
    rows = {r["sub_event_type"]: r for r in store.query_events()}
    assert set(rows) == {"Suicide bomb", "Armed clash"}
    assert rows["Armed clash"]["source"] == "Kurdistan 24; Rudaw"
    assert rows["Suicide bomb"]["source"] == "Kurdistan 24"


def test_recode_updates_in_place_and_records_deletions(store: Store) -> None:
    a1, a2 = report("a1"), report("a2", TEXT + " 2")
    store.save_article_events(a1, [event("a1")])
    store.save_article_events(a2, [event("a2", source="Rudaw")])
    (before,) = store.query_events()
    event_id = before["event_id_cnty"]
    # A dictionary change: the gunmen now resolve to a named group.
    result = store.recode_batch([(a1, [event("a1", actor1="Islamic State")]), (a2, [event("a2", source="Rudaw")])])
    assert result.changed == [event_id] and result.deleted == []
    (after,) = store.query_events()
    assert after["event_id_cnty"] == event_id and after["actor1"] == "Islamic State"
    assert after["timestamp"] > before["timestamp"]
    assert [r["event_id_cnty"] for r in store.changed_since(after["timestamp"])] == [event_id]
    assert list(store.changed_since(after["timestamp"] + 1)) == []
    # Recoding with no change changes nothing, not even the timestamp.
    again = store.recode_batch([(a1, [event("a1", actor1="Islamic State")])])
    assert again.changed == [] and list(store.query_events())[0]["timestamp"] == after["timestamp"]
    # a2 no longer reports it: the event goes on with a1 alone.
    store.recode_batch([(a2, [])])
    (alone,) = store.query_events()
    assert alone["event_id_cnty"] == event_id and alone["source"] == "Kurdistan 24"
    # a1 neither: the event is deleted, with the time and the reason.
    store.recode_batch([(a1, [])])
    assert store.stats()["events"] == 0
    (gone,) = store.deleted_since(alone["timestamp"])
    assert gone["event_id_cnty"] == event_id and gone["merged_into"] is None and "re-coded" in gone["reason"]
    assert gone["deleted_timestamp"] > alone["timestamp"]
    # Coded again later: it comes back under its id, and is no longer listed as deleted.
    store.recode_batch([(a1, [event("a1")])])
    assert ids(store) == [event_id] and store.deleted_since(0) == []


def test_recode_that_merges_two_events_deletes_one(store: Store) -> None:
    a1, a2 = report("a1"), report("a2", TEXT + " 2")
    store.save_article_events(a1, [event("a1")])
    store.save_article_events(a2, [event("a2", date=dt.date(2024, 3, 5))])  # wrongly dated: another event
    keep, lose = (store.explain(i) for i in ids(store))
    if keep["reports"][0]["article_id"] != "a1":
        keep, lose = lose, keep
    store.recode_batch([(a2, [event("a2")])])  # the date is right now: the same event as a1's
    assert ids(store) == [keep["event_id_cnty"]]
    (gone,) = store.deleted_since(0)
    assert gone["event_id_cnty"] == lose["event_id_cnty"] and gone["merged_into"] == keep["event_id_cnty"]
    info = store.explain(keep["event_id_cnty"])
    assert [m["event_id_cnty"] for m in info["merged_from"]] == [lose["event_id_cnty"]]
    assert store.explain(lose["event_id_cnty"])["deleted"][0]["merged_into"] == keep["event_id_cnty"]


def test_full_text_search_and_bbox(store: Store) -> None:
    store.save_article_events(report("a1"), [event("a1")])
    store.save_article_events(report("a2", "MOGADISHU – Al-Shabaab fighters attacked a hotel; dozens were killed."),
                              [event("a2", where=place("Raqqa", "SY", "Ar-Raqqa"), date=dt.date(2024, 3, 1))])
    assert [r["article_id"] for r in store.search("suspects arrested")] == ["a1"]  # stemmed: arrested ~ arrest
    assert [r["article_id"] for r in store.search("al-Shabaab")] == ["a2"]
    assert [r["article_id"] for r in store.search('"dozens were killed"')] == ["a2"]
    assert sorted(r["article_id"] for r in store.search("hotel OR suspects")) == ["a1", "a2"]
    assert store.search("nothingmatcheshere") == []
    assert store.count_events(text="killed", country="Iraq") == 1
    assert store.count_events(bbox=(43.0, 35.0, 44.0, 36.0)) == 2  # both at Makhmour's coordinates
    assert store.count_events(bbox=(0.0, 0.0, 1.0, 1.0)) == 0


def test_v1_store_is_upgraded(store_url: str) -> None:
    """A store written by the version-1 code opens with the new code: same events, now searchable and mergeable."""
    engine = sa.create_engine(store_url.replace("postgresql://", "postgresql+psycopg://")
                              if "://" in store_url else f"sqlite:///{store_url}")
    with engine.begin() as conn:
        MIGRATIONS[0](conn)
        conn.execute(sa.text("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                             "applied_at TIMESTAMP NOT NULL)"))
        conn.execute(sa.text("INSERT INTO schema_version VALUES (1, CURRENT_TIMESTAMP)"))
        conn.execute(sa.text(
            "INSERT INTO articles (id, title, published, publisher, body_start, text, ingested_at) "
            "VALUES ('a1', 'Attack', '2024-03-09', 'Kurdistan 24', 0, :t, CURRENT_TIMESTAMP)"), {"t": TEXT})
        conn.execute(sa.text(
            "INSERT INTO events (event_id_cnty, event_date, year, time_precision, event_type, sub_event_type, "
            "actor1, actor2, country, admin1, admin2, location, latitude, longitude, geo_precision, source, "
            "fatalities, timestamp, article_id, updated_at) VALUES ('IRQ00000042', '2024-03-08', 2024, 1, "
            "'Violence against civilians', 'Attack', 'Unidentified Armed Group (Iraq)', 'Civilians (Iraq)', "
            "'Iraq', 'Erbil', 'Makhmour', 'Makhmour', 35.7751, 43.5806, 1, 'Kurdistan 24', 2, 1700000000, "
            "'a1', CURRENT_TIMESTAMP)"))
        conn.execute(sa.text("INSERT INTO event_sources VALUES ('IRQ00000042', 'a1')"))
        conn.execute(sa.text(
            "INSERT INTO evidence (event_id_cnty, field, text, start, \"end\", sentence, sentence_start, "
            "sentence_end) VALUES ('IRQ00000042', 'actor1', 'Gunmen', 8, 14, 's', 8, 60)"))
    engine.dispose()
    with Store.open(store_url) as upgraded:
        assert upgraded.schema_version() == len(MIGRATIONS)
        (row,) = upgraded.query_events()
        assert row["event_id_cnty"] == "IRQ00000042" and row["timestamp"] == 1700000000
        assert row["evidence"][0]["article_id"] == "a1"
        assert [r["event_id_cnty"] for r in upgraded.search("gunmen")] == ["IRQ00000042"]
        # A new report of the same event joins the old event.
        upgraded.save_article_events(report("a2", TEXT + " 2", publisher="Rudaw"),
                                     [event("a2", source="Rudaw", fatalities=2)])
        (row,) = upgraded.query_events()
        assert row["event_id_cnty"] == "IRQ00000042" and row["source"] == "Kurdistan 24; Rudaw"


def test_reader_does_not_block_the_writer(db_path) -> None:  # noqa: F811
    with Store.open(str(db_path)) as store:
        # Two days apart: different events even for reports vague about the date.
        store.save_batch([(report(f"r{i}", f"{TEXT} {i}"), [event(f"r{i}", date=dt.date(2020, 1, 1)
                                                                  + dt.timedelta(days=2 * i))]) for i in range(1200)])
        reading = store.query_events()
        first = next(reading)  # a read transaction is open and a stream is half read
        assert store.save_article_events(report("late", TEXT + " late"), [event("late", date=dt.date(2030, 1, 1))])
        rest = list(reading)
        assert len(rest) == 1199 and first["event_date"] == "2026-07-26"  # the reader's snapshot
        assert store.count_events() == 1201


def test_two_writers_at_once_neither_duplicates(store_url: str) -> None:
    """Two loaders saving overlapping articles concurrently: every article and event stored once."""
    batch = [(report(f"c{i}", f"{TEXT} {i}"), [event(f"c{i}", date=dt.date(2021, 1, 1) + dt.timedelta(days=3 * (i // 2)),
                                                    source=f"Outlet {i}")]) for i in range(60)]
    errors: list[BaseException] = []

    def load(items) -> None:
        try:
            with Store.open(store_url) as s:
                for i in range(0, len(items), 5):
                    s.save_batch(items[i:i + 5])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=load, args=(batch,)), threading.Thread(target=load, args=(batch[::-1],))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store.open(store_url) as s:
        assert s.stats() == {"articles": 60, "events": 30}  # pairs of reports of one day are one event
        assert count(s, "reports") == 60
        assert all(len(r["source"].split("; ")) == 2 for r in s.query_events())


def test_actor_names_with_country_suffix_merge(store: Store) -> None:
    for i in range(3):
        store.save_article_events(report(f"s{i}", f"{TEXT} {i}"),
                                  [event(f"s{i}", actor1="Islamic State" + (" (Iraq)" if i else ""),
                                         source=f"Outlet {i}", fatalities=None if i else 4)])
    (row,) = store.query_events()
    assert row["source"] == "Outlet 0; Outlet 1; Outlet 2" and row["fatalities"] == 4


def test_loaders_opening_a_new_store_together_both_succeed(tmp_path) -> None:
    """SQLite refuses a journal-mode switch at once while another connection holds the file: retried."""
    for k in range(8):
        path = str(tmp_path / f"new{k}.db")
        errors: list[BaseException] = []

        def open_it() -> None:
            try:
                Store.open(path).close()
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=open_it) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []


def test_a_report_joins_only_if_it_matches_every_report_of_the_batch(store: Store) -> None:
    """In one batch: B joins A's event (18 km apart); C, 18 km from A but 36 km from B, must see B in the
    event (not the event as it was before B joined) and start its own."""
    from eventcoder.vocab import Place

    def at(name: str, lon: float) -> Place:
        return Place(name, 35.0, lon, country="Iraq", country_code="IQ", admin1="Erbil", admin2=name,
                     geo_precision=1)

    towns = {"a": at("Town A", 43.0), "b": at("Town B", 43.2), "c": at("Town C", 42.8)}
    store.save_batch([(report(f"m{k}", TEXT + f" Outlet {k}.", publisher=f"Outlet {k}"),
                       [event(f"m{k}", where=where, source=f"Outlet {k}")]) for k, where in towns.items()])
    rows = store.query_events()
    sources = sorted(r["source"] for r in rows)
    assert sources == ["Outlet a; Outlet b", "Outlet c"]
