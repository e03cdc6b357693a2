"""When two mentions of an article are one event: merging follow-up sentences into the story."""
from __future__ import annotations

import re

from eventcoder.dedup.rules import distance_km
from eventcoder.extract.choose import VIOLENT_TYPES
from eventcoder.extract.numbers import combine_tolls, replaced_figure, revised_toll, toll_side
from eventcoder.resolve.dates import is_speech_date

from eventcoder.vocab import Actor, Event, Mention, Place


_ANOTHER = re.compile(r"\b(?:another|separate(?:ly)?|elsewhere|second|third|a further|in a different)\b", re.I)


def merge_or_append(events: list[Event], ev: Event, m: Mention, ctx, may_start: bool = True) -> None:
    """Fold a mention's event into an earlier one when it is the same event, else add it.

    Follow-up sentences rarely repeat the place and day ("The blast also wounded
    11 people"), so a mention without its own place and time continues the story
    of the latest event of its kind; a weak trigger ("were killed") never starts
    a new event while an earlier one can take it.
    """
    own_place = _has_own_place(m, ctx)
    own_time = m.time is not None
    another = bool(_ANOTHER.search(m.sentence.text))
    for old in reversed(events):
        if _same_event(old, ev, m):
            _merge(old, ev)
            return
        if _names_the_weapon(old, ev, m):
            old.event_type, old.sub_event_type = ev.event_type, ev.sub_event_type
            old.score = ev.score
            _merge(old, ev)
            return
    if not another:
        target = _continues(events, ev, m, own_place, own_time)
        if target is not None:
            _merge(target, ev)
            return
    if not may_start:
        return
    if m.score <= 1 and not _can_stand_alone(ev, m, own_place or not events):
        return
    if not (own_place or own_time or m.fatalities is not None or _crowd_size(ev, m) or _sequel_fight(events, ev, m)):
        return  # a new event must say where, when or how many: "the blast happened in the kitchen" does not
    events.append(ev)


_COUNT = re.compile(r"\b(?:\d[\d,]*|hundreds?|thousands?|dozens|scores)\b", re.I)


def _crowd_size(ev: Event, m: Mention) -> bool:
    """'About a hundred residents gathered in the main square to protest': a crowd's size is a protest's 'how many'."""
    return ev.event_type in ("Protests", "Riots") and m.agent is not None and _COUNT.search(m.agent.text) is not None \
        and not _ARMED.search(m.agent.text)


_ARMED = re.compile(r"\b(?:armed|gunmen|fighters|militants|militiamen|soldiers|troops|police|officers|attackers)\b", re.I)


def _sequel_fight(events: list[Event], ev: Event, m: Mention) -> bool:
    """'Three gunmen then ran into the building, exchanging fire with guards and soldiers' after a bombing: a
    gunfight (a clear trigger, a side named) is an event of its own (ACLED codes the bomb and the clash), there
    and then."""
    return bool(events) and ev.sub_event_type == "Armed clash" and m.score >= 2 and not anaphoric(m) \
        and (ev.actor1 is not None or ev.actor2 is not None) and events[-1].event_type == "Explosions/Remote violence"


def _names_the_weapon(old: Event, ev: Event, m: Mention) -> bool:
    """'11 people were killed when militants bombed and stormed a hotel in Mogadishu' then 'a suicide bomber drove
    a minibus into the gate ... in Hodan district': a sure trigger with no day of its own types the weak lead event
    it tells in detail (same day, within a town), instead of starting a second event."""
    return old.score <= 1 and m.score >= 3 and m.time is None and ev.event_type in VIOLENT_TYPES \
        and old.event_type in VIOLENT_TYPES and old.event_date == ev.event_date and within(old.place, ev.place, 15.0) \
        and _same_attacker(old, ev)


def _same_attacker(old: Event, ev: Event) -> bool:
    """True unless the detail has another doer, or hits the lead's attackers ("a dozen assailants were killed in air
    strikes as they withdrew" after "militants attacked a base": the army's strikes, another event)."""
    a, b = old.actor1, ev.actor1
    if a is not None and b is not None and not _unidentified(a) and not _unidentified(b) and a.name != b.name:
        return False
    hit = ev.actor2
    return not (hit is not None and a is not None and (hit.name == a.name or hit.inter in (2, 3) and a.inter in (2, 3)))


