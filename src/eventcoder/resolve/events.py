"""Turn an article's mentions into coded events: actors, place, date, fatalities, evidence."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from eventcoder.extract.refine import MILITARY_SITE, event_type_of, refine_type
from eventcoder.resolve.actors import ActorDictionary
from eventcoder.resolve.dates import ResolvedDate, find_time_phrases, is_historical, resolve_date
from eventcoder.resolve.defaults import default_actors
from eventcoder.extract.numbers import zero_statement
from eventcoder.nlp import split_sentences
from eventcoder.resolve.claims import apply_claims
from eventcoder.resolve.evidence import evidence_for
from eventcoder.resolve.places import resolve_places
from eventcoder.vocab import Actor, Article, Event, Evidence, Mention, Place, Span

_NOT_EVENTS = {"negated", "threatened", "planned", "hypothetical", "denied", "historical", "generic", "opinion"}


@dataclass
class Context:
    """What the whole article tells about every event in it."""

    article: Article
    country: str | None  # ISO2 focus of the article
    places: dict[tuple[int, int], Place]
    default_place: Place | None
    lead_date: ResolvedDate | None
    last_place: Place | None = None  # the place of the story so far, for follow-up sentences


def build_events(article: Article, mentions: list[Mention], actors: ActorDictionary,
                 gazetteer=None) -> list[Event]:
    """Coded events of one article, merged so that one event has one type, day and place."""
    live = [m for m in mentions if m.modality not in _NOT_EVENTS]
    if not live:
        return []
    ctx = _context(article, live, actors, gazetteer)
    events: list[Event] = []
    for m in live:
        ctx.last_place = events[-1].place if events else None
        ev = _event_from_mention(m, ctx, actors)
        if ev is None or (ev.event_date and is_historical(
                ResolvedDate(ev.event_date, ev.time_precision or 1, ""), article.published)):
            continue
        _merge_or_append(events, ev, m, ctx)
    apply_claims(article, events, actors, ctx.country)
    for i, ev in enumerate(events):
        ev.salience = "main" if i == 0 else "secondary"
        if ev.fatalities is None and ev.event_type != "Strategic developments":
            _zero_after(article, ev)
    return events


def _zero_after(article: Article, ev: Event) -> None:
    """'No one was killed.' in the sentences right after the event's own: fatalities 0."""
    for mention in [e for e in ev.evidence if e.field == "mention"]:
        end = mention.sentence_end
        for sent in split_sentences(article.text[end:end + 900])[:3]:
            zero = zero_statement(sent.text)
            if zero is not None:
                ev.fatalities = 0
                start = end + sent.start + zero.start
                ev.evidence.append(Evidence("fatalities", zero.text, start, start + len(zero.text),
                                            sent.text, end + sent.start, end + sent.end))
                return


def _context(article: Article, mentions: list[Mention], actors: ActorDictionary, gazetteer) -> Context:
    """Resolve every place span of the article at once so places disambiguate each other."""
    spans = sorted({(p.start, p.end) for m in mentions for p in m.places
                    if p.start >= article.body_start})
    dateline = _dateline_span(article)
    all_spans = ([dateline] if dateline else []) + spans
    hint = article.dateline_country or _actor_country(mentions, actors)
    resolved = resolve_places(article.text, all_spans, country_hint=hint, gazetteer=gazetteer) if all_spans else []
    places = {s: p for s, p in zip(all_spans, resolved) if p is not None}
    default = places.get(dateline) if dateline else None
    country = hint or _majority_country(places.values())
    return Context(article, country, places, default, _lead_date(article))


def _dateline_span(article: Article) -> tuple[int, int] | None:
    """Where the dateline's place name stands in the text, if there is one."""
    if not article.dateline_place:
        return None
    head = article.text[:max(article.body_start, 1)]
    i = head.lower().find(article.dateline_place.lower())
    return (i, i + len(article.dateline_place)) if i >= 0 else None


def _actor_country(mentions: list[Mention], actors: ActorDictionary) -> str | None:
    """The country most named actors belong to, as a hint for place names."""
    counts: Counter[str] = Counter()
    for m in mentions:
        for a in actors.find_all(m.sentence.text, None):
            if a.country:
                counts[a.country] += 1
    return counts.most_common(1)[0][0] if counts else None


