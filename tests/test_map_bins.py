"""Map bins from weekly + daily summary cells (api.map_bins, store.week_cells) equal bins counted from events.

The summary tables' maintenance (weekly cells included) after inserts,
recodes, merges and deletions is checked against a rebuild in
tests/test_aggregates.py; here random filters over random events check the
read side: the split of a date range into full weeks and edge days, the
straddling cells at a bbox edge (weekly and daily), every zoom.
"""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventcoder.api import map_bins, queries
from eventcoder.api.queries import Filters
from eventcoder.store import Store, aggregates, schema, week_cells

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
                    "event_date": None if i % 97 == 0 else DAY0 + dt.timedelta(days=rnd.randrange(70)),
                    "event_type": rnd.choice(TYPES), "country": country,
                    "latitude": None if i % 53 == 0 else round(lat0 + rnd.gauss(0, 2.5), 4),
                    "longitude": None if i % 53 == 0 else round(lon, 4),
                    "fatalities": rnd.choice((0, 1, 3, None)), "article_id": "a", "updated_at": NOW})
            conn.execute(schema.events.insert(), rows)
            aggregates.rebuild(conn)
        yield s


def random_filters(rnd: random.Random) -> Filters:
    start = DAY0 + dt.timedelta(days=rnd.randrange(-5, 70)) if rnd.random() < 0.8 else None
    end = (start or DAY0) + dt.timedelta(days=rnd.randrange(0, 40)) if rnd.random() < 0.8 else None
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


def test_weekly_and_daily_bins_equal_bins_from_events(store: Store) -> None:
    rnd = random.Random(5)
    used_weeks = straddled = 0
    with store.engine.connect() as conn:
        for _ in range(150):
            f = random_filters(rnd)
            zoom = rnd.choice((0, 1, 2, 3, 4, 5, 6, 7, 8))
            parts = map_bins.sources(f, zoom)
            used_weeks += any(p.weekly for p in parts)
            if f.bbox is not None:
                straddled += any(map_bins._straddling(conn, p, f, f.bbox) for p in parts)
            got = queries.bins(conn, f, zoom)
            assert canonical_bins(got) == canonical_bins(raw(queries.bins, conn, f, zoom)), (f, zoom)
    assert used_weeks > 50 and straddled > 5  # the weekly rows and the bbox-edge path were both exercised


@pytest.mark.parametrize("low,high,weeks,days", [
    (None, None, (dt.date.min, None), []),
    (dt.date(2024, 1, 1), dt.date(2024, 1, 7), (dt.date(2024, 1, 1), dt.date(2024, 1, 1)), []),
    (dt.date(2024, 1, 3), dt.date(2024, 1, 20),
     (dt.date(2024, 1, 8), dt.date(2024, 1, 8)), [(dt.date(2024, 1, 3), dt.date(2024, 1, 7)),
                                                   (dt.date(2024, 1, 15), dt.date(2024, 1, 20))]),
    (dt.date(2024, 1, 3), dt.date(2024, 1, 9), None, [(dt.date(2024, 1, 3), dt.date(2024, 1, 9))]),
    (dt.date(2024, 1, 3), None, (dt.date(2024, 1, 8), None), [(dt.date(2024, 1, 3), dt.date(2024, 1, 7))]),
    (dt.date(2024, 1, 9), dt.date(2024, 1, 3), None, []),
    (dt.date(9999, 12, 30), None, None, [(dt.date(9999, 12, 30), dt.date.max)]),  # no Monday left: days only
])
def test_split_weeks(low, high, weeks, days) -> None:
    assert map_bins.split_weeks(low, high) == (weeks, days)


def test_empty_and_open_date_ranges(store: Store) -> None:
    with store.engine.connect() as conn:
        for f in (Filters(start=DAY0 + dt.timedelta(days=20), end=DAY0 + dt.timedelta(days=3)),
                  Filters(start=DAY0 + dt.timedelta(days=30)), Filters(end=DAY0 + dt.timedelta(days=30)),
                  Filters(start=DAY0 + dt.timedelta(days=2), country=["Fiji"], bbox=(170.0, -30.0, -170.0, -5.0))):
            for zoom in (2, 5, 8):
                got = queries.bins(conn, f, zoom)
                assert canonical_bins(got) == canonical_bins(raw(queries.bins, conn, f, zoom)), (f, zoom)
        assert queries.bins(conn, Filters(start=DAY0 + dt.timedelta(days=9), end=DAY0), 4)["bins"] == []


def test_week_rows_are_mondays_and_add_up(store: Store) -> None:
    """Weekly rows sit on Mondays and hold, per level and scope, every event with a place."""
    w = schema.event_cell_weeks.c
    with store.engine.connect() as conn:
        weeks = conn.execute(sa.select(w.week).distinct()).scalars().all()
        assert weeks and all(d.weekday() == 0 for d in weeks)
        placed = conn.execute(sa.select(sa.func.count()).select_from(schema.events)
                              .where(schema.events.c.latitude.is_not(None))).scalar_one()
        for level in week_cells.WEEK_LEVELS:
            for scope in (0, 1):
                total = conn.execute(sa.select(sa.func.sum(w.n)).where(w.level == level, w.scope == scope)).scalar()
                assert total == placed
