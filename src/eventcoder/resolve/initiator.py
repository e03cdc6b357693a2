"""Which side of a clash between state forces and an armed group started it: ACLED lists the initiator first."""
from __future__ import annotations

import re

from eventcoder.resolve.actors import ActorDictionary
from eventcoder.vocab import Actor, Event

# Words a report uses for the non-state side of a fight.
_ARMED_WORDS = (r"gunmen|militants?|attackers|assailants|fighters|insurgents|rebels|jihadists|terrorists|bandits|"
                r"extremists|separatists|militiamen|militias?|raiders|cadres|guerrillas?")
_STRONG_ATTACK = (r"attacked|stormed|ambushed|raided|overran|assaulted|(?:tried|attempted) to (?:storm|overrun|advance on)|"
                  r"advanced on|"
                  r"launched an? (?:\w+ )?(?:attack|assault|raid|offensive) on|fired on|struck")
# "their patrol came under fire from members of X", "the convoy was ambushed by X"
_ATTACKED_BY = re.compile(r"\b(?:c[oa]me under (?:\w+ )?(?:attack|fire) from|(?:was|were) (?:attacked|ambushed|stormed) by)\b",
                          re.I)
# A security operation: the forces went looking for the fight ("cordoned off the village", "acting on
# intelligence", "an encounter", "militants were killed in a gunfight with security forces").
_OPERATION = re.compile(
    r"\b(?:(?:security|military|counter-?\w+|search|clearance|combing|joint) operations?|operations? against|"
    r"(?:during|in) (?:the|an|a|that) operation|"
    r"offensive against|cordon(?:ed)?(?: off)?|search(?:ing)? (?:party|team|the)|sweep|acting on|on a tip|"
    r"tip-off|intelligence-based|(?:information|intelligence|inputs) (?:about|on|that)|encounter|"
    r"hideouts?|neutrali[sz]ed?)\b", re.I)
# "Police fought the attackers" after a bombing there that day: the group is named by what it did (the day
# after, "soldiers clashed with the attackers" are the soldiers pursuing them).
_ATTACKERS = re.compile(r"\b(?:attackers|assailants|raiders|ambushers)\b", re.I)
_KILLED_IN_FIGHT = re.compile(
    r"\b(?:" + _ARMED_WORDS + r"|cadres|Maoists)\b[^.;]{0,60}?\b(?:were|was) (?:killed|shot dead|neutrali[sz]ed|"
    r"eliminated) (?:in|during) (?:an? |the )?[^.;]{0,30}?\b(?:gunfight|clash|exchange of fire|encounter|"
    r"shoot-?out|firefight|battle|fighting) with\b", re.I)


def order_clash_sides(events: list[Event], actors: ActorDictionary) -> None:
    """Put the initiator of each clash between state forces and an armed group first, from the event's own
    sentences: the group when it attacked, stormed or ambushed the forces; the forces when they were on an
    operation (a cordon, a search, acting on intelligence) or the group's men were killed in a gunfight with
    them. Without either cue the order the sentence gave stays."""
    for ev in events:
        if ev.sub_event_type != "Armed clash" or ev.actor1 is None or ev.actor2 is None:
            continue
        pair = _state_and_group(ev.actor1, ev.actor2)
        if pair is None:
            continue
        state, group = pair
        text = " ".join(dict.fromkeys(e.sentence for e in ev.evidence if e.field == "mention"))
        entry = actors.entries.get(group.name)
        aliases = tuple(a for a in entry.aliases if not a.isupper()) if entry is not None else ()
        first = _initiator(text, state, group, aliases)  # (acronyms left out: "IS" would match "is")
        if first is None and _ATTACKERS.search(group.mention or "") and _attack_there(ev, events):
            first = group  # the bombers' comrades stormed the compound: the fight goes on from their attack
        if first is not None and first is not ev.actor1:
            ev.actor1, ev.actor2 = ev.actor2, ev.actor1


def _attack_there(ev: Event, events: list[Event]) -> bool:
    """Another, non-battle event of the same day and place: the attack this fight grew out of."""
    return any(o is not ev and o.event_type != "Battles" and o.event_date == ev.event_date
               and o.place is not None and ev.place is not None and o.place.name == ev.place.name for o in events)


def _state_and_group(a: Actor, b: Actor) -> tuple[Actor, Actor] | None:
    """(state forces, armed group) when the two sides are one of each."""
    if a.inter == 1 and b.inter in (2, 3, 4):
        return a, b
    if b.inter == 1 and a.inter in (2, 3, 4):
        return b, a
    return None


def _initiator(text: str, state: Actor, group: Actor, aliases: tuple[str, ...] = ()) -> Actor | None:
    """The side the sentences say started the fight, None when they do not say (`aliases`: the group's other
    names, "the Houthis" for the Houthi Movement)."""
    names = [_ARMED_WORDS] + [re.escape(n) for n in (group.mention, group.name, *aliases) if n]
    attack = re.compile(r"\b(?:" + "|".join(names) + r")\b[^.;]{0,50}?\b(?:" + _STRONG_ATTACK + r")\b", re.I)
    if attack.search(text) or _ATTACKED_BY.search(text):
        return group
    if _OPERATION.search(text) or _KILLED_IN_FIGHT.search(text):
        return state
    return None
