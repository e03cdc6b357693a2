"""What a whole report tells about every event in it: its places resolved together, its country focus, the
place and day its sentences fall back on, its datelines, headings and round-up week (used by ``resolve.events``)."""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from eventcoder.resolve.actors import ActorDictionary
from eventcoder.resolve.dates import (ResolvedDate, covered_period_end, find_time_phrases, is_historical,
                                      is_speech_date, resolve_date)
from eventcoder.resolve.event_places import (NO_EVENT_PLACE, coarseness, dateline_town, district_seat, is_reference,
                                           largest_town, region_seat)
from eventcoder.resolve.layout import breaks, headings, in_heading, section_end
from eventcoder.resolve.places import resolve_places
from eventcoder.vocab import Article, Mention, Place

_WEEKDAY = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I)


@dataclass
class Context:
    """What the whole article tells about every event in it."""

    article: Article
    country: str | None  # ISO2 focus of the article
    places: dict[tuple[int, int], Place]
    default_place: Place | None
    lead_date: ResolvedDate | None
    last_place: Place | None = None  # the place of the story so far, for follow-up sentences
    last_date: dt.date | None = None  # its date, for "the day before"
    last_precision: int = 1
    model: object = None  # the statistical type model, when one is used
    paragraphs: list[tuple[int, int, Place]] = field(default_factory=list)  # (start, end, dateline place)
    anchor: dt.date | None = None  # the day weekdays count back from: publication, or a round-up's last day
    headings: list[tuple[int, int]] = field(default_factory=list)  # heading lines (layout.headings)
    breaks: list[int] = field(default_factory=list)  # where entries and sections start (layout.breaks)

    def resolve(self, words: str) -> ResolvedDate | None:
        """A time phrase of this article resolved ("on Monday" in a weekly round-up falls in its week)."""
        weekday = self.anchor != self.article.published and _WEEKDAY.search(words) is not None
        return resolve_date(words, self.anchor if weekday else self.article.published)


def build_context(article: Article, mentions: list[Mention], actors: ActorDictionary, gazetteer,
             lead: list[Mention] = ()) -> Context:
    """Resolve every place span of the article at once so places disambiguate each other."""
    spans = sorted({(p.start, p.end) for m in [*mentions, *lead] for p in m.places
                    if p.start >= article.body_start})
    dateline = _dateline_span(article)
    paragraphs = _paragraph_datelines(article)
    all_spans = ([dateline] if dateline else []) + spans + [(a, b) for a, b, _ in paragraphs]
    hint = article.dateline_country or _dateline_city_country(article, gazetteer) \
        or _actor_country(mentions, actors) or _text_country(article)
    resolved = resolve_places(article.text, all_spans, country_hint=hint, gazetteer=gazetteer) if all_spans else []
    places = {s: p for s, p in zip(all_spans, resolved) if p is not None}
    for span in ([dateline] if dateline else []) + [(a, b) for a, b, _ in paragraphs]:
        if span in places:  # a dateline names the town a report comes from, not its region
            places[span] = dateline_town(places[span], gazetteer) or places[span]
    for span, place in places.items():  # a district or a region stands for its seat town (ACLED)
        places[span] = district_seat(place, gazetteer) or region_seat(place, gazetteer) or place
    default = _lead_place(article, lead, places, places.get(dateline) if dateline else None)
    country = hint or _majority_country(places.values())
    anchor = covered_period_end((article.title or "") + "\n" + article.text[:300], article.published)
    ctx = Context(article, country, places, default, None, anchor=anchor or article.published)
    ctx.lead_date = _lead_date(ctx)
    ctx.paragraphs = [(a, end, places[(a, b)]) for a, b, end in paragraphs if (a, b) in places]
    ctx.headings, ctx.breaks = headings(article), breaks(article)
    ctx.paragraphs += _heading_places(article, mentions, places, ctx.headings)
    return ctx


def _lead_place(article: Article, lead: list[Mention], places: dict[tuple[int, int], Place],
                dateline: Place | None) -> Place | None:
    """Where a report's events are when a sentence names no place: the town or district its first mention
    names ("PEMBA - Insurgents killed two farmers ... in Ancuabe district"), else the dateline's town."""
    found = [places[(p.start, p.end)] for m in lead for p in m.places if (p.start, p.end) in places
             and coarseness(places[(p.start, p.end)]) <= 1 and not is_reference(article.text, p.start)
             and not (places[(p.start, p.end)].feature_code or "").startswith(NO_EVENT_PLACE)]
    return found[0] if found else dateline


