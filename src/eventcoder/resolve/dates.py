"""Resolve time phrases against the publication date, with ACLED time_precision."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], start=1)}
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_NUMS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "a": 1, "an": 1, "eight": 8, "nine": 9, "ten": 10, "several": 3, "a few": 3}

DAY, WEEK, MONTH = 1, 2, 3

_MONTH_RE = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WD_RE = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_N_RE = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a|an|several|a few)"

_ANAPHORIC = (r"(?:the (?:day|night|evening|morning) before|the previous (?:day|night|evening)|a day (?:earlier|before|later)|"
              r"the (?:next|following) (?:day|morning|night|evening)|the day after|later (?:that|the same) day|"
              r"(?:earlier|later) that (?:day|night|morning|evening)|that (?:same )?(?:night|evening|afternoon)|"
              r"the same day|hours (?:later|earlier)|" + r"(?:\d+|two|three|four|five|six) days (?:earlier|later|before))")
ANAPHORIC_RE = re.compile(_ANAPHORIC, re.I)

# "between 1 and 7 November", "from 3 to 9 November", "3-9 November": a span of days in one month
_RANGE_RE = (r"(?:between |from )?(\d{1,2})(?:st|nd|rd|th)?(?: and | to |\s?[-–]\s?)(\d{1,2})(?:st|nd|rd|th)? (?:of )?("
             + _MONTH_RE + r")(?:,? (\d{4}))?")
TIME_PHRASE = re.compile(
    r"\b(?:" + _RANGE_RE + r"|" + _ANAPHORIC + r"|"
    r"(?:early |late |on |last |this |earlier on |on the (?:morning|night|evening) of )?" + _WD_RE +
    r"(?:'s)?(?: (?:morning|afternoon|evening|night))?"
    r"|(?:on )?" + _MONTH_RE + r" \d{1,2}(?!\d)(?:st|nd|rd|th)?(?:,? \d{4})?"
    r"|(?:on )?\d{1,2}(?:st|nd|rd|th)? (?:of )?" + _MONTH_RE + r"(?:,? \d{4})?"
    r"|\d{4}-\d{2}-\d{2}"
    r"|(?:on )?\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})\b"
    r"|yesterday(?: (?:morning|afternoon|evening))?|today|tonight|last night|overnight|this morning|"
    r"this afternoon|this evening|earlier today|"
    r"" + _N_RE + r" (?:days?|weeks?|months?|years?) ago|"
    r"(?:last|this|past|previous) (?:weekend|week|month|year)|earlier this (?:week|month|year)|"
    r"(?:next|coming) (?:week|weekend|month|year|" + _WD_RE + r")|tomorrow|in the coming (?:days|weeks|months)|"
    r"later this (?:week|month|year)|(?:over|during|at) the weekend|this weekend|"
    r"(?:in |since |by |during )?(?:early |late |mid-?)?(?:" + _MONTH_RE + r" )?(?:19|20)\d{2}|"
    r"(?:in |during |since |last )?(?:early |late |mid-?)?" + _MONTH_RE + r"(?: (?:this|last) year)?(?= |,|\.)"
    r")", re.I)


@dataclass
class ResolvedDate:
    """An absolute date with ACLED time precision (1 day, 2 week, 3 month)."""

    date: dt.date
    precision: int
    text: str


def find_time_phrases(text: str) -> list[tuple[int, int, str]]:
    """All time phrases in text as (start, end, words)."""
    out = []
    for m in TIME_PHRASE.finditer(text):
        words = m.group(0)
        month_only = re.fullmatch(r"(?:(?:in|during|since|last) )?(?:(?:early|late|mid-?) ?)?(" + _MONTH_RE + ")", words,
                                  re.I)
        if month_only and month_only.group(1)[0].islower():
            continue  # "may" / "march" as ordinary words
        if _POINTING.search(text[max(0, m.start() - 20):m.start()]) and re.match(_WD_RE, words, re.I):
            continue  # "on that Saturday", "the following Monday": a day the story names elsewhere, no date
        out.append((m.start(), m.end(), words))
    return out


_POINTING = re.compile(r"\b(?:that|the following|the next|the previous|the same|every|each)\s+$", re.I)


def resolve_from(phrase: str, anchor: dt.date | None) -> ResolvedDate | None:
    """Resolve 'the day before', 'the next day', 'two days later' against the date of the story so far."""
    p = phrase.lower().strip()
    if anchor is None or not ANAPHORIC_RE.fullmatch(p):
        return None
    m = re.match(r"(\d+|two|three|four|five|six) days", p)
    n = (int(m[1]) if m[1].isdigit() else _NUMS[m[1]]) if m else 1
    if re.search(r"before|previous|earlier|day before", p) and not p.startswith(("earlier that", "hours")):
        return ResolvedDate(anchor - dt.timedelta(days=n), DAY, phrase)
    if re.search(r"next|following|later|after", p) and not p.startswith(("later that", "later the same", "hours")):
        return ResolvedDate(anchor + dt.timedelta(days=n), DAY, phrase)
    return ResolvedDate(anchor, DAY, phrase)


def is_anaphoric(phrase: str) -> bool:
    """True for time phrases that count from another event ('the day before')."""
    return bool(ANAPHORIC_RE.fullmatch(phrase.lower().strip()))


_SPEECH = re.compile(r"\b(?:said|says|announced|told [\w\s]{1,30}?|reported|confirmed|stated|added|claimed|"
                     # "claimed the attack on Thursday", "claimed responsibility for the bombing on Friday"
                     r"claimed\s+(?:responsibility\s+for\s+)?(?:the|an?|this|that|its|their)\s+(?!lives?\b)(?:[\w-]+\s+){0,3}?|"
                     r"denied|declared|tweeted|wrote|posted|"
                     r"(?:statement|communiqu[eé]|video|message|post|update|briefing)\s+(?:\w+\s+)?"
                     r"(?:released|issued|published|posted|sent|given|late)?|"
                     r"(?:statement|communiqu[eé]|message|briefing)\s+(?:by|from)\s+(?:[\w'’-]+\s+){1,5}?)"
                     # "said on state television on Wednesday evening"
                     r"(?:\s+(?:on|in|to|via)\s+(?:state\s+|national\s+|local\s+|its\s+|a\s+)?(?:television|tv|radio|"
                     r"media|social media|telegram|x|statement|video|post|press conference|reporters|journalists))?"
                     r"\s*$", re.I)
# ("a statement by the theatre command on Saturday said ...")


_FUTURE = re.compile(r"^(?:next|coming|tomorrow|in the coming|later this)", re.I)


def is_future(phrase: str) -> bool:
    """True for time phrases that point after publication ('next week', 'tomorrow')."""
    return bool(_FUTURE.match(phrase.strip()))


def is_speech_date(text: str, start: int) -> bool:
    """True when a time phrase dates a statement ('said on Monday'), not the event."""
    return bool(_SPEECH.search(text[max(0, start - 50):start]))


def resolve_date(phrase: str, published: dt.date | None) -> ResolvedDate | None:
    """Resolve a time phrase against the publication date; None if it cannot be."""
    p = phrase.lower().strip()
    if ANAPHORIC_RE.fullmatch(p):
        return None  # needs the date of another event: see resolve_from
    explicit = _explicit(p, published)
    if explicit is not None:
        return ResolvedDate(explicit[0], explicit[1], phrase)
    if published is None:
        return None
    rel = _relative(p, published)
    return ResolvedDate(rel[0], rel[1], phrase) if rel else None


def _explicit(p: str, published: dt.date | None) -> tuple[dt.date, int] | None:
    """Dates written out: ISO, "March 3", "3 March 2026", "in 2014", "in May"."""
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", p)
    if m:
        return _safe(int(m[1]), int(m[2]), int(m[3]), DAY)
    m = re.fullmatch(_RANGE_RE, p)
    if m and int(m[1]) < int(m[2]):  # the middle of the span, as ACLED dates a week or a month by its middle
        middle = (int(m[1]) + int(m[2])) // 2
        month = _MONTHS[m[3].rstrip(".")[:3]]
        return _with_year(month, middle, m[4], published, WEEK if int(m[2]) - int(m[1]) <= 7 else MONTH)
    m = re.search(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})\b", p)
    if m:
        return _numeric_date(int(m[1]), int(m[2]), int(m[3]), published)
    m = re.search(r"(" + _MONTH_RE + r") (\d{1,2})(?!\d)(?:st|nd|rd|th)?(?:,? (\d{4}))?", p) or \
        re.search(r"(\d{1,2})(?:st|nd|rd|th)? (?:of )?(" + _MONTH_RE + r")(?:,? (\d{4}))?", p)
    if m:
        a, b, year = m.group(1), m.group(2), m.group(3)
        month, day = (a, b) if not a[0].isdigit() else (b, a)
        return _with_year(_MONTHS[month.rstrip(".")[:4] if month.startswith("sept") else month.rstrip(".")[:3]],
                          int(day), year, published, DAY)
    m = re.search(r"(?:(" + _MONTH_RE + r") )?((?:19|20)\d{2})", p)
    if m:
        if m.group(1):
            return _safe(int(m[2]), _MONTHS[m.group(1).rstrip(".")[:3]], 15, MONTH)
        return _safe(int(m[2]), 7, 1, MONTH + 1)  # a bare year: beyond ACLED precision
    m = re.fullmatch(r"(?:in |during |since )?(?:early |late |mid-?)?(" + _MONTH_RE + r") (this|last) year", p)
    if m and published:  # "in April this year", "in April last year"
        return _safe(published.year - (m.group(2) == "last"), _MONTHS[m.group(1).rstrip(".")[:3]], 15, MONTH)
    m = re.fullmatch(r"(in |during |since |last )?(?:early |late |mid-?)?(" + _MONTH_RE + r")", p)
    if m and published:
        month = _MONTHS[m.group(2).rstrip(".")[:3]]
        if m.group(1) == "last " and month >= published.month:
            return _safe(published.year - 1, month, 15, MONTH)  # "last July", said in July, is a year ago
        return _with_year(month, 15, None, published, MONTH)
    return None


def _numeric_date(a: int, b: int, year: int, published: dt.date | None) -> tuple[dt.date, int] | None:
    """'5/4/2024': day/month or month/day, whichever is a date on or before publication and nearest it."""
    year = year + 2000 if year < 100 else year
    options = [d for d in (_safe(year, b, a, DAY), _safe(year, a, b, DAY)) if d is not None]
    if published is not None:
        before = [d for d in options if d[0] <= published + dt.timedelta(days=1)]
        options = sorted(before or options, key=lambda d: abs((published - d[0]).days))
    return options[0] if options else None


def _with_year(month: int, day: int, year: str | None, published: dt.date | None,
               precision: int) -> tuple[dt.date, int] | None:
    """Give a day-month a year: the stated one, else the latest not after publication."""
    if year:
        return _safe(int(year), month, day, precision)
    if published is None:
        return None
    cand = _safe(published.year, month, day, precision)
    if cand and cand[0] > published + dt.timedelta(days=1):
        cand = _safe(published.year - 1, month, day, precision)
    return cand


def _safe(y: int, m: int, d: int, precision: int) -> tuple[dt.date, int] | None:
    """A date or None when the numbers make no calendar date."""
    try:
        return dt.date(y, m, d), precision
    except ValueError:
        return None


def _relative(p: str, pub: dt.date) -> tuple[dt.date, int] | None:
    """Relative expressions: weekdays, yesterday, N days ago, last week, this month."""
    for i, wd in enumerate(_WEEKDAYS):
        if wd in p:
            back = (pub.weekday() - i) % 7
            if "last " + wd in p and back == 0:
                back = 7
            return pub - dt.timedelta(days=back), DAY
    if "yesterday" in p or p in {"last night", "overnight"}:
        return pub - dt.timedelta(days=1), DAY
    if p in {"today", "tonight", "this morning", "this afternoon", "this evening", "earlier today"}:
        return pub, DAY
    m = re.fullmatch(r"(" + _N_RE + r") (day|week|month|year)s? ago", p)
    if m:
        n = int(m[1]) if m[1].isdigit() else _NUMS.get(m[1], 1)
        days = {"day": 1, "week": 7, "month": 30, "year": 365}[m[2]] * n
        precision = {"day": DAY, "week": WEEK, "month": MONTH, "year": MONTH + 1}[m[2]]
        return pub - dt.timedelta(days=days), precision
    if re.fullmatch(r"(?:over|during|at) the weekend|this weekend", p):
        return pub - dt.timedelta(days=(pub.weekday() - 5) % 7), WEEK  # the Saturday of the latest weekend
    if re.search(r"(?:last|past|previous) weekend", p):
        return pub - dt.timedelta(days=(pub.weekday() - 5) % 7 or 7), DAY
    # A week-precision date is the middle of the days it can be, as a month's is its 15th.
    monday = pub - dt.timedelta(days=pub.weekday())
    if re.search(r"(?:last|past|previous) week", p):
        return monday - dt.timedelta(days=4), WEEK  # the Thursday of the previous calendar week
    if "earlier this week" in p:
        last = max(monday, pub - dt.timedelta(days=1))
        return monday + (last - monday) // 2, WEEK
    if "this week" in p:
        return monday + (pub - monday) // 2, WEEK
    if re.search(r"(?:last|past|previous) month", p):
        first = pub.replace(day=1) - dt.timedelta(days=1)
        return first.replace(day=min(15, first.day)), MONTH
    if "this month" in p:
        return pub.replace(day=max(1, min(15, pub.day))), MONTH
    if re.search(r"(?:last|past|previous) year", p):
        return pub - dt.timedelta(days=365), MONTH + 1
    if "this year" in p:
        return pub, MONTH + 1
    return None


# A round-up's covered period: "weekly update, 19-25 October 2026", "round-up, 28 September - 4 October",
# "Week 40: Monday 28 September to Sunday 4 October 2026", "October 19-25"
_ROUNDUP = re.compile(r"\b(?:week|weekly|round-?up|update|summary|digest|review|overview|sitrep|situation report|"
                      r"bulletin|monitor)\b", re.I)
_PERIOD_END = re.compile(
    r"\b\d{1,2}(?:\s+" + _MONTH_RE + r")?(?:,?\s+\d{4})?\s*(?:[-–—]|to|until)\s*(?:" + _WD_RE + r"\s+)?"
    r"(?P<dm>\d{1,2}\s+" + _MONTH_RE + r"(?:,?\s+\d{4})?)"
    r"|\b(?P<m>" + _MONTH_RE + r")\s+\d{1,2}\s*(?:[-–—]|to)\s*(?P<md>(?:" + _MONTH_RE + r"\s+)?\d{1,2}(?:,?\s+\d{4})?)",
    re.I)


def covered_period_end(heading: str, published: dt.date | None) -> dt.date | None:
    """The last day of the period a round-up covers, named in its title or opening line, when the report came
    out within two weeks of it: weekdays in a weekly round-up ("On Monday, ...") fall in that week."""
    if published is None or not _ROUNDUP.search(heading):
        return None
    for m in _PERIOD_END.finditer(heading):
        words = m.group("dm") or (m.group("md") if m.group("md")[:1].isalpha() else f"{m.group('m')} {m.group('md')}")
        r = resolve_date(words, published)
        if r is not None and r.precision == 1 and dt.timedelta(0) <= published - r.date <= dt.timedelta(days=14):
            return r.date
    return None


def is_historical(resolved: ResolvedDate, published: dt.date | None, window_days: int = 30) -> bool:
    """True when a date lies more than the news window before publication (background)."""
    if resolved.precision > MONTH:
        # a bare year only says "background" when it is an earlier year ("in 2014")
        return published is not None and resolved.date.year < published.year
    if published is None:
        return False
    return (published - resolved.date).days > window_days
