"""Place-name spans in a spaCy Doc: the model's GPE/LOC/FAC entities minus actor uses, plus names it misses.

The small English model tags many village and town names as PERSON, ORG or nothing ("fled to Shaddadi",
"struck Kharkiv and Odesa"). A capitalised word sequence counts as a place when the words before it say so
(a locative cue: "in", "near", "outside", "town of", "north of", "30 km from", "shelled", ...) or it is
listed right after another place ("Kharkiv and Odesa", "Jableh and Baniyas"), and the gazetteer knows the
exact name as a real place (a populated place, an admin area, a mountain); titles ("President X") and
speaker/owner uses ("X said", "X's government") stay out.
"""
from __future__ import annotations

import re
from typing import Any

from eventcoder.resolve.gazetteer import Gazetteer

_SPEECH_LEMMAS = frozenset({
    "say", "tell", "announce", "claim", "state", "deny", "accuse", "report", "warn", "confirm", "insist",
    "urge", "call", "condemn", "demand", "threaten", "reject", "respond", "vow", "pledge", "blame",
    "add", "note", "declare", "argue", "welcome", "criticise", "criticize", "refuse", "agree", "decide",
})
_ACTION_LEMMAS = frozenset({"launch", "fire", "attack", "strike", "bomb", "shell", "send", "deploy", "conduct",
                            "target", "invade", "use", "carry", "retaliate", "hit"})
_GOVERNMENT_AFTER = re.compile(
    r"^\s*(?:'s|’s)\s+(?:\w+\s+)?(?:government|officials?|ministry|ministers?|authorities|leadership|"
    r"administration|president|prime|foreign|envoy|embassy|delegation|spokes\w+)\b", re.IGNORECASE)
_ORG_AFTER = frozenset({"university", "airways", "airlines", "club", "fc", "bank", "company", "corporation",
                        "times", "post", "news", "tv", "television", "radio", "agency", "council", "24"})
_ACTOR_HEADS = frozenset({"forces", "force", "troops", "military", "army", "soldiers", "police", "officials",
                          "government", "authorities", "militia", "militias", "navy", "jets", "warplanes",
                          "drones", "coalition", "embassy", "ministry", "envoy", "delegation"})
# A place-like name followed by one of these heads names an organisation ("the Los Lobos gang").
_ORG_HEAD = re.compile(r"\s+(?:self-defen[cs]e\s+(?:group|force|militia)|gang|cartel|coalition|group|militia|movement|brigade|battalion|faction|party|"
                       r"front|army|forces|network|organi[sz]ation|federation|union|club|council|company|bank|"
                       r"reporter|correspondent|journalist|photographer|press agency|news agency)s?\b",  # "a Marmara reporter"
                       re.I)
# Lower-case particles inside hyphenated names ("Dasht-e-Barchi", "Ras-al-Ain", "Deir-ez-Zor").
_NAME_PARTICLES = frozenset({"e", "i", "al", "el", "ul", "ud", "ad", "ar", "as", "az", "ash", "at", "an", "ez",
                             "es", "ye", "da", "de", "di", "du", "la", "le", "bin", "ibn", "abu", "um", "umm",
                             "des", "les", "del", "sur", "en"})  # "Croix-des-Bouquets", "Boulogne-sur-Mer"
_TRIGGER_BEFORE = re.compile(r"\b(?:(?:village|villages|town|area|city|district|province|governorate)\s+of"
                             r"|near|outside|mount|mt\.?|(?:the\s+|\w+\s+)capital)\s+$", re.IGNORECASE)  # "the Yemeni capital Sanaa"
_SURELY_PLACE_BEFORE = re.compile(r"\b(?:(?:village|villages|town|hamlet|settlement|community|district|province|"
                                  r"governorate|municipality|locality|commune)\s+of|(?:km|kilomet(?:er|re)s?|miles?)\s+(?:from|of|outside)|"
                                  r"outskirts\s+of|(?:road|highway|route|track|axis)\s+(?:between|from|to|linking|"
                                  r"connecting))\s+$", re.IGNORECASE)
_CUE_AFTER = re.compile(r"^\s+(?:area|district|province|governorate|department|state|county|prefecture|"
                        r"mountains?|village|town|camp|region|islands?|local government(?: area)?|lga|territory|"
                        r"airport|air ?base|airfield|harbou?r)\b",
                        re.IGNORECASE)
