"""Casualty numbers: digits, number words and ACLED's rules for vague counts."""
from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {
    "zero": 0, "no": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2,
    "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "a dozen": 12, "dozen": 12, "a couple of": 2, "a couple": 2, "couple of": 2,
    "a pair of": 2, "both": 2,
}
# ACLED codebook conventions for vague figures.
_VAGUE = {
    "dozens": 12, "dozens of": 12, "tens": 10, "tens of": 10, "scores": 20,
    "scores of": 20, "hundreds": 100, "hundreds of": 100, "thousands": 1000,
    "thousands of": 1000, "several": 10, "many": 10, "numerous": 10,
    "a number of": 10, "multiple": 10, "a few": 3, "few": 3,
}
_SCALE = {"hundred": 100, "thousand": 1000}

_WORDS = sorted(list(_UNITS) + list(_VAGUE), key=len, reverse=True)
NUMBER_RE = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+)"
    r"|(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ]"
    r"(?:one|two|three|four|five|six|seven|eight|nine))"
    r"|(?:(?:" + "|".join(re.escape(w) for w in _WORDS) + r")(?: (?:hundred|thousand))?)"
)


def parse_number(words: str) -> int | None:
    """Return the integer a number phrase stands for ("three", "a dozen", "dozens" = 12)."""
    w = re.sub(r"\s+", " ", words.strip().lower().replace(",", ""))
    if w.isdigit():
        return int(w)
    if w in _VAGUE:
        return _VAGUE[w]
    parts = w.split(" ")
    if parts[-1] in _SCALE and len(parts) > 1:
        base = parse_number(" ".join(parts[:-1]))
        return None if base is None else base * _SCALE[parts[-1]]
    if w in _UNITS:
        return _UNITS[w]
    m = re.fullmatch(r"(\w+)[- ](\w+)", w)
    if m and m.group(1) in _UNITS and m.group(2) in _UNITS:
        return _UNITS[m.group(1)] + _UNITS[m.group(2)]
    return None


@dataclass
class Count:
    """A casualty figure found in text: value and character span."""

    value: int
    start: int
    end: int
    text: str


