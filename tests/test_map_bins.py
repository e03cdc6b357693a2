"""Map bins from four-week, weekly and daily summary cells (api.map_bins, store.period_cells) equal bins counted from
events.

The summary tables' maintenance (weekly cells included) after inserts,
recodes, merges and deletions is checked against a rebuild in
tests/test_aggregates.py; here random filters over random events check the
read side: the split of a date range into full four-week blocks, weeks and edge days, the
straddling cells at a bbox edge (weekly and daily), every zoom.
"""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventcoder.api import map_bins, summaries
from eventcoder.api.selection import Filters
from eventcoder.store import Store, aggregates, period_cells, schema

from test_aggregates import canonical_bins, raw

NOW = dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc)
COUNTRIES = {"Iraq": (33.3, 44.4), "Syria": (35.0, 38.5), "Fiji": (-17.0, 179.5)}
TYPES = ("Battles", "Protests", "Riots")
DAY0 = dt.date(2024, 1, 1)  # a Monday


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    rnd = random.Random(11)
    path = tmp_path_factory.mktemp("bins") / "bins.db"
    with Store.open(str(path)) as s:
        with s.engine.begin() as conn:
            conn.execute(schema.articles.insert(), [{"id": "a", "text": "t", "body_start": 0, "ingested_at": NOW}])
            rows = []
            for i in range(600):
                country = rnd.choice(list(COUNTRIES))
                lat0, lon0 = COUNTRIES[country]
                lon = lon0 + rnd.gauss(0, 2.5)
                lon = lon - 360 if lon > 180 else lon  # Fiji's events fall on both sides of the antimeridian
                rows.append({
                    "event_id_cnty": f"EV{rnd.randrange(10**6):06d}{i:04d}",
                    "event_date": None if i % 97 == 0 else DAY0 + dt.timedelta(days=rnd.randrange(120)),
                    "event_type": rnd.choice(TYPES), "country": country,
                    "latitude": None if i % 53 == 0 else round(lat0 + rnd.gauss(0, 2.5), 4),
                    "longitude": None if i % 53 == 0 else round(lon, 4),
                    "fatalities": rnd.choice((0, 1, 3, None)), "article_id": "a", "updated_at": NOW})
            conn.execute(schema.events.insert(), rows)
            aggregates.rebuild(conn)
        yield s


def random_filters(rnd: random.Random) -> Filters:
    start = DAY0 + dt.timedelta(days=rnd.randrange(-5, 120)) if rnd.random() < 0.8 else None
    end = (start or DAY0) + dt.timedelta(days=rnd.randrange(0, 90)) if rnd.random() < 0.8 else None
    bbox = None
    if rnd.random() < 0.6:
        lat, lon = rnd.choice(list(COUNTRIES.values()))
        w, h = rnd.uniform(0.5, 8), rnd.uniform(0.5, 8)
        west, east = lon - w, lon + w
        west = west + 360 if west < -180 else west
        east = east - 360 if east > 180 else east  # across the antimeridian near Fiji
        bbox = (round(west, 3), round(lat - h, 3), round(east, 3), round(lat + h, 3))
    return Filters(start=start, end=end, country=rnd.sample(list(COUNTRIES), rnd.choice((0, 0, 1, 2))),
                   event_type=rnd.sample(TYPES, rnd.choice((0, 0, 1, 2))), bbox=bbox)


def test_block_weekly_and_daily_bins_equal_bins_from_events(store: Store) -> None:
    rnd = random.Random(5)
    used = {period_cells.BLOCK: 0, period_cells.WEEK: 0}
    straddled = {period_cells.BLOCK: 0, period_cells.WEEK: 0, None: 0}
    with store.engine.connect() as conn:
        for _ in range(250):
            f = random_filters(rnd)
            zoom = rnd.choice((0, 1, 2, 3, 4, 5, 6, 7, 8))
            parts = map_bins.sources(f, zoom)
            for p in parts:
                used[p.period] = used.get(p.period, 0) + 1
                if f.bbox is not None and map_bins._straddling(conn, p, f, f.bbox):
                    straddled[p.period] += 1
            got = summaries.bins(conn, f, zoom)
            assert canonical_bins(got) == canonical_bins(raw(summaries.bins, conn, f, zoom)), (f, zoom)
    # the four-week and weekly rows and the bbox-edge path of each source were all exercised
    assert used[period_cells.BLOCK] > 30 and used[period_cells.WEEK] > 50, used
    assert min(straddled.values()) > 3, straddled


def test_straddling_period_cells_read_by_scan_equal_bins_from_events(store: Store, monkeypatch) -> None:
    """With more straddling period cells than SEEK_CELLS their daily cells come from one scan of their days
    (the other branch of map_bins._refine_by_days): the same bins."""
    monkeypatch.setattr(map_bins, "SEEK_CELLS", 0)
    rnd = random.Random(8)
    with store.engine.connect() as conn:
        for _ in range(60):
            f = random_filters(rnd)
            zoom = rnd.choice((2, 3, 5, 6))
            got = summaries.bins(conn, f, zoom)
            assert canonical_bins(got) == canonical_bins(raw(summaries.bins, conn, f, zoom)), (f, zoom)


B, W = period_cells.BLOCK, period_cells.WEEK


