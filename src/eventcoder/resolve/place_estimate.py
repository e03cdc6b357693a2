"""A location estimate for a given span the gazetteer cannot resolve ("the Hocking River", "Casco Bay").

Local news names local rivers, bays and valleys that the packaged GeoNames extract lacks; such a feature
lies near the story's other places. `geoparse` with given spans (the caller vouches that each is a place)
places it at the medoid of the text's local places, flagged by a synthetic id and the feature type its
head word names. A span without such a head word ("Saturday", "Perthshire") stays unresolved.
"""
from __future__ import annotations

import math
import re
import zlib
from typing import Sequence

from eventcoder.vocab import Place

_HEADS = [(re.compile(r"\b(?:river|creek|stream|brook|fork|run)\b", re.I), "STM"),
          (re.compile(r"\b(?:bay|gulf|sound|harbou?r|inlet|cove)\b", re.I), "BAY"),
          (re.compile(r"\b(?:lake|loch|lough|reservoir|pond)\b", re.I), "LK"),
          (re.compile(r"\b(?:island|islands|isle|key|cay)\b", re.I), "ISL"),
          (re.compile(r"\b(?:valley|vale|glen|canyon|gorge)\b", re.I), "VAL"),
          (re.compile(r"\b(?:mountains?|mount|range|hills?|ridge|peak)\b", re.I), "MTS"),
          (re.compile(r"\b(?:forest|woods)\b", re.I), "FRST")]
# Anchors: places with a point inside the story's area (not a country, a first-level region, or water
# placed at its mouth).
_NOT_LOCAL = ("PCL", "ADM1", "STM", "SEA", "OCN", "GULF", "BAY", "STRT", "LK", "RGN")
ESTIMATE_ID_BASE = -(2 ** 32)  # below every synthetic gazetteer id (those are -1 .. -2**32)


def feature_of(name: str) -> str | None:
    """The GeoNames feature code a name's head word asks for ("Fox River" -> STM), else None."""
    for pattern, code in _HEADS:
        if pattern.search(name):
            return code
    return None


def _km(a: Place, b: Place) -> float:
    p1, p2 = math.radians(a.latitude), math.radians(b.latitude)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b.longitude - a.longitude) / 2) ** 2)
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def story_anchor(places: Sequence[Place | None]) -> Place | None:
    """The medoid of the text's local places (else of its regions, else of its countries), or None."""
    located = [p for p in places if p is not None and p.latitude is not None and p.longitude is not None]
    for keep in (lambda c: not c.startswith(_NOT_LOCAL), lambda c: c == "ADM1", lambda c: c.startswith("PCL")):
        group = [p for p in located if keep(p.feature_code or "")]
        if group:
            return min(group, key=lambda p: sum(_km(p, q) for q in group))
    return None


def estimate(name: str, anchor: Place | None) -> dict | None:
    """A geoparse record's place fields for an unresolved feature name at the story's anchor (None for a
    name that names no feature type, or without an anchor)."""
    if anchor is None or feature_of(name) is None:
        return None
    seed = f"{name.casefold()}|{anchor.country_code}"
    return {"name": name, "geonameid": ESTIMATE_ID_BASE - zlib.crc32(seed.encode("utf-8")),
            "latitude": anchor.latitude, "longitude": anchor.longitude, "country_code": anchor.country_code,
            "admin1": anchor.admin1, "feature_code": feature_of(name)}
