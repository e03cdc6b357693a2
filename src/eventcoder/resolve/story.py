"""The story after an event: later sentences of the article that complete or revise it (a revised toll,
"no one was killed", tear gas at a protest, a killing at a protest) and summary lines told again in full."""
from __future__ import annotations

import re

from eventcoder.extract.choose import VIOLENT_TYPES
from eventcoder.extract.numbers import combine_tolls, revised_toll, rival_toll, toll_side, zero_statement
from eventcoder.nlp import split_sentences
from eventcoder.resolve.actors import ActorDictionary
from eventcoder.resolve.layout import breaks, heading_between
from eventcoder.resolve.merge import within
from eventcoder.vocab import Article, Event, Evidence, Place


_INTERVENTION = re.compile(r"\b(?:tear[ -]?gas|water[ -]cannons?|rubber bullets|batons?|baton[ -]charged?|"
                           r"stun grenades?|pepper spray|dispers(?:e|ed|ing) (?:the |a )?(?:crowds?|protesters|"
                           r"demonstrators|rally|march|gathering|sit-in)|broke up (?:the )?(?:protest|rally|march))\b",
                           re.I)


def merge_undated_twins(events: list[Event]) -> None:
    """A summary line ('- Drone strike on livestock market in El Obeid kills 12') and the dated account of the same
    event later ('On 9 November, a drone strike hit the market in El Obeid'): one event, on the stated day."""
    def dated(e: Event) -> bool:
        return any(x.field == "event_date" for x in e.evidence)

    for ev in [e for e in events if not dated(e)]:
        twin = next((o for o in events if o is not ev and dated(o) and o.sub_event_type == ev.sub_event_type
                     and o.place is not None and ev.place is not None and o.place.name == ev.place.name), None)
        if twin is None:
            continue
        twin.actor1, twin.actor2 = twin.actor1 or ev.actor1, twin.actor2 or ev.actor2
        twin.fatalities = twin.fatalities if twin.fatalities is not None else ev.fatalities
        twin.evidence.extend(x for x in ev.evidence if x.field == "mention")
        events.remove(ev)


# An operation, not a deployment: troops sent to a town after a clash are an event of their own (ACLED)
_OPERATION = re.compile(r"\b(?:operations?|offensives?|sweeps?|raids?|crackdowns?|search)\b", re.I)


def operation_with_fighting(events: list[Event]) -> None:
    """'Security forces conducted an operation in Miranshah ... seven militants were killed in an exchange of fire':
    an operation in which fighting is reported is the fighting (ACLED), so the operation is no event of its own."""
    for op in [e for e in events if e.sub_event_type == "Change to group/activity" and _OPERATION.search(
            " ".join(x.text for x in e.evidence if x.field == "sub_event_type"))]:
        fight = next((e for e in events if e.event_type in ("Battles", "Explosions/Remote violence")
                      and _same_time_and_place(e, op)), None)
        if fight is None:
            continue
        side = op.actor1
        if fight.actor2 is None and side is not None and (fight.actor1 is None or fight.actor1.name != side.name):
            fight.actor2 = side
        fight.evidence.extend(x for x in op.evidence if x.field == "mention")
        events.remove(op)


def _same_time_and_place(a: Event, b: Event) -> bool:
    """True when two events are on the same or the next day at the same place (by name or within 25 km)."""
    if a.event_date is None or b.event_date is None or abs((a.event_date - b.event_date).days) > 1:
        return False
    return within(a.place, b.place, 25.0)


_PROTESTS = {"Peaceful protest", "Protest with intervention"}


def killed_at_protest(events: list[Event], actors: ActorDictionary) -> None:
    """'Police fired tear gas at protesters ... A 19-year-old was shot dead.': a killing by an unnamed hand told
    right after a protest, on its day and at its place, is force against the protest, not a separate attack; after
    a riot it is the riot's toll."""
    for ev in [e for e in events if e.sub_event_type in _PROTESTS or e.sub_event_type == "Violent demonstration"]:
        last = max(e.sentence_end for e in ev.evidence if e.field == "mention")
        for other in [e for e in events if e.sub_event_type == "Attack" and e.fatalities]:
            first = min(e.sentence_start for e in other.evidence if e.field == "mention")
            unnamed = other.actor1 is None or other.actor1.name.startswith("Unidentified") or other.actor1.inter == 1
            if 0 <= first - last <= 2 and unnamed and other.event_date == ev.event_date \
                    and other.place is not None and ev.place is not None and other.place.name == ev.place.name:
                if ev.sub_event_type in _PROTESTS:  # a riot stays a riot, with its dead (ACLED)
                    ev.sub_event_type = "Excessive force against protesters"  # still a Protests event (ACLED)
                ev.fatalities = other.fatalities
                if ev.actor2 is None:
                    ev.actor2 = actors.resolve("police", ev.place.country_code)
                ev.evidence.extend(e for e in other.evidence if e.field in ("mention", "fatalities"))
                events.remove(other)
                break


