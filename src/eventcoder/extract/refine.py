"""Re-type a mention once its actors are known (ACLED's actor-dependent distinctions).

- Killing or attacking armed people is fighting (Armed clash); attacking
  civilians is Violence against civilians / Attack.
- Detention by state forces is Arrests; by anyone else, Abduction.
- Taking a place is Government regains territory for state forces and
  Non-state actor overtakes territory for others; taking people is an arrest
  or abduction.
"""
from __future__ import annotations

import re

from eventcoder.vocab import Actor

_ARMED = {1, 2, 3, 4, 8}
_STATE = {1, 8}
_MOB_CAN_BE = {"Attack", "Armed clash", "Abduction/forced disappearance", "Non-state actor overtakes territory",
               "Sexual violence"}  # a state's own forces, and foreign state forces (inter 8 abroad)
_PLACE_WORDS = re.compile(
    r"\b(?:towns?|villages?|city|cities|districts?|areas?|neighbou?rhoods?|bases?|airports?|hills?|"
    r"checkpoints?|provinces?|regions?|territory|territories|positions?|border crossings?|outposts?|camps?|"
    r"roads?|highways?|bridges?|dams?|oil fields?|ports?|islands?|valleys?|mountains?|outskirts|"
    r"control|strongholds?|garrisons?|barracks|headquarters|compound)\b", re.I)
_PERSONS = re.compile(
    r"\b(?:people|persons?|men|man|women|woman|children|child|boys?|girls?|members?|fighters?|soldiers?|troops|"
    r"officers?|policem[ae]n|civilians?|villagers?|residents?|farmers?|students?|workers?|commanders?|leaders?|"
    r"chiefs?|officials?|suspects?|hostages?|militants?|rebels?|insurgents?|gunmen|journalists?|activists?|"
    r"traders?|passengers?|herders?|priests?|teachers?|doctors?|nurses?|staff|crew|family|families|victims?|"
    r"him|her|them|sons?|daughters?|wives|wife|husbands?|brothers?|sisters?|pilgrims|worshipp?ers|shepherds|"
    r"\w+ists|\w+ers)\b", re.I)
_GOODS = re.compile(r"\b(?:rifles?|weapons?|arms|ammunition|explosives|guns?|rockets?|drones?|mortars?|"
                    r"grenades?|bomb-making|ied components|caches?|drugs|vehicles?|trucks?|cars?|cash|money)\b", re.I)
_EVENT_TYPE = {
    "Armed clash": "Battles", "Attack": "Violence against civilians",
    "Arrests": "Strategic developments", "Abduction/forced disappearance": "Violence against civilians",
    "Government regains territory": "Battles", "Non-state actor overtakes territory": "Battles",
    "Mob violence": "Riots", "Disrupted weapons use": "Strategic developments",
    "Looting/property destruction": "Strategic developments",
}
MILITARY_SITE = re.compile(r"\b(?:base|barracks|garrison|outpost|checkpoint|military post|army post|"
                           r"position|convoy|patrol|police station|police post|police headquarters|"
                           r"police compound|police checkpoint|roadblock|military camp|military unit|army unit|(?:military |army )?detachment|"
                           r"unit of (?:the )?(?:army|operation|forces|battalion)|reconnaissance mission)s?\b", re.I)


def event_type_of(sub: str, default: str) -> str:
    """The ACLED event type of a sub-event type this module may switch to."""
    return _EVENT_TYPE.get(sub, default)


# Party crowds, not armed groups: their brawls are mob violence unless guns are used
_PARTISANS = re.compile(r"\b(?:supporters|activists|cadres|followers|partisans|loyalists)\s+of\s+"
                        r"(?:the\s+)?(?:two\s+)?(?:rival\s+)?(?:\w+\s+){0,3}?(?:part(?:y|ies)|factions?|camps?|"
                        r"candidates?|leaders?|unions?)\b|\b(?:rival|party)\s+(?:supporters|activists|cadres)\b", re.I)
_FIREARMS = re.compile(r"\b(?:gun\w*|rifles?|pistols?|firearms?|shot|shoot\w*|fire\w*|bullets?|gunfire|grenades?|"
                       r"explosives?|bombs?)\b", re.I)