def _majority_country(places) -> str | None:
    """The most frequent country among resolved places."""
    counts = Counter(p.country_code for p in places if p.country_code)
    return counts.most_common(1)[0][0] if counts else None


def _lead_date(article: Article) -> ResolvedDate | None:
    """The first news-window date the article gives; later sentences often rely on it."""
    if article.published is None:
        return None  # without a publication date nothing tells which dates are news
    for _, _, words in find_time_phrases(article.text[article.body_start:][:1500]):
        r = resolve_date(words, article.published)
        if r is not None and not is_historical(r, article.published):
            return r
    return None


def _event_from_mention(m: Mention, ctx: Context, actors: ActorDictionary) -> Event | None:
    """One event from one mention, or None when it has no place to stand on."""
    place = _place_for(m, ctx)
    if place is None:
        return None
    country = place.country_code or ctx.country
    date = _date_for(m, ctx)
    if date is not None and is_historical(date, ctx.article.published):
        return None
    a1, a2 = _actors_for(m, actors, country, ctx.article.text)
    site_text = (m.target.text[:60] if m.target is not None else "") + " " + \
        m.sentence.text[m.trigger.end - m.sentence.start:][:90]
    if a2 is None and MILITARY_SITE.search(site_text):
        a2 = _military_site_owner(site_text, actors, country)
    if a2 is None and m.fatalities_span is not None and m.fatalities:
        a2 = _victims(m, actors, country)
    sub = refine_type(m.sub_event_type, a1, a2, m.target.text if m.target else None, target_is_place(m),
                      m.sentence.text)
    if sub is None:
        return None
    etype = event_type_of(sub, m.event_type) if sub != m.sub_event_type else m.event_type
    a1, a2 = default_actors(sub, actors, a1, a2, country)
    ev = Event(event_type=etype, sub_event_type=sub, actor1=a1, actor2=a2, place=place,
               event_date=date.date if date else None, time_precision=date.precision if date else None,
               fatalities=m.fatalities, article_id=ctx.article.id, article_ids=[ctx.article.id],
               source=ctx.article.publisher or "", score=m.score, notes=m.sentence.text)
    ev.evidence = evidence_for(m, ev, date)
    return ev


def _military_site_owner(text: str, actors: ActorDictionary, country: str | None) -> Actor | None:
    """Who holds an attacked base or checkpoint: police for police posts, else the military."""
    word = "police" if re.search(r"\bpolice\b", text, re.I) else "soldiers"
    a = actors.resolve(word, country)
    if a is not None:
        a.mention = None
    return a


def target_is_place(m: Mention) -> bool:
    """True when the target phrase is headed by a place name ("took Sake", not "a member ... in Sake")."""
    if m.target is None:
        return False
    head_end = m.target.start + len(re.split(r"\s(?:of|in|at|near|from)\s", m.target.text)[0])
    return any(m.target.start <= p.start < head_end for p in m.places)


def _place_for(m: Mention, ctx: Context) -> Place | None:
    """The finest resolved place of the mention's sentence, else the dateline place."""
    for span in m.places:
        p = ctx.places.get((span.start, span.end))
        if p is not None:
            return p
    return ctx.last_place or ctx.default_place


def _date_for(m: Mention, ctx: Context) -> ResolvedDate | None:
    """The sentence's own time phrase, else the article's lead date, else publication day."""
    if m.time is not None:
        r = resolve_date(m.time.text, ctx.article.published)
        if r is not None:
            return ResolvedDate(r.date, r.precision, m.time.text)
    if ctx.lead_date is not None:
        return ctx.lead_date
    if ctx.article.published is not None:
        return ResolvedDate(ctx.article.published, 1, "")
    return None