def intervention_after(article: Article, events: list[Event], actors: ActorDictionary) -> None:
    """'Police fired tear gas to disperse the crowd.' in the next two sentences after a peaceful protest, in a
    sentence no other event was coded from: the protest was met with intervention (ACLED), by the police
    unless the report names who intervened."""
    coded = _coded_sentences(events)
    for ev in events:
        if ev.sub_event_type != "Peaceful protest":
            continue
        own = [(e.sentence, e.sentence_start, e.sentence_end) for e in ev.evidence if e.field == "mention"]
        for text, start, stop in own + _story_after(article, ev, coded, 2, 600):
            cue = _INTERVENTION.search(text)
            if cue is not None:
                ev.sub_event_type = "Protest with intervention"
                if ev.actor2 is None:
                    ev.actor2 = actors.resolve("police", ev.place.country_code if ev.place else None)
                at = start + cue.start()
                ev.evidence.append(Evidence("sub_event_type", cue.group(0), at, at + len(cue.group(0)),
                                            text, start, stop))
                break


def revisions_after(article: Article, events: list[Event]) -> None:
    """'The death toll later rose to seven.' within three sentences after an event's last sentence, in a
    sentence no event was coded from: the event's fatalities become the revised figure."""
    coded = _coded_sentences(events)
    for ev in events:
        if ev.event_type == "Strategic developments" or ev.fatalities is None:
            continue
        for text, start, stop in _story_after(article, ev, coded, 3, 900):
            count = revised_toll(text)
            if count is not None:
                side = toll_side(text, count)
                if side and len(ev.toll_parts) > 1 and side in ev.toll_parts:
                    ev.toll_parts[side] = count.value  # "the police death toll rose to five": one side's
                    ev.fatalities = combine_tolls(ev.toll_parts)
                else:
                    ev.fatalities = count.value
                _toll_evidence(ev, count, text, start, stop)
                break


# "The strike hit Kyaung Taung village, north of Kanbalu", "The attack took place in Gbajimba": where it happened
_LOCATING = re.compile(r"^\W*(?:The|This|That)\s+(?:[\w-]+\s+){0,2}?(?:strike|airstrike|attack|bombing|blast|explosion|"
                       r"raid|ambush|assault|shelling|fighting|clash(?:es)?|incident|massacre|killings?|bomb)\s+"
                       r"(?:[\w-]+\s+){0,2}?(?:hit|struck|targeted|took place|happened|occurred|was carried out|"
                       r"tore through|unfolded)\b", re.I)


def place_after(article: Article, events: list[Event], places: dict[tuple[int, int], Place]) -> None:
    """A region- or country-level place made precise by the next sentences ("... in northern Sagaing region on
    Tuesday. The strike hit a village about 10 miles north of Kanbalu town."): a town inside the region, named in
    a sentence that says where the event happened, is where ACLED codes it."""
    for ev in events:
        if ev.place is None or ev.place.geo_precision < 3:
            continue
        others = _coded_sentences([e for e in events if e is not ev])
        first = min(e.sentence_end for e in ev.evidence if e.field == "mention")
        for sent in split_sentences(article.text[first:first + 900])[:3]:
            text, start, stop = sent.text, first + sent.start, first + sent.end
            if start in others:
                break  # another event's sentence: the story has moved on
            inside = [p for (a, _), p in sorted(places.items()) if start <= a < stop and _inside(p, ev.place)]
            if _LOCATING.search(text) and inside:
                ev.place = inside[0]
                ev.evidence = [e for e in ev.evidence if e.field != "location"]
                ev.evidence.append(Evidence("location", inside[0].text or inside[0].name, inside[0].start or start,
                                            inside[0].end or start, text, start, stop))
                break


