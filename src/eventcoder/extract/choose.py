"""Decide which sub-event type(s) the triggers of one sentence report.

The lexicon says how sure each trigger is; these rules say how triggers of
different families combine in one sentence (ACLED's coding practice):
a protest met with tear gas or arrests is a Protest with intervention, a
roadside bomb that kills is an explosion not an Attack, an operation in which
fighting is reported is the fighting.
"""
from __future__ import annotations

import re

from eventcoder.extract.triggers import Match

_ABSORBED = {"Change to group/activity", "Disrupted weapons use", "Other",
             "Headquarters or base established"}
VIOLENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"}
_PROTEST_KILL = {"kill", "shoot", "open", "fire", "die", "dead", "killing"}


_FORCE_CUES = {"Protest with intervention", "Excessive force against protesters"}
_CROWD_CONTROL = {"Arrests", "Change to group/activity"}
_TALK_HEADS = {"talk", "negotiation", "proposal", "plan", "effort", "bid", "mediation", "push", "call", "offer",
               "draft", "framework", "violation", "breach", "deadline", "monitor", "envoy", "discussion"}


_STATE_VERBS = {"hold", "appear", "seem", "remain", "collapse", "falter", "expire", "last", "survive", "crumble"}


_ANSWERED = {"retaliation", "response", "revenge", "reprisal"}


def _answered(m: Match) -> bool:
    """'Israeli warplanes struck Hodeidah in retaliation for missile and drone attacks by the Houthis': the
    attacks answered are another, earlier event, not this sentence's."""
    tok = m.head
    for _ in range(4):
        if tok.head is tok:
            return False
        tok = tok.head
        if tok.lemma_.lower() in _ANSWERED:
            return True
    return False


def _talks_about(m: Match) -> bool:
    """'ceasefire talks stalled', 'truce proposal': talk about an agreement is not one."""
    if m.trigger.sub_event_type != "Agreement":
        return False
    head = m.head
    if head.dep_ in ("nsubj", "nsubjpass") and head.head.lemma_.lower() in _STATE_VERBS:
        return True  # "a ceasefire appeared to be holding": an existing deal, not a new one
    return head.dep_ in ("compound", "amod", "nmod") and head.head.lemma_.lower() in _TALK_HEADS


_LABOUR = re.compile(r"\b(?:unions?|workers|wages?|salar(?:y|ies)|pay|arrears|lecturers|teachers|doctors|nurses|"
                     r"staff|employees|drivers|dockers|miners|strikers|on strike|general strike|hunger strike|"
                     r"strike action|walkout|(?:week|day|month)s? (?:old|long)|in its \w+ (?:day|week|month))\b", re.I)
_AIR = re.compile(r"\b(?:air|drones?|missiles?|jets?|warplanes?|aircraft|bomb\w*|rockets?|artillery|killed|dead)\b", re.I)


_CRAFT = {"boat", "ship", "vessel", "dhow", "canoe", "car", "bus", "truck", "lorry", "vehicle", "convoy", "minibus"}


def _boat_or_vehicle_stopped(m: Match) -> bool:
    """'insurgents intercepted a fishing boat and took the fishermen': stopping people on the move is no
    disrupted weapons use (that is intercepting drones, missiles, arms shipments)."""
    if m.trigger.lemmas != ("intercept",):
        return False
    obj = next((c for c in m.head.children if c.dep_ in ("dobj", "obj", "nsubjpass")), None)
    return obj is not None and obj.lemma_.lower() in _CRAFT


def _labour_strike(m: Match) -> bool:
    """'The strike, now in its fourth week, has left thousands of students idle': a work stoppage, not an air strike."""
    if m.trigger.lemmas != ("strike",):
        return False
    text = m.head.doc.text
    return bool(_LABOUR.search(text)) and not _AIR.search(text)


_NOT_YET = {"planned", "upcoming", "proposed", "scheduled", "expected", "announced", "threatened", "possible",
            "future", "next"}


def _not_yet(m: Match) -> bool:
    """'arrested 45 supporters ahead of a planned rally': a protest that has not happened is no event."""
    head = m.head
    if head.pos_ not in ("NOUN", "PROPN"):
        return False
    if any(c.dep_ == "amod" and c.lower_ in _NOT_YET for c in head.children):
        return True
    prep = head.head if head.dep_ == "pobj" else None
    return prep is not None and prep.lower_ == "of" and prep.head.lower_ == "ahead"  # "ahead of the rally"