def _has_own_place(m: Mention, ctx) -> bool:
    """True when the mention's sentence names a place that resolved."""
    return any((p.start, p.end) in ctx.places for p in m.places)


_FOLLOW_UP = {"Change to group/activity", "Disrupted weapons use", "Other", "Arrests"}
# "the attack", "this week's bombing"; not "reported that an air strike ...", where "that" opens a clause
_DEFINITE = re.compile(r"\b(?:the|this|these|those|that(?!\s+(?:a|an)\s))\s+"
                       r"(?:(?!(?:to|of|in|on|at|for|with|and|by|from)\s)\w+\s+){0,2}$", re.I)  # not "the square to protest"


def _continues(events: list[Event], ev: Event, m: Mention, own_place: bool, own_time: bool) -> Event | None:
    """The earlier event this mention continues, if any."""
    if not events:
        return None
    same_sub = [e for e in events if e.sub_event_type == ev.sub_event_type]
    if same_sub and anaphoric(m) and _WENT_ON.search(m.sentence.text):
        return same_sub[-1]  # "the fighting continued into Thursday along the river": the same fighting
    if same_sub and not own_time and not (ev.event_type in _DEMONSTRATIONS and own_place and _town(ev.place)
                                          and _elsewhere(m, ev, same_sub[-1])) \
            and not (own_place and not anaphoric(m) and _other_town(m, ev, same_sub[-1])):
        return same_sub[-1]  # (but "similar protests were held in Abuja and Kano": other towns, other protests;
        # "In Chornomorsk, south of Odesa, a drone hit an energy facility": another town, another strike)
    if own_place and own_time:
        return None
    here = [e for e in events if own_place and within(e.place, ev.place, 15.0)]
    if (m.score <= 1 or anaphoric(m)) and here and not own_time:
        return here[-1]  # "four port workers were killed in Hodeidah": the Hodeidah strike, not the last told
    if m.score <= 1 or anaphoric(m) and not (own_place and _town(ev.place) and _elsewhere(m, ev, events[-1])):
        return events[-1]  # "were killed", "the clashes", "the blast": the story so far ("In Eldoret, the
        # protests turned violent" after tear gas in Nairobi is the wave of protests reaching another town)
    if ev.sub_event_type in _FOLLOW_UP and not own_time and not _elsewhere(m, ev, events[-1]) \
            and not (ev.sub_event_type == "Arrests" and _LATER_ON.search(m.sentence.text)):
        return events[-1]  # reinforcements, arrests, seizures during the event just told (there, not elsewhere)
    same_family = [e for e in events if e.event_type == ev.event_type]
    if not own_place and not own_time:
        if same_family:
            return same_family[-1]
        if m.score < 3 and m.fatalities is None and m.agent is None:
            return events[-1]  # "explosions could be heard": part of the story, not a new event
    return None


_WENT_ON = re.compile(r"\b(?:continued|went on|lasted|raged|persisted|carried on|dragged on)\b", re.I)
# "Hours after the attack, police arrested two suspects": a later event of its own (ACLED codes the arrests)
_LATER_ON = re.compile(r"\b(?:hours|days?|later|after the (?:attack|shooting|killing|bombing|raid|blast))\b", re.I)


def _town(place: Place | None) -> bool:
    """True for a town or village (not a country or region named in passing)."""
    return place is not None and (place.feature_code or "").startswith("PPL")


_FROM = re.compile(r"\bfrom\s+(?:the\s+)?(?:\w+\s+of\s+)?$", re.I)


def _elsewhere(m: Mention, ev: Event, last: Event) -> bool:
    """True when the mention happens at a place of its own far from the last event ("a drone was shot down
    over Odesa" after fighting near Kostiantynivka); where something came from ("reinforcements sent from
    Kandi") is not where it happened."""
    if ev.place is None or ev.place.start is None or within(ev.place, last.place, 25.0):
        return False
    before = m.sentence.text[:max(0, ev.place.start - m.sentence.start)]
    return not _FROM.search(before[-30:])