def _inside(place: Place, region: Place) -> bool:
    """True when a town-level place lies in the region (a country, or a first-level region by name)."""
    if place.geo_precision >= 3 or place.country_code != region.country_code:
        return False
    return not (region.feature_code or "").startswith("ADM") or place.admin1 == region.admin1


def revisions_named(article: Article, events: list[Event]) -> None:
    """'13:45 - Dnipro toll rises to five' in a live blog, above or below the entry that told the strike: a toll
    revision in a sentence no event was coded from that names the place of exactly one violent event is its
    new toll."""
    coded = _coded_sentences(events)
    for sent in split_sentences(article.text):
        count = revised_toll(sent.text) if sent.start not in coded else None
        if count is None:
            continue
        named = [ev for ev in events if ev.event_type in VIOLENT_TYPES and ev.place is not None
                 and any(re.search(rf"\b{re.escape(name)}\b", sent.text) for name in {ev.place.name, ev.place.text} if name)]
        if len(named) == 1 and named[0].fatalities != count.value:
            named[0].fatalities = count.value
            _toll_evidence(named[0], count, sent.text, sent.start, sent.end)


def rival_after(article: Article, events: list[Event]) -> None:
    """'We have counted 18 bodies,' he said. The administrator put the toll at 14.': a lower rival estimate in
    the three sentences (besides the event's own) after the one that gave an event's toll becomes its toll (ACLED's
    conservative figure)."""
    coded, starts = _coded_sentences(events), breaks(article)
    for ev in events:
        tolls = [e for e in ev.evidence if e.field == "fatalities"]
        if not ev.fatalities or len(tolls) != 1 or len(ev.toll_parts) > 1:
            continue
        own = {e.sentence_start for e in ev.evidence if e.field == "mention"}
        end, left = tolls[0].sentence_end, 3
        for sent in split_sentences(article.text[end:end + 1500]):
            if end + sent.start in coded - own or left == 0 or heading_between(end, end + sent.start, starts):
                break  # another event's sentence: the story has moved on
            left -= end + sent.start not in own  # the event's own sentences do not count
            rival = rival_toll(sent.text)
            if rival is not None and rival.value < ev.fatalities:
                ev.fatalities = rival.value
                _toll_evidence(ev, rival, sent.text, end + sent.start, end + sent.end)
                break


def _toll_evidence(ev: Event, count, sentence: str, start: int, stop: int) -> None:
    """Make a figure in the sentence at [start, stop) the event's only fatalities evidence."""
    at = start + count.start
    ev.evidence = [e for e in ev.evidence if e.field != "fatalities"]
    ev.evidence.append(Evidence("fatalities", count.text, at, at + len(count.text), sentence, start, stop))


def _coded_sentences(events: list[Event]) -> set[int]:
    """Start offsets of the sentences some event was coded from."""
    return {e.sentence_start for ev in events for e in ev.evidence if e.field == "mention"}


def _story_after(article: Article, ev: Event, coded: set[int], count: int, chars: int) -> list[tuple[str, int, int]]:
    """Up to ``count`` sentences (text, start, end) after the event's last sentence, stopping at a sentence
    another event was coded from: where the story of this event goes on."""
    end = max(e.sentence_end for e in ev.evidence if e.field == "mention")
    out = []
    starts = breaks(article)
    for sent in split_sentences(article.text[end:end + chars])[:count]:
        if end + sent.start in coded or heading_between(end, end + sent.start, starts):
            break  # another event's sentence, or a live blog's next entry: the story has moved on
        out.append((sent.text, end + sent.start, end + sent.end))
    return out


def zero_after(article: Article, ev: Event) -> None:
    """'No one was killed.' in the sentences right after the event's own: fatalities 0."""
    starts = breaks(article)
    for mention in [e for e in ev.evidence if e.field == "mention"]:
        end = mention.sentence_end
        for sent in split_sentences(article.text[end:end + 900])[:3]:
            if heading_between(end, end + sent.start, starts):
                break  # a live blog's next entry tells another story
            zero = zero_statement(sent.text)
            if zero is not None:
                ev.fatalities = 0
                start = end + sent.start + zero.start
                ev.evidence.append(Evidence("fatalities", zero.text, start, start + len(zero.text),
                                            sent.text, end + sent.start, end + sent.end))
                return