_DAMAGE = {"set", "torch", "smash", "vandalise", "vandalize"}
_CROWD = re.compile(r"\b(?:protesters|demonstrators|workers|students|youths|crowds?|mobs?|rioters|residents|villagers|"
                    r"supporters|fans|marchers|strikers|hundreds|thousands)\b", re.I)


_CRIME = re.compile(r"\b(?:rob|robs|robbed|robbing|robbery|robberies|robbers?|thie(?:f|ves)|theft|burglar\w*|heist)\b",
                    re.I)


def _damage_only(cues: list[Match]) -> list[tuple[str, Match]]:
    """A sentence whose only triggers are damage cues ("set fire to a factory gate", "smashed the windows"):
    a crowd doing it riots; anyone else destroys property ("hooded attackers set fire to three trucks")."""
    damage = [c for c in cues if c.trigger.sub_event_type == "Violent demonstration"
              and c.trigger.lemmas[0] in _DAMAGE]
    if not damage or _CRIME.search(damage[0].head.doc.text):
        return []  # "robbed a jewellery store, smashing display cases": ordinary crime, not coded
    crowd = _CROWD.search(damage[0].head.doc.text[:damage[0].start_char])  # the crowd acts: named before
    return [("Violent demonstration" if crowd else "Looting/property destruction", damage[0])]


def _best(matches: list[Match]) -> Match:
    """The surest trigger; the earliest wins ties."""
    return max(matches, key=lambda m: (m.trigger.weight, -m.start_char))


def _protest_type(matches: list[Match], cues: list[Match]) -> str | None:
    """Peaceful / with intervention / excessive force, or None without a protest trigger."""
    subs = {m.trigger.sub_event_type for m in matches}
    if "Peaceful protest" not in subs or {"Violent demonstration", "Mob violence"} & subs:
        return None
    cue_subs = {c.trigger.sub_event_type for c in cues}
    if "Violent demonstration" in cue_subs:
        return "Violent demonstration"  # protesters burning, smashing, storming: a riot (ACLED)
    killed = any(m.trigger.lemmas[0] in _PROTEST_KILL and not _grievance(m) for m in matches)
    if "Excessive force against protesters" in cue_subs or killed:
        return "Excessive force against protesters"
    if "Protest with intervention" in cue_subs or "Arrests" in subs:
        return "Protest with intervention"
    return "Peaceful protest"


_GRIEVANCE_HEADS = {"end", "stop", "halt", "condemn", "denounce", "protest", "decry", "against", "over", "after"}


def _grievance(m: Match) -> bool:
    """'calling on the government to end the killings', 'protesting against the killings': what the
    crowd protests about, not force used on it."""
    head = m.head
    if head.dep_ == "acl" and head.tag_ == "VBN":
        return True  # "relatives of people killed in the July 2024 uprising formed a human chain": who protests
    return head.dep_ in ("dobj", "pobj") and head.head.lemma_.lower() in _GRIEVANCE_HEADS


_HANDLED = {"seize", "confiscate", "recover", "find", "discover", "defuse", "dismantle", "surrender",
            "hand", "store", "stockpile", "smuggle", "sell", "buy", "display", "hide", "cache", "uncover",
            "intercept", "carry", "possess", "transport", "supply", "deliver", "manufacture", "make",
            # "militants armed with rifles and grenades attacked ...": equipment, not use
            "arm", "equip", "render", "neutralise", "neutralize"}


# Verbs that stop a weapon in flight: whatever the weapon words say, the event is its interception
# ("air defences shot down an attack drone").
_INTERCEPTED = {"shoot", "intercept", "jam", "down"}


def _weapon_as_object(m: Match) -> bool:
    """'Police seized four rifles and a grenade': a weapon handled, not used."""
    explosive = m.trigger.event_type == "Explosions/Remote violence"
    if not explosive and m.trigger.event_type not in ("Violence against civilians", "Battles"):
        return False
    tok = m.head
    for _ in range(3):
        if tok.dep_ in ("dobj", "conj", "pobj", "nsubjpass", "appos", "compound", "prep") and tok.head.i != tok.i:
            tok = tok.head
            lemma = tok.lemma_.lower()
            carried_out = lemma == "carry" and any(c.lower_ == "out" for c in tok.children)  # "carried out strikes"
            if (explosive and lemma in _HANDLED and not carried_out) or (lemma in _INTERCEPTED and _shot_down(tok)):
                return True
        else:
            return False
    return False


