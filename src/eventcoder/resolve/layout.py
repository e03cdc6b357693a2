"""The layout of a report: heading lines that start a new story inside it.

A live blog is a list of timestamped entries ("15:20 - Fire at refinery after drone attack"), a round-up a
list of sections under short heads, and some reports repeat their headline as the first line of the text.
A heading sums up what the lines under it tell, so it never starts an event of its own (the lines under it
do, and the heading joins them), the place and day of one entry do not carry over into the next, and a toll
revision under the next heading ("13:45 - Dnipro toll rises to five") is not the previous entry's.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from eventcoder.vocab import Article

_TIMESTAMP = re.compile(r"\d{1,2}[:.]\d{2}\b")  # matched at a line start
_ENDS_SENTENCE = ('.', '!', '?', '"', '”', "'", '’', ':', ';', ',', ')', '…')
MAX_WORDS = 16
# A line that dates what it tells ("- On 3 May, gunmen killed four traders in Gao") is an item, not a heading.
_DAY = re.compile(r"\b(?:on|late|early)\s+(?:\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]+\s+\d{1,2}|(?:mon|tues|wednes|thurs|fri|"
                  r"satur|sun)day)\b", re.I)


def headings(article: Article) -> list[tuple[int, int]]:
    """(start, end) of the heading lines of the report's body, in text order: short lines that end without a
    sentence's punctuation, with more text under them."""
    return [(a, b) for a, b, heading in _lines(article.text, article.body_start) if heading]


def breaks(article: Article) -> list[int]:
    """Where a new entry or section starts: every heading, and every line opening with a live blog's
    timestamp ("18:40 - Ukraine's General Staff says ...")."""
    return [a for a, _, heading in _lines(article.text, article.body_start)
            if heading or _TIMESTAMP.match(article.text, a)]


@lru_cache(maxsize=64)
def _lines(text: str, body_start: int) -> tuple[tuple[int, int, bool], ...]:
    """The body's non-empty lines but the last: (start, end, is a heading). Cached: the story rules ask for
    the same report's breaks once per event."""
    out: list[tuple[int, int, bool]] = []
    lines = text.splitlines(keepends=True)
    last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
    pos = 0
    for i, line in enumerate(lines):
        start, pos = pos, pos + len(line)
        stripped = line.strip()
        if not stripped or start < body_start or i >= last:
            continue  # the last line of a report is its end, not a heading
        lead = len(line) - len(line.lstrip())
        heading = len(stripped.split()) <= MAX_WORDS and not stripped.endswith(_ENDS_SENTENCE) \
            and not _DAY.search(stripped)
        out.append((start + lead, start + lead + len(stripped), heading))
    return tuple(out)


def in_heading(offset: int, spans: list[tuple[int, int]]) -> bool:
    """True when a character offset lies on a heading line."""
    i = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


def heading_between(a: int, b: int, starts: list[int]) -> bool:
    """True when an entry or section starts (see `breaks`) after offset a and at or before offset b."""
    return any(a < start <= b for start in starts)


def section_end(offset: int, spans: list[tuple[int, int]], text_end: int) -> int:
    """Where the section holding an offset ends: the next heading's start, else the end of the text."""
    return next((start for start, _ in spans if start > offset), text_end)
