"""Arguments of a trigger from the dependency parse: agent, target, place and time phrases."""
from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from eventcoder.resolve.place_spans import is_non_place
from eventcoder.vocab import Span

_SUBJ = {"nsubj", "csubj"}
_PASS_SUBJ = {"nsubjpass", "csubjpass"}
_OBJ = {"dobj", "obj", "attr", "oprd"}
_PLACE_PREPS = {"in", "near", "at", "outside", "of", "on", "around", "inside", "across",
                "into", "from", "between", "toward", "towards", "within", "to"}
_PLACE_ENTS = {"GPE", "LOC", "FAC"}
# Tokens that cut a noun phrase short: clauses and appositions hang on it but are not it.
_CUT_DEPS = {"relcl", "acl", "advcl", "appos", "punct", "cc", "conj", "prep"}


def phrase_of(tok: Token, offset: int) -> Span:
    """The noun phrase headed by tok: its pre-modifiers and an 'of' complement."""
    left = tok
    for c in tok.lefts:
        if c.dep_ not in _CUT_DEPS:
            left = c.left_edge if c.left_edge.i < left.i else left
            break
    right = tok
    for c in tok.rights:
        if c.dep_ == "prep" and c.lower_ in ("of", "from"):
            right = c.right_edge  # "members of the Islamic State", "gunmen from the Viv Ansanm gang"
        elif c.dep_ in ("compound", "amod", "nummod", "poss"):
            right = max(right, c.right_edge, key=lambda t: t.i)
        else:
            break
    doc = tok.doc
    start, end = doc[left.i].idx, doc[right.i].idx + len(doc[right.i].text)
    return Span(doc.text[start:end], start + offset, end + offset)


def _verb_of(tok: Token) -> Token:
    """The verb that carries a noun trigger's clause ('a blast killed ...' -> killed)."""
    if tok.dep_ == "pcomp" and tok.head.lower_ == "without":
        tok = tok.head
    if tok.lower_ == "without" and tok.dep_ == "prep" and tok.head.pos_ in ("VERB", "AUX"):
        return tok.head  # "entered Kayna without meeting resistance": who entered
    if tok.pos_ in ("VERB", "AUX"):
        return tok
    if tok.dep_ in _SUBJ | _PASS_SUBJ | _OBJ and tok.head.pos_ in ("VERB", "AUX"):
        return tok.head
    return tok


def _child(tok: Token, deps: set[str]) -> Token | None:
    """The first child of tok with one of the given dependency labels."""
    return next((c for c in tok.children if c.dep_ in deps), None)


def _passive_subject(verb: Token) -> Token | None:
    """The passive subject of a verb; a relative pronoun stands for the noun it refers to ('the convoy, which was
    ambushed'), and a mis-parsed 'that' of a reported clause ('informs the public that ... a unit was attacked') is
    no subject."""
    for c in verb.children:
        if c.dep_ not in _PASS_SUBJ or c.pos_ == "SCONJ":
            continue
        if c.lower_ in ("which", "that", "who") and verb.dep_ == "relcl":
            return verb.head
        return c
    return None


def _by_agent(tok: Token) -> Token | None:
    """The noun of a passive 'by X' phrase, or a noun trigger's 'by X'."""
    for c in tok.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            return _child(c, {"pobj"})
    return None


def _subject(verb: Token) -> Token | None:
    """A verb's subject, inherited from a coordinated or governing verb when missing."""
    subj = _child(verb, _SUBJ)
    cur = verb
    for _ in range(3):
        if subj is not None:
            return subj
        if cur.dep_ in ("conj", "xcomp", "advcl") and cur.head.i != cur.i:
            cur = cur.head
            subj = _child(cur, _SUBJ)
        else:
            break
    return subj


