"""Where ACLED codes an event: the finest place of its sentence, and the conventions for datelines, districts
and regions.

`places.py` resolves what a name refers to; ``place_for`` picks the place of an event among its sentence's
places (a town before its district, region or country; reference points last), and these conventions pick the
point it is coded at: a dateline's region means its namesake town, a
district stands for its seat town (geo_precision 2), and a region named
alone for its seat town (geo_precision 3), as ACLED codes region-only events
at the provincial capital rather than at a centroid in open country.
"""
from __future__ import annotations

import re
from typing import Any

from eventcoder.resolve.gazetteer import Candidate, Gazetteer
from eventcoder.resolve.merge import within
from eventcoder.resolve.places import as_town, without_kind_word
from eventcoder.vocab import Mention, Place, Span

_ANY = object()


def largest_town(gazetteer: Gazetteer, name: str, country: Any = _ANY, admin1: Any = _ANY) -> Candidate | None:
    """The most populous town exactly named ``name``, in the given country and first-level region if any."""
    towns = [c for c in gazetteer.lookup(name) if c.feature_class == "P" and c.exact
             and (country is _ANY or c.country_code == country) and (admin1 is _ANY or c.admin1_name == admin1)]
    return max(towns, key=lambda c: c.population or 0, default=None)


def dateline_town(place: Place, gazetteer: Gazetteer | None = None) -> Place | None:
    """The town a dateline resolved to a region means ("OAXACA, Oaxaca -": Oaxaca city), or None."""
    if (place.feature_code or "").startswith("PPL") or not place.text:
        return None
    gazetteer = gazetteer or Gazetteer.open()
    return as_town(place, largest_town(gazetteer, place.text, place.country_code), gazetteer)


def district_seat(place: Place, gazetteer: Gazetteer | None = None) -> Place | None:
    """The namesake town of a district ("a village in Tsafe Local Government Area": Tsafe town), at precision 2
    as ACLED codes a place known only by its district; None when the district has no namesake town."""
    if place.feature_code != "ADM2" or not place.text:
        return None
    gazetteer = gazetteer or Gazetteer.open()
    seat = as_town(place, largest_town(gazetteer, without_kind_word(place.text), place.country_code, place.admin1),
                   gazetteer)
    if seat is not None:
        seat.geo_precision = 2
    return seat


def region_seat(place: Place, gazetteer: Gazetteer | None = None) -> Place | None:
    """A first-level region named alone ("in the Tillaberi region") coded at its seat town, geo_precision 3.

    The result keeps the region's feature code, so ranking still treats it as a region (a town named in the
    same sentence wins); None when the gazetteer knows no seat for the region.
    """
    if place.feature_code != "ADM1" or place.geonameid is None or not place.country_code:
        return None
    gazetteer = gazetteer or Gazetteer.open()
    region = gazetteer.get(place.geonameid)
    seat = gazetteer.admin1_seat(place.country_code, region.admin1_code) if region and region.admin1_code else None
    town = as_town(place, seat, gazetteer)
    if town is not None:
        town.feature_code, town.geo_precision = "ADM1", max(place.geo_precision, 3)
    return town


# Rivers and seas (GeoNames puts a river at its mouth, hundreds of km away) and vast areas that are often
# part of a name ("Al Qaeda in the Arabian Peninsula") are no event's place.
NO_EVENT_PLACE = ("STM", "LK", "RSV", "SEA", "GULF", "BAY", "STRT", "OCN", "CNL", "PEN", "PLN", "DSRT", "PLAT", "CONT")


