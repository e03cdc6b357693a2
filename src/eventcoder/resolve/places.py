"""Place resolution: text spans to gazetteer places with ACLED geo precision.

Each span's candidates (every place whose name folds like the span) are scored
on evidence in the text: the country in focus (a hint from the dateline or
actors, countries named in the text, and, in a second pass, the countries of
the other places), admin areas stated next to the span ("Makhmour district in
Erbil province", "Paris, Texas"), the feature type the surrounding words ask
for ("district", "province", "Mount"), population, and closeness to the other
places in the same text.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Sequence

from eventcoder.resolve.fold import fold_text, fold_words
from eventcoder.resolve.gazetteer import Candidate, Gazetteer, admin_core
from eventcoder.resolve.place_checks import _contradicted, _distance_km, _plausible, _stray
from eventcoder.resolve.place_countries import _CAPITALISED, _countries_in_text, stated_country
from eventcoder.resolve.place_estimate import estimate, story_anchor
from eventcoder.resolve.place_names import direction_variant
from eventcoder.resolve.place_spans import find_place_spans  # noqa: F401  (re-exported)
from eventcoder.vocab import Place

# Words after a name that say which kind of place it is ("Erbil province").
_AFTER_CUES: dict[str, str] = {
    **dict.fromkeys(("district", "districts", "qada", "qadaa", "qadha", "subdistrict", "sub-district",
                     "county", "counties", "parish", "borough", "nahiya", "nahia", "local government area", "lga",
                     "local government", "territory"), "ADM2"),
    **dict.fromkeys(("province", "provinces", "governorate", "governorates", "state", "region", "oblast",
                     "prefecture", "department", "wilaya", "muhafazat"), "ADM1"),
    **dict.fromkeys(("mountain", "mountains", "mount", "mountain range", "range", "hills", "mts", "island",
                     "islands"), "MT"),
    **dict.fromkeys(("village", "villages", "town", "city", "hamlet", "township", "neighbourhood",
                     "neighborhood", "camp"), "PPL"),
    **dict.fromkeys(("area", "areas", "outskirts", "countryside", "suburbs", "environs", "vicinity"), "AREA"),
}
_AFTER_RE = re.compile(r"^[\s,]*(" + "|".join(sorted((re.escape(k) for k in _AFTER_CUES), key=len, reverse=True))
                       + r")\b", re.IGNORECASE)
_TRAILING_CUE = re.compile(r"\s+(" + "|".join(sorted((re.escape(k).replace("\\ ", r"\s+") for k in _AFTER_CUES),
                                                       key=len, reverse=True)) + r")$", re.IGNORECASE)
_BEFORE_RE = re.compile(
    r"\b(?:(?P<MT>mount|mt\.?|jabal|jebel|mountains? of)"
    r"|(?P<PPL>(?:village|town|city|hamlet)s? of)"
    r"|(?P<ADM1>(?:province|governorate|state|region) of)"
    r"|(?P<ADM2>(?:district|county|qada|sub-?district) of))\s+(?:the\s+)?$", re.IGNORECASE)
_DIRECTIONS = r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)"
# Phrases right before a name that put the event near it, not in it (ACLED precision 2).
_RELATIVE_RE = re.compile(
    r"(?:\b\d+(?:[.,]\d+)?\s*(?:-\s*)?(?:km|kms|kilomet(?:er|re)s?|miles?|mi)\b[\s\w-]{0,20}?\b(?:of|from)"
    # "north of the town of X", "northern Kirkuk", but not "the northern town of X" (the town itself)
    r"|\b" + _DIRECTIONS + r"(?:ern|ward)?(?!\s+(?:city|town|village|hamlet|port|capital)\b)"
    r"(?:\s+(?:part|parts|outskirts|edge|side))?(?:\s+of)?"
    r"|\boutskirts\s+of|\bnear(?:by)?|\boutside(?:\s+of)?|\bvicinity\s+of|\bclose\s+to|\bnot\s+far\s+from"
    r"|\baround|\bborder\s+(?:of|with)|\bedge\s+of|\bbetween|\bperiphery\s+of|\bcountryside\s+of"
    r"|\bsuburbs?\s+of|\barea\s+of|\bdistrict\s+of)"
    r"\s+(?:the\s+)?(?:(?:city|town|village|district|province|governorate)\s+of\s+(?:the\s+)?)?$",
    re.IGNORECASE)
# Phrases naming a part of the place ("a residential district of Kharkiv", "the port area of Odesa",
# "the old quarter of Aleppo"): at a town ACLED codes the town itself (precision 1). Without a qualifier
# ("the area of X", "the district of X") the phrase keeps its usual reading.
_PART_RE = re.compile(
    r"\b(?:(?:residential|commercial|industrial|port|market|business|historic|old|central|government|"
    r"diplomatic|university|military|(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?)\s+"
    r"(?:area|district|quarter|neighbou?rhood|section|zone|part|side|sector)"
    r"|neighbou?rhood|quarter)\s+of\s+(?:the\s+)?(?:(?:city|town)\s+of\s+(?:the\s+)?)?$", re.IGNORECASE)
_LEADING_WORDS = re.compile(r"^(?:the\s+)", re.IGNORECASE)
_LEADING_DIRECTION = re.compile(r"^(?:(?:" + _DIRECTIONS + r")(?:ern)?|central|upper|lower|greater)\s+",
                                re.IGNORECASE)
_MOUNT_PREFIX = re.compile(r"^(?:mount|mt\.?|jabal|jebel)\s+", re.IGNORECASE)
_ADMIN_PREFIX = re.compile(r"^(?:(?:province|governorate|district|state|region)\s+of\s+)", re.IGNORECASE)
_COUNTY_PREFIX = re.compile(r"^(?:County|Co\.)\s+(?=[A-Z])")  # Irish and British style: "County Westmeath"
_COMPASS_BEFORE = re.compile(r"\b(?:(?:north|south)(?:-?(?:east|west))?ern|eastern|western|central)\s+$", re.IGNORECASE)
_AREA_CODES = ("PCL", "ADM1", "RGN", "ISL", "PEN", "MTS")
_POSSESSIVE = re.compile(r"(?:'s|’s|')$")


# Score weights: tuned by hand on the test cases, kept together so they are easy to revisit.
W_EXACT, W_PRIMARY, W_POP = 3.0, 1.5, 0.8
W_HINT, W_TEXT_COUNTRY, W_OTHER_COUNTRY = 5.0, 2.0, 2.0
W_ADMIN_NEAR, W_ADMIN_TEXT, W_ADMIN2_NEAR, W_ADMIN2_TEXT = 5.0, 2.0, 3.0, 1.0
W_CUE, W_CUE_WEAK, W_TOWN_DEFAULT, W_REGION_DEFAULT = 6.0, 1.0, 2.0, -1.0
W_FULL_SPAN, W_COUNTRY_DEFAULT, W_SAME_NAME, W_CONTAINER, W_REGION_OVER_TOWN = 1.0, 4.0, 4.0, 6.0, 3.0
W_SAME_REGION, W_THE_FEATURE = 1.0, 6.0
SMALL_TOWN = 5_000  # a foreign namesake this small does not stand against a first-level region
_CONTAINER_GAP = re.compile(r"^\s*,\s*$")
# Feature codes that are whole regions: ACLED geo precision 3.
_REGION_CODES = ("PCL", "ADM1", "ADM2", "ADM3", "ADMD", "RGN", "MT", "MTS", "HLLS", "PLAT", "DSRT", "PEN", "PLN",
                 "VAL", "ISL", "STM", "LK", "RSV", "SEA", "GULF", "BAY", "STRT", "OCN", "MRSH", "GLCR")


@dataclass
class _Span:
    """One span being resolved: its words, cues and candidates."""

    start: int
    end: int
    text: str
    cue: str | None = None
    relative: bool = False
    part: bool = False  # a part of the place named ("the port area of Odesa")
    the: bool = False  # "the" right before the name ("the Red Sea"): seas, rivers and ranges take it, regions rarely
    compass: bool = False  # "eastern Washington", "northern Luzon": a part of something large
    candidates: list[Candidate] = field(default_factory=list)
    full_ids: set[int] = field(default_factory=set)
    loose_ids: set[int] = field(default_factory=set)  # found only after dropping "northern", "upper", ...
    whole_name: bool = False  # the span with its kind word is a name of its own ("Carson City", "Kansas City")
    near: str = " "  # folded words around the span (admin containment)
    scores: list[float] = field(default_factory=list)
    pick: Candidate | None = None
    margin: float = 0.0


# "the Hodan district of Mogadishu": a named part of the town, not the district called Mogadishu
_NAMED_PART_RE = re.compile(r"\b[A-Z][\w'’-]+\s+(?:[Dd]istrict|[Nn]eighbou?rhood|[Qq]uarter)\s+of\s+(?:the\s+)?$")


@lru_cache(maxsize=50_000)
def _admin_key(name: str) -> str:
    """Folded words of an admin name without its level words, padded for containment tests."""
    core = admin_core(name) or name
    return f" {fold_words(core)} "


def _cue_words(text: str, start: int, end: int) -> tuple[str | None, bool, bool, int]:
    """The feature cue (ADM1/ADM2/MT/PPL/AREA), relative-position and part-of flags, and end of a cue word
    after the span."""
    before = text[max(0, start - 60):start]
    after = text[end:end + 30]
    if _PART_RE.search(before) or _NAMED_PART_RE.search(before):  # "a residential district of Kharkiv"
        m = _AFTER_RE.match(after)
        return None, False, True, end if m is None else end + m.end()
    cue, cue_end = None, end
    m = _AFTER_RE.match(after)
    if m:
        cue, cue_end = _AFTER_CUES[m.group(1).lower()], end + m.end()
    else:
        b = _BEFORE_RE.search(before)
        if b:
            cue = b.lastgroup
    return cue, bool(_RELATIVE_RE.search(before)), False, cue_end


def _queries(words: str) -> tuple[list[str], str | None, bool, str | None]:
    """Names to look up for a span's words, a cue and relative flag found inside it, and the loose query.

    The loose query drops a leading direction word ("northern Kirkuk" -> "Kirkuk"); its matches need
    other support ("West Africa Province" is not Africa).
    """
    words = _POSSESSIVE.sub("", _LEADING_WORDS.sub("", words.strip())).strip(" ,.;:")
    queries, cue, relative = [words], None, False
    trailing = _TRAILING_CUE.search(words)
    if trailing and trailing.start() > 0:  # "Makhmour district", "Tsafe Local Government Area"
        cue = _AFTER_CUES[re.sub(r"\s+", " ", trailing.group(1).lower())]
        queries.append(words[:trailing.start()])
    for prefix, prefix_cue in ((_MOUNT_PREFIX, "MT"), (_ADMIN_PREFIX, None), (_COUNTY_PREFIX, "ADM2")):
        if prefix.match(words):
            cue = cue or prefix_cue or ("ADM2" if words.lower().startswith(("district", "qada")) else "ADM1")
            queries.append(prefix.sub("", words))
    direction = _LEADING_DIRECTION.match(queries[-1])
    loose = None
    if direction and direction.group(0).strip().lower() not in ("upper", "lower"):
        relative = True  # "northern Kirkuk": part of the area
    if direction:
        loose = queries[-1][direction.end():]
        queries.append(loose)
    return [q for q in dict.fromkeys(queries) if q], cue, relative, loose


def _cue_score(cue: str | None, c: Candidate) -> float:
    """How well a candidate's feature type fits the words around the span."""
    code, klass = c.feature_code or "", c.feature_class
    if cue is None:
        if code.startswith("PCL") and c.exact:
            return W_COUNTRY_DEFAULT  # "Mexico" is the country, not Mexico City
        if klass == "P":
            return W_TOWN_DEFAULT + (1.0 if code == "PPLC" else 0.5 if code == "PPLA" else 0.0)
        if code == "ADM2":  # a bare "Ariha" is the town; the district needs its cue word
            return W_REGION_DEFAULT - W_TOWN_DEFAULT - 1.0
        return W_REGION_DEFAULT if code.startswith("ADM") else 0.0
    if cue == "ADM1":
        return W_CUE if code == "ADM1" else W_CUE_WEAK if code.startswith("ADM") or klass == "P" else 0.0
    if cue == "ADM2":
        return W_CUE if code in ("ADM2", "ADM3") else W_CUE_WEAK if klass == "P" else 0.0
    if cue == "MT":
        return W_CUE if klass == "T" else 0.0
    if cue == "PPL":
        return W_CUE / 2 if klass in ("P", "S") else -W_CUE_WEAK
    if cue == "AREA":
        return W_CUE / 2 if klass in ("P", "L") or code in ("ADMD",) else 0.0
    return 0.0


