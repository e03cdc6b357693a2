"""Store benchmark: write throughput, query latency over many synthetic events, dedup quality.

    .venv/bin/python benchmarks/store.py                       # 1,000,000 events, SQLite only
    .venv/bin/python benchmarks/store.py --n 100000 \\
        --postgres postgresql://postgres@127.0.0.1:5432/postgres  # and PostgreSQL (a scratch schema, dropped)

Prints, as text and one JSON line at the end:

1. events written per second on SQLite through ``Store.save_batch`` (the
   real ingest path: dedup against stored events, reports, merged events,
   evidence, full-text entries), ``--write-n`` events in batches of ``--write-batch``
   articles (default 256, as ``ingest`` and ``load``) with 2 events each, dated at random
   over 11 years, or with ``--write-dates news`` in arrival order as from a
   news feed (about 100 articles a day);
2. p50/p95 latency of typical filtered queries over ``--n`` synthetic
   events (bulk-loaded: the write path is measured in 1) through
   ``Store.query_events``: date range + country + event type, full-text
   search, bounding box; first page of 500 rows, evidence included;
3. pairwise precision / recall of "same event" on our report clusters
   (``benchmarks/data/dedup_clusters.jsonl``; regenerate with
   ``benchmarks/data/make_dedup_clusters.py``), and on the sample reports
   of one event from two outlets.
"""
from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from eventcoder.dedup import dedup_rows
from eventcoder.store import BULK_SUMMARY_EVERY, Store
from eventcoder.store import schema
from eventcoder.store.migrations import fts_rowid
from eventcoder.vocab import ACLED_COLUMNS, Actor, Article, Event, Evidence, Place

HERE = Path(__file__).resolve().parent

COUNTRIES = [  # name, iso3, iso numeric, lat, lon, admin1 names
    ("Iraq", "IRQ", 368, 33.3, 44.4, ["Baghdad", "Nineveh", "Kirkuk", "Erbil", "Anbar", "Diyala"]),
    ("Syria", "SYR", 760, 35.0, 38.5, ["Aleppo", "Idlib", "Al-Hasakah", "Deir ez-Zor", "Ar-Raqqa"]),
    ("Somalia", "SOM", 706, 3.0, 45.3, ["Banaadir", "Lower Shabelle", "Bay", "Gedo"]),
    ("Nigeria", "NGA", 566, 10.5, 8.0, ["Borno", "Kano", "Zamfara", "Kaduna", "Plateau", "Benue"]),
    ("Mali", "MLI", 466, 15.0, -2.0, ["Gao", "Mopti", "Timbuktu", "Segou"]),
    ("Sudan", "SDN", 729, 14.0, 30.0, ["Khartoum", "North Darfur", "South Kordofan", "Al Jazirah"]),
    ("Democratic Republic of Congo", "COD", 180, -2.0, 28.5, ["Nord Kivu", "Sud Kivu", "Ituri"]),
    ("Pakistan", "PAK", 586, 30.0, 69.0, ["Balochistan", "Khyber Pakhtunkhwa", "Punjab", "Sindh"]),
    ("Ukraine", "UKR", 804, 48.5, 35.0, ["Donetsk", "Kharkiv", "Zaporizhia", "Kherson"]),
    ("Mexico", "MEX", 484, 22.0, -101.0, ["Guerrero", "Michoacan", "Jalisco", "Sinaloa", "Zacatecas"]),
]
TYPES = [
    ("Battles", "Armed clash"), ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Air/drone strike"), ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Violence against civilians", "Attack"), ("Violence against civilians", "Abduction/forced disappearance"),
    ("Protests", "Peaceful protest"), ("Riots", "Violent demonstration"), ("Strategic developments", "Arrests"),
]
WORDS = ("checkpoint convoy market village mosque school hospital bridge camp patrol border road farm "
         "pipeline airport station prison church court bank").split()
FILLER = ("the a local officials said reported that on in near of and with after during forces residents "
          "sources security attack people killed wounded town district area group members statement").split()
START = dt.date(2015, 1, 1)
DAYS = 11 * 365


