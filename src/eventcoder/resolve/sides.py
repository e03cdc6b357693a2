"""Who the sides of an event are: agent and target phrases resolved through the actor dictionary."""
from __future__ import annotations

import re

from eventcoder.extract.numbers import NUMBER_RE
from eventcoder.resolve.actors import ActorDictionary
from eventcoder.resolve.identity import identity_actors
from eventcoder.vocab import Actor, Mention, Span


def military_site_owner(text: str, actors: ActorDictionary, country: str | None) -> Actor | None:
    """Who holds an attacked base or checkpoint: police for police posts, else the military."""
    return _unmentioned(actors, "police" if re.search(r"\bpolice\b", text, re.I) else "soldiers", country)


_LINKED = re.compile(r"^-?\s*(?:linked|backed|affiliated|allied|aligned|inspired|led|funded|supported)\b", re.I)
_GROUP = re.compile(
    r"\b((?:the\s+)?(?:(?:[A-Z][\w'’-]+|\d+(?:st|nd|rd|th)|de|del|do|da|of|and)\s+){1,5}?)"
    r"((?i:gang|cartel|brigade|battalion|militia|front|movement|forces?|army|group|coalition|rebels|separatists|"
    r"faction|commando|self-defen[cs]e group|ethnic militia))\b(?![\s-]+[A-Z])")
_GROUP_INTER = {"gang": 3, "cartel": 3, "brigade": 3, "battalion": 3, "militia": 3, "forces": 3, "force": 3,
                "army": 2, "group": 3, "coalition": 3, "front": 2, "movement": 2, "rebels": 2, "separatists": 2,
                "faction": 3, "commando": 3, "ethnic militia": 4}
# Heads that are not part of the name ACLED gives ("the Los Lobos gang" is "Los Lobos").
_DROP_HEAD = {"gang", "cartel", "group", "rebels", "separatists", "militia", "faction"}
_COMMON = {"armed", "unknown", "suspected", "local", "rival", "several", "two", "three", "many", "some", "no", "any",
           "another", "each", "every", "one", "this", "that", "which", "whichever", "either", "neither",
           "unidentified", "heavily", "masked", "islamist", "jihadist", "criminal", "government", "state", "police"}


def named_actors(text: str, actors: ActorDictionary, country: str | None) -> list[Actor]:
    """Named actors in a piece of text: the dictionary's, and armed groups it does not know
    ("the Los Lobos gang", "the 444th Combat Brigade"); 'al-Qaeda-linked X' names X, not al-Qaeda."""
    found = [a for a in actors.find_all(text, country) if not _LINKED.match(text[a.end or 0:])]
    taken = [(a.start or 0, a.end or 0) for a in found]
    for actor in identity_actors(text, country):  # "Druze gunmen": Druze Ethnic Militia
        if not any(s < (actor.end or 0) and (actor.start or 0) < e for s, e in taken):
            found.append(actor)
            taken.append((actor.start or 0, actor.end or 0))
    for m in _GROUP.finditer(text):
        actor = _unknown_group(m, text, actors, country)
        if actor is None or any(s < actor.end and actor.start < e for s, e in taken):
            continue
        if any(0 <= s - actor.end <= 2 for s, _ in taken):
            continue  # "the Somali Islamist group al-Shabaab": a description of the named group after it
        found.append(actor)
    return sorted(found, key=lambda a: a.start or 0)


def _only_country_words(names: list[str]) -> bool:
    """True when every capitalised word is a country name or demonym, or a common descriptor."""
    from eventcoder.resolve.countries import find_countries

    rest = [re.sub(r"(?:'s|’s)$", "", w) for w in names if w.lower() not in _COMMON]
    text = " ".join(rest)
    covered = sum(e - s for s, e, _ in find_countries(text))
    return bool(rest) and covered >= len(text) - (len(rest) - 1)


