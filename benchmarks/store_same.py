"""Write one fixed input through Store.save_batch / recode_batch and dump what the store holds, canonically.

Run it with two versions of the code on the path and compare the dumps: a
change to the write path must leave the same articles, reports (ids, events,
seqs, rows), events, sources, evidence, decisions, deletions and summary
rows. Times (``timestamp``, ``coded_at``...) and row ids are left out.

    PYTHONPATH=/path/to/old/src .venv/bin/python benchmarks/store_same.py old.json spread 3000
    PYTHONPATH=src .venv/bin/python benchmarks/store_same.py new.json spread 3000 && cmp old.json new.json
    PYTHONPATH=src .venv/bin/python benchmarks/store_same.py two.json spread 3000 two   # two Stores alternate

The input: the write benchmark's synthetic articles (``--write-dates`` spread or news) in batches of 64; a
quarter are reported again by a second outlet (same events 5 km away, some a day later, another toll), a
tenth of the later ones re-ingest an earlier article with changed text and re-coded events (one dropped, a
toll changed, or a day moved), some repeat an article unchanged; then one recode batch.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import random
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
import store as bench  # noqa: E402 (benchmarks/store.py)

from eventcoder.store import Store, schema  # noqa: E402
from eventcoder.vocab import Actor, Article, Event, Evidence, Place  # noqa: E402

TABLES = ("articles", "events", "event_sources", "evidence", "reports", "merges", "deleted", "event_days",
          "event_cells", "actor_days", "event_cell_weeks", "event_cell_blocks")
TIMES = {"timestamp", "updated_at", "decided_at", "coded_at", "deleted_timestamp", "ingested_at"}


def items(dates: str, n: int, seed: int = 5) -> list[tuple[Article, list[Event]]]:
    """The fixed input: n events' worth of articles, with second outlets, changed and repeated articles."""
    rng = random.Random(seed)
    out: list[tuple[Article, list[Event]]] = []
    by_id: dict[str, tuple[Article, list[Event]]] = {}
    for i in range(n // 2):
        row, text = bench.synthetic(rng, i, bench.news_day(rng, i, n // 2) if dates == "news" else None)
        art = Article(id=f"w{i:08d}", text=text, title=f"Report {i}", published=row["event_date"],
                      publisher="Synthetic Wire")
        place = Place(row["location"], row["latitude"], row["longitude"], country=row["country"],
                      admin1=row["admin1"], geo_precision=1)
        evs = [Event(event_type=et, sub_event_type=sub, event_date=row["event_date"], time_precision=1,
                     actor1=Actor(row["actor1"], 3), actor2=Actor(row["actor2"], 7), place=place,
                     fatalities=row["fatalities"], source="Synthetic Wire",
                     evidence=[Evidence("mention", text[:20], 0, 20, text, 0, len(text))])
               for et, sub in rng.sample(bench.TYPES, 2)]
        out.append((art, evs))
        by_id[art.id] = (art, evs)
        r = rng.random()
        if r < 0.25:  # another outlet
            p2 = dataclasses.replace(place, latitude=place.latitude + 0.05)
            d2 = row["event_date"] + dt.timedelta(days=rng.choice([0, 0, 1]))
            evs2 = [dataclasses.replace(e, place=p2, event_date=d2, fatalities=rng.choice([0, 1, 5]),
                                        source="Other Wire") for e in evs[:rng.choice([1, 2])]]
            out.append((Article(id=f"o{i:08d}", text=text + " Other outlet.", title="x", published=d2,
                                publisher="Other Wire"), evs2))
        elif r < 0.35 and i > 50:  # an earlier article changed
            old_art, old_evs = by_id[f"w{rng.randrange(max(0, i - 400), i):08d}"]
            k = rng.randrange(3)
            if k == 0:
                new_evs = old_evs[:1]
            elif k == 1:
                new_evs = [dataclasses.replace(e, fatalities=(e.fatalities or 0) + 3) for e in old_evs]
            else:
                new_evs = [dataclasses.replace(old_evs[0], event_date=old_evs[0].event_date + dt.timedelta(days=1)),
                           *old_evs[1:]]
            out.append((dataclasses.replace(old_art, text=old_art.text + f" Update {i}."), new_evs))
        elif r < 0.4:  # an article again, unchanged
            out.append(by_id[f"w{rng.randrange(0, i + 1):08d}"])
    return out


def dump(url: str) -> dict[str, list[str]]:
    """Every row of the written tables, times and row ids left out, floats rounded, sorted."""
    engine = sa.create_engine(f"sqlite:///{url}")
    out: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for name in TABLES:
            table = getattr(schema, name)
            cols = [c for c in table.columns if c.name not in TIMES
                    and not (name in ("evidence", "merges", "deleted") and c.name == "id")]
            rows = []
            for r in conn.execute(sa.select(*cols)):
                values = [round(v, 6) if isinstance(v, float) else v for v in r]
                if name == "reports":  # the row's JSON holds the coding time too
                    values = [_without_time(v) if isinstance(v, str) and v.startswith("{") else v for v in values]
                rows.append(json.dumps(values, default=str))
            out[name] = sorted(rows)
    engine.dispose()
    return out


def _without_time(row_json: str) -> str:
    row = json.loads(row_json)
    row.pop("timestamp", None)
    return json.dumps(row, sort_keys=True)


def main() -> None:
    path, dates, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    writers = 2 if len(sys.argv) > 4 and sys.argv[4] == "two" else 1
    batch = items(dates, n)
    with tempfile.TemporaryDirectory() as tmp:
        url = os.path.join(tmp, "same.db")
        stores = [Store.open(url, summary_every=16) for _ in range(writers)]
        for k, start in enumerate(range(0, len(batch), 64)):
            stores[k % writers].save_batch(batch[start:start + 64])
        stores[0].recode_batch([(a, e[:1]) for a, e in batch[:300:7]])
        for s in stores:
            s.close()
        result = dump(url)
    Path(path).write_text(json.dumps(result))
    print({k: len(v) for k, v in result.items()})


if __name__ == "__main__":
    main()
