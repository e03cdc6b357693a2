"""Load benchmark of `eventcoder serve` on loopback, and first meaningful paint of the dashboard.

    .venv/bin/python benchmarks/api.py                      # 1,000,000 synthetic events
    .venv/bin/python benchmarks/api.py --events 200000 --requests 500 --paint-only

1. Fills a SQLite store with N synthetic events (20 countries, 3 years, all
   event types, 400 actors; one article per 10 events) unless the file
   already holds that many. Rows go in with bulk INSERTs into the tables the
   store's migrations created.
2. Starts `eventcoder serve` on a free loopback port (a real subprocess).
3. For each scenario, C concurrent clients (default 50) send at most
   --requests requests in at most --seconds seconds; prints p50/p95/p99
   latency and throughput. Queries vary (random country, date window, map
   view) so they are not one cached answer.
4. Opens the dashboard in headless Chromium with a date range that puts about
   100,000 events in view and reports the time from navigation start to the
   first drawn map bins and key figures (`performance.mark("eventcoder-first-paint")`
   plus the figures), median of 3 loads.

Everything stays on 127.0.0.1 and stops by itself.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

COUNTRIES = [  # name, iso3, iso numeric, region, lat, lon, spread (degrees)
    ("Iraq", "IRQ", 368, "Middle East", 33.3, 44.4, 3.0), ("Syria", "SYR", 760, "Middle East", 35.0, 38.5, 2.5),
    ("Yemen", "YEM", 887, "Middle East", 15.4, 45.0, 2.5), ("Nigeria", "NGA", 566, "Western Africa", 9.1, 8.7, 4.0),
    ("Mali", "MLI", 466, "Western Africa", 15.5, -2.5, 4.0), ("Sudan", "SDN", 729, "Northern Africa", 14.0, 30.0, 4.0),
    ("Somalia", "SOM", 706, "Eastern Africa", 4.0, 45.5, 3.0),
    ("Democratic Republic of Congo", "COD", 180, "Middle Africa", -1.5, 28.5, 3.0),
    ("Ukraine", "UKR", 804, "Europe", 48.5, 33.0, 3.5), ("Myanmar", "MMR", 104, "Southeast Asia", 20.0, 96.0, 3.5),
    ("Afghanistan", "AFG", 4, "Caucasus and Central Asia", 34.0, 66.0, 3.0),
    ("Pakistan", "PAK", 586, "Southern Asia", 30.0, 70.0, 3.5), ("India", "IND", 356, "Southern Asia", 22.0, 79.0, 6.0),
    ("Mexico", "MEX", 484, "Central America", 22.0, -101.0, 5.0), ("Colombia", "COL", 170, "South America", 4.5, -74.0, 3.0),
    ("Brazil", "BRA", 76, "South America", -12.0, -50.0, 7.0), ("Ethiopia", "ETH", 231, "Eastern Africa", 9.0, 39.5, 3.5),
    ("Burkina Faso", "BFA", 854, "Western Africa", 12.3, -1.5, 2.0),
    ("Philippines", "PHL", 608, "Southeast Asia", 12.0, 122.0, 3.5), ("France", "FRA", 250, "Europe", 46.5, 2.5, 3.0),
]
TYPES = {
    "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    "Explosions/Remote violence": ["Air/drone strike", "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Suicide bomb", "Grenade"],
    "Violence against civilians": ["Attack", "Abduction/forced disappearance", "Sexual violence"],
    "Protests": ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": ["Arrests", "Agreement", "Looting/property destruction", "Other"],
}
DISORDER = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
            "Violence against civilians": "Political violence", "Protests": "Demonstrations",
            "Riots": "Demonstrations", "Strategic developments": "Strategic developments"}
FIRST_DAY = dt.date(2022, 1, 1)
DAYS = 1096


def generate(path: Path, n: int, seed: int = 7) -> None:
    """Fill a fresh store at path with n synthetic events (bulk inserts, one transaction per batch)."""
    from eventcoder.store import Store

    if path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    Store.open(str(path)).close()  # the store's own migrations create tables and indexes
    import sqlite3

    rnd = random.Random(seed)
    actors = {c[0]: [f"Military Forces of {c[0]}", f"Police Forces of {c[0]}", f"Civilians ({c[0]})",
                     f"Protesters ({c[0]})", f"Rioters ({c[0]})", f"Unidentified Armed Group ({c[0]})"]
              + [f"{c[0]} Militia {k}" for k in range(14)] for c in COUNTRIES}
    weights = [1 / (i + 1) for i in range(len(COUNTRIES))]
    now = dt.datetime.now(dt.timezone.utc).isoformat(sep=" ")
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    cols = ("event_id_cnty event_date year time_precision disorder_type event_type sub_event_type actor1 "
            "assoc_actor_1 inter1 actor2 assoc_actor_2 inter2 interaction civilian_targeting iso region country "
            "admin1 admin2 admin3 location latitude longitude geo_precision source source_scale notes fatalities "
            "tags timestamp article_id salience score updated_at").split()
    ev_sql = f"INSERT INTO events ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})"
    art_sql = ("INSERT INTO articles (id, url, title, published, publisher, body_start, text, ingested_at) "
               "VALUES (?,?,?,?,?,?,?,?)")
    src_sql = "INSERT INTO event_sources (event_id_cnty, article_id) VALUES (?,?)"
    batch = 50_000
    for start in range(0, n, batch):
        events, arts, srcs = [], [], []
        for i in range(start, min(n, start + batch)):
            name, iso3, isonum, region, lat0, lon0, spread = rnd.choices(COUNTRIES, weights)[0]
            etype = rnd.choice(list(TYPES))
            sub = rnd.choice(TYPES[etype])
            day = FIRST_DAY + dt.timedelta(days=rnd.randrange(DAYS))
            a1 = rnd.choice(actors[name])
            a2 = rnd.choice(actors[name]) if rnd.random() < 0.7 else ""
            inter1, inter2 = rnd.randint(1, 8), (rnd.randint(1, 8) if a2 else None)
            fat = int(rnd.expovariate(0.5)) if etype in ("Battles", "Explosions/Remote violence",
                                                          "Violence against civilians") else 0
            region_no = rnd.randrange(8)
            article = f"bench-{i // 10:07d}"
            eid = f"{iso3}{i:08d}"
            civ = "Civilian targeting" if inter2 == 7 and DISORDER[etype] == "Political violence" else ""
            events.append((
                eid, day.isoformat(), day.year, 1, DISORDER[etype], etype, sub, a1, "", inter1, a2, "", inter2,
                inter1 * 10 + (inter2 or 0), civ, isonum, region, name, f"{name} Region {region_no}",
                f"{name} District {rnd.randrange(40)}", "", f"{name} Town {rnd.randrange(400)}",
                round(lat0 + rnd.gauss(0, spread), 4), round(lon0 + rnd.gauss(0, spread), 4), rnd.choice((1, 1, 2, 3)),
                "Bench Wire", "National", f"Synthetic {sub.lower()} event {i}.", fat, "", 1_700_000_000 + i,
                article, "primary", 1.0, now))
            srcs.append((eid, article))
            if i % 10 == 0:
                arts.append((article, None, f"Bench report {i // 10}", day.isoformat(), "Bench Wire", 0,
                             f"Synthetic report {i // 10}: {a1} and {a2 or 'others'} in {name}.", now))
        con.executemany(art_sql, arts)
        con.executemany(ev_sql, events)
        con.executemany(src_sql, srcs)
        con.commit()
        print(f"  {min(n, start + batch):,} events", file=sys.stderr, flush=True)
    con.commit()
    con.close()
    # The rows went in behind the store's back: build its summary tables (schema v3) from them.
    from eventcoder.store import aggregates

    with Store.open(str(path)) as store, store.engine.begin() as conn:
        aggregates.rebuild(conn)
    con = sqlite3.connect(path)
    con.execute("ANALYZE")
    con.commit()
    con.close()


def store_size(path: Path) -> int:
    import sqlite3

    if not path.exists():
        return 0
    try:
        with sqlite3.connect(path) as con:
            return con.execute("SELECT count(*) FROM events").fetchone()[0]
    except sqlite3.Error:
        return 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, workers: int = 1, threads: int | None = None) -> subprocess.Popen:
    extra = ["--threads", str(threads)] if threads else []
    proc = subprocess.Popen([sys.executable, "-m", "eventcoder", "serve", "--db", str(db), "--port", str(port),
                             "--workers", str(workers), "--quiet", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(600):
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode()}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/config", timeout=2).read()  # noqa: S310
            return proc
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("server did not start")


def server_cpu_seconds(proc: subprocess.Popen) -> float:
    """CPU seconds (user + system) used so far by the server and its worker processes."""
    import psutil

    total = 0.0
    try:
        root = psutil.Process(proc.pid)
        for p in [root, *root.children(recursive=True)]:
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except psutil.NoSuchProcess:
                pass
    except psutil.NoSuchProcess:
        pass
    return total


def window(rnd: random.Random, days: int) -> tuple[str, str]:
    start = FIRST_DAY + dt.timedelta(days=rnd.randrange(DAYS - days))
    return start.isoformat(), (start + dt.timedelta(days=days - 1)).isoformat()


def scenarios(rnd: random.Random) -> dict[str, callable]:
    def acled() -> str:
        c = rnd.choice(COUNTRIES)
        a, b = window(rnd, 30)
        return (f"/api/acled/read?country={c[0]}&event_date={a}|{b}&event_date_where=BETWEEN"
                f"&limit=500&fields=event_id_cnty|event_date|event_type|actor1|location|fatalities")

    def acled_where() -> str:
        a, b = window(rnd, 7)
        return (f"/api/acled/read?event_date={a}|{b}&event_date_where=BETWEEN&fatalities={rnd.randint(3, 8)}"
                f"&fatalities_where=%3E%3D&limit=100")

    def bins_country() -> str:
        c = rnd.choice(COUNTRIES)
        a, b = window(rnd, 90)
        s = c[6] * 3
        return (f"/api/events/bins?zoom=6&start={a}&end={b}&country={c[0]}"
                f"&bbox={max(-180, c[5] - s)},{max(-90, c[4] - s)},{min(180, c[5] + s)},{min(90, c[4] + s)}")

    def bins_world() -> str:
        a, b = window(rnd, 30)
        return f"/api/events/bins?zoom=2&start={a}&end={b}&bbox=-180,-85,180,85"

    def stats() -> str:
        c = rnd.choice(COUNTRIES)
        a, b = window(rnd, 90)
        return f"/api/stats?country={c[0]}&start={a}&end={b}"

    return {"acled read: country + 30-day window": acled, "acled read: 7 days, fatalities >=": acled_where,
            "map bins: one country, 90 days, zoom 6": bins_country, "map bins: world, 30 days, zoom 2": bins_world,
            "key figures: country, 90 days": stats}


class Connection:
    """A minimal HTTP/1.1 keep-alive client connection: GET, read the status and the body.

    The load generator runs on the same cores as the server, so it must cost
    little per request: httpx's AsyncClient took about 15 ms of CPU per
    request with 50 connections here and capped every scenario at ~130
    requests/s, measuring itself instead of the server.
    """

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None
        self.cache_hits = 0  # answers the server took from its answer cache (its x-cache header)

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        path = urllib.parse.quote(path, safe="/?&=|,:%+")  # e.g. spaces in country names
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            while size := int((await self.reader.readuntil(b"\r\n")).strip(), 16):
                await self.reader.readexactly(size + 2)
            await self.reader.readuntil(b"\r\n")
        if headers.get("connection") == "close":
            self.close()
        self.cache_hits += headers.get("x-cache") == "hit"
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def load(base: str, make_path, clients: int, max_requests: int, max_seconds: float) -> dict:
    host, port = base.split("//")[1].split(":")
    latencies: list[float] = []
    errors = hits = 0
    sent = 0
    deadline = time.perf_counter() + max_seconds

    async def worker() -> None:
        nonlocal sent, errors, hits
        conn = Connection(host, int(port))
        while sent < max_requests and time.perf_counter() < deadline:
            sent += 1
            path = make_path()
            t0 = time.perf_counter()
            try:
                ok = await conn.get(path) == 200
            except (OSError, asyncio.IncompleteReadError, ValueError):  # e.g. a keep-alive connection closed
                conn.close()
                ok = False
            latencies.append(time.perf_counter() - t0)
            errors += not ok
        conn.close()
        hits += conn.cache_hits

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    wall = time.perf_counter() - t0
    lat = sorted(latencies)
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [lat[0]] * 99
    return {"requests": len(lat), "errors": errors, "cache_hits": hits, "seconds": round(wall, 1),
            "rps": round(len(lat) / wall, 1), "p50_ms": round(q[49] * 1000, 1), "p95_ms": round(q[94] * 1000, 1),
            "p99_ms": round(q[98] * 1000, 1)}


def first_paint(base: str, chromium: str, start: str, end: str, runs: int = 3) -> dict:
    from playwright.sync_api import sync_playwright

    times, walls, in_view = [], [], None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync"])
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            page = context.new_page()
            t0 = time.perf_counter()
            page.goto(f"{base}/?start={start}&end={end}&lat=20&lon=20&z=2")
            page.wait_for_selector("body[data-ready='1']", timeout=120_000)
            page.wait_for_selector("body[data-figures='1']", timeout=120_000)
            walls.append(time.perf_counter() - t0)
            mark = page.evaluate("performance.getEntriesByName('eventcoder-first-paint')[0].startTime")
            times.append(mark / 1000)
            in_view = int(page.text_content("#status").split(" events")[0].replace(",", ""))
            context.close()
        browser.close()
    # The first load computes the aggregates (cold server cache); later loads reuse them until the store changes.
    return {"events_in_view": in_view, "cold_bins_drawn_s": round(times[0], 2),
            "cold_bins_and_figures_s": round(walls[0], 2),
            "warm_bins_drawn_s_median": round(statistics.median(times[1:] or times), 2),
            "warm_bins_and_figures_s_median": round(statistics.median(walls[1:] or walls), 2), "runs": runs}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default=str(ROOT / "out" / "bench_api.db"))
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=1000, help="Most requests per scenario.")
    ap.add_argument("--seconds", type=float, default=60, help="Most seconds per scenario.")
    ap.add_argument("--chromium", default=os.environ.get("EVENTCODER_CHROMIUM", "/usr/bin/chromium"))
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="`serve --workers` (default: the number of CPU cores)")
    ap.add_argument("--threads", type=int, default=None, help="`serve --threads` (default: serve's default)")
    ap.add_argument("--only", default="", help="run only the scenarios whose name contains this text")
    ap.add_argument("--paint-only", action="store_true")
    ap.add_argument("--no-paint", action="store_true")
    args = ap.parse_args()

    db = Path(args.db)
    db.parent.mkdir(parents=True, exist_ok=True)
    if store_size(db) != args.events:
        print(f"generating {args.events:,} synthetic events in {db} ...", file=sys.stderr)
        t0 = time.perf_counter()
        generate(db, args.events)
        print(f"  done in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    from eventcoder.store import Store

    t0 = time.perf_counter()
    Store.open(str(db)).close()  # pending migrations (e.g. the v3 summary tables of an older store) run here
    print(f"store opened in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    port = free_port()
    proc = start_server(db, port, args.workers, args.threads)
    base = f"http://127.0.0.1:{port}"
    results: dict = {"events": args.events, "clients": args.clients, "cpus": os.cpu_count(), "workers": args.workers,
                     "threads": args.threads}
    try:
        rnd = random.Random(11)
        if not args.paint_only:
            for name, make in scenarios(rnd).items():
                if args.only not in name:
                    continue
                cpu0 = server_cpu_seconds(proc)
                r = asyncio.run(load(base, make, args.clients, args.requests, args.seconds))
                # The server's own CPU per request: on a shared machine it varies far less than latency does.
                r["server_cpu_ms"] = round((server_cpu_seconds(proc) - cpu0) / max(1, r["requests"]) * 1000, 2)
                results[name] = r
                print(f"{name:42s} {json.dumps(r)}", flush=True)
        if not args.no_paint and Path(args.chromium).exists():
            # A window holding about 100,000 events (1/10 of a year-spread million: ~110 days).
            days = max(1, round(DAYS * min(1.0, 100_000 / args.events)))
            end = FIRST_DAY + dt.timedelta(days=DAYS - 1)
            start = end - dt.timedelta(days=days - 1)
            r = first_paint(base, args.chromium, start.isoformat(), end.isoformat())
            results["first_paint"] = r
            print(f"{'first meaningful paint':42s} {json.dumps(r)}", flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
