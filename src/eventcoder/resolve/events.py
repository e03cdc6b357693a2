"""Turn an article's mentions into coded events: actors, place, date, fatalities, evidence."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

from eventcoder.extract.lexicon import load_lexicon
from eventcoder.extract.model import hybrid_type
from eventcoder.extract.numbers import sentence_toll_parts, victim_group
from eventcoder.extract.refine import MILITARY_SITE, event_type_of, refine_type
from eventcoder.resolve.actors import ActorDictionary
from eventcoder.resolve.claims import apply_claims
from eventcoder.resolve.context import Context, build_context
from eventcoder.resolve.dates import (ResolvedDate, find_time_phrases, is_anaphoric, is_future, is_historical,
                                      is_speech_date, resolve_date, resolve_from)
from eventcoder.resolve.defaults import default_actors, interceptors, strike_attackers
from eventcoder.resolve.history import since_long_ago, since_then_long_ago, tells_history
from eventcoder.resolve.initiator import order_clash_sides
from eventcoder.resolve.references import resolve_definite_groups, resolve_security_forces
from eventcoder.resolve.event_places import other_targets, place_for
from eventcoder.resolve.evidence import evidence_for
from eventcoder.resolve.layout import heading_between, in_heading
from eventcoder.resolve.merge import anaphoric, merge_or_append
from eventcoder.resolve.side_cues import hurt_side
from eventcoder.resolve.sides import actors_for, civilian_victims, military_site_owner, victims
from eventcoder.resolve.story import (intervention_after, killed_at_protest, merge_undated_twins, operation_with_fighting,
                                    place_after, revisions_after, revisions_named, rival_after, zero_after)
from eventcoder.vocab import Actor, Article, Event, Evidence, Mention, Place, Span

_NOT_EVENTS = {"negated", "threatened", "planned", "hypothetical", "denied", "historical", "generic", "habitual",
               "opinion", "referenced", "perceived"}


def build_events(article: Article, mentions: list[Mention], actors: ActorDictionary,
                 gazetteer=None, model=None) -> list[Event]:
    """Coded events of one article, merged so that one event has one type, day and place.

    With a type model, each mention's rule type goes through `hybrid_type`: sure
    rules stand, the model decides the rest, and a sentence the model reads as no
    ACLED event may only continue an event, never start one.
    """
    live = [m for m in mentions if m.modality not in _NOT_EVENTS or _dated_news(m, article)]
    if not live:
        return []
    lead = [m for m in mentions[:1] if m.sentence.start < article.body_start + 400]  # the report's first mention
    ctx = build_context(article, live, actors, gazetteer, lead)
    ctx.model = model
    events: list[Event] = []
    history_end = -1  # where the last mention of a past event (dated before the news window) ends
    for m in live:
        if m.time is not None and is_future(m.time.text):
            continue  # "will hold a sit-in next week": announced, not happened
        own = ctx.resolve(m.time.text) if m.time is not None else None
        if own is not None and is_historical(own, article.published):
            history_end = m.sentence.end
        elif tells_history(m, history_end, article.text):
            history_end = m.sentence.end
            continue  # "On 16 November 2021, two bombers blew themselves up ... Four bystanders died."
        _story_so_far(ctx, events, m)
        ev = _event_from_mention(m, ctx, actors, own)  # None for background, no place, or not an event
        if ev is None:
            continue
        if ev.event_date and article.published and ev.event_date > article.published + dt.timedelta(days=1):
            continue  # "forecast in 2027": after publication, so not something that happened
        heading = in_heading(m.sentence.start, ctx.headings)  # a heading sums up the lines under it
        may_start = not getattr(ev, "_rejected", False) and not heading
        killing = _killing_in_abduction(ev)
        if killing is not None:  # "12 people were killed and seven children abducted": ACLED codes both
            merge_or_append(events, killing, m, ctx, may_start=may_start)
        merge_or_append(events, ev, m, ctx, may_start=may_start)
        if may_start and any(e is ev for e in events) and ev.event_type in _SPLIT_BY_PLACE:
            for place in other_targets(m, ctx, ev.place, demonstration=ev.event_type in ("Protests", "Riots")):
                events.append(_elsewhere_too(ev, place))
    apply_claims(article, events, actors, ctx.country)
    resolve_definite_groups(article, events, actors, ctx.country)
    resolve_security_forces(article, events, actors, ctx.country)
    strike_attackers(article.text, events, actors)
    interceptors(events, actors)
    order_clash_sides(events, actors)
    for i, ev in enumerate(events):
        ev.salience = "main" if i == 0 else "secondary"
        if ev.fatalities is None:
            zero_after(article, ev)
        if ev.fatalities is None and ev.event_type in _ZERO_UNLESS_TOLD:
            ev.fatalities = 0  # ACLED: a demonstration with no deaths reported has 0 fatalities
    revisions_after(article, events)
    revisions_named(article, events)
    rival_after(article, events)
    place_after(article, events, ctx.places)
    intervention_after(article, events, actors)
    killed_at_protest(events, actors)
    merge_undated_twins(events)
    operation_with_fighting(events)
    return events


_PLANTED_BY = re.compile(r"\b(?:planted|laid|placed|hidden|buried|left)\s+by\b", re.I)
_DURING_IT = re.compile(r"\bduring (?:the|that|this) (?:attack|raid|assault|incursion|violence|clashes|fighting|"
                        r"massacre|siege)\b", re.I)
_AIR_WORDS = r"drones?|warplanes?|aircraft|jets?|helicopters?"
_AIR_AGENT = re.compile(r"\b(?:air ?force|air component|" + _AIR_WORDS + r")\b", re.I)
_AIR_WEAPON = re.compile(r"\b(?:" + _AIR_WORDS + r")\b", re.I)
_MISSILE_WEAPON = re.compile(r"\b(?:missiles?|rockets?|shells?|mortars?)\b", re.I)


def _by_weapon(m: Mention) -> str:
    """An attack whose doer is a weapon is that weapon's strike: "an overnight attack by Ukrainian aerial and naval
    drones" is an air/drone strike, "an attack by rockets" shelling."""
    if m.sub_event_type != "Attack" or m.agent is None:
        return m.sub_event_type
    if _AIR_WEAPON.search(m.agent.text):
        return "Air/drone strike"
    if _MISSILE_WEAPON.search(m.agent.text):
        return "Shelling/artillery/missile attack"
    return m.sub_event_type


