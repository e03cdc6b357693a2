"""ACLED's default actors when a report names none (protesters protest, rioters riot)."""
from __future__ import annotations

import re

from eventcoder.resolve.actors import ActorDictionary
from eventcoder.nlp import split_sentences
from eventcoder.vocab import Actor, Event, Evidence

# sub-event type -> (default actor1 phrase, default actor2 phrase); phrases resolve
# through the actor dictionary so they get the country-qualified generic names.
_DEFAULTS: dict[str, tuple[str | None, str | None]] = {
    "Peaceful protest": ("protesters", None),
    "Protest with intervention": ("protesters", "police"),
    "Excessive force against protesters": ("protesters", "police"),
    "Violent demonstration": ("rioters", None),
    "Mob violence": ("rioters", "civilians"),
    "Attack": ("gunmen", "civilians"),
    "Abduction/forced disappearance": ("gunmen", "civilians"),
    "Sexual violence": ("gunmen", "civilians"),
    "Armed clash": ("gunmen", None),
    "Arrests": ("police", None),
    "Looting/property destruction": ("gunmen", "civilians"),
    "Remote explosive/landmine/IED": ("gunmen", None),
    "Suicide bomb": ("gunmen", None),
    "Grenade": ("gunmen", None),
}
# Sub-types ACLED codes with one side only.
_ONE_SIDED = {"Change to group/activity", "Other", "Headquarters or base established"}
# Sub-types where actor1 must be of one ACLED type (the default replaces any other).
_ACTOR1_TYPE = {"Peaceful protest": 6, "Protest with intervention": 6, "Violent demonstration": 5,
                "Excessive force against protesters": 6}
# Violence where the attacker is never coded as "Civilians": an unknown individual is an unidentified armed actor.
_ARMED_ATTACKER = {"Armed clash", "Attack", "Abduction/forced disappearance", "Sexual violence", "Grenade",
                   "Remote explosive/landmine/IED", "Suicide bomb", "Shelling/artillery/missile attack",
                   "Air/drone strike", "Chemical weapon", "Looting/property destruction"}


# Sub-event types where a government acts through its armed forces: ACLED codes "government aircraft
# bombed X" as Military Forces of the country; "Government of X" is for agreements and the like.
_FORCE_USED = {"Armed clash", "Government regains territory", "Non-state actor overtakes territory",
               "Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
               "Grenade", "Attack", "Abduction/forced disappearance", "Sexual violence",
               "Excessive force against protesters", "Disrupted weapons use"}


def _as_forces(actor: Actor | None, actors: ActorDictionary, country: str | None) -> Actor | None:
    """'Government of X' as the doer or target of force: X's military forces."""
    if actor is None or not actor.name.startswith("Government of"):
        return actor
    forces = actors.resolve("army", actor.country or country)
    if forces is None:
        return actor
    return Actor(forces.name, forces.inter, forces.country, actor.mention, actor.start, actor.end)


def default_actors(sub: str, actors: ActorDictionary, a1: Actor | None, a2: Actor | None,
                   country: str | None) -> tuple[Actor | None, Actor | None]:
    """Fill missing actors the way ACLED's coders do for this sub-event type."""
    if sub in _FORCE_USED:
        a1, a2 = _as_forces(a1, actors, country), _as_forces(a2, actors, country)
    d1, d2 = _DEFAULTS.get(sub, (None, None))
    want = _ACTOR1_TYPE.get(sub)
    if want is not None and (a1 is None or a1.inter != want):
        if a2 is not None and a2.inter == want:
            a1, a2 = a2, a1  # "police fired on protesters": the protesters are actor1 (ACLED)
        elif a1 is not None and a1.inter in (1, 8) and (a2 is None or a2.inter == 7):
            a1, a2 = None, a1  # police dispersing the crowd: the crowd are the protesters, police actor2
        else:
            a1 = None
    if sub in _ARMED_ATTACKER and a1 is not None and a1.inter == 7:
        a1 = None
    if a1 is None and d1:
        a1 = actors.resolve(d1, country)
    if a2 is None and d2 and sub not in ("Armed clash",):
        a2 = actors.resolve(d2, country)
    if a1 is not None and a2 is not None and a1.name == a2.name and a1.inter != 7:
        a2 = None
    if sub in _ONE_SIDED or (sub in ("Violent demonstration", "Mob violence") and a2 is not None and a2.inter == 6):
        a2 = None  # rioters are not coded against the protesters they came from
    return a1, a2


