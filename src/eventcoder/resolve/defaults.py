"""ACLED's default actors when a report names none (protesters protest, rioters riot)."""
from __future__ import annotations

from eventcoder.resolve.actors import ActorDictionary
from eventcoder.vocab import Actor

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