def _killing_in_abduction(ev: Event) -> Event | None:
    """An abduction whose sentence also tells a toll: the killing is an Attack of its own (a clash when the
    victims were armed) and the abduction keeps no fatalities."""
    if ev.sub_event_type != "Abduction/forced disappearance" or not ev.fatalities:
        return None
    armed = ev.actor2 is not None and ev.actor2.inter in (1, 2, 3, 4, 8)
    killing = dataclasses.replace(ev, event_type="Battles" if armed else "Violence against civilians",
                                  sub_event_type="Armed clash" if armed else "Attack", evidence=list(ev.evidence),
                                  toll_parts=dict(ev.toll_parts))
    ev.fatalities, ev.toll_parts = 0, {}
    ev.evidence = [e for e in ev.evidence if e.field != "fatalities"]
    return killing


_SPLIT_BY_PLACE = {"Explosions/Remote violence", "Battles", "Protests", "Riots"}


def _elsewhere_too(ev: Event, place: Place) -> Event:
    """The same strike at a second town named with the first: its own event, no toll (the sentence's toll is
    the first town's until another sentence says otherwise)."""
    other = dataclasses.replace(ev, place=place, fatalities=None, toll_parts={})
    other.evidence = [e for e in ev.evidence if e.field not in ("location", "fatalities")]
    if place.start is not None and place.end is not None:
        sent = next(e for e in ev.evidence if e.field == "mention")
        other.evidence.append(Evidence("location", place.text or place.name, place.start, place.end, sent.sentence,
                                       sent.sentence_start, sent.sentence_end))
    return other


def _story_so_far(ctx: Context, events: list[Event], m: Mention) -> None:
    """The place and day a mention without its own inherit: the last event's, unless a heading (a live blog's
    next entry, a round-up's next section) came between them."""
    last = events[-1] if events else None
    if last is not None and heading_between(max(e.sentence_end for e in last.evidence if e.field == "mention"),
                                            m.sentence.start, ctx.breaks):
        last = None
    ctx.last_place = last.place if last else None
    ctx.last_date = last.event_date if last else None
    ctx.last_precision = (last.time_precision or 1) if last else 1


_ZERO_UNLESS_TOLD = {"Protests", "Riots"}
def _dated_news(m: Mention, article: Article) -> bool:
    """A 'generic'-looking sentence with its own day in the news window ('in a series of raids on
    Tuesday') reports one incident after all."""
    if m.modality != "generic" or m.time is None:
        return False
    r = resolve_date(m.time.text, article.published)
    return r is not None and r.precision == 1 and not is_historical(r, article.published)


