"""Words that point back at an actor the report names elsewhere: "the rebels", "security forces"."""
from __future__ import annotations

import re

from eventcoder.resolve.actors import ActorDictionary
from eventcoder.vocab import Actor, Article, Event

_DEFINITE_GROUP = re.compile(r"^(?:the|these|those)\s+(?:\w+\s+)?(?:rebels?|militants?|insurgents?|group|jihadists?|"
                             r"fighters?|militia(?:men|s)?|gunmen|extremists?|separatists?|terrorists?|attackers?|"
                             r"assailants?|raiders?)$|^them$", re.I)


def resolve_definite_groups(article: Article, events: list[Event], actors: ActorDictionary,
                             country: str | None) -> None:
    """'The rebels shelled army positions' after a paragraph about M23: the rebels are M23, when the
    article names exactly one armed group."""
    from eventcoder.resolve.sides import named_actors

    named: list[Actor] | None = None  # read from the whole text only when some side needs it
    for ev in events:
        for side in ("actor1", "actor2"):
            a = getattr(ev, side)
            m = _DEFINITE_GROUP.match((a.mention or "").strip()) if a is not None else None
            if m is None or not a.name.startswith("Unidentified"):
                continue
            if named is None:
                named = [a for a in named_actors(article.text, actors, country)
                         if a.inter in (2, 3, 4) and a.name in actors.entries]
            kinds = (2,) if re.search(r"rebel|separatist|insurgent", m.group(0), re.I) else \
                (3, 4) if re.search(r"militia", m.group(0), re.I) else (2, 3, 4)
            groups = {g.name: g for g in named if g.inter in kinds}
            if len(groups) == 1:
                g = next(iter(groups.values()))
                setattr(ev, side, Actor(g.name, g.inter, g.country, a.mention, a.start, a.end))


# Generic words for a state's forces that do not say which: the report's one named force says.
_VAGUE_FORCES = re.compile(r"^(?:the\s+)?(?:security forces|security personnel|joint forces|forces|"
                           r"(?:a )?joint (?:team|security team))$", re.I)


def resolve_security_forces(article: Article, events: list[Event], actors: ActorDictionary,
                            country: str | None) -> None:
    """'Killed in an exchange of fire with security forces' in a report whose only named force is the District
    Reserve Guard: the police. Only when the report names exactly one state force of the event's country."""
    found: dict[str | None, list[Actor]] = {}  # the article's named actors, read once per country
    for ev in events:
        for side in ("actor1", "actor2"):
            a = getattr(ev, side)
            if a is None or a.inter != 1 or not _VAGUE_FORCES.match((a.mention or "").strip()):
                continue
            key = a.country or country
            if key not in found:
                found[key] = actors.find_all(article.text, key)
            named = {f.name: f for f in found[key]
                     if f.inter == 1 and f.name in actors.entries and not f.name.startswith("Government")
                     and f.country == a.country}
            if len(named) == 1 and a.name not in named:
                f = next(iter(named.values()))
                setattr(ev, side, Actor(f.name, f.inter, f.country, a.mention, a.start, a.end))