def _actors_for(m: Mention, actors: ActorDictionary, country: str | None,
                text: str = "") -> tuple[Actor | None, Actor | None]:
    """Resolve agent and target phrases; fall back to named actors in the sentence."""
    a1 = _resolve(actors, m.agent, country, text)
    a2 = _resolve(actors, m.target, country, text)
    if a1 is None or a2 is None:
        found = [_shift(a, m.sentence.start) for a in actors.find_all(m.sentence.text, country)]
        before = [a for a in found if a.start < m.trigger.start and not _same(a, a2)]
        after = [a for a in found if a.start >= m.trigger.start and not _same(a, a1)]
        if a1 is None and before:
            a1 = before[0]
        if a2 is None and after and not _same(after[0], a1):
            a2 = after[0]
    if a1 is not None and a2 is not None and a1.name == a2.name and a1.inter != 7:
        a2 = None
    if a2 is not None and a2.inter == 7 and _VAGUE_VICTIM.search(a2.mention or ""):
        armed = [a for a in actors.find_all(m.sentence.text, country)
                 if a.inter in (1, 2, 3, 4, 8) and not _same(a, a1)]
        if armed:  # "six people were killed when gunmen stormed a roadblock manned by the SDF"
            a2 = _shift(armed[0], m.sentence.start)
    if m.sub_event_type == "Agreement" and a2 is None:
        others = [a for a in actors.find_all(m.sentence.text, country) if not _same(a, a1)]
        a2 = _shift(others[0], m.sentence.start) if others else None  # "the government and the ELN signed ..."
    if m.sub_event_type == "Arrests" and (a2 is None or a2.inter == 7):
        a2 = _suspected_group(m, actors, country) or a2
    return a1, a2


_VAGUE_VICTIM = re.compile(r"\b(?:people|persons|individuals|others|victims)\b", re.I)


def _victims(m: Mention, actors: ActorDictionary, country: str | None) -> Actor | None:
    """The people counted among the dead ('three passengers were killed') as the target side."""
    span = m.fatalities_span
    after = m.sentence.text[span.end - m.sentence.start:][:40]
    words = re.match(r"\s*((?:[\w-]+\s+){0,2}?[\w-]+)", after)
    if not words:
        return None
    a = actors.resolve(words.group(1), country)
    if a is None or _VAGUE_VICTIM.search(words.group(1)):
        return None
    a.mention, a.start = words.group(1), span.end + (len(after) - len(after.lstrip()))
    a.end = a.start + len(words.group(1))
    return a


_MEMBERSHIP = re.compile(r"\b(?:belong\w*|members? of|linked to|affiliated with|loyal to|suspected|"
                         r"accused of (?:being|belonging)|tied to)\b", re.I)


def _suspected_group(m: Mention, actors: ActorDictionary, country: str | None) -> Actor | None:
    """'arrested three men suspected of belonging to the Islamic State': the group is the side."""
    after = m.sentence.text[m.trigger.end - m.sentence.start:]
    if not _MEMBERSHIP.search(after[:120]):
        return None
    found = [a for a in actors.find_all(after[:160], country) if a.inter in (2, 3, 4)]
    return _shift(found[0], m.trigger.end) if found else None


def _shift(actor: Actor, base: int) -> Actor:
    """Make an actor's offsets (relative to a piece of text starting at base) absolute."""
    actor.start = (actor.start or 0) + base
    actor.end = (actor.end or 0) + base
    return actor


def _same(a: Actor | None, b: Actor | None) -> bool:
    """True when both actors are the same canonical actor."""
    return a is not None and b is not None and a.name == b.name


def _resolve(actors: ActorDictionary, span: Span | None, country: str | None,
             text: str = "") -> Actor | None:
    """Resolve a phrase to an actor, keeping where it stands in the text.

    When the parse cut a name short ("Islamic" of "Islamic State gunmen"), the
    words right after the phrase are searched for a named actor starting in it.
    """
    if span is None:
        return None
    a = actors.resolve(span.text, country)
    if a is not None:
        a.mention, a.start, a.end = span.text, span.start, span.end
        return a
    if text:
        window = text[span.start:span.end + 30]
        found = [x for x in actors.find_all(window, country) if (x.start or 0) < len(span.text)]
        if found:
            return _shift(found[0], span.start)
    return None


_ANOTHER = re.compile(r"\b(?:another|separate(?:ly)?|elsewhere|second|third|a further|in a different)\b", re.I)