_PEOPLE = (
    r"(?:(?:(?!(?:and|or|of)\b)[\w-]+ ){0,2}?(?:people|persons|civilians|soldiers|troops|policemen|"
    r"police officers|officers|fighters|militants|members|gunmen|insurgents|attackers|assailants|"
    r"protesters|demonstrators|rioters|villagers|farmers|residents|children|women|men|workers|"
    r"worshippers|students|pupils|passengers|others|personnel|guards|recruits|herders|shepherds|"
    r"miners|traders|fishermen|family members|relatives|people's|journalists|bodies|civilian|soldier|"
    r"policeman|officer|fighter|militant|member|person|child|woman|man|boy|girl|guard|worker|"
    r"commander|leader|elders?|suspects?|drivers?|jihadists?|rebels?|terrorists?|bandits?|pilgrims|teachers|"
    r"doctors|brothers?|sisters?|sons?|daughters?|cousins?|siblings|husbands?|wives|wife|fathers?|"
    r"mothers?|babies|baby|infants?|teenagers?|youths?|villagers?|patients|nurses|staff|crew|captives|"
    r"hostages|prisoners|detainees|inmates|mourners|shoppers|voters|attackers?|militiamen|fighters?|"
    r"combatants|troopers|marines|peacekeepers|contractors|employees|traffickers|smugglers|gangsters?|"
    r"gang members|criminals|robbers|kidnappers|poachers|pirates|dissidents|separatists|"
    r"militia members|raiders|auxiliaries|volunteers|reservists|conscripts|cadets|loyalists|"
    r"supporters|activists|refugees|migrants|displaced|student|pupil|protester|demonstrator|journalist|farmer|"
    r"resident|trader|teacher|doctor|nurse|passenger|worshipper|shopkeeper|herder|activist|priest|pastor|"
    r"passers-by|passersby|bystanders|onlookers|pedestrians))"
)
_KILLED = (
    r"(?:were |was |have been |had been |are |being )?(?:killed|dead|died|slain|"
    r"lost (?:their|his|her) li(?:ves|fe)|perished|executed|murdered|shot dead|"
    r"beheaded|massacred|gunned down|lynched|burned to death|stabbed to death|"
    r"beaten to death|hacked to death|confirmed dead|feared dead|killing|neutrali[sz]ed|martyred|"
    r"fell on the field of honou?r|fell in (?:battle|combat|action)|killed in action|"
    r"embraced (?:martyrdom|shahadat)|[\"“]?sent to hell|paid the (?:supreme|ultimate) (?:price|sacrifice)|"
    r"made the (?:supreme|ultimate) sacrifice)"
)
_NUM = r"(?P<num>" + NUMBER_RE + r")"
_PATTERNS = [
    # "killed three people", "killing at least 12 soldiers", "leaving 4 dead"
    re.compile(r"\b(?:kill(?:ed|ing|s)?|(?:left|leaving)(?=\s+[^.;]{0,40}?\bdead\b)|claimed the lives of|claiming the lives of|"
               r"execut(?:ed|ing)|massacr(?:ed|ing)|shot dead|gunned down|"
               r"murder(?:ed|ing)|behead(?:ed|ing)|slaughter(?:ed|ing))\s+[\"“]?"
               r"(?:at least |about |around |nearly |almost |up to |some |more than |over |between |all |"
               r"an estimated |approximately |roughly )?" + _NUM +
               r"(?=\s+" + _PEOPLE + r"|\s+(?:dead|people|others)|\s*[,.;]|\s+and\b|\s+in\b|"
               r"\s+(?!(?:km|kilomet\w+|miles?|hours?|days?|minutes?|percent|per|years?|times)\b)[a-z][\w-]*)", re.I),
    # "three soldiers were killed", "12 people died", "at least 5 dead"
    re.compile(r"(?:^|(?<=[\s(\"“]))" + _NUM + r"(?!\s+sides?\b)\s+(?:of them\s+|of (?:the|their|its|his|our)\s+" + _PEOPLE
               + r"\s+|" + _PEOPLE + r"(?:\s+|(?=,\s*(?:including|among them)\s))|[A-Za-z-]+(?=,\s*(?:including|among them)\s))?"
               r"(?:,\s*(?:including|among them)\s[^,.;]{1,80},\s*)?"  # "11 people, including four attackers, were killed"
               r"(?:(?:from|on|of) (?:both|the two|either|each|the) sides? )?"  # "a dozen combatants from the two sides"
               r"(?:\d+-year-old\s+(?:\w+\s+)?)?(?:(?!(?:and|or|but)\b)\w+ ){0,2}?" + _KILLED + r"\b", re.I),
    # "Four soldiers and two members of the VDP, an auxiliary force, were killed"
    re.compile(r"(?:^|(?<=[,;(]\s)|(?<=\band\s))" + _NUM + r"\s+" + _PEOPLE + r"\b[^.;:!?]{0,90}?\b"
               r"(?:were|was|have been|had been)\s+(?:also\s+|\w+ly\s+)?(?:killed|shot dead|slain|executed|beheaded)\b", re.I),
    # "the bodies of four men with gunshot wounds were found": the dead a discovery counts
    re.compile(r"\bbod(?:y|ies) of\s+(?:at least\s+|some\s+|another\s+)?" + _NUM + r"\s+(?:[\w-]+\s+){0,2}?" + _PEOPLE +
               r"\b[^.;]{0,80}?\b(?:were|was|had been|have been)\s+(?:\w+\s+)?(?:found|discovered|recovered|dumped|left|"
               r"pulled)\b", re.I),
    # "death toll rose to 14", "the dead numbered 9"
    re.compile(r"\b(?:death toll|toll|number of dead|number of deaths|fatalities)\s+"
               r"(?:\w+\s+){0,4}?(?:to|at|of|reached|stood at|is|was|hit)\s+"
               r"(?:at least |about |around |nearly |some |more than |over )?" + _NUM, re.I),
    # "the death toll from Monday night's attack on Hurti, a farming community in Bokkos, has risen to 19"
    re.compile(r"\b(?:death )?toll (?:from|in|of)\b[^.;]{0,140}?\b(?:risen|rose|climbed|reached|increased|jumped|"
               r"stands at|stood at|is now)\s+(?:to\s+)?(?:at least\s+)?" + _NUM, re.I),
    # "the number of civilians killed in an attack by ADF rebels on Friday has risen to 19"
    re.compile(r"\bnumber of (?:[\w-]+\s+){0,2}?(?:killed|dead|who died)\b[^.;]{0,140}?\b(?:risen|rose|climbed|reached|"
               r"increased|jumped|stands at|stood at|is now)\s+(?:to\s+)?(?:at least\s+)?" + _NUM, re.I),
    # "a crowd beat a young man to death", "stabbed two guards to death"
    re.compile(r"\b(?:beat|beaten|stabbed|hacked|stoned|burned|burnt|lynched|clubbed|shot|tortured|"
               r"strangled|bludgeoned)\s+" + _NUM + r"\s+(?:[\w-]+\s+){0,2}?" + _PEOPLE + r"\s+to death\b", re.I),
    # "the deaths of 5 people", "5 fatalities", "5 deaths"
    re.compile(r"\b" + _NUM + r"\s+(?:deaths|fatalities|dead bodies|bodies)\b", re.I),
]
_ZERO = re.compile(
    r"\b(?:no (?:one|body|people|person|civilians?|soldiers?) (?:was|were) (?:killed|hurt|injured|harmed)|"
    r"no (?:casualties|fatalities|deaths|injuries|victims|loss of life|one died|lives were lost)|"
    r"no (?:damage|injuries|casualties) (?:or|and) (?:injuries|casualties|deaths|damage)|"
    r"nobody (?:was )?(?:killed|died|hurt)|without (?:causing )?(?:any )?casualties|"
    r"did not (?:cause|result in) (?:any )?(?:casualties|deaths|injuries)|"
    r"caus(?:ed|ing) no (?:casualties|deaths|injuries)|"
    r"there were no (?:immediate )?(?:reports? of )?(?:casualties|deaths|fatalities|injuries)|"
    r"no (?:deaths|casualties|fatalities) (?:were|have been) reported|"
    r"no (?:one|body) (?:was|has been) (?:killed|hurt|injured)|escaped unhurt|without loss of life)", re.I)