def _event_from_mention(m: Mention, ctx: Context, actors: ActorDictionary, own: ResolvedDate | None) -> Event | None:
    """One event from one mention (`own`: its time phrase resolved), or None when it has no place to stand on."""
    place = place_for(m, ctx)
    if place is None:
        return None
    if (_NATIONWIDE.search(m.sentence.text) or _TALLY.search(m.sentence.text)) and not any((p.start, p.end) in ctx.places for p in m.places
                                                        if not _coarse_name(ctx, p)):
        return None  # "shot down 41 of 57 drones across the country": a national tally, no one place
    country = place.country_code or ctx.country
    if own is not None and is_historical(own, ctx.article.published):
        return None  # "seized by the Islamic State in 2014"
    spoken = own is not None and m.scene is None and is_speech_date(m.sentence.text, m.time.start - m.sentence.start)
    if (own is None or spoken) and (since_long_ago(m.sentence.text, ctx.article.published)
                                    or since_then_long_ago(m, ctx.article)):
        return None  # "the conflict has killed more than 6,000 people since 2017": a running total
    date = _date_for(m, ctx, own)
    if date is not None and is_historical(date, ctx.article.published):
        return None
    a1, a2 = actors_for(m, actors, country, ctx.article.text)
    before = m.sentence.text[:m.trigger.start - m.sentence.start]
    target_of = _TARGET_OF.search(before)  # "the military detachment of Titao was the target of a complex attack"
    site_text = (m.target.text[:60] if m.target is not None else "") + " " + \
        m.sentence.text[m.trigger.end - m.sentence.start:][:90] + \
        (" " + before[max(0, target_of.start() - 100):target_of.start()] if target_of else "")
    if m.fatalities_span is not None and m.fatalities:
        a1, a2 = _dead_are_targets(a1, a2, victims(m, actors, country))
    if a2 is None:
        a2 = hurt_side(m, actors, country)
    if a2 is None and MILITARY_SITE.search(site_text):
        a2 = military_site_owner(site_text, actors, country)
    if a2 is None:
        a2 = civilian_victims(m, actors, country)
    sub = refine_type(_by_weapon(m), a1, a2, m.target.text if m.target else None, target_is_place(m),
                      m.sentence.text)
    if sub is None:
        return None
    if sub == "Mob violence" and (a1 is None or a1.inter != 5):
        a1 = actors.resolve("rioters", country) or a1  # a brawling crowd is coded as rioters (ACLED)
    if sub in _NEEDS_FORCE | _NEEDS_ARMED and not _force_evidence(m, a1, a2):
        return None  # "a proxy battle between party leaders", "the senator launched a campaign"
    if not _plausible(sub, m, a2, (ctx.article.title or "") + " " + ctx.article.text[ctx.article.body_start:][:400]):
        return None
    if m.sub_event_type == "Armed clash" and m.score >= 2 and sub == "Attack":
        sub = "Armed clash"  # "fighting between two groups killed five people": still fighting
        a2 = a2 if a2 is None or a2.inter != 7 else None
    etype = (_EVENT_TYPE_OF.get(sub) or event_type_of(sub, m.event_type)) if sub != m.sub_event_type else m.event_type
    rejected = False
    if ctx.model is not None:
        lead_in = before[-120:]
        score = 3.0 if sub == "Air/drone strike" and _AIR_AGENT.search(lead_in) \
            else m.score  # "its air force carried out strikes", "units supported by the drone unit had struck"
        typed, prob = hybrid_type(m.sentence.text, sub, score, ctx.model)
        if typed is None:
            # weak triggers ("a fire killed three") need the model's consent; clear ones its
            # confidence; decisive ones only its near-certainty ("police arrested a car thief")
            concrete = m.fatalities is not None and any((p.start, p.end) in ctx.places for p in m.places)
            rejected = (score <= 1 and (not concrete or prob >= _REJECT_WEAK)) \
                or (prob >= _REJECT_PROB and score < 3) or prob >= _REJECT_SURE
        elif typed != sub and (score <= 1 or prob >= _RETYPE_PROB) \
                and not (m.fatalities and sub == "Attack" and typed == "Looting/property destruction"):
            # (a raid that kills people is an attack, however much looting the sentence also tells)
            sub, etype = typed, _EVENT_TYPE_OF[typed]
            sub = refine_type(sub, a1, a2, m.target.text if m.target else None, target_is_place(m),
                              m.sentence.text) or sub
            etype = event_type_of(sub, etype)
    if sub == "Remote explosive/landmine/IED" and a1 is not None and a2 is not None and a1.inter in (1, 7) \
            and a2.inter in (2, 3, 4) and _PLANTED_BY.search(m.sentence.text):
        a1, a2 = a2, a1  # "the jawans stepped on an IED planted by Maoists": who planted it attacked
    a1, a2 = default_actors(sub, actors, a1, a2, country)
    ev = Event(event_type=etype, sub_event_type=sub, actor1=a1, actor2=a2, place=place,
               event_date=date.date if date else None, time_precision=date.precision if date else None,
               fatalities=m.fatalities, article_id=ctx.article.id, article_ids=[ctx.article.id],
               source=ctx.article.publisher or "", score=m.score, notes=m.sentence.text)
    ev.evidence = evidence_for(m, ev, date)
    ev._rejected = rejected  # type: ignore[attr-defined]  # read by build_events only
    if m.fatalities is not None and m.fatalities_span is not None:
        parts = sentence_toll_parts(m.sentence.text)
        first = re.match(r"[\w-]+", m.fatalities_span.text)
        group = victim_group(ctx.article.text, m.fatalities_span.start + (first.end() if first else 0))
        ev.toll_parts = parts if sum(parts.values()) == m.fatalities else {group: m.fatalities}
    return ev