def _merge_or_append(events: list[Event], ev: Event, m: Mention, ctx: Context) -> None:
    """Fold a mention's event into an earlier one when it is the same event, else add it.

    Follow-up sentences rarely repeat the place and day ("The blast also wounded
    11 people"), so a mention without its own place and time continues the story
    of the latest event of its kind; a weak trigger ("were killed") never starts
    a new event while an earlier one can take it.
    """
    own_place = _has_own_place(m, ctx)
    own_time = m.time is not None
    another = bool(_ANOTHER.search(m.sentence.text))
    for old in reversed(events):
        if _same_event(old, ev, m):
            _merge(old, ev)
            return
    if not another:
        target = _continues(events, ev, m, own_place, own_time)
        if target is not None:
            _merge(target, ev)
            return
    if m.score <= 1 and not _can_stand_alone(ev, m, own_place or not events):
        return
    events.append(ev)


def _has_own_place(m: Mention, ctx: Context) -> bool:
    """True when the mention's sentence names a place that resolved."""
    return any((p.start, p.end) in ctx.places for p in m.places)


_FOLLOW_UP = {"Change to group/activity", "Disrupted weapons use", "Other", "Arrests"}
_DEFINITE = re.compile(r"\b(?:the|this|that|these|those)\s+(?:\w+\s+){0,2}$", re.I)


def _continues(events: list[Event], ev: Event, m: Mention, own_place: bool, own_time: bool) -> Event | None:
    """The earlier event this mention continues, if any."""
    if not events:
        return None
    same_sub = [e for e in events if e.sub_event_type == ev.sub_event_type]
    if same_sub and not own_time:
        return same_sub[-1]
    if own_place and own_time:
        return None
    if m.score <= 1 or _anaphoric(m):
        return events[-1]  # "were killed", "the clashes", "the blast": the story so far
    if ev.sub_event_type in _FOLLOW_UP and not own_time:
        return events[-1]  # reinforcements, arrests, seizures during the event just told
    same_family = [e for e in events if e.event_type == ev.event_type]
    if not own_place and not own_time and same_family:
        return same_family[-1]
    return None


def _anaphoric(m: Mention) -> bool:
    """True when the trigger is a definite reference back ('the attack', 'the fighting')."""
    before = m.sentence.text[:m.trigger.start - m.sentence.start]
    return bool(_DEFINITE.search(before[-30:]))


def _can_stand_alone(ev: Event, m: Mention, own_place: bool) -> bool:
    """A weak trigger makes an event only with its own place and a toll or a named side."""
    named = bool((m.agent and ev.actor1 and ev.actor1.mention == m.agent.text)
                 or (m.target and ev.actor2 and ev.actor2.mention == m.target.text))
    return own_place and (m.fatalities is not None or named)


def _same_event(a: Event, b: Event, m: Mention) -> bool:
    """Same sub-event type, same day and same place."""
    return (a.sub_event_type == b.sub_event_type and a.event_date == b.event_date
            and _same_place(a.place, b.place))


def _same_place(a: Place | None, b: Place | None) -> bool:
    """True when two places are the same gazetteer entry or the same name."""
    if a is None or b is None:
        return a is b
    return (a.geonameid is not None and a.geonameid == b.geonameid) or a.name == b.name


def _merge(into: Event, other: Event) -> None:
    """Combine two records of one event: keep the first's fields, fill gaps, keep all evidence."""
    if other.sub_event_type == into.sub_event_type:
        into.actor1 = into.actor1 or other.actor1
        into.actor2 = into.actor2 or other.actor2
    if other.fatalities is not None:
        into.fatalities = other.fatalities if into.fatalities is None else _combine_tolls(into, other)
    have = {(e.field, e.start) for e in into.evidence}
    for e in other.evidence:
        if e.field == "fatalities" and into.fatalities != other.fatalities:
            continue
        if (e.field, e.start) not in have and e.field not in {x.field for x in into.evidence} | {"mention"}:
            into.evidence.append(e)
        elif e.field == "mention":
            into.evidence.append(e)


def _combine_tolls(into: Event, other: Event) -> int:
    """Two figures for one event: the most conservative one (ACLED)."""
    return min(into.fatalities or 0, other.fatalities or 0) if into.fatalities and other.fatalities else \
        max(into.fatalities or 0, other.fatalities or 0)