_SUBSET = re.compile(r"\b(?:among (?:them|the dead|those killed|the victims)|including|of whom)\s*$", re.I)
_PART_OF_DEAD = re.compile(r"^\s+of\s+(?:the\s+(?:dead|victims|bodies|deceased|killed)|those\s+(?:killed|who\s+died))\b",
                           re.I)  # ("all six of them" is the whole count)
_INJURED_AFTER = re.compile(r"^\s+(?:(?!and\b|or\b)\w+\s+){0,3}?(?:were |was )?(?:injured|wounded|hurt)", re.I)


# "fourteen (14) terrorists": the figure repeated in digits, as official statements write it
_REPEATED_DIGITS = re.compile(r"(?<=[a-z])\s\(\d{1,6}\)(?=\s)", re.I)


def find_fatalities(text: str) -> list[Count]:
    """Every killed-count stated in text; 0 for 'no casualties'. Injured are ignored."""
    text = _REPEATED_DIGITS.sub(lambda m: " " * len(m.group(0)), text)  # same length: offsets stay
    found: list[Count] = []
    for pat in _PATTERNS:
        for m in pat.finditer(text):
            value = parse_number(m.group("num"))
            if value is None or value > 100000 or _is_subset(text, m.start()):
                continue
            rest = text[m.end("num"):]
            if _PART_OF_DEAD.match(rest):
                continue  # "mourned one of the dead as a member": a part of a toll told before
            if _INJURED_AFTER.match(rest) or (value == 1 and (not _ARTICLE_OK.match(rest) or _ORDINAL.match(rest))):
                continue
            if value == 1 and m.start("num") == m.start() and not _PASSIVE_DEATH.search(m.group(0)):
                continue  # "A suicide bomber killed ...": the one is the killer, not the dead
            found.append(Count(value, m.start("num"), m.end("num"), m.group("num")))
            found.extend(_coordinated_before(text, m.start("num")))
            found.extend(_coordinated_after(text, m.end("num")))
    if not found:
        for m in _ONE_NAMED.finditer(text):  # "killing the driver": one dead, counted by who he was
            found.append(Count(1, m.start("who"), m.end("who"), m.group("who")))
            more = _AND_MORE.match(text, m.end("who"))  # "the driver and two passengers"
            value = parse_number(more.group("num")) if more else None
            if value:
                found.append(Count(value, more.start("num"), more.end("num"), more.group("num")))
    for m in _ZERO.finditer(text):
        found.append(Count(0, m.start(), m.end(), m.group(0)))
    return _dedupe(found)