def _other_town(m: Mention, ev: Event, last: Event) -> bool:
    """True when the mention names a town of its own, another than the last event's (ACLED codes each town)."""
    if not (_town(ev.place) and _town(last.place)) or ev.place.name == last.place.name \
            or within(ev.place, last.place, 3.0) or ev.place.start is None:
        return False
    if last.place.geo_precision > 1 and within(ev.place, last.place, 60.0):
        return False  # "on the front west of Marib", then "near the village of Sirwah": the spot itself
    before = m.sentence.text[:max(0, ev.place.start - m.sentence.start)]
    after = m.sentence.text[max(0, (ev.place.end or 0) - m.sentence.start):][:20]
    return not _FROM.search(before[-30:]) and not _PART_OF_TOWN.match(after)


# "the building in the Kyivskyi district": a part of the city told before, not another town
_PART_OF_TOWN = re.compile(r"\s+(?:district|neighbou?rhood|quarter|suburb|area|borough|sector|estate)\b", re.I)


def anaphoric(m: Mention) -> bool:
    """True when the trigger is a definite reference back ('the attack', 'the fighting')."""
    if m.trigger.text.split()[0].lower().endswith("ed"):
        return False  # "the rebels shelled": a verb with a subject, not "the shelling"
    before = m.sentence.text[:m.trigger.start - m.sentence.start]
    return bool(_DEFINITE.search(before[-30:]))


def _can_stand_alone(ev: Event, m: Mention, own_place: bool) -> bool:
    """A weak trigger makes an event only with its own place and a toll, a named side or a crowd's size."""
    named = bool((m.agent and ev.actor1 and ev.actor1.mention and ev.actor1.mention in m.agent.text)
                 or (m.target and ev.actor2 and ev.actor2.mention and ev.actor2.mention in m.target.text)
                 or (ev.event_type in VIOLENT_TYPES and ev.actor1 and ev.actor1.mention
                     and ev.actor1.mention in m.sentence.text and not ev.actor1.name.startswith(_GENERIC_SIDES)))
    return own_place and (m.fatalities is not None or named or _crowd_size(ev, m))  # "hundreds of farmers ..."


_TERRITORY = {"Government regains territory", "Non-state actor overtakes territory"}
_GENERIC_SIDES = ("Unidentified", "Civilians", "Protesters", "Rioters", "Military Forces", "Police Forces")


_DEMONSTRATIONS = {"Protests", "Riots"}


def _same_event(a: Event, b: Event, m: Mention) -> bool:
    """Same sub-event type, day and place; fighting for a town is part of taking it (ACLED); one day's
    demonstration in one town is one event, however its sentences type it or name its streets."""
    if a.event_type in _DEMONSTRATIONS and b.event_type in _DEMONSTRATIONS and a.event_date == b.event_date \
            and a.event_date is not None and within(a.place, b.place, 15.0):
        return True
    same_place = _same_place(a.place, b.place)
    if not (same_place and a.event_date == b.event_date):
        if not (_statement_day_of(a, b) or _statement_day_of(b, a)):
            return False
        if not same_place and not (a.sub_event_type == b.sub_event_type and _region_holds(a.place, b.place)):
            return False  # (a statement a day later about the strike "in Kanbalu township" told as "in Sagaing region")
    if a.sub_event_type == b.sub_event_type:
        return True
    # the fighting for a town and the other side's withdrawal from it are part of its capture
    return {a.sub_event_type, b.sub_event_type} <= _TERRITORY | {"Armed clash", "Change to group/activity"} and \
        bool({a.sub_event_type, b.sub_event_type} & _TERRITORY)


def within(a: Place | None, b: Place | None, km: float) -> bool:
    """True when two places are the same or their points lie within km of each other (same town)."""
    if _same_place(a, b):
        return a is not None
    if a is None or b is None or None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return False
    return distance_km(a.latitude, a.longitude, b.latitude, b.longitude) <= km