_TARGET_OF = re.compile(r"\b(?:was|were|came)\s+(?:the\s+)?(?:target|object|scene)\s+of\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,2}$",
                        re.I)
# "Russia launched 452 drones and 38 missiles overnight": a night's national tally, not one event
_TALLY = re.compile(r"\b(?:\d{2,}|dozens of|hundreds of)\s+(?:\w+\s+)?(?:drones|missiles|rockets|shells|bombs|"
                    r"projectiles|munitions)\b", re.I)
_NATIONWIDE = re.compile(r"\b(?:across|throughout|around) the country\b|\bnationwide\b|\bacross (?:the )?(?:several|"
                         r"many|multiple) (?:regions|provinces|states)\b", re.I)


def _coarse_name(ctx: Context, span: Span) -> bool:
    """True when a place span resolved to a country (no help in placing a national tally)."""
    place = ctx.places.get((span.start, span.end))
    return place is None or (place.feature_code or "").startswith("PCL")


def _dead_are_targets(a1: Actor | None, a2: Actor | None, dead: Actor | None) -> tuple[Actor | None, Actor | None]:
    """The dead are the side attacked: 'three Malian soldiers were killed when their vehicle struck
    a bomb' does not make the soldiers actor1, and 'killing two policemen' names actor2."""
    if dead is None:
        return a1, a2
    if a2 is not None:
        return a1, a2  # both sides known: a clash's order stays as the sentence gives it
    if a1 is not None and a1.start is not None and dead.start is not None \
            and a1.start < (dead.end or 0) and dead.start < (a1.end or 0):
        return None, a1  # the dead were taken for the actor
    return a1, dead


_EVENT_TYPE_OF = load_lexicon().event_type_of
# In an article the sentence is read with its context (actors, places, earlier
# sentences), so the model only overrules clear trigger rules when it is sure.
_REJECT_PROB = 0.75
_RETYPE_PROB = 0.8
_REJECT_SURE = 0.85
_REJECT_WEAK = 0.5  # a weak trigger with its own place and toll still needs the model not to lean "no event"
_NEEDS_FORCE = {"Armed clash", "Attack", "Government regains territory", "Non-state actor overtakes territory"}
_FORCE_WORDS = re.compile(
    r"\b(?:gun\w*|shot|shoot\w*|fir(?:e|ed|ing) (?:on|at)|opened fire|rifles?|weapons?|armed|militants?|"
    r"soldiers?|troops|army|police\w*|rebels?|insurgents?|fighters?|jihadists?|gunmen|militia\w*|"
    r"forces|wounded|injur\w+|killed|dead|deaths?|casualt\w+|machetes?|knives|knife|stabb\w+|"
    r"bullets?|mortars?|grenades?|explosi\w+|hostages?|bodies|massacre\w*|assailants?|attackers?)\b", re.I)


_NEEDS_ARMED = {"Change to group/activity", "Headquarters or base established", "Disrupted weapons use",
                "Non-violent transfer of territory"}