_ONE_NAMED = re.compile(r"\b(?:kill(?:ed|ing)|shot dead|shooting dead|gunned down|stabbed to death)\s+"
                        r"(?P<who>(?:the|his|her|their|a local)\s+(?:[\w-]+\s+)?(?:driver|owner|shopkeeper|imam|"
                        r"priest|pastor|chief|headman|mayor|principal|headmaster|teacher|guard|journalist|"
                        r"commander|leader|father|mother|son|daughter|brother|sister|husband|wife))\b", re.I)
_AND_MORE = re.compile(r"\s*(?:,\s*)?and\s+(?:at least\s+)?(?P<num>" + NUMBER_RE + r")\s+" + _PEOPLE + r"\b", re.I)
_ARTICLE_OK = re.compile(r"\s+\d+-year-old\b|\s+(?:[\w-]+\s+)?(?:[a-z]+(?:er|or|ist|man|woman|ian|ant|ent|ee)\b|civilian|soldier|policeman|officer|fighter|militant|member|"
                         r"person|child|woman|man|boy|girl|guard|worker|commander|leader|elder|"
                         r"suspect|journalist|teacher|doctor|farmer|shepherd|student|resident)\b"
                         r"|\s+(?:was|died|killed)\b|\s+of\s+(?:them|the|their|its|his|her|our)\b", re.I)
# "a fifth officer died of his wounds": one more, not a toll of one
_ORDINAL = re.compile(r"\s+(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\w+th|further|another)\b",
                      re.I)
_GROUP_BEFORE = re.compile(r"(?P<num>" + NUMBER_RE + r")\s+" + _PEOPLE + r"\s*(?:,\s*and|,|and)\s+$", re.I)


_PASSIVE_DEATH = re.compile(r"\b(?:was|were|died|dead|lost|perished|been)\b", re.I)


# "killed [two] soldiers and three civilians", "shot dead [a] driver and two passengers"
_GROUP_AFTER = re.compile(r"\s+" + _PEOPLE + r"(?P<sep>\s*,\s*(?:and\s+)?|\s+and\s+)(?:at least |about |some )?"
                          r"(?P<num>" + NUMBER_RE + r")\s+" + _PEOPLE + r"\b", re.I)
_SPEAKER_AFTER = re.compile(r"\s+(?:said|says|told|reported|added|confirmed)\b", re.I)


def _coordinated_after(text: str, pos: int) -> list[Count]:
    """Figures listed after a killed-count's victims as more parts of the same toll."""
    found: list[Count] = []
    while True:
        m = _GROUP_AFTER.match(text, pos)
        if not m:
            return found
        value = parse_number(m.group("num"))
        if value is None or _INJURED_AFTER.match(text[m.end("num"):]) or _SPEAKER_AFTER.match(text, m.end()):
            return found  # "... wounded", "five soldiers, a military officer said"
        if "and" not in m.group("sep").lower() and m.group("num").lower() in ("a", "an", "one"):
            return found
        found.append(Count(value, m.start("num"), m.end("num"), m.group("num")))
        pos = m.end("num")


def _coordinated_before(text: str, pos: int) -> list[Count]:
    """Figures listed before a killed-count as parts of the same toll ("two soldiers and [three ...]")."""
    found: list[Count] = []
    while True:
        m = _GROUP_BEFORE.search(text[max(0, pos - 80):pos])
        if not m:
            return found
        offset = max(0, pos - 80)
        value = parse_number(m.group("num"))
        if value is None:
            return found
        found.append(Count(value, offset + m.start("num"), offset + m.end("num"), m.group("num")))
        pos = offset + m.start("num")


def _is_subset(text: str, pos: int) -> bool:
    """True when the figure counts a part of the dead ("including two children")."""
    return bool(_SUBSET.search(text[max(0, pos - 40):pos]))