_ADMIN_SUFFIX = re.compile(r"\s+(?:local\s+government(?:\s+area)?|lga|district|province|governorate|state|county|"
                           r"region|territory|department|prefecture)$", re.IGNORECASE)
_PLACE_LABELS = ("GPE", "LOC", "FAC")
# Labels the small English model often gives village and mountain names ("Gwer" ORG, "Qarachogh" PRODUCT).
_MISLABELS = ("ORG", "PRODUCT", "PERSON", "WORK_OF_ART", "EVENT", "NORP")


def is_non_place(ent: Any, text: str) -> bool:
    """True for a GPE used as an actor ("Baghdad said", "Ankara's government") or inside a name."""
    root = ent.root
    if root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_.lower() in _SPEECH_LEMMAS:
        return True
    if _GOVERNMENT_AFTER.match(text[ent.end_char:ent.end_char + 40]):
        return True
    if root.dep_ == "nsubj" and root.head.lemma_.lower() in _ACTION_LEMMAS:
        return True  # "Russia launched 452 drones", "Israel struck ...": the doer, not where it happened
    if root.dep_ in ("compound", "nmod", "amod", "poss") and root.head.lower_ in _ACTOR_HEADS \
            and root.head.i >= ent.end:
        return True  # "US forces", "Kirkuk police", "Ukraine's air force": the place names an actor
    if root.dep_ == "pobj" and root.head.lower_ == "by" and root.head.dep_ == "agent":
        return True  # "drones launched by Russia", "shelled by Turkey": the doer, not where it happened
    nxt = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    if nxt is not None and nxt.lower_ in _ORG_AFTER and (nxt.text[:1].isupper() or nxt.is_digit):
        return True  # "Kurdistan 24", "Baghdad University"
    return False


# Words right before a name that say a place follows ("in", "near", "the town of", "north of", "km from").
_LOCATIVE_BEFORE = re.compile(
    r"(?:\b(?:in|near|nearby|outside|inside|to|into|from|towards?|toward|at|around|across|throughout|via|off|"
    r"between|through|entrance\s+to|outskirts\s+of|edge\s+of|central|(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?"
    r"(?:\s+(?:of|part\s+of))?|(?:village|villages|town|towns|city|cities|area|areas|district|province|governorate|"
    r"region|capital|suburbs?|residents|people|governor|mayor|port|camp|countryside|heart|centre|center|streets|"
    r"municipality|municipalities|locality|localities|commune|department|county|parish|prefecture|settlement|"
    r"neighbou?rhoods?|quarters?|parts)"
    r"\s+of|km\s+(?:from|of)|kilomet(?:er|re)s\s+(?:from|of)|miles\s+(?:from|of)|shelled|bombed|struck|hit|"
    r"entered|reached|retook|recaptured|seized|captured|stormed|besieged|raided|attacked|fled|left|visited|overran|"
    r"liberated|(?:control|hold)\s+(?:of|over)|(?:capture|fall|siege|recapture)\s+of|"
    r"returned\s+to|arrived\s+in|based\s+in|born\s+in)"
    r"|\bmount|\bmt\.?)\s+(?:the\s+)?$", re.IGNORECASE)
_OPENERS = {"in", "at", "near", "outside", "inside", "from", "across", "around", "throughout", "into", "towards",
            "toward", "on"}
# A place list goes on: "Kharkiv and Odesa", "Jableh, Baniyas and Latakia".
_SPLIT = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+")
_LIST_GAP = re.compile(r"^(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)$")
_TITLES = re.compile(r"\b(?:mr|mrs|ms|dr|president|minister|general|gen|gov|governor|senator|sen|sheikh|shaikh|"
                     r"mullah|imam|king|prince|judge|colonel|col|captain|capt|lt|sgt|commander|spokesman|"
                     r"spokeswoman|leader|chief|st|saint|pope|emir|sultan|mayor)\.?\s+$", re.IGNORECASE)
_SPEECH_AFTER = re.compile(r"^\s+(?:said|says|told|announced|claimed|denied|warned|added|stated|confirmed|"
                           r"accused|condemned|urged|insisted|vowed|called|declared)\b", re.IGNORECASE)


def _cued(text: str, start: int, end: int) -> bool:
    """True when the words around a span say it is a place ("village of X", "X district", "in X")."""
    before = text[max(0, start - 30):start]
    return bool(_TRIGGER_BEFORE.search(before) or _CUE_AFTER.match(text[end:end + 20])
                or _LOCATIVE_BEFORE.search(before))