def _region_holds(a: Place | None, b: Place | None) -> bool:
    """True when one place is a first-level region the other lies in."""
    if a is None or b is None:
        return False
    return any(r.feature_code == "ADM1" and t.feature_code != "ADM1" and t.admin1 == r.name
               and t.country_code == r.country_code for r, t in ((a, b), (b, a)))


def _same_place(a: Place | None, b: Place | None) -> bool:
    """True when two places are the same gazetteer entry or the same name."""
    if a is None or b is None:
        return a is b
    return (a.geonameid is not None and a.geonameid == b.geonameid) or a.name == b.name


def _statement_day_of(a: Event, b: Event) -> bool:
    """True when a's date is only the day a statement about it was made ("the army said on Monday it had
    regained control of X") or a vague "overnight" in such a report, and b, at the same place, happened up to a
    week before: b dates a ("an overnight attack, leaders said on Tuesday" ... "late on Sunday night")."""
    if a.event_date is None or b.event_date is None or not 0 < (a.event_date - b.event_date).days <= 7:
        return False
    a_dates, b_dates = _speech_dated(a), _speech_dated(b)
    return bool(a_dates) and all(a_dates) and not any(b_dates)


_VAGUE_DAY = re.compile(r"^(?:overnight|last night|recently|in recent days)$", re.I)


def _speech_dated(ev: Event) -> list[bool]:
    """For each phrase that dates the event: whether it dates a statement ("said on Monday") or says only
    'overnight'."""
    return [is_speech_date(e.sentence, e.start - e.sentence_start) or bool(_VAGUE_DAY.match(e.text.strip()))
            for e in ev.evidence if e.field == "event_date"]


def _merge(into: Event, other: Event) -> None:
    """Combine two records of one event: keep the first's fields, fill gaps, keep all evidence."""
    if _statement_day_of(into, other):  # the other record says when it happened
        into.event_date, into.time_precision = other.event_date, other.time_precision
        into.evidence = [e for e in into.evidence if e.field != "event_date"]
    _merge_type(into, other)
    _merge_sides(into, other)
    if other.fatalities is not None and (other.event_type == into.event_type or other.score <= 1):
        _merge_toll(into, other)
    have = {(e.field, e.start) for e in into.evidence}
    for e in other.evidence:
        if e.field == "fatalities" and into.fatalities != other.fatalities:
            continue
        if (e.field, e.start) not in have and e.field not in {x.field for x in into.evidence} | {"mention"}:
            into.evidence.append(e)
        elif e.field == "mention":
            into.evidence.append(e)


def _merge_type(into: Event, other: Event) -> None:
    """What the other record says the event was: a riot, the fighting of an operation, the taking of a town."""
    if into.event_type == "Protests" and other.sub_event_type == "Violent demonstration" and _RIOTING.search(
            " ".join(e.text for e in other.evidence if e.field == "sub_event_type")):
        into.sub_event_type, into.event_type = other.sub_event_type, other.event_type  # protesters who vandalise or
        if into.actor1 is not None and into.actor1.inter == 6:  # throw stones riot (ACLED), police or not
            into.actor1 = Actor(into.actor1.name.replace("Protesters", "Rioters"), 5, into.actor1.country,
                                into.actor1.mention, into.actor1.start, into.actor1.end)
    if into.sub_event_type == "Change to group/activity" and other.event_type in ("Battles", "Explosions/Remote violence") \
            and (other.score >= 2 or other.fatalities):  # not "drones and infantry were searching caves"
        into.sub_event_type, into.event_type = other.sub_event_type, other.event_type  # an operation with fighting
        into.actor2 = into.actor2 or other.actor2  # is the fighting (ACLED)
    if other.sub_event_type in _TERRITORY and into.sub_event_type == "Armed clash":
        into.sub_event_type, into.event_type = other.sub_event_type, other.event_type
        into.actor1, into.actor2 = _known(other.actor1, into.actor1), _known(other.actor2, into.actor2)
    if into.sub_event_type in _TERRITORY and into.actor1 is not None and into.actor1.inter in (1, 8):
        into.sub_event_type = "Government regains territory"  # "the army liberated the town": whoever took it
    elif into.sub_event_type in _TERRITORY and into.actor1 is not None and into.actor1.inter in (2, 3, 4):
        into.sub_event_type = "Non-state actor overtakes territory"  # decides the sub-type, also after a merge