def _shot_down(verb) -> bool:
    """'shot down', 'intercepted', 'jammed': the verb stops something in flight (not 'shot three people')."""
    lemma = verb.lemma_.lower()
    return lemma in ("intercept", "jam") or any(c.lower_ == "down" for c in verb.children) or lemma == "down"


def choose_types(matches: list[Match]) -> list[tuple[str, Match]]:
    """The sub-event types a sentence reports, each with the trigger that anchors it."""
    matches = [m for m in matches if not _weapon_as_object(m)]
    matches = [m for m in matches if not _answered(m)] or matches
    cues = [m for m in matches if m.trigger.cue]
    events = [m for m in matches if not m.trigger.cue and not _talks_about(m) and not _not_yet(m)
              and _seized_goods(m) != "goods" and not _labour_strike(m) and not _boat_or_vehicle_stopped(m)]
    if not events or max(m.trigger.weight for m in events) <= 1:
        # "police fired tear gas at garment workers demanding higher wages, injuring dozens":
        # with only weak triggers around, the crowd-control cue is the event
        force = [c for c in cues if c.trigger.sub_event_type in _FORCE_CUES and c.trigger.weight >= 3]
        if force:
            return [(force[0].trigger.sub_event_type, force[0])]
        if not events:
            return _damage_only(cues)
    force = [c for c in cues if c.trigger.sub_event_type in _FORCE_CUES and c.trigger.weight >= 3]
    if force and events and all(m.trigger.sub_event_type in _CROWD_CONTROL for m in events):
        # "police fired tear gas to clear a blockade ... and detained 14 people": arrests and the clearing of a
        # crowd are the intervention in a protest (ACLED), not an event of their own
        return [(force[0].trigger.sub_event_type, force[0])]
    protest = _protest_type(events, cues)
    if protest is not None:
        anchor = _best([m for m in events if m.trigger.sub_event_type == "Peaceful protest"])
        return [(protest, anchor)]
    first = _best(_prefer_violent(events))
    chosen = [(_dropped_from_drone(first) or _takeover_type(first), first)]
    for m in sorted(events, key=lambda m: -m.trigger.weight):
        if len(chosen) == 2:
            break
        if m.trigger.weight >= 3 and _is_distinct(m, chosen):
            chosen.append((m.trigger.sub_event_type, m))
    return chosen


_TAKEOVER = {"Non-state actor overtakes territory", "Government regains territory"}
_NO_FIGHT = re.compile(r"\bwithout (?:a |any )?(?:fight|fighting|resistance|a shot (?:being )?fired|firing a shot|"
                       r"a battle|bloodshed|clashes)\b", re.I)


_DRONE_DROP = re.compile(r"\b(?:drop\w*|releas\w*)\b[^.]{0,80}\b(?:drones?|unmanned aerial|UAVs?|quadcopters?)\b|"
                         r"\b(?:drones?|UAVs?|quadcopters?)\b[^.]{0,40}\b(?:drop\w*|releas\w*)\b", re.I)


def _dropped_from_drone(m: Match) -> str | None:
    """'explosive devices dropped from drones onto homes': ACLED codes a drone-dropped bomb or grenade as an
    Air/drone strike, not an IED."""
    if m.trigger.sub_event_type in ("Remote explosive/landmine/IED", "Grenade") and _DRONE_DROP.search(m.head.doc.text):
        return "Air/drone strike"
    return None


_BRIEFLY = re.compile(r"\b(?:for (?:several|a few|some|about|nearly|almost|over|more than)?\s*(?:\w+ )?hours|briefly|"
                      r"temporarily|for a short time|for a while)\b", re.I)