def _known(gazetteer: Gazetteer, words: str, strict: bool = False) -> bool:
    """True when the gazetteer has a place with exactly this name (not only a spelling variant).

    ``strict`` (for names the model called a person) also asks for a sizeable place: an admin area,
    a physical feature, or a town of 1,000 people or more.
    """
    for c in gazetteer.lookup(words):
        if not c.exact:
            continue
        if not strict or c.feature_class in ("A", "T", "L", "H") or c.population >= 1000 \
                or (c.feature_code or "").startswith(("PPLA", "PPLC")):
            return True
    return False


def _blocked(text: str, start: int, end: int, located: bool = False) -> bool:
    """A title before ("President Aoun") or a speech verb after ("Hamas said"): not a place. A speech verb
    after a located name speaks for someone else ("traders in Homs and Aleppo said")."""
    return bool(_TITLES.search(text[max(0, start - 20):start])
                or (_SPEECH_AFTER.match(text[end:end + 20]) and not located)
                or _GOVERNMENT_AFTER.match(text[end:end + 40]))


def _accept_extra(text: str, start: int, end: int, gazetteer: Gazetteer, label: str | None,
                  spans: list[tuple[int, int]]) -> bool:
    """Decide on a name the model did not tag as a place: a locative cue or a place list, and a known name."""
    listed = bool(spans) and spans[-1][1] <= start and _LIST_GAP.match(text[spans[-1][1]:start]) is not None
    cued = _cued(text, start, end)
    if _blocked(text, start, end, located=listed or cued) or not (listed or cued):
        return False
    name = _ADMIN_SUFFIX.sub("", text[start:end]) or text[start:end]  # "Tsafe Local Government Area"
    # a name the model calls a person must be a sizeable place, unless the words before say outright that a
    # place follows ("12 kilometres from Gbajimba", "the village of X")
    strict = label == "PERSON" and not _SURELY_PLACE_BEFORE.search(text[max(0, start - 30):start])
    return _known(gazetteer, text[start:end], strict=strict) or \
        (name != text[start:end] and _known(gazetteer, name, strict=strict))


def _capitalised(doc: Any, k: int, covered: set[int]) -> bool:
    return k < len(doc) and k not in covered and doc[k].text[:1].isupper() and doc[k].is_alpha


def _run_end(doc: Any, i: int, covered: set[int]) -> int:
    """Last token of the run of capitalised words starting at token i."""
    j = i
    while _capitalised(doc, j + 1, covered):
        j += 1
    return j


def _two_names(doc: Any, i: int, j: int, joined: int) -> bool:
    """True when both sides of a hyphen are full names ("Spin Boldak" - "Chaman"), not "Ye" - "U"."""
    first = doc[i:j + 1].text
    rest = [t for t in doc[j + 1:joined + 1] if t.text != "-"]
    return len(first.replace(" ", "")) >= 5 and len(rest) == 1 and len(rest[0].text) >= 5 \
        and rest[0].text[:1].isupper()


def _hyphen_end(doc: Any, j: int, covered: set[int]) -> int | None:
    """Last token of a name continuing token j across hyphens with no spaces ("Ye" "-" "U",
    "Dasht" "-" "e" "-" "Barchi"), or None when nothing continues it."""
    k = j
    while k + 2 < len(doc) and doc[k + 1].text == "-" and not doc[k].whitespace_ and not doc[k + 1].whitespace_ \
            and k + 1 not in covered:
        if _capitalised(doc, k + 2, covered):
            k = _run_end(doc, k + 2, covered)
        elif doc[k + 2].lower_ in _NAME_PARTICLES and not doc[k + 2].whitespace_ and k + 3 < len(doc) \
                and doc[k + 3].text == "-":
            k += 2  # "-e-", "-al-": the name goes on after the particle
        else:
            break
    return k if k != j and _capitalised(doc, k, set()) else None


def _hyphen_extended(doc: Any, ent: Any, covered: set[int]) -> int:
    """Where an entity's name ends when it goes on across a hyphenated particle ("Croix" tagged alone in
    "Croix-des-Bouquets"); the tokens it takes are marked covered."""
    k = ent.end
    if not (k + 1 < len(doc) and doc[k].text == "-" and doc[k + 1].lower_ in _NAME_PARTICLES):
        return ent.end_char  # "the Turkey-Syria border" joins two names: only a particle ("-des-") goes on
    last = _hyphen_end(doc, ent.end - 1, covered - set(range(ent.start, ent.end)))
    if last is None:
        return ent.end_char
    covered.update(range(ent.end, last + 1))
    return doc[last].idx + len(doc[last])