def _unknown_group(m: re.Match, text: str, actors: ActorDictionary, country: str | None) -> Actor | None:
    """An armed group named in the text but absent from the dictionary, or None."""
    start, end = m.start(1), m.end(2)
    words = m.group(1).split()
    if words and words[0].lower() == "the":
        start += m.group(1).index(words[1]) if len(words) > 1 else 0
        words = words[1:]
    while words and re.search(r"-(?:backed|linked|led|allied|aligned|affiliated|funded|supported)$", words[0]):
        start += m.group(0).index(words[1]) - m.group(0).index(words[0]) if len(words) > 1 else 0
        words = words[1:]  # "UN-backed Gang Suppression Force": the modifier is not the name
    names = [w for w in words if w[:1].isupper() or w[:1].isdigit()]
    if "Task" in words or "Police" in words:
        return None  # "the Special Task Force", "the Federal Police Force": a state's own units, not a group
    if not names or all(w.lower() in _COMMON for w in names) or _only_country_words(names):
        return None  # "Niger's army", "the Somali Islamist group": a country's forces or a description
    head = m.group(2).lower()
    name = " ".join(words) if head in _DROP_HEAD else " ".join(words + [m.group(2)])
    known = actors.resolve(name, country)
    # "our Defence and Security Forces": the state's own forces, also where the dictionary has a named
    # entry of the same name ("Military Forces of Niger"); a named alias found here is dropped by the caller.
    if known is not None and known.inter == 1:
        return Actor(name=known.name, inter=1, country=known.country, mention=text[start:end], start=start, end=end)
    if known is not None and known.name in actors.entries:
        return None
    return Actor(name=name, inter=_GROUP_INTER.get(head, 3), country=country,
                 mention=text[start:end], start=start, end=end)


def actors_for(m: Mention, actors: ActorDictionary, country: str | None,
                text: str = "") -> tuple[Actor | None, Actor | None]:
    """Resolve agent and target phrases; fall back to named actors in the sentence."""
    from eventcoder.resolve.side_cues import OWN_MEN, accused_side, speaking_group, state_forces_beside
    a1 = _resolve(actors, m.agent, country, text)
    a2 = _resolve(actors, m.target, country, text)
    if a1 is None or a2 is None or a1.name not in actors.entries or a2.name not in actors.entries:
        named = named_actors(m.sentence.text, actors, country)
        found = [_shift(a, m.sentence.start) for a in named]
        reporters = {(a.start, a.end) for a in named if _source_of_report(m.sentence.text, a)}
        before = [a for a in found if a.start < m.trigger.start and not _same(a, a2)]
        after = [a for a in found if a.start >= m.trigger.start and not _same(a, a1)
                 and (a.start - m.sentence.start, a.end - m.sentence.start) not in reporters
                 and not _ALLIED.search(m.sentence.text[max(0, a.start - m.sentence.start - 12):a.start - m.sentence.start])
                 and not _OTHER_CLAUSE.search(m.sentence.text[m.trigger.end - m.sentence.start:a.start - m.sentence.start])]
        if (a1 is None or (a1.name.startswith("Unidentified") and _overlaps(a1, before))) and before:
            a1 = before[0]  # "gunmen from the Viv Ansanm gang": the named group
        elif a1 is not None and (named := [b for b in before if _identified_as(m.sentence.text, m.sentence.start, a1, b)]):
            a1 = named[0]  # "the attackers, whom residents described as Fulani herdsmen, arrived ..."
        if a2 is None and after and not _same(after[0], a1):
            a2 = after[0]
        elif a2 is not None and a2.name not in actors.entries and _overlaps(a2, after):
            a2 = next(o for o in after if a2.start <= (o.start or 0) < (a2.end or 0))
    if a1 is not None and a1.name.startswith("Unidentified") and OWN_MEN.match(a1.mention or ""):
        a1 = speaking_group(m, a1, actors, country) or a1  # "the Arakan Army said its fighters had entered X"
    accused = accused_side(m, actors, country)
    if accused is not None:  # "The RSF accused the Sudanese Armed Forces of carrying out the strike"
        a1, a2 = accused, (a2 if a2 is None or not _same(a2, accused) else None)
    if a1 is not None and a2 is not None and _identified_as(m.sentence.text, m.sentence.start, a1, a2):
        a1, a2 = a2, None  # "gunmen suspected to be Fulani herdsmen invaded the village": the herdsmen did it
    if a1 is not None and _REPELLED.search(m.trigger.text) and _attack_by(m):
        a1, a2 = _attacker_of(m, actors, country, text) or a2, a1  # "repelled an attack by X": X attacked
    if a1 is not None and (a2 is None or a2.name == a1.name) and m.event_type == "Battles":
        a2 = _coordinated_side(m, a1, actors, country) or a2  # "Druze gunmen and Bedouin fighters clashed"
    pair = _between(m, actors, country)
    if pair is not None and (a1 is None or a1.name not in actors.entries):
        a1, a2 = pair  # "fighting between the M23 rebels and the Congolese army"
    if m.sub_event_type == "Armed clash" and (a1 is None) != (a2 is None):
        state = state_forces_beside(m, a1 or a2, actors, country)
        if state is not None:  # "seven khwarij were killed ..., while two soldiers embraced martyrdom"
            a1, a2 = (a1, state) if a1 is not None else (state, a2)
    if a1 is not None and a2 is not None and a1.name == a2.name and a1.inter != 7:
        a2 = None
    if a2 is not None and a2.inter == 7 and _VAGUE_VICTIM.search(a2.mention or ""):
        armed = [a for a in named_actors(m.sentence.text, actors, country)
                 if a.inter in (1, 2, 3, 4, 8) and not _same(a, a1)]
        if armed:  # "six people were killed when gunmen stormed a roadblock manned by the SDF"
            a2 = _shift(armed[0], m.sentence.start)
    if m.sub_event_type == "Agreement" and a2 is None:
        others = [a for a in named_actors(m.sentence.text, actors, country) if not _same(a, a1)]
        a2 = _shift(others[0], m.sentence.start) if others else None  # "the government and the ELN signed ..."
    if m.sub_event_type == "Arrests" and (a2 is None or a2.inter == 7):
        a2 = _suspected_group(m, actors, country) or a2
    return a1, a2