def _known(first: Actor | None, second: Actor | None) -> Actor | None:
    """The first side unless only the second is named ("the town was captured" adds no one to al-Shabaab)."""
    if first is None or (_unidentified(first) and second is not None and not _unidentified(second)):
        return second
    return first


def _merge_sides(into: Event, other: Event) -> None:
    """Sides the other record names better: police at a demonstration, the armed group the dead belonged to,
    a named side for an unidentified one."""
    if into.event_type in _DEMONSTRATIONS and other.event_type in _DEMONSTRATIONS and into.actor2 is None:
        into.actor2 = next((a for a in (other.actor2, other.actor1) if a is not None and a.inter == 1), None)
    if _armed_opponent(into, other):
        into.actor2 = other.actor2  # "three Palestinians were killed in a raid" + "troops exchanged fire with gunmen
        # of the Al-Quds Brigades": the dead were fighters of the side the troops fought
    if other.sub_event_type == into.sub_event_type:
        if _names_more(other, into):
            into.actor1, into.actor2 = other.actor1, other.actor2  # its order too: it says who did what
        else:
            into.actor1 = _side(into.actor1, other.actor1, into.actor2)
            into.actor2 = _side(into.actor2, other.actor2, into.actor1)


def _merge_toll(into: Event, other: Event) -> None:
    """The event's fatalities once the other record's figure is known (revisions, rival figures, sides)."""
    old_figure, new_figure = _superseded(into), _superseded(other)
    side = _revised_side(into, other)
    if side is not None:
        into.toll_parts[side] = other.fatalities  # "bringing the police death toll to five"
        into.fatalities = combine_tolls(into.toll_parts)
    elif into.fatalities is not None and _self_claimed(other):
        pass  # "the group said its fighters had killed dozens of soldiers": a perpetrator's claim, not a toll
    elif into.fatalities is not None and _unconfirmed(other):
        into.fatalities = min(into.fatalities, other.fatalities)  # "more than 50 died, but that figure could not
        # be confirmed": a rival estimate, and ACLED keeps the most conservative one
    elif into.fatalities is None or (old_figure and not new_figure) or _revises(other):
        into.fatalities = other.fatalities  # "police had initially reported six dead": a later figure wins
        into.toll_parts = dict(other.toll_parts)
        into.evidence = [e for e in into.evidence if e.field != "fatalities"]
    elif not new_figure or old_figure:
        into.fatalities = _combine_tolls(into, other)


# What protesters themselves do that makes a riot (not "rioters" an official blames, not "riot police")
_RIOTING = re.compile(r"\b(?:vandal\w*|threw|throw\w*|hurl\w*|pelt\w*|ston\w*|brick\w*|set fire|set ablaze|torch\w*|"
                      r"smash\w*|burn\w*|loot\w*|ransack\w*)", re.I)


def _armed_opponent(into: Event, other: Event) -> bool:
    """True when the other record is a clash of the same attacker with a named armed group, and the first record
    only knew the victims as civilians."""
    a, b = into.actor2, other.actor2
    return other.sub_event_type == "Armed clash" and a is not None and a.inter == 7 and b is not None \
        and _armed_group(b) and not _unidentified(b) and into.actor1 is not None and not _unidentified(into.actor1) \
        and other.actor1 is not None and into.actor1.name == other.actor1.name


def _side(have: Actor | None, other: Actor | None, opposite: Actor | None) -> Actor | None:
    """One side of a merged event: the first record's, unless it is missing or unidentified and the other
    record names the side ("fighting between two armed groups ... pitted the Special Deterrence Force
    against ..."); a name already on the opposite side is not taken twice."""
    if other is None or (opposite is not None and other.name == opposite.name):
        return have
    if have is None or (_unidentified(have) and not _unidentified(other) and _armed_group(other)):
        return other
    return have