def _base_score(s: _Span, c: Candidate, hint: str | None, text_countries: Counter, folded: str,
                caps: str = "") -> float:
    """Evidence for a candidate that does not depend on the other spans (``caps``: the text's capitalised
    names, folded; admin names only count when written as names)."""
    score = W_POP * math.log10(c.population + 1)
    if s.whole_name and c.geonameid not in s.full_ids:
        score -= W_CUE  # "Carson City" is not Carson, nor "Kansas City" the state
    score += (W_EXACT if c.exact else 0.0) + (W_PRIMARY if c.primary else 0.0)
    score += W_FULL_SPAN if c.geonameid in s.full_ids else 0.0
    if c.geonameid in s.loose_ids and s.full_ids - s.loose_ids:
        score -= 2 * W_CUE  # "Western Australia" names the state; "Australia" is only what is left of it
    score += _cue_score(s.cue, c)
    score += _compass_area(s, c)
    if s.the and s.cue is None and c.feature_class in ("H", "T") and c.exact:
        score += W_THE_FEATURE  # "in the Red Sea" is the sea, not Sudan's Red Sea State
    if not c.exact and _sizeable_exact(s):
        return score  # "Kherson" is the Ukrainian city, not Karsun in a country the text's actors come from
    if hint and c.country_code == hint:
        score += W_HINT
    if text_countries.get(c.country_code or ""):
        score += W_TEXT_COUNTRY
    own = f" {fold_words(s.text)} "
    for name, near_w, text_w in ((c.admin1_name, W_ADMIN_NEAR, W_ADMIN_TEXT),
                                 (c.admin2_name, W_ADMIN2_NEAR, W_ADMIN2_TEXT)):
        if not name or c.feature_code in ("ADM1", "ADM2") and name == c.ascii_name:
            continue
        key = _admin_key(name)
        named = not caps or key in caps or key.count(" ") > 2  # one word: written as a name
        if key.strip() and key not in own and named:  # Kirkuk city is not "in Kirkuk" because of its own
            # name, nor Frankfort, Illinois (in Will County) near "the county will pay"
            if key in s.near:
                score += near_w
            elif folded.count(key) > own.count(key):
                score += text_w
    return score


