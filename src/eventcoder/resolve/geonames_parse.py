"""Turning chunks of GeoNames lines into gazetteer rows: pure functions, run in the loader or in worker processes.

Folding names is most of a load's time (30-40 million names in a full dump), so ``gazetteer load`` hands
chunks of raw lines to a pool of processes and only writes SQLite itself. Chunks are small and the number
in flight is bounded, so memory does not grow with the file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from eventcoder.resolve.fold import basic_fold, fold
from eventcoder.resolve.gazetteer_base import admin_core, ascii_name, display_admin_name
from eventcoder.resolve.geonames_files import usable

# alternateNames "languages" that are codes or links, not names.
SKIP_LANGS = frozenset({"link", "post", "iata", "icao", "faac", "fr_1793", "abbr", "wkdt", "unlc", "tcid",
                        "phon", "piny", "uicn"})

Chunk = list[tuple[int, bytes]]  # (line number, raw line) of data lines


@dataclass(frozen=True)
class ParseConfig:
    """What parsing a geoname row needs to know about the target gazetteer and the user's filters."""

    countries: frozenset[str] | None = None
    feature_classes: frozenset[str] | None = None
    admin1: dict[str, str] = field(default_factory=dict)  # "IQ.11" -> the gazetteer's spelling ("Erbil")
    admin_codes: dict[str, str] = field(default_factory=dict)  # admin1/admin2 codes -> names from code files


@dataclass
class Parsed:
    """Rows from one chunk: places and names (geoname files) or staged names (alternate names)."""

    places: list[tuple] = field(default_factory=list)
    names: list[tuple] = field(default_factory=list)
    bad: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    skipped: int = 0  # filtered out by country / feature class
    seen: int = 0  # data rows read


def name_rows(gid: int, names: Iterable[str], primary: set[str]) -> list[tuple]:
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


def _fields(raw: bytes) -> list[str]:
    """Tab-separated fields of one raw line."""
    return raw.decode("utf-8", errors="replace").rstrip("\r\n").split("\t")


def parse_geonames(chunk: Chunk, cfg: ParseConfig) -> Parsed:
    """Places and their names from 19-column geoname lines (allCountries.txt, XX.txt, citiesNNN.txt)."""
    out = Parsed(seen=len(chunk))
    for line, raw in chunk:
        cols = _fields(raw)
        if len(cols) != 19:
            out.bad.append((line, f"expected 19 tab-separated columns, got {len(cols)}"))
            continue
        cc, fclass = cols[8], cols[6]
        if cfg.countries and cc not in cfg.countries or cfg.feature_classes and fclass not in cfg.feature_classes:
            out.skipped += 1
            continue
        try:
            gid, lat, lon = int(cols[0]), float(cols[4]), float(cols[5])
            pop = int(cols[14] or 0)
        except ValueError as exc:
            out.bad.append((line, f"{cols[1]!r}: {exc}"))
            continue
        name, asc, code = cols[1], cols[2] or ascii_name(cols[1]), cols[7]
        a1, a2 = cols[10] or None, cols[11] or None
        a1_name = cfg.admin1.get(f"{cc}.{a1}") or cfg.admin_codes.get(f"{cc}.{a1}")
        a2_name = cfg.admin_codes.get(f"{cc}.{a1}.{a2}") if a2 else None
        if code == "ADM2" and not a2_name:
            a2_name = display_admin_name(asc)
        out.places.append((gid, name, asc, fclass, code, cc or None, a1, a1_name, a2_name, pop, lat, lon, a2))
        own = {name, asc}
        alts = cols[3].split(",") if cols[3] else []
        if fclass == "A" and code.startswith("ADM"):  # "Diyala Governorate" is also "Diyala"
            cores = [c for c in (admin_core(name), admin_core(asc)) if c]
            alts += cores
            own |= set(cores)
        out.names.extend(name_rows(gid, [name, asc, *alts], own))
    return out


def parse_alternates(chunk: Chunk, cfg: ParseConfig | None = None) -> Parsed:
    """Staged (key, geonameid, exact, is_primary) names from alternateNamesV2.txt (10 columns) or
    alternateNames.txt (8) lines; codes, links, historic and non-Latin names are left out."""
    out = Parsed(seen=len(chunk))
    for line, raw in chunk:
        cols = _fields(raw)
        if len(cols) < 4 or not cols[1].isdigit():
            out.bad.append((line, f"not an alternateNames row ({len(cols)} columns)"))
            continue
        lang, name = cols[2], cols[3]
        if lang in SKIP_LANGS or len(cols) > 7 and cols[7] == "1" or not usable(name):
            continue
        preferred = len(cols) > 4 and cols[4] == "1" and lang in ("en", "")
        key = fold(name)
        if key:
            out.names.append((key, int(cols[1]), basic_fold(name), int(preferred)))
    return out


PARSERS = {"geonames": parse_geonames, "alternate": parse_alternates}
_worker_cfg = ParseConfig()  # set once per worker process by ``init_worker``


def init_worker(cfg: ParseConfig) -> None:
    """Pool initializer: keep the configuration for this worker's chunks."""
    global _worker_cfg
    _worker_cfg = cfg


def work(kind: str, chunk: Chunk) -> Parsed:
    """Parse one chunk in a worker process."""
    return PARSERS[kind](chunk, _worker_cfg)
