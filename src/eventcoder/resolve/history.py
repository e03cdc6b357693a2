"""Background told as history: running totals "since" a past date, and sentences that go on about a past event."""
from __future__ import annotations

import datetime as dt
import re

from eventcoder.resolve.dates import find_time_phrases, is_anaphoric, is_historical, resolve_date
from eventcoder.vocab import Article, Mention


def since_long_ago(sentence: str, published: dt.date | None) -> bool:
    """True when the sentence counts "since" a date before the news window ("since 2017", "since
    August 2023"): a tally of a long conflict, not one event."""
    for _, _, words in find_time_phrases(sentence):
        if words.lower().startswith("since"):
            r = resolve_date(words[len("since"):].strip(), published)
            if r is not None and is_historical(r, published):
                return True
    return bool(_SINCE_OUTBREAK.search(sentence))


# "since the start of the insurgency": a conflict's running total
_SINCE_OUTBREAK = re.compile(r"\bsince (?:the|its) (?:start|beginning|outbreak|onset)\b(?! of (?:the|this) (?:week|month|year|day))|"
                             r"\bsince the (?:\w+ )?(?:truce|ceasefire|war|conflict|insurgency|crisis|invasion|uprising|"
                             r"fighting)\b[^.;]{0,60}?\b(?:began|started|took effect|broke out|erupted)\b|"
                             r"\bsince the (?:\w+ )?(?:coup|takeover|invasion|revolution|war)\b", re.I)
_SINCE_THEN = re.compile(r"\bsince then\b|\bsince that (?:time|year)\b", re.I)


def since_then_long_ago(m: Mention, article: Article) -> bool:
    """'More than 6,000 people have been killed since then' after 'began in October 2017': a running total
    counted from a date the sentence before gives."""
    if not _SINCE_THEN.search(m.sentence.text):
        return False
    before = article.text[max(0, m.sentence.start - 300):m.sentence.start]
    previous = re.split(r"(?<=[.!?])\s+", before.strip())[-1] if before.strip() else ""
    return since_long_ago("since " + previous, article.published) or any(
        is_historical(r, article.published) for r in [resolve_date(w, article.published)
                                                     for _, _, w in find_time_phrases(previous)] if r is not None)


_LATER = re.compile(r"\b(?:(?:hours|days|weeks|months|shortly|soon|a day|a week)\s+later|the next day|the following day)\b",
                    re.I)


def tells_history(m: Mention, history_end: int, text: str) -> bool:
    """A weak mention with no day or place of its own, or one dated from the event before ("days later"), right
    after a past event in the same paragraph: more of that past event."""
    if history_end < 0 or not 0 <= m.sentence.start - history_end < 400 or "\n" in text[history_end:m.sentence.start]:
        return False
    if (m.time is not None and is_anaphoric(m.time.text)) or (m.time is None and _LATER.search(m.sentence.text)):
        return True  # "16 July 2025: Israel strikes Damascus. A US-brokered ceasefire follows days later."
    return m.score <= 1 and m.time is None and not m.places