def agent_target(trigger: Token, offset: int, exclude: set[int] = frozenset()) -> tuple[Span | None, Span | None]:
    """Who acted and who was acted on, as phrases of the sentence (trigger words excluded)."""
    verb = _verb_of(trigger)
    agent = target = None
    if trigger.pos_ in ("NOUN", "PROPN") and (trigger is not verb or trigger.dep_ == "pobj"):  # "in an attack by X on Y"
        agent = _noun_modifier_agent(trigger) or _by_agent(trigger) or _fired_by(trigger)
        target = _prep_object(trigger, {"on", "against", "targeting", "with"})  # "a gunfight with police"
    if verb is not trigger and verb.lemma_.lower() in _COMMENT_VERBS:
        # "The state authorities attributed the strike to the RSF": who attributes the event did not do it
        return (_span(agent, offset), _span(target, offset))
    passive = _passive_subject(verb)
    if passive is not None:
        target = target or passive
        agent = agent or _by_agent(verb)
    else:
        subj = _subject(verb)
        if subj is not None and subj is not trigger:
            agent = agent or subj
        obj = _child(verb, _OBJ)
        if obj is not None and obj.i in exclude:
            obj = _prep_object(obj, {"of", "over"})  # "took control of the town"
        if obj is not None and obj is not trigger and obj.pos_ != "PRON":
            target = target or obj
    target = target or _prep_object(verb, {"on", "against", "with", "targeting", "at"})
    if agent is not None and (agent.like_num or agent.pos_ == "NUM"):
        agent = None  # "two soldiers were killed and three wounded": a count, not who acted
    if agent is not None and agent.pos_ == "PRON":
        agent = _speaker(verb) if agent.lower_ in ("it", "they", "we") else None
    return (_span(agent, offset), _span(target, offset))


_COMMENT_VERBS = {"attribute", "blame"}
_SPEECH = {"say", "announce", "claim", "report", "state", "confirm", "declare", "add", "tell", "insist"}


def _speaker(verb: Token) -> Token | None:
    """'The army said it had regained the town': 'it' is the army, the subject of the speech verb."""
    head = verb.head
    if verb.dep_ in ("ccomp", "xcomp", "advcl") and head.lemma_.lower() in _SPEECH:
        return _child(head, _SUBJ)
    return None


def _fired_by(noun: Token) -> Token | None:
    """'shells fired by the Houthi group landed ...': the 'by' agent of a participle describing the weapon."""
    for c in noun.children:
        if c.dep_ == "acl" and c.tag_ == "VBN":
            return _by_agent(c)
    return None


def _noun_modifier_agent(noun: Token) -> Token | None:
    """'ISIS attack', 'Turkish drone strike', "the army's operation": the modifier acts."""
    for c in noun.lefts:
        if c.dep_ in ("compound", "poss", "amod") and (c.ent_type_ in ("ORG", "NORP", "GPE") or c.pos_ == "PROPN"):
            return c
    return None


def _prep_object(tok: Token, preps: set[str]) -> Token | None:
    """The object of one of the given prepositions attached to tok (never a date or time)."""
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            obj = _child(c, {"pobj"})
            if obj is not None and obj.ent_type_ not in ("DATE", "TIME"):
                return obj
    return None


def _span(tok: Token | None, offset: int) -> Span | None:
    """The phrase headed by tok, or None."""
    return None if tok is None else phrase_of(tok, offset)


def place_spans(sent: SpacySpan, trigger: Token, offset: int) -> list[Span]:
    """Place-like entities of the sentence, nearest to the trigger first."""
    spans = []
    for ent in sent.ents:
        if ent.label_ not in _PLACE_ENTS or is_non_place(ent, sent.doc.text):
            continue
        spans.append((abs(ent.root.i - trigger.i) - (5 if _after_place_prep(ent) else 0), ent))
    spans.sort(key=lambda p: p[0])
    doc_text = sent.doc.text
    return [Span(doc_text[e.start_char:e.end_char], e.start_char + offset, e.end_char + offset)
            for _, e in spans]


def _after_place_prep(ent: SpacySpan) -> bool:
    """True when the entity is the object of a locative preposition ('in Kirkuk')."""
    head = ent.root.head
    return ent.root.dep_ == "pobj" and head.lower_ in _PLACE_PREPS