def _takeover_type(m: Match) -> str:
    """'took control of the town without a fight': ACLED's non-violent transfer of territory; 'gunmen seized
    the headmaster': a person seized is abducted, not territory taken."""
    sub = m.trigger.sub_event_type
    if sub in _TAKEOVER and _NO_FIGHT.search(m.head.doc.text):
        return "Non-violent transfer of territory"
    if sub in _TAKEOVER and _seized_person(m):
        return "Abduction/forced disappearance"
    if sub in _TAKEOVER and _seized_goods(m) == "weapons":
        return "Disrupted weapons use"  # "police seized four rifles and a grenade" (ACLED: a weapons seizure)
    if sub in _TAKEOVER and _BRIEFLY.search(m.head.doc.text):
        return "Armed clash"  # "had taken control of the barracks for several hours": a raid, not territory held
    return sub


_PERSON = re.compile(r"^(?:man|woman|men|women|boy|girl|boys|girls|child|children|headmaster|headteacher|principal|"
                     r"teacher|teachers|priest|pastor|imam|chief|worker|workers|villagers?|civilians?|people|"
                     r"passengers?|students?|pupils?|farmers?|doctor|nurse|journalists?|engineers?|businessman|"
                     r"traders?|hostages?|tourists?|officials?|driver|drivers|son|daughter|wife|husband|"
                     r"missionar(?:y|ies)|nun|nuns)$", re.I)


def _seized_person(m: Match) -> bool:
    """True when the seizing verb's object is a person ('seized the headmaster of another school')."""
    verb = m.head if m.head.pos_ in ("VERB", "AUX") else m.head.head
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
    return obj is not None and bool(_PERSON.match(obj.lemma_) or _PERSON.match(obj.text))


_WEAPONS = {"weapon", "arm", "rifle", "gun", "ammunition", "munition", "explosive", "grenade", "bomb", "mine",
            "rocket", "missile", "drone", "pistol", "detonator"}
_GOODS = {"vehicle", "truck", "car", "motorcycle", "equipment", "cattle", "livestock", "goat", "cow", "goods",
          "money", "cash", "fuel", "food", "supply", "phone", "drug", "document", "material"}


def _seized_goods(m: Match) -> str | None:
    """'seized four rifles and a grenade': "weapons"; 'armoured vehicles it said it had seized': "goods" (things
    taken during an attack, not territory); None for a place or anything else."""
    if m.trigger.sub_event_type not in _TAKEOVER or m.head.pos_ not in ("VERB", "AUX"):
        return None
    verb = m.head
    things = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
    if not things:  # "vehicles it said it had seized": the noun a reduced relative clause hangs on
        doc = verb.doc
        things = [doc[i] for i in range(max(0, verb.i - 6), verb.i)
                  if doc[i].pos_ == "NOUN" and doc[i + 1].pos_ == "PRON" and doc[i + 1].dep_ == "nsubj"]
    lemmas = {t.lemma_.lower() for t in things}
    return "weapons" if lemmas & _WEAPONS else "goods" if lemmas & _GOODS else None


def _prefer_violent(events: list[Match]) -> list[Match]:
    """Operations and seizures give way to any violence reported with them."""
    violent = [m for m in events if m.trigger.event_type in VIOLENT_TYPES]
    absorbed = max((m.trigger.weight for m in events if m.trigger.sub_event_type in _ABSORBED), default=0)
    # "destroyed it in a controlled blast": a weak word does not absorb a sure disrupted-weapons trigger
    strategic = [m for m in events if m.trigger.sub_event_type not in _ABSORBED and m.trigger.weight >= absorbed]
    if violent:
        # "raided the village, killing four civilians and looting food": violence against people comes first
        harmed = any(v.trigger.event_type == "Violence against civilians" for v in violent)
        return violent + [m for m in events if m.trigger.weight > max(v.trigger.weight for v in violent)
                          and m.trigger.sub_event_type not in _ABSORBED
                          and not (harmed and m.trigger.sub_event_type == "Looting/property destruction")]
    return strategic or events


def _is_distinct(m: Match, chosen: list[tuple[str, Match]]) -> bool:
    """True when m reports a second event: a different family, not absorbed by the first."""
    families = {c.trigger.event_type for _, c in chosen}
    if m.trigger.event_type in families or m.trigger.sub_event_type in _ABSORBED:
        return False
    if m.trigger.sub_event_type in ("Attack", "Looting/property destruction", "Arrests"):
        return False
    return True