def _compass_area(s: _Span, c: Candidate) -> float:
    """"eastern Washington" is the state and "northern Luzon" the island, not a town of the name; but
    "southern Baghdad" is a part of the city that is its region's seat."""
    if not s.compass or s.cue is not None or not (c.feature_code or "").startswith(_AREA_CODES):
        return 0.0
    whole_country = (c.feature_code or "").startswith("PCL")
    for t in s.candidates:
        inside = t.country_code == c.country_code and (whole_country or t.admin1_code == c.admin1_code)
        if t.feature_class == "P" and t.exact and inside and (
                t.feature_code in ("PPLA", "PPLC") or (t.population or 0) >= 0.3 * (c.population or 1)):
            return 0.0
    return W_CUE


def _sizeable_exact(s: _Span) -> bool:
    """True when the span's exact spelling names a region or a town of 20,000 or more: then a spelling
    variant elsewhere gets no help from the country in focus."""
    return any(c.exact and ((c.population or 0) >= 20_000 or (c.feature_code or "").startswith(("ADM1", "PPLA", "PPLC",
                                                                                               "PCL")))
               for c in s.candidates)


def _region_over_town(s: _Span, c: Candidate) -> float:
    """A first-level region beats a small namesake town of its country ("farmers in Iowa", "coal plants in
    Mpumalanga"), unless the town is a seat or a large share of the region ("Kano", "Kirkuk", "New York"), and
    a village of another country ("officials in Texas" in a story from Mexico, which has two villages called
    Texas)."""
    if c.feature_code != "ADM1" or not c.exact or s.cue not in (None, "ADM1"):
        return 0.0
    towns = [t for t in s.candidates if t.feature_class == "P" and t.exact and t.country_code == c.country_code]
    # every town of the name a village, one of them abroad ("Texas" in Mexico; not "Savannah" for Ghana's region)
    namesakes = [t for t in s.candidates if t.feature_class == "P" and t.exact]
    villages = all((t.population or 0) < SMALL_TOWN for t in namesakes) and any(
        t.country_code != c.country_code for t in namesakes)
    if any(t.feature_code in ("PPLA", "PPLC") or (t.population or 0) >= 0.3 * (c.population or 1) for t in towns):
        return 0.0
    if towns:
        return W_REGION_OVER_TOWN
    return 2 * W_REGION_OVER_TOWN if villages else 0.0  # a village abroad needs the whole context against it