def find_place_spans(doc: Any, gazetteer: Gazetteer | None = None) -> list[tuple[int, int]]:
    """Character spans of place mentions in a spaCy Doc (GPE/LOC/FAC), without actor uses of place names.

    With a gazetteer, also names the model mislabels or misses when the words around them say they are
    places ("the village of Gwer", "fled to Shaddadi", "Kharkiv and Odesa") and the gazetteer knows them.
    """
    text = doc.text
    items: list[tuple[int, int, str | None, Any]] = []  # (start, end, label, ent)
    covered: set[int] = set()
    for ent in doc.ents:
        covered.update(range(ent.start, ent.end))
        start = ent[1].idx if ent[0].lower_ == "the" and len(ent) > 1 else ent.start_char
        if ent.label_ in _PLACE_LABELS and gazetteer is not None and _SPLIT.search(text, start, ent.end_char) \
                and not _known(gazetteer, text[start:ent.end_char]):
            pos = start  # "Abuja and Kaduna" tagged as one FAC; "Trinidad and Tobago" stays whole
            for gap in _SPLIT.finditer(text, start, ent.end_char):
                items.append((pos, gap.start(), None, None))
                pos = gap.end()
            items.append((pos, ent.end_char, None, None))
        elif ent.label_ in _PLACE_LABELS:
            items.append((start, _hyphen_extended(doc, ent, covered), ent.label_, ent))
        elif ent.label_ in _MISLABELS and not ent[-1].text[:1].isupper():
            # "Mora in" tagged ORG, "Macomia in" WORK_OF_ART: the capitalised words alone may be a place after a cue
            caps = [t for t in ent if t.text[:1].isupper() and t.is_alpha]
            if caps and caps[0].i == ent.start:
                last = caps[0]
                for t in ent[1:]:
                    if not (t.text[:1].isupper() and t.is_alpha):
                        break
                    last = t
                items.append((ent.start_char, last.idx + len(last), ent.label_, ent))
        elif ent.label_ in _MISLABELS and not _SPLIT.search(text, start, ent.end_char):
            items.append((start, _hyphen_extended(doc, ent, covered), ent.label_, ent))
        elif ent.label_ in _MISLABELS:  # "Kharkiv and Odesa" tagged as one WORK_OF_ART: one item per name
            pos = start
            for gap in _SPLIT.finditer(text, start, ent.end_char):
                items.append((pos, gap.start(), ent.label_, ent))
                pos = gap.end()
            items.append((pos, ent.end_char, ent.label_, ent))
    if gazetteer is not None:
        i = 0
        while i < len(doc):
            if i in covered or not (doc[i].text[:1].isupper() and doc[i].is_alpha) or doc[i].lower_ in _OPENERS:
                i += 1  # "In Eldoret, the protests turned violent": the capitalised preposition is no part of a name
                continue
            j = _run_end(doc, i, covered)
            joined = _hyphen_end(doc, j, covered)
            if joined is not None:
                # "Ye-U", "Dasht-e-Barchi": one hyphenated name; its first part alone ("Ye") is another place.
                # Two names joined ("the Spin Boldak-Chaman crossing") are each a place when neither is a stub.
                if _known(gazetteer, text[doc[i].idx:doc[joined].idx + len(doc[joined])]):
                    items.append((doc[i].idx, doc[joined].idx + len(doc[joined]), None, None))
                    i = joined + 1
                    continue
                if not _two_names(doc, i, j, joined):
                    i = joined + 1
                    continue
            items.append((doc[i].idx, doc[j].idx + len(doc[j]), None, None))
            i = j + 1
    items.sort(key=lambda x: x[0])
    spans: list[tuple[int, int]] = []
    for start, end, label, ent in items:
        if _ORG_HEAD.match(text, end):
            continue  # "the Los Lobos gang", "Kirkuk Brigade": the name is an organisation's
        if label in _PLACE_LABELS:
            if not is_non_place(ent, text):
                spans.append((start, end))
        elif gazetteer is not None and _accept_extra(text, start, end, gazetteer, label, spans):
            spans.append((start, end))
    return sorted(spans)