# "fired by the SPLM-North faction and its RSF allies": the doer's allies are on its side, not the target
_ALLIED = re.compile(r"\b(?:its|their|and its|and their)\s+$", re.I)
# Between a trigger and a name: the name is in another clause ("... killed 19, in one of the deadliest attacks since
# the RSF began closing in on the city"), so it is not a side of this event.
_OTHER_CLAUSE = re.compile(r"\b(?:since|ever since|as|while|whereas|although|though|because|which|who|whose)\b|;", re.I)
_SAID_AFTER = re.compile(r"^\W{0,3}(?:has |had |have |also |later )?(?:said|says|told|reported|reports|announced|"
                         r"claimed|added|confirmed|stated|statement)\b", re.I)
_SAID_BEFORE = re.compile(r"\b(?:according to|said|says|told)\s+(?:the\s+|a\s+)?$", re.I)


def _source_of_report(text: str, a: Actor) -> bool:
    """True for an actor named only as who reports the event ("..., the U.S. military said"): not a side."""
    if a.start is None or a.end is None:
        return False
    return bool(_SAID_AFTER.match(text[a.end:a.end + 30]) or _SAID_BEFORE.search(text[max(0, a.start - 20):a.start]))


_SUSPECTED_TO_BE = re.compile(r"^\s*,?\s*(?:(?:suspected|believed|thought|said|alleged|reported|presumed)\s+to\s+"
                              r"(?:be|have been)|(?:whom|who)\s+(?:\w+\s+){0,2}?(?:described|identified)\s+as|"
                              r"(?:described|identified)\s+(?:by\s+(?:\w+\s+){1,2})?as)\s+[\"“]?"
                              r"(?:(?:gunmen|men|fighters|militants)\s+(?:suspected|believed|thought)\s+to\s+be\s+)?"
                              r"(?:members\s+of\s+|fighters\s+(?:of|from)\s+)?(?:the\s+)?$", re.I)


def _identified_as(text: str, offset: int, a1: Actor, a2: Actor) -> bool:
    """True when the second side only says who the unidentified first side was ("gunmen suspected to be X")."""
    if not a1.name.startswith("Unidentified") or None in (a1.end, a2.start) or a2.start < a1.end:
        return False
    return bool(_SUSPECTED_TO_BE.match(text[a1.end - offset:a2.start - offset]))


def _coordinated_side(m: Mention, a1: Actor, actors: ActorDictionary, country: str | None) -> Actor | None:
    """The second of two sides joined by 'and' before a fighting word ('X and Y clashed')."""
    if a1.end is None:
        return None
    text = m.sentence.text
    found = [_shift(a, m.sentence.start) for a in named_actors(text, actors, country)]
    found += [_shift(a, m.sentence.start) for a in actors.find_all(text, country, generics=True)
              if a.inter in (1, 2, 3, 4, 8)]  # "soldiers and militants fought": a generic side
    for a in found:
        gap = m.sentence.text[a1.end - m.sentence.start:(a.start or 0) - m.sentence.start]
        if (a.start or 0) < m.trigger.start and re.fullmatch(r"\s*(?:,\s*)?and\s+(?:the\s+)?", gap) \
                and not _same(a, a1):
            return a
    return None


