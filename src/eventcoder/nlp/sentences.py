"""A cheap sentence splitter, so the parse runs only on sentences that matter."""
from __future__ import annotations

import re

from eventcoder.vocab import Span

# Abbreviations that end with a period but do not end a sentence.
_ABBREV = {
    "mr", "mrs", "ms", "dr", "gen", "col", "lt", "maj", "capt", "sgt", "st",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "no", "vs", "u.s", "u.n", "u.k", "e.g", "i.e", "approx",
    "gov", "sen", "rep", "prof", "km", "mt", "ft", "jr", "sr", "inc", "co",
}
_END = re.compile(r"[.!?]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*")


def split_sentences(text: str, start: int = 0) -> list[Span]:
    """Split text into sentence spans (character offsets into text)."""
    spans: list[Span] = []
    pos = start
    for m in _END.finditer(text, start):
        if m.group(0).startswith(".") and _is_abbreviation(text, m.start()):
            continue
        _append(spans, text, pos, m.end())
        pos = m.end()
    _append(spans, text, pos, len(text))
    return spans


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the period at `dot` closes a known abbreviation or an initial."""
    word = re.search(r"([A-Za-z.]+)$", text[max(0, dot - 12):dot])
    if not word:
        return False
    w = word.group(1).lower().rstrip(".")
    return w in _ABBREV or len(w) == 1


MAX_SENTENCE = 600  # characters; longer runs (no full stops, lists) are cut so the parse stays linear


def _append(spans: list[Span], text: str, start: int, end: int) -> None:
    """Append the stripped span text[start:end] when it holds any words, cut to MAX_SENTENCE pieces."""
    chunk = text[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    s, e = start + lead, start + len(chunk.rstrip())
    while e - s > MAX_SENTENCE:
        cut = _cut_point(text, s, s + MAX_SENTENCE)
        spans.append(Span(text=text[s:cut].rstrip(), start=s, end=s + len(text[s:cut].rstrip())))
        s = cut + (len(text[cut:e]) - len(text[cut:e].lstrip()))
    if e > s:
        spans.append(Span(text=text[s:e], start=s, end=e))


def _cut_point(text: str, start: int, limit: int) -> int:
    """Where to cut an over-long sentence: after the last ';' or ',' before the limit, else a space."""
    for mark in (";", ",", " "):
        i = text.rfind(mark, start + MAX_SENTENCE // 2, limit)
        if i > start:
            return i + 1
    return limit