def _dedupe(counts: list[Count]) -> list[Count]:
    """Drop figures found twice by overlapping patterns, keep text order."""
    seen: dict[tuple[int, int], Count] = {}
    for c in counts:
        seen.setdefault((c.start, c.end), c)
    return sorted(seen.values(), key=lambda c: c.start)


def sentence_fatalities(text: str) -> Count | None:
    """The total killed in one sentence: separate groups add up ("two soldiers and three militants")."""
    counts = find_fatalities(text)
    if not counts:
        return None
    positive = [c for c in counts if c.value > 0]
    if not positive:
        return counts[0]
    if len(positive) > 1 and (_coordinated(text, positive) or _distinct_sides(text, positive)):
        total = sum(c.value for c in positive)
        first, last = positive[0], positive[-1]
        return Count(total, first.start, last.end, text[first.start:last.end])
    return min(positive, key=lambda c: c.value)


def _distinct_sides(text: str, counts: list[Count]) -> bool:
    """True when each figure counts a different side ("killing four police officers before two of
    the assailants were shot dead"); figures for the same side are rival estimates."""
    groups = [victim_group(text, c.end) for c in counts]
    return "people" not in groups and len(set(groups)) == len(groups)


def sentence_toll_parts(text: str) -> dict[str, int]:
    """The sentence's toll per side ({"police": 4, "attacker": 2}); one side's rival figures give the lower."""
    total = sentence_fatalities(text)
    if total is None:
        return {}
    positive = [c for c in find_fatalities(text) if c.value > 0 and total.start <= c.start < total.end]
    parts: dict[str, int] = {}
    for c in positive or [total]:
        side = victim_group(text, c.end)
        parts[side] = min(parts[side], c.value) if side in parts and not _coordinated(text, positive) \
            else parts.get(side, 0) + c.value
    if sum(parts.values()) != total.value or ("people" in parts and len(parts) > 1):
        return {}  # "people" would read as a total of the others: the caller keeps one figure
    return parts


def _coordinated(text: str, counts: list[Count]) -> bool:
    """True when figures are joined as parts of one toll ("two soldiers and three civilians")."""
    for a, b in zip(counts, counts[1:]):
        between = text[a.end:b.start]
        if len(between) > 60 or not re.search(r"\band\b|,", between):
            return False
        if re.search(r"\b(?:or|while|but|earlier|later|another|other reports?)\b", between, re.I):
            return False
    return True


def zero_statement(text: str) -> Count | None:
    """A sentence saying nobody was killed ('No one was killed.'), as a zero count."""
    m = _ZERO.search(text)
    return None if m is None else Count(0, m.start(), m.end(), m.group(0))


_GROUPS = [
    ("soldier", r"soldiers?|troops|troopers|servicem[ae]n|marines|personnel|army|guards?|recruits|peacekeepers"),
    ("police", r"police\w*|officers?|gendarmes?|constables?"),
    ("attacker", r"militants?|attackers?|assailants?|gunmen|insurgents?|fighters?|jihadists?|rebels?|terrorists?|"
                 r"bombers?|bandits?|militiamen|combatants|extremists?|suspects?|khwarij|khawarij|kharijites?|"
                 r"miscreants?|outlaws?|operatives?|aggressors?"),
    ("civilian", r"civilians?|villagers?|residents?|farmers?|children|child|women|woman|men|man|boys?|girls?|"
                 r"passengers?|worshippers?|students?|pupils?|shoppers?|traders?|herders?|shepherds?|workers?|"
                 r"teachers?|doctors?|nurses?|patients?|journalists?|pilgrims?|mourners?|family|relatives?|"
                 r"brothers?|sisters?|monks?|passers-by|protesters?|demonstrators?"),
]


# "two (2) of our soldiers", "three of the attackers": words between a count and whom it counts
_FILLER_WORDS = {"of", "our", "the", "their", "its", "his", "her", "them", "those", "these"}


def victim_group(text: str, end: int) -> str:
    """Which side a killed-count counts, from the words after the number ('people' when unsaid)."""
    words = [w for w in re.findall(r"[\w-]+", text[end:end + 50].lower()) if w not in _FILLER_WORDS and not w.isdigit()]
    for word in words[:3]:
        for name, pattern in _GROUPS:
            if re.fullmatch(pattern, word):
                return name
    return "people"