def _names_more(other: Event, into: Event) -> bool:
    """True when the other record names both sides, including every side the first record names, and the
    first leaves one unnamed ("Palestinians were killed in an Israeli raid" + "Israeli troops exchanged
    fire with gunmen of the Al-Quds Brigades")."""
    theirs = [a for a in (other.actor1, other.actor2) if a is not None and not _unidentified(a)]
    ours = [a for a in (into.actor1, into.actor2) if a is not None and not _unidentified(a)]
    known = {a.name for a in ours}
    return len(theirs) == 2 and len(ours) < 2 and known <= {a.name for a in theirs} \
        and all(_armed_group(a) for a in theirs if a.name not in known)


def _armed_group(actor: Actor) -> bool:
    """A rebel, political or identity militia (ACLED inter 2-4): what an unidentified armed group turns out to
    be. Police reporting the toll or civilians are not who the gunmen were."""
    return actor.inter in (2, 3, 4)


def _unidentified(actor: Actor) -> bool:
    return actor.name.startswith("Unidentified")


def _revises(ev: Event) -> bool:
    """True when the event's figure comes from a sentence revising a toll ("the ministry put the toll at six")."""
    return any(revised_toll(e.sentence) is not None for e in ev.evidence if e.field == "fatalities")


def _revised_side(into: Event, other: Event) -> str | None:
    """The side whose toll the other record revises, when the event counts several sides."""
    if len(into.toll_parts) < 2:
        return None
    for e in other.evidence:
        count = revised_toll(e.sentence) if e.field == "fatalities" else None
        side = toll_side(e.sentence, count) if count is not None else None
        if side in into.toll_parts:
            return side
    return None


_UNCONFIRMED = re.compile(r"\b(?:could not|cannot|can ?not|was not|has not been|have not been|could not be)\s+"
                          r"(?:be\s+)?(?:independently\s+)?(?:confirmed|verified)\b|\bunconfirmed\b|\bunverified\b|"
                          r"\b(?:dismissed|denied|rejected) (?:it )?as (?:propaganda|false|exaggerated|lies)\b", re.I)


_CLAIMS_KILLS = re.compile(r"\b(?:its|their) (?:fighters|militants|men|forces|members|units)\b[^.;]{0,80}?\bkill|"
                           r"\b(?:it|they) (?:had |has |have )?killed\b|\bclaim\w* (?:to have|it had|they had) killed\b",
                           re.I)


def _self_claimed(ev: Event) -> bool:
    """True when the event's figure is what the attackers say they killed."""
    sentences = [e.sentence for e in ev.evidence if e.field == "fatalities"]
    return bool(sentences) and all(_CLAIMS_KILLS.search(s) for s in sentences)


def _unconfirmed(ev: Event) -> bool:
    """True when the event's figure comes from a sentence saying it could not be confirmed."""
    sentences = [e.sentence for e in ev.evidence if e.field == "fatalities"]
    return bool(sentences) and all(_UNCONFIRMED.search(s) for s in sentences)


def _superseded(ev: Event) -> bool:
    """True when the event's fatality figure comes from a sentence saying it was an earlier, replaced figure."""
    sentences = [e.sentence for e in ev.evidence if e.field == "fatalities"]
    return bool(sentences) and all(replaced_figure(s) for s in sentences)


def _combine_tolls(into: Event, other: Event) -> int:
    """Two figures for one event: the same side's figures give the lower one (ACLED's conservative
    rule), different sides add up ("five soldiers ... nine attackers died")."""
    if not into.toll_parts or not other.toll_parts:
        return min(into.fatalities or 0, other.fatalities or 0) if into.fatalities and other.fatalities else \
            max(into.fatalities or 0, other.fatalities or 0)
    for side, n in other.toll_parts.items():
        into.toll_parts[side] = min(into.toll_parts[side], n) if side in into.toll_parts and n else \
            max(into.toll_parts.get(side, 0), n)
    return combine_tolls(into.toll_parts) or 0
