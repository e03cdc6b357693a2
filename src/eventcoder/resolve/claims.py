"""Claims of responsibility name the side that reports left unidentified."""
from __future__ import annotations

import re

from eventcoder.nlp import split_sentences
from eventcoder.resolve.actors import AFFILIATION_WORDS, ActorDictionary
from eventcoder.vocab import Actor, Article, Event, Evidence

# What a claimant says its fighters did.
_DID = (r"carried out|were behind|was behind|conducted|executed|stormed|attacked|struck|targeted|launched|ambushed|"
        r"killed|detonated|planted|fired|shelled|bombed|shot|kidnapped|abducted|blew up|set off|downed")
_CLAIM = re.compile(
    r"\b(?:claimed (?:responsibility|the (?:[A-Z][\w'’-]+\s+)?(?:attacks?|bombings?|killings?|kidnappings?|"
    r"assaults?|blasts?|ambush(?:es)?|raids?|abductions?|strikes?|shelling|massacres?|beheadings?))|"
    r"(?:said|says|announced|stated|claimed)\b[^.]{0,90}?\b(?:its|their) (?:fighters|members|militants|men|operatives|units?|"
    r"commandos|suicide bomber|martyrdom)[^.]{0,40}?(?:" + _DID + r")|"
    # "Al-Shabaab said it carried out the attack": the group itself, named before the speech verb
    r"(?:said|says|announced|stated|claimed)\b[^.]{0,90}?\b(?:that )?(?:it|they) (?:had |has |have )?(?:"
    + _DID + r")|"
    r"(?:was|were) behind the (?:attack|bombing|blast|killing|kidnapping|assault))", re.I)
# "the al-Qaeda-affiliated JNIM claimed ...": the affiliate is the claimant, not al-Qaeda
_AFFILIATION = re.compile(r"[\s-]*(?:" + "|".join(AFFILIATION_WORDS) + r")\b", re.I)
_NEGATED = re.compile(r"\b(?:no (?:group|one|organisation|organization)|nobody|not|denied|none)\b", re.I)
_UNIDENTIFIED = "Unidentified Armed Group"


# Authorities naming the attacker: "the army blamed the CODECO militia", "police attributed the attack to X",
# "sources attributed the shelling to the RSF".
_BLAME = re.compile(r"\b(?:blamed|blames|accused|accuses|attributed (?:the [\w/-]+ )?to|held)\b", re.I)
# Only a state has aircraft and artillery in most conflicts: a strike blamed on a state (or its forces) is
# coded to its military ("officials blamed Turkey", "accused the Sudanese Armed Forces of the strike").
_STATE_CAN_DO = {"Explosions/Remote violence"}


def claimant(sentence: str, actors: ActorDictionary, country: str | None) -> Actor | None:
    """The named side a sentence says carried out the attack (a claim of responsibility, or someone blaming
    it): an armed group, or, when blamed, a state's forces (inter 1; only used for remote violence)."""
    from eventcoder.resolve.sides import named_actors

    m = _CLAIM.search(sentence)
    if m is not None and not _NEGATED.search(sentence[:m.start()]):
        found = [a for a in named_actors(sentence, actors, country) if a.inter in (2, 3, 4) and a.start < m.start()
                 and not _AFFILIATION.match(sentence, a.end)]
        if found:
            return found[0]
    b = _BLAME.search(sentence)
    if b is None or _NEGATED.search(sentence[:b.start()]):
        return None
    after = [a for a in named_actors(sentence, actors, country)
             if a.inter in (1, 2, 3, 4) and b.end() <= a.start < b.end() + 60]
    return after[0] if after else _blamed_state(sentence, b.end(), actors)


def _blamed_state(sentence: str, at: int, actors: ActorDictionary) -> Actor | None:
    """'Local officials blamed Turkey': the military of the country named right after the verb."""
    from eventcoder.resolve.countries import find_countries

    found = [(s, e, iso) for s, e, iso in find_countries(sentence[at:at + 40]) if s <= 5]
    if not found:
        return None
    s, e, iso = found[0]
    forces = actors.resolve("soldiers", iso)
    if forces is None:
        return None
    forces.mention, forces.start, forces.end = sentence[at + s:at + e], at + s, at + e
    return forces


def apply_claims(article: Article, events: list[Event], actors: ActorDictionary, country: str | None) -> None:
    """Give events with an unidentified or missing attacker the side that claimed them or was blamed: each
    claim is about the open events told before it."""
    open_events = [e for e in events if e.event_type != "Strategic developments"
                   and (e.actor1 is None or e.actor1.name.startswith(_UNIDENTIFIED))]
    for sent in split_sentences(article.text, article.body_start):
        if not open_events:
            return
        actor = claimant(sent.text, actors, country)
        if actor is None:
            continue
        start = sent.start + (actor.start or 0)
        for ev in list(open_events):
            if ev.actor2 is not None and ev.actor2.name == actor.name:
                continue
            if min((e.sentence_start for e in ev.evidence if e.field == "mention"), default=0) > sent.start:
                continue  # an event told after the claim ("Separately, ..."): the claim is not about it
            if actor.inter == 1 and ev.event_type not in _STATE_CAN_DO:
                continue
            ev.actor1 = Actor(actor.name, actor.inter, actor.country, actor.mention, start,
                              start + len(actor.mention or ""))
            ev.evidence.append(Evidence("actor1", actor.mention or actor.name, start,
                                        start + len(actor.mention or ""), sent.text, sent.start, sent.end))
            open_events.remove(ev)
