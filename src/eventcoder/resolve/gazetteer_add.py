"""`gazetteer add`: a user supplement (CSV or YAML) into a gazetteer file, as aliases of known places or new ones."""
from __future__ import annotations

import sqlite3
import zlib
from pathlib import Path
from typing import Callable

from eventcoder.errors import DataFileError, GazetteerError
from eventcoder.resolve.gazetteer import (
    FEATURE_CLASSES, admin_core, ascii_name, display_admin_name, read_supplement_file,
)
from eventcoder.resolve.geonames_load import (
    _PLACE_SQL, _dedupe_names, _forget_open_gazetteers, _open_target, _prepare,
)
from eventcoder.resolve.geonames_parse import name_rows


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
            con.executemany("INSERT INTO names VALUES (?,?,?,?)", name_rows(gid, names + extra, set(names + extra)))
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