def combine_tolls(parts: dict[str, int]) -> int | None:
    """One toll from per-side counts: sides add up; a total for 'people' covers the sides it names."""
    if not parts:
        return None
    sides = sum(v for k, v in parts.items() if k != "people")
    return max(parts.get("people", 0), sides)


# A figure the report itself says was replaced ("police had initially reported six dead", "an earlier
# toll of four"), unless the sentence is the one replacing it ("raising an earlier toll of six").
_REPLACED = re.compile(r"\b(?:initial(?:ly)?|earlier|first|previous(?:ly)?|preliminary)\b[^.;]{0,40}?"
                       r"\b(?:toll|reported|report|count|figure|put|said|gave|statement|communiqu[eé]|bulletin|"
                       r"estimate)\b", re.I)  # ("In a first statement ..., the general staff said four soldiers")
_TOLL_ROSE = re.compile(r"\btoll\b[^.;]{0,30}?\b(?:rose|risen|rises|climbed|increased|jumped|reached|now stands)\b",
                        re.I)
_RAISING = re.compile(r"\b(?:rais(?:ed|ing|es)|revis(?:ed|ing)|updat(?:ed|ing)|lower(?:ed|ing)|bring(?:ing)?|"
                      r"brought|correct(?:ed|ing))\b[^.;]{0,30}?\b(?:toll|figure|count)\b", re.I)
# The new figure of a revision: "the toll rose to 7", "put the toll at 7", "raising the toll to 7".
_NEW_FIGURE = re.compile(_TOLL_ROSE.pattern + r"|\bput (?:the )?(?:death )?toll at\b"
                         r"|\b(?:rais(?:ed|ing|es)|bring(?:ing|s)?|brought) (?:the )?(?:[\w-]+ )?(?:death )?toll to\b",
                         re.I)
# "a local news page put the toll at 14" is a rival estimate; "the ministry later put the toll at 14" a revision
_PUT_TOLL = re.compile(r"\bput (?:the )?(?:death )?toll at\b", re.I)
_LATER = re.compile(r"\b(?:later|now|since|updated|revised|new|latest|final|subsequently|has risen|rising)\b"
                    r"|\bby\s+(?:\w+day|(?:the\s+)?(?:morning|afternoon|evening|night|end)|late|early)\b"
                    r"|\bdied\s+(?:in hospital|of (?:his|her|their) (?:wounds|injuries))", re.I)
# The side a revised toll counts: "bringing the police death toll to five"
_TOLL_SIDE = re.compile(r"\b([\w-]+)(?:'s?|’s?)?\s+(?:death\s+)?toll\b", re.I)


def replaced_figure(sentence: str) -> bool:
    """True when a sentence gives a figure it says was replaced ("police had initially reported four dead")."""
    return bool(_REPLACED.search(sentence)) and not _RAISING.search(sentence) and not _TOLL_ROSE.search(sentence)


def revised_toll(sentence: str) -> Count | None:
    """The new figure of a sentence revising a toll ("the death toll later rose to seven"), or None."""
    m = _NEW_FIGURE.search(sentence)
    if m is None or replaced_figure(sentence):  # "initial reports had put the toll at 11"
        return None
    if _PUT_TOLL.match(sentence, m.start()) and not _LATER.search(sentence):
        return None
    after = [c for c in find_fatalities(sentence) if c.start >= m.start() and c.value]
    return after[0] if after else None


def rival_toll(sentence: str) -> Count | None:
    """A rival estimate of a toll ("the territorial administrator put the toll at 14"), not a revision."""
    m = _PUT_TOLL.search(sentence)
    if m is None or _LATER.search(sentence) or replaced_figure(sentence):
        return None
    after = [c for c in find_fatalities(sentence) if c.start >= m.start() and c.value]
    return after[0] if after else None


def toll_side(sentence: str, count: Count) -> str | None:
    """The side a revised toll counts ("the police death toll rose to five" -> "police"), None for all."""
    sides = [m for m in _TOLL_SIDE.finditer(sentence[:count.start])]
    if not sides:
        return None
    side = victim_group(" " + sides[-1].group(1), 0)
    return None if side == "people" else side