def synthetic(rng: random.Random, i: int, day: dt.date | None = None) -> tuple[dict, str]:
    """One synthetic event row (DB values) and its article's text (dated at random over DAYS unless given)."""
    country, iso3, iso, lat0, lon0, admins = COUNTRIES[rng.randrange(len(COUNTRIES))]
    event_type, sub = TYPES[rng.randrange(len(TYPES))]
    if day is None:
        day = START + dt.timedelta(days=rng.randrange(DAYS))
    lat, lon = lat0 + rng.uniform(-3, 3), lon0 + rng.uniform(-3, 3)
    admin1 = rng.choice(admins)
    words = [rng.choice(FILLER) for _ in range(40)] + [rng.choice(WORDS)]
    rng.shuffle(words)
    text = f"{admin1.upper()} - " + " ".join(words) + "."
    row = {c: None for c in ACLED_COLUMNS}
    row.update(event_id_cnty=f"{iso3}{i:08d}", event_date=day, year=day.year, time_precision=1,
               disorder_type="Political violence", event_type=event_type, sub_event_type=sub,
               actor1=f"Unidentified Armed Group ({country})", inter1=3, actor2=f"Civilians ({country})", inter2=7,
               interaction=37, iso=iso, region="", country=country, admin1=admin1, admin2="", admin3="",
               location=f"Town {i % 5000}", latitude=round(lat, 4), longitude=round(lon, 4), geo_precision=1,
               source="Synthetic Wire", source_scale="National", notes="", fatalities=rng.choice([0, 1, 2, 5]),
               tags="", timestamp=1_700_000_000 + i)
    return row, text


def bulk_load(url: str, n: int, seed: int = 1) -> None:
    """Fill a store with n synthetic events, one article each (plus a source and one evidence span)."""
    rng = random.Random(seed)
    now = dt.datetime.now(dt.timezone.utc)
    with Store.open(url) as store:
        engine = store.engine
        pg = engine.dialect.name == "postgresql"
        for start in range(0, n, 20_000):
            events, articles, sources, evidence, fts = [], [], [], [], []
            for i in range(start, min(n, start + 20_000)):
                row, text = synthetic(rng, i)
                aid = f"art{i:09d}"
                row.update(article_id=aid, salience="main", score=1.0, updated_at=now)
                events.append(row)
                articles.append(dict(id=aid, url=None, title=f"Report {i}", published=row["event_date"],
                                     publisher="Synthetic Wire", source_path=None, dateline_place=None,
                                     dateline_country=None, body_start=0, text=text, ingested_at=now))
                sources.append({"event_id_cnty": row["event_id_cnty"], "article_id": aid})
                evidence.append({"event_id_cnty": row["event_id_cnty"], "field": "mention", "text": text[:20],
                                 "start": 0, "end": 20, "sentence": text, "sentence_start": 0,
                                 "sentence_end": len(text), "article_id": aid})
                fts.append({"r": fts_rowid(aid), "i": aid, "t": f"Report {i}", "x": text})
            with engine.begin() as conn:
                if pg:
                    _copy(conn, schema.articles, articles)
                    _copy(conn, schema.events, events)
                    _copy(conn, schema.event_sources, sources)
                    _copy(conn, schema.evidence, evidence)
                else:
                    conn.execute(schema.articles.insert(), articles)
                    conn.execute(schema.events.insert(), events)
                    conn.execute(schema.event_sources.insert(), sources)
                    conn.execute(schema.evidence.insert(), evidence)
                    conn.execute(sa.text("INSERT INTO articles_fts(rowid, article_id, title, text) "
                                         "VALUES (:r, :i, :t, :x)"), fts)
            print(f"  loaded {min(n, start + 20_000):,} events", file=sys.stderr, end="\r")
        with engine.begin() as conn:
            conn.execute(sa.text("ANALYZE"))
    print(file=sys.stderr)


def _copy(conn: sa.Connection, table: sa.Table, rows: list[dict]) -> None:
    """PostgreSQL COPY of rows into a table (the fast bulk path)."""
    cols = [c.name for c in table.columns if c.name in rows[0]]
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({', '.join(chr(34) + c + chr(34) for c in cols)}) "
                                       "FROM STDIN") as copy:
        for r in rows:
            copy.write_row([r[c] for c in cols])


def query_latency(url: str, runs: int, seed: int = 2) -> dict[str, dict[str, float]]:
    """p50/p95 milliseconds of three typical queries (first page of 500 rows with evidence)."""
    rng = random.Random(seed)
    out = {}
    with Store.open(url) as store:
        def date_country_type():
            start = START + dt.timedelta(days=rng.randrange(DAYS - 90))
            return dict(start=start, end=start + dt.timedelta(days=90), country=rng.choice(COUNTRIES)[0],
                        event_type=rng.choice(TYPES)[0])

        def text():
            return dict(text=f"{rng.choice(WORDS)} {rng.choice(COUNTRIES)[5][0]}")

        def bbox():
            _, _, _, lat, lon, _ = rng.choice(COUNTRIES)
            return dict(bbox=(lon - 0.5, lat - 0.5, lon + 0.5, lat + 0.5))

        for name, make in (("date+country+type", date_country_type), ("text search", text), ("bbox", bbox)):
            times, sizes = [], []
            list(store.query_events(limit=500, **make()))  # warm up
            for _ in range(runs):
                filters = make()
                t0 = time.perf_counter()
                rows = list(store.query_events(limit=500, **filters))
                times.append((time.perf_counter() - t0) * 1000)
                sizes.append(len(rows))
            times.sort()
            out[name] = {"p50_ms": round(statistics.median(times), 1),
                         "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
                         "mean_rows": round(statistics.mean(sizes), 1)}
    return out