def _heading_places(article: Article, mentions: list[Mention], places: dict[tuple[int, int], Place],
                    heads: list[tuple[int, int]]) -> list[tuple[int, int, Place]]:
    """'12:40 - Drone kills driver in Belgorod region': a heading's place places its entry's events."""
    out = []
    for m in mentions:
        if not in_heading(m.sentence.start, heads):
            continue
        found = [(p.start, places[(p.start, p.end)]) for p in m.places if (p.start, p.end) in places]
        if found:
            start, place = min(found, key=lambda sp: (coarseness(sp[1]), sp[0]))
            out.append((start, section_end(m.sentence.start, heads, len(article.text)), place))
    return out


# A paragraph opening with its own dateline, as in round-ups: "CELAYA, Guanajuato - On Sunday night, ..."
_PARA_DATELINE = re.compile(r"(?m)^(?P<place>[A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,3})(?:,\s*[A-Z][\w'’.\- ]{1,40}?)?"
                            r"\s*(?:\([^)\n]{1,60}\)\s*)?[-–—]\s")


def _paragraph_datelines(article: Article) -> list[tuple[int, int, int]]:
    """Datelines opening later paragraphs: (place start, place end, end of the paragraph)."""
    found = [m for m in _PARA_DATELINE.finditer(article.text) if m.start() >= article.body_start]
    out = []
    for i, m in enumerate(found):
        stop = article.text.find("\n\n", m.end())
        nxt = found[i + 1].start() if i + 1 < len(found) else len(article.text)
        out.append((m.start("place"), m.end("place"), min(nxt, stop if stop >= 0 else len(article.text))))
    return out


def _dateline_span(article: Article) -> tuple[int, int] | None:
    """Where the dateline's place name stands in the text, if there is one."""
    if not article.dateline_place:
        return None
    head = article.text[:max(article.body_start, 1)]
    i = head.lower().rfind(article.dateline_place.lower())  # the dateline ends the head, after any header lines
    return (i, i + len(article.dateline_place)) if i >= 0 else None


def _dateline_city_country(article: Article, gazetteer) -> str | None:
    """The country of a dateline naming only a large city ("DAMASCUS (Agency) -"): datelines name
    the big city a report is filed from, so the most populous namesake is meant."""
    if not article.dateline_place or gazetteer is None:
        return None
    best = largest_town(gazetteer, article.dateline_place)
    return best.country_code if best is not None and (best.population or 0) >= 100_000 else None


def _actor_country(mentions: list[Mention], actors: ActorDictionary) -> str | None:
    """The country most named actors belong to, as a hint for place names."""
    counts: Counter[str] = Counter()
    for m in mentions:
        for a in actors.find_all(m.sentence.text, None):
            if a.country:
                counts[a.country] += 1
    return counts.most_common(1)[0][0] if counts else None


def _text_country(article: Article) -> str | None:
    """The country the lead most often names or qualifies ('Indian soldiers ... in Kashmir')."""
    from eventcoder.resolve.countries import find_countries

    counts = Counter(code for _, _, code in find_countries(article.text[article.body_start:][:1500]))
    return counts.most_common(1)[0][0] if counts else None


def _majority_country(places) -> str | None:
    """The most frequent country among resolved places."""
    counts = Counter(p.country_code for p in places if p.country_code)
    return counts.most_common(1)[0][0] if counts else None


def _lead_date(ctx: Context) -> ResolvedDate | None:
    """The first news-window date the article gives; later sentences often rely on it."""
    article = ctx.article
    if article.published is None:
        return None  # without a publication date nothing tells which dates are news
    body = article.text[article.body_start:][:1500]
    found = [(start, words) for start, _, words in find_time_phrases(body)]
    own = [f for f in found if not is_speech_date(body, f[0])]
    for _, words in own + [f for f in found if f not in own]:
        r = ctx.resolve(words)
        if r is not None and not is_historical(r, article.published):
            return r
    return None
