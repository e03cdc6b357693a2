"""Who the sides of an event are: agent and target phrases resolved through the actor dictionary."""
from __future__ import annotations

import re

from eventcoder.resolve.actors import ActorDictionary
from eventcoder.vocab import Actor, Mention, Span


def military_site_owner(text: str, actors: ActorDictionary, country: str | None) -> Actor | None:
    """Who holds an attacked base or checkpoint: police for police posts, else the military."""
    word = "police" if re.search(r"\bpolice\b", text, re.I) else "soldiers"
    a = actors.resolve(word, country)
    if a is not None:
        a.mention = None
    return a


def actors_for(m: Mention, actors: ActorDictionary, country: str | None,
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


def victims(m: Mention, actors: ActorDictionary, country: str | None) -> Actor | None:
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
