"""Claims of responsibility name the side that reports left unidentified."""
from __future__ import annotations

import re

from eventcoder.nlp import split_sentences
from eventcoder.resolve.actors import ActorDictionary
from eventcoder.vocab import Actor, Article, Event, Evidence

_CLAIM = re.compile(
    r"\b(?:claimed (?:responsibility|the (?:attack|bombing|killing|kidnapping|assault|blast))|"
    r"(?:said|says|announced|stated|claimed)\b[^.]{0,90}?\b(?:its|their) (?:fighters|members|militants|men|operatives|units?|"
    r"commandos|suicide bomber|martyrdom)[^.]{0,40}?(?:carried out|were behind|was behind|conducted|executed|"
    r"stormed|attacked|struck|targeted|launched|ambushed|killed|detonated|planted)|"
    r"(?:was|were) behind the (?:attack|bombing|blast|killing|kidnapping|assault))", re.I)
_NEGATED = re.compile(r"\b(?:no (?:group|one|organisation|organization)|nobody|not|denied|none)\b", re.I)
_UNIDENTIFIED = "Unidentified Armed Group"


# Authorities naming the attacker: "the army blamed the CODECO militia", "police attributed the attack to X".
_BLAME = re.compile(r"\b(?:blamed|blames|accused|accuses|attributed (?:the (?:attack|bombing|killings?|blast) )?to|"
                    r"held)\b", re.I)


def claimant(sentence: str, actors: ActorDictionary, country: str | None) -> Actor | None:
    """The named armed group a sentence says carried out the attack (a claim of responsibility, or the
    authorities blaming it), if it says so."""
    from eventcoder.resolve.sides import named_actors

    m = _CLAIM.search(sentence)
    if m is not None and not _NEGATED.search(sentence[:m.start()]):
        found = [a for a in named_actors(sentence, actors, country) if a.inter in (2, 3, 4) and a.start < m.start()]
        if found:
            return found[0]
    b = _BLAME.search(sentence)
    if b is None or _NEGATED.search(sentence[:b.start()]):
        return None
    after = [a for a in named_actors(sentence, actors, country)
             if a.inter in (2, 3, 4) and b.end() <= a.start < b.end() + 60]
    return after[0] if after else None


def apply_claims(article: Article, events: list[Event], actors: ActorDictionary, country: str | None) -> None:
    """Give events with an unidentified or missing attacker the group that claimed them."""
    open_events = [e for e in events if e.event_type != "Strategic developments"
                   and (e.actor1 is None or e.actor1.name.startswith(_UNIDENTIFIED))]
    if not open_events:
        return
    for sent in split_sentences(article.text, article.body_start):
        actor = claimant(sent.text, actors, country)
        if actor is None:
            continue
        start = sent.start + (actor.start or 0)
        for ev in open_events:
            if ev.actor2 is not None and ev.actor2.name == actor.name:
                continue
            if min((e.sentence_start for e in ev.evidence if e.field == "mention"), default=0) > sent.start:
                continue  # an event told after the claim ("Separately, ..."): the claim is not about it
            ev.actor1 = Actor(actor.name, actor.inter, actor.country, actor.mention, start,
                              start + len(actor.mention or ""))
            ev.evidence.append(Evidence("actor1", actor.mention or actor.name, start,
                                        start + len(actor.mention or ""), sent.text, sent.start, sent.end))
        return
