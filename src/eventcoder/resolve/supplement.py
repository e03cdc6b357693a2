"""Gazetteer supplements: reading user/shipped supplement CSV or YAML, and merging rows into a build."""
from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from eventcoder.errors import DataFileError
from eventcoder.resolve.fold import basic_fold, fold
from eventcoder.resolve.gazetteer_base import (
    FEATURE_CLASSES, SUPPLEMENT, _haversine_km, admin_core, ascii_name, display_admin_name,
)

if TYPE_CHECKING:
    from eventcoder.resolve.gazetteer_build import _Builder

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