def _choose(s: _Span, extra: list[float] | None = None) -> None:
    """Pick the best-scoring candidate of a span and record its margin over the next other country."""
    totals = [b + (extra[i] if extra else 0.0) for i, b in enumerate(s.scores)]
    order = sorted(range(len(totals)), key=lambda i: -totals[i])
    s.pick = s.candidates[order[0]]
    rivals = [totals[i] for i in order[1:] if s.candidates[i].country_code != s.pick.country_code]
    s.margin = totals[order[0]] - rivals[0] if rivals else math.inf


def _precision(s: _Span, c: Candidate) -> int:
    """ACLED geo precision: 1 town, 2 near a town or part of a region, 3 region only."""
    code = c.feature_code or ""
    if code in ("ADM2", "ADM3") and s.cue == "PPL":
        return 2  # "the town of Masisi" known only as its district: near the place meant
    if code.startswith(_REGION_CODES):
        return 3
    if s.part and c.feature_class == "P" and not s.relative:
        return 1  # "the port area of Odesa": in the town
    if s.relative or s.part or s.cue in ("AREA", "ADM2", "ADM1") or c.feature_class == "L":
        return 2  # "near X", "X area", "X district" resolved to the town X
    return 1


def _to_place(s: _Span, c: Candidate, gazetteer: Gazetteer) -> Place:
    """A vocab.Place for a chosen candidate."""
    code = c.feature_code or ""
    admin1 = None if code.startswith("PCL") else c.admin1_name
    return Place(name=c.ascii_name.strip("'’ʼ"),  # GeoNames' "Samarra'" is Samarra
                 latitude=c.latitude, longitude=c.longitude,
                 country=gazetteer.country_name(c.country_code), country_code=c.country_code,
                 admin1=admin1, admin2=c.admin2_name, geonameid=c.geonameid, feature_code=code,
                 geo_precision=_precision(s, c), population=c.population, text=s.text, start=s.start, end=s.end)