def place_for(m: Mention, ctx: Any) -> Place | None:
    """The finest resolved place of the mention's sentence, else the story's or the dateline's place.

    ``ctx`` is the article context of ``resolve.events`` (resolved places, paragraph datelines, the place of
    the story so far, the dateline place).
    """
    resolved = [(s, p) for s, p in ((s, ctx.places.get((s.start, s.end))) for s in m.places)
                if p is not None and not (p.feature_code or "").startswith(NO_EVENT_PLACE)]
    in_paragraph = [p for a, b, p in ctx.paragraphs if a <= m.sentence.start < b]
    text = ctx.article.text
    resolved = [(s, p) for s, p in resolved if not _part_of_town(text, s, resolved)
                and not _SITE_OR_SPONSOR.match(text[s.end:s.end + 25])]
    off_road = [(s, p) for s, p in resolved if not in_road_name(ctx.article.text, s)
                and not _MOVEMENT.search(ctx.article.text[max(0, s.start - 40):s.start])]
    if off_road or in_paragraph or ctx.last_place or ctx.default_place:
        resolved = off_road  # a road's name, or where attackers came from or fled to, places nothing when the
        # story gives a place
    if resolved:
        # ACLED codes the finest place given: a town before its district, region or country;
        # a town named only as a reference point ("60 km southwest of Erbil") comes last.
        # When no town or district is named but as a reference point, the reference town still beats a
        # region or country ("... 20 km north of Bunia", in a sentence that also names Congo): precision 2.
        text = ctx.article.text
        reference = [is_reference(text, s.start) for s, _ in resolved]
        # a district beats a vague reference ("in Narsingdi district, north-east of Dhaka"), not a measured
        # one ("20 km north of Oicha, in Beni territory")
        measured = any(_MEASURED.search(text[max(0, sp.start - 40):sp.start]) for sp, _ in resolved)
        plain_town = any(not r and (coarseness(p) == 0 or (coarseness(p) == 1 and not measured))
                         for r, (_, p) in zip(reference, resolved))
        best = min(enumerate(resolved), key=lambda ip: (reference[ip[0]] and plain_town,
                                                          _other_clause(text, m.trigger, ip[1][0]),
                                                          coarseness(ip[1][1]),
                                                          not _MEASURED.search(text[max(0, ip[1][0].start - 40):
                                                                                    ip[1][0].start]), ip[0]))
        own_dateline = [p for a, b, p in ctx.paragraphs if m.sentence.start <= a < m.sentence.end]
        if own_dateline and coarseness(own_dateline[0]) < coarseness(best[1][1]):
            return own_dateline[0]  # "OAXACA, Oaxaca - teachers set fire ...": the town, not the state
        return _story_town_within(best[1][1], ctx.last_place) or best[1][1]
    return in_paragraph[0] if in_paragraph else ctx.last_place or ctx.default_place


def _story_town_within(place: Place, story: Place | None) -> Place | None:
    """The story's town when a sentence names only the region it lies in ("soldiers tracked the attackers into
    the forest west of the village", told by "the army spokesman for operations in Ituri" after a raid near
    Komanda): ACLED codes the finest place known."""
    if story is None or coarseness(place) < 2 or coarseness(story) > 1 or not place.admin1:
        return None
    return story if (story.country_code, story.admin1) == (place.country_code, place.admin1) else None


def other_targets(m: Mention, ctx: Any, chosen: Place, demonstration: bool = False) -> list[Place]:
    """Further towns the same strike or clash hit, named with the chosen one ("warplanes struck the port of
    Hodeidah and a power station in the capital Sanaa"), or where the same protest was held ("similar
    protests were held in Lagos, Abuja and Kano", "marched through Kisumu, joining colleagues in Nairobi"):
    ACLED codes one event per location."""
    text, out = ctx.article.text, []
    first = next((s for s in m.places if ctx.places.get((s.start, s.end)) is chosen), None)
    if first is None:
        return out
    last = first
    for span in m.places:
        place = ctx.places.get((span.start, span.end))
        if place is None or place is chosen or coarseness(place) != 0 or span.start < max(first.end, m.trigger.end) \
                or place.name == chosen.name or any(p.name == place.name for p in out):
            continue
        between = text[first.end:span.start]
        if demonstration:
            joined = _LISTED.match(text[last.end:span.start]) or _JOINING.search(between)
        else:
            joined = " and " in between and not _CLAUSE_BREAK.search(between)
        if joined and not is_reference(text, span.start) and not in_road_name(text, span) \
                and not within(place, chosen, 25.0):
            out.append(place)
            last = span
    return out


_LISTED = re.compile(r"^(?:\s*,\s*(?:and\s+)?|\s+and\s+)$")
_JOINING = re.compile(r"\bjoin(?:ing|ed)\s+(?:\w+\s+){0,3}?(?:in|at)\s+$", re.I)


_LISTED = re.compile(r"^(?:\s*,\s*(?:and\s+)?|\s+and\s+)$")
_JOINING = re.compile(r"\bjoin(?:ing|ed)\s+(?:\w+\s+){0,3}?(?:in|at)\s+$", re.I)


def _near(a: Place, b: Place) -> bool:
    """True when two places lie within 25 km (one town, or a town and its quarter)."""
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return False
    from eventcoder.dedup.rules import distance_km

    return distance_km(a.latitude, a.longitude, b.latitude, b.longitude) <= 25


# "the Tierra Blanca neighbourhood of Culiacán", "the al-Rawda neighbourhood of the besieged city of Taiz": a
# part of a town the gazetteer does not know, whose namesake elsewhere is no place of the event.
_PART_OF = re.compile(r"^\s+(?:neighbou?rhood|district|quarter|suburb|area|borough|sector|estate|township|commune)"
                      r"\s+of\s+(?:the\s+(?:[\w'’-]+\s+){0,3}?(?:city|town|capital)\s+of\s+)?", re.I)