# Four-week blocks start on 2023-12-11, 2024-01-08, 2024-02-05, 2024-03-04 (every 28 days from 0001-01-01).
@pytest.mark.parametrize("low,high,runs", [
    (None, None, [(B, dt.date.min, None)]),
    (dt.date(2024, 1, 1), dt.date(2024, 1, 7), [(W, dt.date(2024, 1, 1), dt.date(2024, 1, 1))]),
    (dt.date(2024, 1, 3), dt.date(2024, 1, 20),
     [(W, dt.date(2024, 1, 8), dt.date(2024, 1, 8)), (None, dt.date(2024, 1, 3), dt.date(2024, 1, 7)),
      (None, dt.date(2024, 1, 15), dt.date(2024, 1, 20))]),
    (dt.date(2024, 1, 3), dt.date(2024, 1, 9), [(None, dt.date(2024, 1, 3), dt.date(2024, 1, 9))]),
    # two whole blocks; the whole weeks and the days before and after them
    (dt.date(2023, 12, 20), dt.date(2024, 3, 14),
     [(B, dt.date(2024, 1, 8), dt.date(2024, 2, 5)),
      (W, dt.date(2023, 12, 25), dt.date(2024, 1, 1)), (None, dt.date(2023, 12, 20), dt.date(2023, 12, 24)),
      (W, dt.date(2024, 3, 4), dt.date(2024, 3, 4)), (None, dt.date(2024, 3, 11), dt.date(2024, 3, 14))]),
    (dt.date(2024, 1, 3), None, [(B, dt.date(2024, 1, 8), None), (None, dt.date(2024, 1, 3), dt.date(2024, 1, 7))]),
    (dt.date(2024, 1, 9), dt.date(2024, 1, 3), []),
    (dt.date(9999, 12, 30), None, [(None, dt.date(9999, 12, 30), None)]),  # no Monday left: days only
])
def test_split(low, high, runs) -> None:
    assert map_bins.split([B, W], low, high) == runs


def test_split_covers_each_day_once() -> None:
    """Every day of a random range is in exactly one run, and each run's periods lie inside the range."""
    rnd = random.Random(3)
    for _ in range(300):
        low = dt.date(2023, 1, 1) + dt.timedelta(days=rnd.randrange(400))
        high = low + dt.timedelta(days=rnd.randrange(-2, 200))
        days: list[dt.date] = []
        for period, first, last in map_bins.split([B, W], low, high):
            if period is None:
                days += [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
                continue
            start = first
            while start <= last:
                end = period.last_day(start)
                days += [start + dt.timedelta(days=k) for k in range((end - start).days + 1)]
                start = period.after(start)
        want = [low + dt.timedelta(days=k) for k in range((high - low).days + 1)]
        assert sorted(days) == want, (low, high)


def test_each_zoom_reads_its_coarsest_cells() -> None:
    """The world map (zoom 0-2) reads level-2 weeks and days, never the finer level-6 blocks (more rows than the
    weeks they would replace); zoom 3-6 read blocks and weeks of level 6 and days of level 8; zoom 7-8 days."""
    f = Filters(start=DAY0 + dt.timedelta(days=2), end=DAY0 + dt.timedelta(days=80))
    for zoom, want in ((2, {("event_cell_weeks", 2), ("event_cells", 2)}),
                       (5, {("event_cell_blocks", 6), ("event_cell_weeks", 6), ("event_cells", 8)}),
                       (7, {("event_cells", 8)})):
        assert {(s.table, s.level) for s in map_bins.sources(f, zoom)} == want, zoom


def test_empty_and_open_date_ranges(store: Store) -> None:
    with store.engine.connect() as conn:
        for f in (Filters(start=DAY0 + dt.timedelta(days=20), end=DAY0 + dt.timedelta(days=3)),
                  Filters(start=DAY0 + dt.timedelta(days=30)), Filters(end=DAY0 + dt.timedelta(days=30)),
                  Filters(start=DAY0 + dt.timedelta(days=2), country=["Fiji"], bbox=(170.0, -30.0, -170.0, -5.0))):
            for zoom in (2, 5, 8):
                got = summaries.bins(conn, f, zoom)
                assert canonical_bins(got) == canonical_bins(raw(summaries.bins, conn, f, zoom)), (f, zoom)
        assert summaries.bins(conn, Filters(start=DAY0 + dt.timedelta(days=9), end=DAY0), 4)["bins"] == []


@pytest.mark.parametrize("period", period_cells.PERIODS, ids=lambda p: p.column)
def test_period_rows_start_their_period_and_add_up(store: Store, period: period_cells.Period) -> None:
    """Weekly rows sit on Mondays, four-week rows on their block's first Monday, and hold, per level and scope, every event with a
    place."""
    w = period.table().c
    with store.engine.connect() as conn:
        firsts = conn.execute(sa.select(w[period.column]).distinct()).scalars().all()
        assert len(firsts) > 3 and all(period.start(d) == d for d in firsts)
        placed = conn.execute(sa.select(sa.func.count()).select_from(schema.events)
                              .where(schema.events.c.latitude.is_not(None))).scalar_one()
        for level in period.levels:
            for scope in (0, 1):
                total = conn.execute(sa.select(sa.func.sum(w.n)).where(w.level == level, w.scope == scope)).scalar()
                assert total == placed
