"""Sentence cues that name a side: who was hurt before the trigger, whom a statement accuses, whose "own men"
acted, and the state forces named beside a lone armed group."""
from __future__ import annotations

import re

from eventcoder.resolve.actors import ActorDictionary
from eventcoder.resolve.sides import _VAGUE_VICTIM, _overlaps, _same, _shift, named_actors
from eventcoder.vocab import Actor, Mention

_HURT_WHEN = re.compile(r"([^,;]{3,80}?)\s+(?:were|was)\s+(?:\w+\s+)?(?:injured|wounded|hurt)\s+(?:when|as|after|in)\b",
                        re.I)


def hurt_side(m: Mention, actors: ActorDictionary, country: str | None) -> Actor | None:
    """Who was hurt, told before the trigger: 'two CRPF jawans were injured when an IED went off'."""
    before = m.sentence.text[:m.trigger.start - m.sentence.start]
    found = None
    for found in _HURT_WHEN.finditer(before):
        pass
    if found is None:
        return None
    phrase = found.group(1).strip()
    a = actors.resolve(phrase, country)
    if a is None or _VAGUE_VICTIM.search(phrase):
        return None
    a.mention, a.start, a.end = phrase, m.sentence.start + found.start(1) + (len(found.group(1)) - len(
        found.group(1).lstrip())), m.sentence.start + found.end(1)
    return a


OWN_MEN = re.compile(r"(?:its|their)\s+(?:\w+\s+)?(?:fighters|men|forces|units?|members|militants|troops|combatants)\b",
                      re.I)


def speaking_group(m: Mention, own: Actor, actors: ActorDictionary, country: str | None) -> Actor | None:
    """The armed group whose statement tells what "its fighters" did, named before the speech verb."""
    before = m.sentence.text[:max(0, (own.start or 0) - m.sentence.start)]
    said = re.search(r"\b(?:said|says|announced|claimed|stated)\b", before)
    if said is None:
        return None
    groups = [a for a in named_actors(before[:said.start()], actors, country) if a.inter in (2, 3, 4)]
    return _shift(groups[-1], m.sentence.start) if groups else None


_ACCUSED = re.compile(r"\b(?:accused|accuses|accusing|blamed|blames|blaming)\s+(.{3,80}?)\s+(?:of|for)\s+"
                      r"(?:(?:carrying|having|launching|conducting|being)\s+(?:out\s+)?(?:behind\s+)?)?$", re.I)


def accused_side(m: Mention, actors: ActorDictionary, country: str | None) -> Actor | None:
    """The side a sentence accuses of the event its trigger names ("accused the SAF of carrying out the strike")."""
    before = m.sentence.text[:m.trigger.start - m.sentence.start]
    before = re.sub(r"(?:the|a|an|this|that|these|those)\s+(?:\w+\s+)?$", "", before)  # "... of the strike"
    found = _ACCUSED.search(before)
    if found is None:
        return None
    named = named_actors(found.group(1), actors, country)
    return _shift(named[0], m.sentence.start + found.start(1)) if named else None


def state_forces_beside(m: Mention, group: Actor, actors: ActorDictionary, country: str | None) -> Actor | None:
    """The state forces a clash sentence names besides the armed group it found as its only side."""
    if group.inter not in (2, 3, 4):
        return None
    for a in actors.find_all(m.sentence.text, country, generics=True):
        a = _shift(a, m.sentence.start)
        if a.inter == 1 and not _same(a, group) and not _overlaps(a, [group]):
            return a
    return None