_REMOTE = "Explosions/Remote violence"


def strike_attackers(text: str, events: list[Event], actors: ActorDictionary) -> None:
    """Air strikes whose report names no attacker: the state forces the story names ("a drone hit a warehouse"
    after a Russian missile strike on Kyiv; "killed in air strikes as they withdrew" after jihadists attacked a
    Malian base). Only states fly most aircraft, but armed groups fly drones too, so an attacker is taken only
    from the article's other air, missile or shelling events, the one foreign force it names, or the country's
    own forces when the strike hit an armed group."""
    for ev in [e for e in events if e.sub_event_type == "Air/drone strike" and e.actor1 is None]:
        country = ev.place.country_code if ev.place is not None else None
        peers = {e.actor1.name: e.actor1 for e in events if e is not ev and e.event_type == _REMOTE
                 and e.actor1 is not None and e.actor1.inter in (1, 8)}
        hit_armed = ev.actor2 is not None and ev.actor2.inter in (2, 3, 4)
        if not hit_armed:  # the forces that sent missiles at Kyiv did not send the drones that hit Saratov
            peers = {n: a for n, a in peers.items() if a.country != country}
        forces: dict[str, Actor] = {}
        for a in actors.find_all(text, country, generics=True):
            if a.inter in (1, 8) and a.name.startswith("Military Forces"):
                forces.setdefault(a.name, a)  # the first mention names it best
        if ev.actor2 is not None:
            forces.pop(ev.actor2.name, None)
        foreign = [a for a in forces.values() if a.inter == 8]
        own = [a for a in forces.values() if a.inter == 1]
        if len(peers) == 1:
            ev.actor1 = next(iter(peers.values()))
        elif len(foreign) == 1:
            ev.actor1 = foreign[0]
        elif not foreign and len(own) == 1 and hit_armed:
            ev.actor1 = own[0]
        if ev.actor1 is not None and ev.actor1.start is not None:
            ev.evidence.append(_evidence_at(text, "actor1", ev.actor1))  # where the story names the attacker


def _evidence_at(text: str, field: str, actor: Actor) -> Evidence:
    """Evidence for an actor named somewhere in the article, with the sentence it is named in."""
    sent = next((s for s in split_sentences(text) if s.start <= actor.start < s.end), None)
    start, end = (sent.start, sent.end) if sent is not None else (actor.start, actor.end)
    return Evidence(field, text[actor.start:actor.end], actor.start, actor.end, text[start:end], start, end)


_AIR_DEFENCE = re.compile(r"\bair[- ]defen[cs]es?\b|\bintercept\w*|\bshot down\b|\bdowned\b", re.I)


def interceptors(events: list[Event], actors: ActorDictionary) -> None:
    """'Air defences destroyed 17 Ukrainian drones over the Krasnodar region': the defenders of the place
    disrupted the foreign force's weapons, so they are actor1 and the drones' side actor2 (the sentence's
    grammar often gives the drones' owner first)."""
    for ev in events:
        country = ev.place.country_code if ev.place is not None else None
        foreign = [a for a in (ev.actor1, ev.actor2) if a is not None and a.inter in (1, 8)
                   and a.country not in (None, country)]
        if ev.sub_event_type != "Disrupted weapons use" or not country or not foreign \
                or (ev.actor1 is not None and ev.actor1 is not foreign[0]):
            continue  # (a named defender stays)
        if not any(_AIR_DEFENCE.search(e.sentence) for e in ev.evidence if e.field == "mention"):
            continue
        own = actors.resolve("soldiers", country)
        if own is not None and own.name != foreign[0].name:
            ev.actor1, ev.actor2 = Actor(own.name, own.inter, own.country), foreign[0]