# "in al-Karama square", "on Hamra street": a site inside a town, whose namesake elsewhere is no place; "a
# US-brokered ceasefire", "Iran-backed militias": who sponsors it, not where it happened.
_SITE_OR_SPONSOR = re.compile(r"(?:\s+(?:square|street|avenue|boulevard|roundabout|bridge|mosque|church|hospital|"
                              r"university|stadium|circle)\b|-(?:brokered|backed|led|mediated|sponsored|funded|"
                              r"supported|aligned|allied|linked|based|owned|run)\b)", re.I)


def _part_of_town(text: str, span: Span, resolved: list[tuple[Span, Place]]) -> bool:
    """True when the name is a part of a town the sentence names right after it."""
    m = _PART_OF.match(text[span.end:span.end + 60])
    return m is not None and any(s.start == span.end + m.end() and (p.feature_code or "").startswith("PPL")
                                 and not _REGION_WORD.match(text[s.end:s.end + 20]) for s, p in resolved)


# "Rueso district of Narathiwat province": a district of a province, not a part of its capital
_REGION_WORD = re.compile(r"^\s+(?:province|state|region|county|governorate|department|division|prefecture|"
                          r"oblast|district)\b", re.I)


_MOVEMENT = re.compile(r"\b(?:(?:came|arrived|fled|escaped|withdrew|retreated|headed)\s+(?:\w+\s+){0,3}?"
                       r"(?:from|to|towards?|into)|direction\s+of)\s+(?:the\s+)?$", re.I)
# "barricaded the Nairobi-Nakuru highway": towns that only name a road say nothing of where the event was
_ROAD = r"(?:highway|road|expressway|motorway|railway|rail line|pipeline|corridor|axis|route|bypass)\b"
_ROAD_AFTER = re.compile(r"^(?:\s*[-–]\s*[A-Z][\w'’]+(?:\s+[A-Z][\w'’]+)?)?\s+" + _ROAD)
_ROAD_JOIN = re.compile(r"^\s*[-–]\s*[A-Z]")


def in_road_name(text: str, span: Span) -> bool:
    """True when a place name is part of a road's name ('the Nairobi-Nakuru highway', 'the Buea-Muyuka road')."""
    after = text[span.end:span.end + 40]
    joined_before = re.search(r"[A-Z][\w'’]*\s*[-–]\s*$", text[max(0, span.start - 30):span.start]) is not None
    if _ROAD_JOIN.match(after):
        return _ROAD_AFTER.match(after) is not None
    hyphenated = joined_before or "-" in span.text or "–" in span.text  # "the Kisumu-Kakamega road" as one span
    return hyphenated and re.match(r"^\s+" + _ROAD, after) is not None


_MEASURED = re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:km|kms|kilomet(?:re|er)s?|miles?)\b[^.]{0,30}$", re.I)
_REFERENCE = re.compile(r"(?:\b(?:km|kilomet(?:re|er)s?|miles?)\s+(?:\w+\s+){0,2}?(?:of|from)|"
                        r"\b(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of|\bfrom|\bto(?:wards?)?|"
                        r"\bdirection\s+of|"  # "arrived from the direction of the Lake Chad islands"
                        r"\bbetween|\bbetween\s+[\w'’-]+(?:\s+[\w'’-]+)?\s+and)\s+(?:the\s+)?$",  # "the road between A and B"
                        re.I)


_CLAUSE_BREAK = re.compile(r"(?:,\s+(?:as|while|after|before|but|where|when|which|who|although|amid|since)\b|;|\bas\s+\w+\s+(?:talks|officials))",
                           re.I)


def _other_clause(text: str, trigger: Span, place: Span) -> bool:
    """True when a clause boundary separates the place from the trigger ('..., as talks stalled in Cairo')."""
    lo, hi = sorted((trigger.end, place.start)) if place.start >= trigger.end else (place.end, trigger.start)
    return bool(_CLAUSE_BREAK.search(text[lo:hi]))


def is_reference(text: str, start: int) -> bool:
    """True when a place is named only to say where something else is, or where people went."""
    return bool(_REFERENCE.search(text[max(0, start - 40):start]))


def coarseness(place: Place) -> int:
    """0 for towns and villages, 1 for districts and features, 2 for regions, 3 for countries."""
    code = place.feature_code or ""
    if code.startswith("PCL"):
        return 3
    if code == "ADM1":
        return 2
    if code.startswith(("PPL", "STLMT")) or code == "":
        return 0
    return 1