_VAGUE_VICTIM = re.compile(r"\b(?:people|persons|individuals|others|victims)\b", re.I)


def victims(m: Mention, actors: ActorDictionary, country: str | None) -> Actor | None:
    """The people counted among the dead ('three passengers were killed') as the target side."""
    span = m.fatalities_span
    first = re.match(NUMBER_RE, span.text, re.I)  # "10 soldiers and 25": the first side counted
    end = span.start + first.end() if first is not None and first.end() < len(span.text) else span.end
    after = m.sentence.text[end - m.sentence.start:][:40]
    for n in range(3):  # the shortest phrase that names someone: "Malian soldiers", not "Malian"
        words = re.match(r"\s*((?:[\w-]+\s+){%d}[\w-]+)" % n, after)
        if not words or re.search(r"\b(?:were|was|and|or|had|have|died|killed)\b", words.group(1), re.I):
            return None
        a = actors.resolve(words.group(1), country)
        if a is not None:
            break
    if a is None or _VAGUE_VICTIM.search(words.group(1)):
        return None
    a.mention, a.start = words.group(1), end + (len(after) - len(after.lstrip()))
    a.end = a.start + len(words.group(1))
    return a


_MEMBERSHIP = re.compile(r"\b(?:belong\w*|members? of|linked to|affiliated with|loyal to|suspected|"
                         r"accused of (?:being|belonging)|tied to)\b", re.I)


def _suspected_group(m: Mention, actors: ActorDictionary, country: str | None) -> Actor | None:
    """'arrested three men suspected of belonging to the Islamic State': the group is the side."""
    after = m.sentence.text[m.trigger.end - m.sentence.start:]
    if not _MEMBERSHIP.search(after[:120]):
        return None
    found = [a for a in named_actors(after[:160], actors, country) if a.inter in (2, 3, 4)]
    return _shift(found[0], m.trigger.end) if found else None


_MILITARY_WORDS = re.compile(r"\b(?:positions?|forces|troops|soldiers|army|base|bases|checkpoints?|convoys?|"
                             r"patrols?|outposts?|barracks|garrison|units?)\b", re.I)
_SPEAKER = re.compile(r"\b(?:officials?|spokes(?:man|woman|person)|sources?|witnesses|witness|medics|reporters|"
                      r"analysts|observers|monitors|governor|minister|ministry|statement|report|residents said)$",
                      re.I)


_REPELLED = re.compile(r"^(?:repel|repuls|fought off|beat back|thwart|foil)", re.I)
def _attack_by(m: Mention) -> bool:
    """True for 'repelled an attack by ...' (the target is an attack and a 'by' phrase follows)."""
    if m.target is None or not re.search(r"\b(?:attack|assault|offensive|raid|incursion)s?$", m.target.text):
        return False
    after = m.sentence.text[m.target.end - m.sentence.start:]
    return bool(re.match(r"\s+by\b", after))


def _attacker_of(m: Mention, actors: ActorDictionary, country: str | None, text: str) -> Actor | None:
    """The actor named in the 'by ...' phrase after the target."""
    after = m.sentence.text[m.target.end - m.sentence.start:]
    by = re.match(r"\s+by\s+((?:[\w'’-]+\s+){0,5}?[\w'’-]+)(?=\s+(?:on|in|near|at|from)\b|[,.;]|$)", after)
    if by is None:
        return None
    start = m.target.end + by.start(1)
    return _resolve(actors, Span(by.group(1), start, start + len(by.group(1))), country, text)


_BETWEEN = re.compile(r"\b(?:between|pitted|pitting)\s+(.{3,160}?)(?:\s+(?:and|against)\s+)(.{3,120}?)(?=[,.;]|\s+(?:in|near|on|at|killed|left)\b|$)",
                      re.I)


def _between(m: Mention, actors: ActorDictionary, country: str | None) -> tuple[Actor, Actor] | None:
    """The two sides of 'fighting between X and Y' / 'clashes pitted X against Y', when both are named."""
    text = m.sentence.text
    at = m.trigger.start - m.sentence.start
    found = _BETWEEN.search(text, at, min(len(text), at + 200))
    if found is None:
        return None
    sides = []
    for g in (1, 2):
        named = named_actors(found.group(g), actors, country) or \
            [a for a in [actors.resolve(found.group(g), country)] if a is not None]
        if not named:
            return None
        sides.append(_shift(named[0], m.sentence.start + found.start(g)) if named[0].start is not None else named[0])
    return (sides[0], sides[1]) if sides[0].name != sides[1].name else None