def _prepare(text: str, start: int, end: int, gazetteer: Gazetteer) -> _Span:
    """Look up a span's names and read the cues around it."""
    s = _Span(start, end, text[start:end])
    queries, inner_cue, inner_relative, loose = _queries(s.text)
    cue, relative, s.part, cue_end = _cue_words(text, start, end)
    if cue_end > end:  # "Sinjar" + "mountain": the longer name may be a place of its own
        queries.insert(0, text[start:cue_end])
    s.cue, s.relative = inner_cue or cue, relative or inner_relative
    s.the = text[max(0, start - 4):start].lower() == "the "
    s.compass = bool(_COMPASS_BEFORE.search(text[max(0, start - 20):start]))
    variant = direction_variant(queries[0])  # "North Darfur" is GeoNames' "Northern Darfur"
    if variant:
        queries.insert(1, variant)
    seen: dict[int, Candidate] = {}
    for i, q in enumerate(queries):
        for c in gazetteer.lookup(q):
            if i == 0 or (i == 1 and cue_end > end) or q == variant:
                s.full_ids.add(c.geonameid)
            if c.geonameid not in seen or (c.exact, c.primary) > (seen[c.geonameid].exact, seen[c.geonameid].primary):
                seen[c.geonameid] = c
    s.candidates = list(seen.values())
    s.whole_name = inner_cue is not None and any(seen[i].exact for i in s.full_ids)
    if loose:
        strict = {c.geonameid for q in queries if q != loose for c in gazetteer.lookup(q)}
        s.loose_ids = set(seen) - strict
    s.near = fold_text(text[max(0, start - 50):start] + " | " + text[end:end + 80].split(".")[0])
    return s


