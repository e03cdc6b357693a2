"""Modality: is a trigger reported as having happened, or threatened, planned, denied, past?"""
from __future__ import annotations

import re

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

_THREAT = {"threaten", "vow", "warn", "pledge", "promise", "swear", "menace"}
_PLAN = {"plan", "intend", "prepare", "aim", "seek", "want", "decide", "schedule", "expect",
         "propose", "call", "urge", "demand", "hope", "try", "attempt", "consider", "order",
         "ask", "appeal", "push", "agree", "ready", "prepared", "poised", "willing", "determined", "able"}
_DENY = {"deny", "reject", "dismiss", "refute", "disavow"}
_HYPO_AUX = {"could", "might", "would", "may", "should", "must"}
_FUTURE_AUX = {"will", "shall", "'ll", "wo"}
_FEAR = {"fear", "worry"}
# Heads under which an infinitive describes what is allowed or agreed, not what happened.
_PERMIT = _PLAN | {"allow", "permit", "authorize", "authorise", "agreement", "deal", "accord", "sign",
                   "commit", "mandate", "plan", "approve", "vote", "promise", "pledge"}
# Dependencies through which a clause is the content of the verb above it.
_EMBED = {"xcomp", "ccomp", "dobj", "pobj", "prep", "acl", "advcl", "compound", "amod", "nsubj", "nsubjpass"}
# Sentences that describe a pattern over time rather than one incident.
_GENERIC = re.compile(
    r"\b(?:has|have) (?:witnessed|seen|suffered|experienced|faced|carried out|conducted|"
    r"been (?:the )?(?:scene|target|site))|\b(?:in recent (?:months|years|weeks)|"
    r"over the (?:past|last) (?:few |several |two |three )?(?:months|years|decades?)|"
    r"(?:over|during|in) the same period|"
    r"for (?:years|decades|months)|repeatedly|frequently|a series of|a spate of|"
    r"a wave of|history of|since the (?:fall|rise|defeat|start|beginning)|"
    r"for (?:more than |over |nearly |almost |about )?(?:\d+|two|three|four|five|six|seven|eight|nine|ten|"
    r"fifteen|twenty|several|many) (?:years|decades|months)|for (?:more than |over |nearly |almost )?a (?:decade|year)|"
    r"(?:has|have) long)\b", re.I)
# For plural triggers ("kidnappings have been reported since then"): a pattern, not one incident.
_PLURAL_GENERIC = re.compile(r"\b(?:since (?:then|(?:19|20)\d\d)|(?:has|have) (?:\w+ly )?(?:been|become|\w+ed|seen|made|done)|"
                             r"are (?:common|frequent|rare)|often|usually|regularly|routinely)\b", re.I)
_HISTORY = re.compile(
    r"\b(?:following the (?:rise|fall|defeat|collapse)|back in|years ago|decades ago|"
    r"in the past(?!\s+(?:(?:\d+|few|several|two|three|four|five|six|seven|ten|24|48|72)\s+)?(?:hours?|days?|"
    r"nights?|weeks?|weekend|month)\b)|during the (?:war|conflict|occupation|civil war)|at the height of|"
    r"formerly|once controlled|previously controlled|(?:since|in|during) (?:19|20)\d\d, when)\b", re.I)
# Judgements about an activity ("operations were a violation") are opinion, not reports.
_JUDGEMENT = {"violation", "breach", "mistake", "crime", "threat", "success", "failure", "illegal",
              "unacceptable", "necessary", "justified", "legitimate", "provocation", "sign", "step"}


def _pushed_back(tok: Token) -> bool:
    """'were pushed back after a gunfight': repelled, not 'pushing for' something."""
    return tok.lemma_.lower() == "push" and any(c.lower_ == "back" or c.dep_ == "auxpass" for c in tok.children)


def _ancestors(tok: Token, hops: int = 4) -> list[Token]:
    """The chain of syntactic heads above a token, nearest first."""
    out, cur = [], tok
    for _ in range(hops):
        if cur.head.i == cur.i:
            break
        cur = cur.head
        out.append(cur)
    return out