def news_day(rng: random.Random, i: int, articles: int) -> dt.date:
    """The date of a feed's i-th article's event: the feed runs over the last year of DAYS in arrival order,
    about 100 articles a day, and an event is reported on its day or up to two days later."""
    per_day = 100
    first = START + dt.timedelta(days=DAYS - max(1, articles // per_day) - 3)
    return first + dt.timedelta(days=i // per_day + 3 - rng.randrange(3))


def write_rate(url: str, n: int, seed: int = 3, batch: int = 256, dates: str = "spread",
               summary_every: int = 1) -> tuple[int, int, int]:
    """Events per second (wall clock; and per CPU-second of this process, which a busy machine disturbs less)
    through Store.save_batch (2 events per article, ``batch`` articles per transaction);
    ``dates`` "spread": events dated at random over 11 years (a backfill in random order, the default), "news":
    articles arrive in date order, as from a feed (``news_day``). ``summary_every`` as ``Store.open``; the time
    includes closing the store, which applies the last deferred summary changes."""
    rng = random.Random(seed)
    items = []
    for i in range(n // 2):
        row, text = synthetic(rng, i, news_day(rng, i, n // 2) if dates == "news" else None)
        article = Article(id=f"w{i:08d}", text=text, title=f"Report {i}", published=row["event_date"],
                          publisher="Synthetic Wire")
        place = Place(row["location"], row["latitude"], row["longitude"], country=row["country"],
                      admin1=row["admin1"], geo_precision=1)
        evs = []
        for k, (event_type, sub) in enumerate(rng.sample(TYPES, 2)):
            evs.append(Event(event_type=event_type, sub_event_type=sub, event_date=row["event_date"],
                             time_precision=1, actor1=Actor(row["actor1"], 3), actor2=Actor(row["actor2"], 7),
                             place=place, fatalities=row["fatalities"], source="Synthetic Wire",
                             evidence=[Evidence("mention", text[:20], 0, 20, text, 0, len(text))]))
        items.append((article, evs))
    store = Store.open(url, summary_every=summary_every)
    t0, c0 = time.perf_counter(), time.process_time()
    for b in range(0, len(items), batch):
        store.save_batch(items[b:b + batch])
    stored = store.stats()["events"]
    store.close()
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    return round(stored / elapsed), stored, round(stored / cpu)


def bare_insert_rate(path: str, n: int, seed: int = 3, batch: int = 256) -> int:
    """Reference for the write rate, in the same run: the same ACLED rows (2 per article, ``batch`` articles per
    commit) inserted with plain sqlite3 into one table with no index, WAL, synchronous=NORMAL: the floor cost
    of putting the rows on disk, without dedup, reports, evidence, search index or summaries."""
    import sqlite3

    rng = random.Random(seed)
    rows = []
    for i in range(n // 2):
        row, _ = synthetic(rng, i)
        for k in range(2):
            rows.append(tuple(str(v) if isinstance(v, dt.date) else v
                              for v in {**row, "event_id_cnty": f"{row['event_id_cnty']}{k}"}.values()))
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute(f"CREATE TABLE bare ({', '.join(ACLED_COLUMNS)})")
    sql = f"INSERT INTO bare VALUES ({', '.join('?' * len(ACLED_COLUMNS))})"
    t0 = time.perf_counter()
    for b in range(0, len(rows), 2 * batch):
        con.execute("BEGIN")
        con.executemany(sql, rows[b:b + 2 * batch])
        con.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    con.close()
    return round(len(rows) / elapsed)


def dedup_quality() -> dict[str, float]:
    """Pairwise precision/recall of "same event" on our report clusters."""
    items = [json.loads(line) for line in (HERE / "data" / "dedup_clusters.jsonl").read_text().splitlines() if line]
    rows = [dict(item["row"]) for item in items]
    gold = {r["article_id"]: item["cluster"] for r, item in zip(rows, items)}
    pred = {}
    clusters = dedup_rows(rows)
    for k, cluster in enumerate(clusters):
        for r in cluster.reports:
            pred[r["article_id"]] = k
    tp = fp = fn = 0
    for a, b in itertools.combinations(list(gold), 2):
        same_gold, same_pred = gold[a] == gold[b], pred[a] == pred[b]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    return {"reports": len(rows), "gold_events": len(set(gold.values())), "predicted_events": len(clusters),
            "pairwise_precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
            "pairwise_recall": round(tp / (tp + fn), 3) if tp + fn else 1.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="synthetic events for the query benchmark")
    parser.add_argument("--write-n", type=int, default=20_000, help="events written through the ingest path")
    parser.add_argument("--write-batch", type=int, default=256,
                        help="articles per save_batch transaction (256: the default of ingest and load)")
    parser.add_argument("--write-dates", choices=("spread", "news"), default="spread",
                        help="dates of the written events: at random over 11 years (default), or in arrival "
                             "order as from a news feed, ~100 articles a day")
    parser.add_argument("--summary-every", type=int, default=BULK_SUMMARY_EVERY,
                        help="batches per summary refresh, as Store.open's summary_every (default: as ingest and "
                             "load; 1: in every batch's transaction)")
    parser.add_argument("--runs", type=int, default=50, help="runs of each query")
    parser.add_argument("--postgres", default=None, help="PostgreSQL DSN: also benchmark there (scratch schema)")
    parser.add_argument("--dir", default=None, help="folder for the SQLite files (default: a temporary one)")
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite runs (e.g. PostgreSQL only)")
    args = parser.parse_args()
    results: dict = {"n": args.n}
    quality = dedup_quality()
    results["dedup"] = quality
    print(f"dedup on {quality['reports']} reports of {quality['gold_events']} events: "
          f"{quality['predicted_events']} predicted, pairwise precision {quality['pairwise_precision']}, "
          f"recall {quality['pairwise_recall']}")
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
            rate, stored, cpu_rate = write_rate(str(Path(tmp) / "write.db"), args.write_n, batch=args.write_batch,
                                                dates=args.write_dates, summary_every=args.summary_every)
            results["sqlite_write_events_per_s"] = rate
            results["sqlite_write_events_per_cpu_s"] = cpu_rate
            bare = bare_insert_rate(str(Path(tmp) / "bare.db"), args.write_n, batch=args.write_batch)
            results["sqlite_bare_insert_rows_per_s"] = bare
            print(f"SQLite write: {rate:,} events/s, {cpu_rate:,} per CPU-second ({stored:,} events through "
                  f"Store.save_batch); bare sqlite3 insert of the same rows: {bare:,}/s (ratio {rate / bare:.3f})")
            db = str(Path(tmp) / "query.db")
            t0 = time.perf_counter()
            bulk_load(db, args.n)
            print(f"SQLite: loaded {args.n:,} events in {time.perf_counter() - t0:.0f} s "
                  f"({Path(db).stat().st_size / 1e9:.2f} GB)")
            results["sqlite"] = query_latency(db, args.runs)
            for name, r in results["sqlite"].items():
                print(f"  SQLite     {name:18} p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  "
                      f"({r['mean_rows']:.0f} rows)")
    if args.postgres:
        import psycopg

        names = [f"ecbench_{uuid.uuid4().hex[:10]}" for _ in range(2)]
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            for name in names:
                conn.execute(f"CREATE SCHEMA {name}")
        write_url, url = (f"{args.postgres}{'&' if '?' in args.postgres else '?'}options=-csearch_path%3D{name}"
                          for name in names)
        try:
            rate, stored, _ = write_rate(write_url, args.write_n, batch=args.write_batch, dates=args.write_dates,
                                         summary_every=args.summary_every)
            results["postgres_write_events_per_s"] = rate
            print(f"PostgreSQL write: {rate:,} events/s ({stored:,} events through Store.save_batch)")
            t0 = time.perf_counter()
            bulk_load(url, args.n)
            print(f"PostgreSQL: loaded {args.n:,} events in {time.perf_counter() - t0:.0f} s")
            results["postgres"] = query_latency(url, args.runs)
            for qname, r in results["postgres"].items():
                print(f"  PostgreSQL {qname:18} p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  "
                      f"({r['mean_rows']:.0f} rows)")
        finally:
            with psycopg.connect(args.postgres, autocommit=True) as conn:
                for name in names:
                    conn.execute(f"DROP SCHEMA {name} CASCADE")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