def resolve_places(text: str, spans: Sequence[tuple[int, int]], *, country_hint: str | None = None,
                   gazetteer: Gazetteer | None = None) -> list[Place | None]:
    """Resolve each span of ``text`` to a Place (None when the gazetteer has no such name)."""
    gazetteer = gazetteer or Gazetteer.open()
    hint = gazetteer.country_code(country_hint) if country_hint else None
    text_countries = _countries_in_text(text, gazetteer)
    folded = fold_text(text)
    caps = " | ".join(fold_words(m.group(0)) for m in _CAPITALISED.finditer(text))
    caps = f" {caps} "
    items = [_prepare(text, start, end, gazetteer) for start, end in spans]
    live = [s for s in items if s.candidates]
    # Pass 1: each span on its own evidence.
    for s in live:
        stated = stated_country(text, s.start, gazetteer)  # "the Russian port of Novorossiysk" in a Ukraine story
        s.scores = [_base_score(s, c, hint, text_countries, folded, caps) + _region_over_town(s, c)
                    + (W_HINT if stated and c.country_code == stated else 0.0) for c in s.candidates]
        _choose(s)
    # Pass 2: countries of the other confidently resolved places, closeness to them, and one sense per
    # name: a bare "Narino" means what "Narino department" meant earlier in the text.
    cued = {fold_words(o.text): o.pick.geonameid for o in live if o.cue in ("ADM1", "ADM2", "MT")}
    # ... unless the region is named after its own seat ("in Kano" is the city even after "Kano state").
    seats = {o.pick.geonameid for o in live if o.cue in ("ADM1", "ADM2") and any(
        c.feature_class == "P" and c.country_code == o.pick.country_code and c.admin1_code == o.pick.admin1_code
        and c.exact and c.population >= 50_000 for c in o.candidates)}
    for s in live:
        others = [o for o in live if o is not s and (o.start, o.end) != (s.start, s.end)]
        sure = Counter(o.pick.country_code for o in others if o.margin >= 1.5)
        # the region most other places lie in ("Carbondale", "Herrin", "Williamson County": Illinois)
        regions = Counter((o.pick.country_code, o.pick.admin1_code) for o in others
                          if o.margin >= 1.5 and o.pick.admin1_code and not (o.pick.feature_code or "").startswith("PCL"))
        local = [o.pick for o in others if not (o.pick.feature_code or "").startswith(("PCL", "ADM1"))]
        # "Alexandria, Virginia": a name right after "Town, " is likely the region that contains the town.
        towns = [o for o in others if o.end <= s.start and _CONTAINER_GAP.match(text[o.end:s.start])]
        inside = {(c.country_code, c.admin1_code) for o in towns for c in o.candidates if c.feature_class == "P"}
        # ... and "Paris, Tenn.": the region right after a town contains it (also when abbreviated)
        holders = {(o.pick.country_code, o.pick.admin1_code) for o in others
                   if o.start >= s.end and _CONTAINER_GAP.match(text[s.end:o.start]) and o.pick.feature_code == "ADM1"}
        extra = []
        for c in s.candidates:
            bonus = min(2 * W_OTHER_COUNTRY, W_OTHER_COUNTRY * sure.get(c.country_code, 0))
            bonus += min(2 * W_SAME_REGION, W_SAME_REGION * regions.get((c.country_code, c.admin1_code), 0))
            nearest = min((_distance_km(c, p) for p in local), default=math.inf)
            bonus += 2.0 if nearest < 50 else 1.0 if nearest < 200 else 0.0
            if s.cue is None and cued.get(fold_words(s.text)) == c.geonameid and c.geonameid not in seats:
                bonus += W_SAME_NAME
            if c.feature_class == "P" and (c.country_code, c.admin1_code) in holders:
                bonus += W_CONTAINER
            if c.feature_code == "ADM1" and (c.country_code, c.admin1_code) in inside:
                bonus += W_CONTAINER
            elif (c.feature_code or "").startswith("PCL") and any(cc == c.country_code for cc, _ in inside):
                bonus += W_CONTAINER / 2
            extra.append(bonus)
        _choose(s, extra)
    sure_countries = Counter(o.pick.country_code for o in live if o.margin >= 1.5)
    top = max(sure_countries.values(), default=0)
    # one sense per name: "Nasir town in Upper Nile State" not being Nasir Extension (Khartoum) holds for every "Nasir"
    contradicted = {fold_words(s.text) for s in live if _contradicted(s, live, text)}
    results: list[Place | None] = []
    for s in items:
        # a weak match does not vouch for its own country, nor do its repeats ("Ulang" ~ Oran, Algeria, twice in
        # a South Sudan report)
        mine = s.pick.geonameid if s.candidates else None
        focus = set(text_countries) | {hint} | {o.pick.country_code for o in live
                                                if o.pick.geonameid != mine and o.margin >= 1.5}
        focus.discard(None)
        # the text's main country: the one most of the surely resolved places lie in
        anchors = [o.pick for o in live if o.margin >= 1.5 and sure_countries[o.pick.country_code] == top
                   and o.pick.country_code != s.pick.country_code] if s.candidates else []
        if not s.candidates or not _plausible(s, s.pick, focus) or _stray(s, text_countries, hint, anchors) \
                or fold_words(s.text) in contradicted:
            results.append(None)
        else:
            results.append(_to_place(s, s.pick, gazetteer))
    return results


