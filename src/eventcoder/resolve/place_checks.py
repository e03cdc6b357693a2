"""Checks that leave a span's best reading unresolved rather than wrong: a town the text puts in another
region, a weak spelling match outside the text's countries, a small town far from everything else."""
from __future__ import annotations

import math
import re
from collections import Counter
from typing import TYPE_CHECKING

from eventcoder.resolve.gazetteer import Candidate

if TYPE_CHECKING:
    from eventcoder.resolve.places import _Span


def _distance_km(a: Candidate, b: Candidate) -> float:
    """Great-circle distance between two candidates (inf when either lacks coordinates)."""
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return math.inf
    p1, p2 = math.radians(a.latitude), math.radians(b.latitude)
    dl = math.radians(b.longitude - a.longitude)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


# "Nasir town in Upper Nile State", "Kutum, North Darfur": the region the text puts a town in
_IN_REGION = re.compile(r"^\s*(?:town|city|village|community|locality|settlement|district|county)?\s*(?:,\s*(?:in\s+)?|in\s+|of\s+)"
                        r"(?:the\s+)?(?:(?:municipality|township|district|county|province|state|region|department|"
                        r"governorate|commune|prefecture|division|territory|local government area)\s+of\s+)?$", re.I)


def _contradicted(s: _Span, live: list[_Span], text: str) -> bool:
    """True when a small town's only reading lies outside the region the text puts it in: a namesake elsewhere
    is not the place meant ("Nasir town in Upper Nile State" is not Nasir Extension in Khartoum, "Kyaung Kone
    village in Ye-U Township" not a Kyaung Kone of Yangon)."""
    if s.pick is None or s.pick.feature_class != "P" or (s.pick.population or 0) >= 20_000:
        return False
    for o in live:
        if o.start >= s.end and _IN_REGION.match(text[s.end:o.start]) and o.margin >= 1.5 \
                and o.pick.admin1_code and not (o.pick.feature_code or "").startswith("PCL"):
            return (o.pick.country_code, o.pick.admin1_code) != (s.pick.country_code, s.pick.admin1_code) \
                and not any((c.country_code, c.admin1_code) == (o.pick.country_code, o.pick.admin1_code)
                            for c in s.candidates)
    return False


def _plausible(s: _Span, c: Candidate, focus: set[str]) -> bool:
    """Reject weak matches outside the countries the text is about.

    Weak: found only by spelling normalisation ("Hodan" ~ Houdan, France) or only after dropping a
    direction word. With no country focus at all, a normalised match of a main name is kept.
    """
    if c.country_code in focus:
        return True
    if c.geonameid in s.loose_ids:
        return False
    return c.exact or (not focus and c.primary)


def _stray(s: _Span, text_countries: Counter, hint: str | None, anchors: list[Candidate]) -> bool:
    """A small town of a country nothing else in the text is in, far from every other place the text is
    surely about ("Kopan", a settlement near Wabag, is not Copan in Honduras): better left unresolved."""
    c = s.pick
    if c.country_code == hint or text_countries.get(c.country_code or "") or c.feature_class != "P" \
            or (c.population or 0) >= 50_000 or not anchors:
        return False
    return min(_distance_km(c, a) for a in anchors) > 2000