def _is_adjective_demonym(text: str) -> bool:
    """'Israeli', 'Turkish' (not 'Palestinians', a people): a nationality used as a modifier."""
    from eventcoder.resolve.countries import is_demonym

    word = text.strip()
    return " " not in word and not word.endswith("s") and is_demonym(word)


def _overlaps(a: Actor, others: list[Actor]) -> bool:
    """True when a named actor lies inside the words of a generic one."""
    return any(o.start is not None and a.start is not None and a.start <= o.start < (a.end or 0) for o in others)


def _shift(actor: Actor, base: int) -> Actor:
    """Make an actor's offsets (relative to a piece of text starting at base) absolute."""
    actor.start = (actor.start or 0) + base
    actor.end = (actor.end or 0) + base
    return actor


def _same(a: Actor | None, b: Actor | None) -> bool:
    """True when both actors are the same canonical actor."""
    return a is not None and b is not None and a.name == b.name


def _resolve(actors: ActorDictionary, span: Span | None, country: str | None,
             text: str = "") -> Actor | None:
    """Resolve a phrase to an actor, keeping where it stands in the text.

    When the parse cut a name short ("Islamic" of "Islamic State gunmen"), the
    words right after the phrase are searched for a named actor starting in it.
    """
    if span is None or _SPEAKER.search(span.text):
        return None  # "local officials said": the source of the report, not a side
    a = actors.resolve(span.text, country)
    if text:
        a = _defined_acronym(actors, span.text, text, country) or a  # "the AA troops" after "the Arakan Army (AA)"
    if a is None and _is_adjective_demonym(span.text):
        a = actors.resolve(span.text + " forces", country)  # "Israeli airstrikes": Israeli forces
    if a is not None and a.name.startswith("Government of") and _MILITARY_WORDS.search(span.text):
        a = actors.resolve("soldiers", country) or a  # "government positions/forces" are the military
    if a is not None:
        a.mention, a.start, a.end = span.text, span.start, span.end
        return a
    if text:
        window = text[span.start:span.end + 30]
        found = [x for x in actors.find_all(window, country) if (x.start or 0) < len(span.text)]
        if found:
            return _shift(found[0], span.start)
    return None


def _defined_acronym(actors: ActorDictionary, phrase: str, text: str, country: str | None) -> Actor | None:
    """The named actor an acronym in the phrase stands for, as the article defines it ("the Arakan Army (AA)")."""
    for acronym in re.findall(r"\b[A-Z][A-Z0-9-]{1,7}\b", phrase):
        if actors.resolve(acronym, country) is not None:
            continue  # an acronym the dictionary knows ("RSF", "ADF") needs no definition
        for m in re.finditer(r"\(\s*" + re.escape(acronym) + r"\s*\)", text):
            before = text[max(0, m.start() - 80):m.start()].rstrip()
            named = [a for a in actors.find_all(before, country) if (a.end or 0) >= len(before) - 1]
            if named:
                return Actor(named[-1].name, named[-1].inter, named[-1].country, phrase)
    return None


_CIVILIAN_WORDS = re.compile(r"\b(?:civilians?|people|residents|children|women|shoppers|passers-by|worshippers|"
                             r"villagers|passengers|pedestrians|students|pupils|families|traders|patients|"
                             r"motorists|farmers|mourners|wedding guests|onlookers|bystanders)\b", re.I)


_SOURCE = re.compile(r"\s+(?:said|say|says|told|reported|described|added|recalled|were quoted)\b", re.I)


def civilian_victims(m: Mention, actors: ActorDictionary, country: str | None) -> Actor | None:
    """Explosions that kill or wound people in a market or street hit civilians (ACLED's actor2)."""
    if m.event_type != "Explosions/Remote violence":
        return None
    text = m.sentence.text
    if not any(not _SOURCE.match(text[w.end():]) for w in _CIVILIAN_WORDS.finditer(text)):
        return None  # "residents said": a source, not a victim
    return _unmentioned(actors, "civilians", country)


def _unmentioned(actors: ActorDictionary, word: str, country: str | None) -> Actor | None:
    """A generic actor inferred, not named in the text (so it carries no evidence span)."""
    a = actors.resolve(word, country)
    if a is not None:
        a.mention = None
    return a