def as_town(place: Place, town: Candidate | None, gazetteer: Gazetteer) -> Place | None:
    """The place's span given to a town instead (None without a town)."""
    return None if town is None else _to_place(_Span(place.start or 0, place.end or 0, place.text), town, gazetteer)


def without_kind_word(name: str) -> str:
    """A name without its trailing kind word ("Tsafe Local Government Area" -> "Tsafe")."""
    return _TRAILING_CUE.sub("", name.strip())


def _default_nlp() -> Any:
    """The small English pipeline, loaded once per process (shared with the nlp stage)."""
    from eventcoder.nlp import load_nlp

    return load_nlp()


def geoparse(text: str, spans: Sequence[tuple[int, int]] | None = None, *, nlp: Any = None,
             gazetteer: Gazetteer | None = None, country_hint: str | None = None) -> list[dict]:
    """The `eventcoder geoparse` records for a text.

    Given spans are resolved exactly, one record each (null fields when unknown); otherwise spaCy finds
    the spans and only the resolved ones are reported.
    """
    gazetteer = gazetteer or Gazetteer.open()
    given = spans is not None
    if spans is None:
        spans = find_place_spans((nlp or _default_nlp())(text), gazetteer)
    spans = [(int(a), int(b)) for a, b in spans]
    places = resolve_places(text, spans, country_hint=country_hint, gazetteer=gazetteer)
    anchor = story_anchor(places) if given and None in places else None
    records = []
    for (start, end), place in zip(spans, places):
        if place is None and not given:
            continue  # a found name the gazetteer does not know is not reported
        record = {"start": start, "end": end, "text": text[start:end]}
        if place is not None:
            record.update(name=place.name, geonameid=place.geonameid, latitude=place.latitude,
                          longitude=place.longitude, country_code=place.country_code, admin1=place.admin1,
                          feature_code=place.feature_code)
        elif estimate(text[start:end], anchor):  # a river, bay, ... the gazetteer lacks: near the story's places
            record.update(estimate(text[start:end], anchor))
        else:
            record.update(dict.fromkeys(("name", "geonameid", "latitude", "longitude", "country_code", "admin1",
                                         "feature_code")))
        records.append(record)
    return records