# Marches and rallies are protests only when the sentence says what they are for or against.
_PROTEST_PURPOSE = re.compile(
    r"\b(?:against|demand\w*|protest\w*|call(?:ed|ing|s)? for|in support of|solidarity|chant\w*|banners?|"
    r"placards?|slogans?|denounc\w*|condemn\w*|opposition to|opposing|anger|angry|outrage\w*|grievances?|"
    r"unpaid|strike|boycott|rights|justice|release of|resign\w*|ouster|over the|over a|over an)\b", re.I)
_WEAK_PROTEST = {"march", "rally", "gather", "vigil", "chant"}
_PROTEST_STORY = re.compile(r"\b(?:protests?|protesters|demonstrations?|demonstrators|rallies)\b", re.I)
# Ordinary crime: arrests for it are not ACLED events unless an armed or political group is involved.
_CRIME = re.compile(
    r"\b(?:steal\w*|stole|stolen|theft|thie(?:f|ves)|robb\w+|burglar\w*|fraud\w*|shoplift\w*|drunk\w*|"
    r"speeding|traffic offen[cs]e|embezzl\w+|brib\w+|poach\w+|murder(?:ing|ed)? (?:his|her) |domestic)\b", re.I)


def _plausible(sub: str, m: Mention, a2, lead: str = "") -> bool:
    """Sub-type specific sanity checks that keep ordinary news out (`lead`: the report's title and lead)."""
    if sub == "Peaceful protest" and m.trigger.text.split()[0].lower().rstrip("esd") in _WEAK_PROTEST \
            and not _PROTEST_PURPOSE.search(m.sentence.text) and not _PROTEST_STORY.search(lead):
        return False  # "the army band marched through Delhi"; "a march in Kisumu passed off peacefully" in a
        # report on protests spreading is one of them
    if sub == "Arrests" and _CRIME.search(m.sentence.text) and not (a2 is not None and a2.inter in (2, 3, 4)):
        return False  # "police arrested a man for stealing a car"
    return True


def _force_evidence(m: Mention, a1, a2) -> bool:
    """Fighting and attacks need force in the text: a toll, an armed side or weapons and wounds."""
    if m.fatalities is not None:
        return True
    if any(a is not None and a.mention and a.inter in (1, 2, 3, 4, 8) for a in (a1, a2)):
        return True
    return bool(_FORCE_WORDS.search(m.sentence.text))


def target_is_place(m: Mention) -> bool:
    """True when the target phrase is headed by a place name ("took Sake", not "a member ... in Sake")."""
    if m.target is None:
        return False
    head_end = m.target.start + len(re.split(r"\s(?:of|in|at|near|from)\s", m.target.text)[0])
    return any(m.target.start <= p.start < head_end for p in m.places)


def _statement_day(m: Mention, published: dt.date | None) -> dt.date | None:
    """The day a sentence's statement was made ("the army said on Sunday ... the day before"), else the
    publication day: what "the day before" counts from when no event came earlier."""
    body = m.sentence.text
    for start, _, words in find_time_phrases(body):
        if is_speech_date(body, start):
            r = resolve_date(words, published)
            if r is not None and r.precision == 1:
                return r.date
    return published


def _date_for(m: Mention, ctx: Context, own: ResolvedDate | None) -> ResolvedDate | None:
    """The sentence's own time phrase (`own`, already resolved), else the article's lead date,
    else publication day."""
    if m.time is not None and is_anaphoric(m.time.text):
        r = resolve_from(m.time.text, ctx.last_date or _statement_day(m, ctx.article.published))
        if r is not None:
            return r
    if ctx.last_date is not None and _DURING_IT.search(m.sentence.text) and (
            own is None or is_speech_date(m.sentence.text, m.time.start - m.sentence.start)):
        # "an NGO said on Monday that gang members had raped six women during the attack": the attack's day
        return ResolvedDate(ctx.last_date, ctx.last_precision, "")
    if own is not None and own.precision <= 3:  # a bare year does not date an event
        return own
    if m.time is None and ctx.last_date is not None:
        # "Nine soldiers were killed", "the attack also wounded ...": the story so far, on its day
        return ResolvedDate(ctx.last_date, ctx.last_precision, "")
    if ctx.lead_date is not None:
        return ctx.lead_date
    if ctx.article.published is not None:
        return ResolvedDate(ctx.article.published, 1, "")
    return None