def _auxes(tok: Token) -> set[str]:
    """Lowercase auxiliaries and markers attached to a token."""
    return {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass", "mark", "neg")}


_NOTHING_HAPPENED = {"incident", "violence", "trouble", "arrest", "casualty", "injury", "problem"}


def _negated_noun(trigger: Token, chain: list[Token]) -> bool:
    """'no arrests', 'without making any arrests', 'nobody was arrested'."""
    if any(c.lower_ == "no" for c in trigger.children if c.dep_ in ("det", "neg")):
        return True
    # "dispersed without incident" did not happen as an event; "took the town without a fight" did
    if any(c.lower_ == "without" and any(o.lemma_.lower() in _NOTHING_HAPPENED for o in c.children)
           for c in trigger.children if c.dep_ == "prep"):
        return True
    if any(t.lower_ == "without" for t in chain[1:4]):
        return True
    subj = [c for c in trigger.children if c.dep_ in ("nsubj", "nsubjpass")]
    return any(c.lower_ in ("nobody", "none", "no-one") or
               any(d.lower_ == "no" for d in c.children if d.dep_ == "det") for c in subj)


# A noun trigger under these words names an existing state of affairs, not a new event
# ("a blow to a fragile peace deal", "in violation of the ceasefire", "despite the truce").
_REFERENCE_PREPS = {"despite", "since", "over"}
_REFERENCE_HEADS = {"blow", "violation", "breach", "collapse", "terms", "threat", "end", "risk", "part",
                    "setback", "test", "future", "implementation", "fate", "violations", "breaches"}


# Courts try past events: what a verdict or charge is about was told when it happened.
_LEGAL = {"convict", "acquit", "sentence", "charge", "indict", "prosecute", "jail", "imprison", "arraign"}
# "deployed under the ceasefire arrangements": living under an accord is not making one ("came under attack" is
# an attack, so only accords)
_ACCORDS = {"ceasefire", "truce", "deal", "agreement", "accord", "arrangement", "pact"}


def _referenced(trigger: Token) -> bool:
    """True for a noun trigger that refers to an earlier or ongoing event ('a blow to the peace deal'), and for
    the verb of a relative clause on such a noun ('convicted over the bombings that killed seven people')."""
    if trigger.dep_ == "relcl" and trigger.head is not trigger and trigger.head.pos_ in ("NOUN", "PROPN"):
        return _referenced(trigger.head)
    noun = trigger.head if trigger.dep_ == "compound" else trigger
    if noun.pos_ not in ("NOUN", "PROPN") or noun.dep_ != "pobj":
        return False
    prep = noun.head
    if prep.lower_ == "under" and (noun.lemma_.lower() in _ACCORDS or trigger.lemma_.lower() in _ACCORDS):
        return True
    return prep.lower_ in _REFERENCE_PREPS or prep.head.lemma_.lower() in _REFERENCE_HEADS


def modality(trigger: Token, sent: SpacySpan) -> str:
    """Classify how the sentence presents the trigger's event."""
    chain = [trigger] + _ancestors(trigger)
    if _negated_noun(trigger, chain):
        return "negated"
    if _referenced(trigger):
        return "referenced"
    if _perceived(trigger):
        return "perceived"
    if _is_judged(trigger):
        return "opinion"
    if trigger.dep_ == "relcl" and trigger.tag_ in ("VBP", "VBZ") and not _auxes(trigger):
        return "habitual"  # "the Wazalendo, armed groups that fight alongside the army": what they do, not an event
    if trigger.dep_ == "relcl" and trigger.tag_ == "VBN" and _auxes(trigger) & {"has", "have"}:
        return "habitual"  # "the Islamic State Sahel Province, which has fought a turf war with JNIM": who it is
    infinitive = False
    for i, tok in enumerate(chain):
        lemma = tok.lemma_.lower()
        if i > 0:
            embedded = chain[i - 1].dep_ in _EMBED
            if embedded and lemma in _DENY:
                return "denied"
            if embedded and lemma in _THREAT:
                return "threatened"
            if embedded and lemma in _PLAN and tok.i < trigger.i and not _pushed_back(tok):
                return "planned"
            if embedded and lemma in _FEAR:
                return "hypothetical"
            if lemma in _LEGAL and tok.pos_ == "VERB" and any(t.dep_ == "prep" and t.lower_ in ("over", "for", "of", "with")
                                                              for t in chain[1:i]):
                return "referenced"  # "convicted four men of murder over the bombings": a trial of a past event
            if embedded and lemma in ("continue", "keep") and (tok.tag_ in ("VBP", "VBZ") or _auxes(tok) & {"has", "have"}):
                return "habitual"  # "the Maoists have continued to ambush patrols": a pattern ("continued to
                # shell the town on Sunday" is an event)
        if i > 1:
            if i <= 3 and tok.pos_ in ("VERB", "AUX") and all(t.dep_ in ("prep", "pobj") for t in chain[1:i]) \
                    and _auxes(tok) & (_FUTURE_AUX | {"would"}):
                return "planned"  # "workers said they would halt services in protest"
            continue
        aux = _auxes(tok)
        if aux & {"not", "n't", "never"} and (i == 0 or tok.pos_ in ("VERB", "AUX")):
            return "negated"
        if aux & {"if", "unless", "whether"}:
            return "hypothetical"
        if tok.pos_ in ("VERB", "AUX") and aux & _HYPO_AUX and "have" not in aux:
            return "hypothetical"
        if tok.pos_ in ("VERB", "AUX") and aux & _FUTURE_AUX:
            return "planned"
        if tok.pos_ == "VERB" and "to" in aux and tok.dep_ in ("xcomp", "advcl", "acl", "ccomp"):
            infinitive = True  # a purpose clause: "agreed ... to clear landmines"
    if infinitive and any(t.lemma_.lower() in _PERMIT for t in chain[1:]):
        return "planned"
    return _sentence_modality(trigger, sent)


def _sentence_modality(trigger: Token, sent: SpacySpan) -> str:
    """Sentence-level cues: background history and generic descriptions of a pattern."""
    text = sent.text
    if _HISTORY.search(text):
        return "historical"
    if _GENERIC.search(text):
        return "generic"
    if _is_quantified_plural(trigger):
        return "generic"
    noun = trigger.head if trigger.dep_ == "compound" else trigger
    if noun.tag_ == "NNS" and _PLURAL_GENERIC.search(text):
        return "generic"
    return "asserted"


_SOUNDS = {"explosion", "blast", "gunfire", "gunshot", "shot", "bang", "detonation"}


def _perceived(tok: Token) -> bool:
    """'Residents reported hearing explosions', 'the sound of gunfire', 'mortar explosions were heard': a sound
    heard, not an event told."""
    while tok.dep_ in ("compound", "amod", "conj") and tok.head is not tok and tok.lemma_.lower() not in _SOUNDS:
        tok = tok.head  # "mortar explosions", "gunfire and mortar explosions"
    if tok.lemma_.lower() not in _SOUNDS:
        return False
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head  # the first of the sounds heard carries the verb
    if tok.dep_ in ("dobj", "nsubjpass") and tok.head.lemma_.lower() == "hear":
        return True
    return tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in ("sound", "noise")


def _is_judged(tok: Token) -> bool:
    """A noun trigger that is the subject of a judgement ('the strikes were a violation')."""
    if tok.dep_ != "nsubj" or tok.head.lemma_ != "be":
        return False
    return any(c.lemma_.lower() in _JUDGEMENT for c in tok.head.children if c.dep_ in ("attr", "acomp"))


def _is_quantified_plural(tok: Token) -> bool:
    """True for 'several attacks', 'many kidnappings': a pattern, not one incident."""
    if tok.tag_ not in ("NNS",):
        return False
    return any(c.lower_ in {"several", "many", "numerous", "repeated", "frequent", "multiple",
                            "countless", "recurring", "previous", "past", "earlier", "regular",
                            "periodic", "occasional", "sporadic"}
               for c in tok.children)