_DEFENDERS_LEAVE = re.compile(
    r"\b(?:forc\w+|made|making) (?:the )?(?:garrison|troops|soldiers|army|police|defenders|forces|government forces)"
    r"\w* to (?:withdraw|retreat|flee|pull (?:out|back)|abandon)|"
    r"\b(?:garrison|troops|soldiers|defenders) (?:withdrew|retreated|fled|abandoned)", re.I)


def refine_type(sub: str, actor1: Actor | None, actor2: Actor | None,
                target_text: str | None, target_is_place: bool, sentence: str = "") -> str | None:
    """The sub-event type after applying the actor-dependent rules (None: no event after all)."""
    if actor1 is not None and actor1.inter == 5 and sub in _MOB_CAN_BE:
        return "Mob violence"  # a crowd that attacks, seizes or kills people (ACLED)
    if sub == "Armed clash" and _PARTISANS.search(sentence) and not _FIREARMS.search(sentence) \
            and (actor1 is None or actor1.inter not in _STATE):
        return "Mob violence"  # "supporters of two rival party factions clashed with sticks and machetes" (ACLED)
    if sub in ("Attack", "Armed clash"):
        if actor1 is not None and actor1.inter not in _STATE and _DEFENDERS_LEAVE.search(sentence):
            return "Non-state actor overtakes territory"  # the defenders left the position
        return _attack_or_clash(sub, actor1, actor2)
    if sub in ("Arrests", "Abduction/forced disappearance"):
        if actor1 is not None and actor1.inter in _STATE and sub == "Abduction/forced disappearance":
            return sub  # state forced disappearance stays an abduction (ACLED)
        if actor1 is not None and actor1.inter not in _STATE and sub == "Arrests":
            return "Abduction/forced disappearance"
        return sub
    if sub in ("Government regains territory", "Non-state actor overtakes territory"):
        if _INSIDE_A_BUILDING.search(sentence or "") and not target_is_place:
            return None  # "soldiers entered the pavilion and regained control": the end of a riot, not territory
        return _territory(sub, actor1, target_text, target_is_place)
    if sub == "Non-violent transfer of territory" and target_text and not target_is_place \
            and not _PLACE_WORDS.search(target_text):
        return None  # "suspects were handed over to investigators": people, not territory
    return sub


_INSIDE_A_BUILDING = re.compile(r"\b(?:prisons?|jails?|penitentiar(?:y|ies)|pavilions?|cell ?blocks?|detention (?:centre|center)|"
                                r"hotels?|hospitals?|schools?|compounds?|buildings?|stadiums?|mosques?|churches?|"
                                r"factory|factories|refinery|campus)\b", re.I)


def _attack_or_clash(sub: str, actor1: Actor | None, actor2: Actor | None) -> str:
    """Armed clash when both sides are armed, Attack when the target is civilian, Mob violence for rioters."""
    if actor1 is not None and actor1.inter == 5:
        return "Mob violence"
    if actor2 is not None and actor2.inter == 7:
        return "Attack"
    if actor2 is not None and actor2.inter in _ARMED and (actor1 is None or actor1.inter in _ARMED):
        return "Armed clash"
    if actor1 is not None and actor1.inter == 7 and actor2 is not None and actor2.inter in _ARMED:
        return "Armed clash"
    return sub


def _territory(sub: str, actor1: Actor | None, target_text: str | None, target_is_place: bool) -> str:
    """Who took the place decides the sub-type; taking people is an arrest or abduction."""
    head = re.split(r"\b(?:of|in|at|near|from|with|who|which)\b", target_text or "")[0]
    if head and _GOODS.search(head) and not _PLACE_WORDS.search(head):
        state = actor1 is not None and actor1.inter in _STATE
        return "Disrupted weapons use" if state else "Looting/property destruction"
    is_place = target_is_place or bool(head and _PLACE_WORDS.search(head))
    state = actor1 is not None and actor1.inter in _STATE
    if target_text and not is_place and _PERSONS.search(head or ""):
        return "Arrests" if state else "Abduction/forced disappearance"
    if actor1 is None:
        return sub
    return "Government regains territory" if state else "Non-state actor overtakes territory"
