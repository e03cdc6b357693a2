"""Type a short snippet: which ACLED sub-event type it reports, or none.

The hybrid typer (issue 4): where the trigger/pattern rules of `extract` are
sure (a reported, i.e. not negated/threatened/denied, trigger of weight >= 3
such as "suicide bomber", "airstrike", "grenade") their type stands unless the
statistical model (`eventcoder.extract.model`) all but excludes it.
Everything else is decided by the model, which also rejects non-events on
which the rules fired only weakly. The parse only runs when a rule could
change the outcome: the model leaves a second type at least 20% probable and
the snippet holds a word of a decisive trigger.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import yaml

from eventcoder.extract.lexicon import Lexicon, load_lexicon
from eventcoder.extract.mentions import extract_mentions
from eventcoder.extract.model import (DECISIVE_WEIGHT, TypeModel, hybrid_type, load_type_model, rule_score,
                                      rules_can_matter)
from eventcoder.extract.refine import refine_type
from eventcoder.resolve.actors import ActorDictionary
from eventcoder.resolve.events import target_is_place
from eventcoder.vocab import Article, Mention

_REPORTED = {"asserted"}
_STOP = {"a", "an", "the", "to", "of", "on", "up", "down", "his", "her", "in", "into", "from", "over",
         "without", "back", "-", "out", "by", "with", "himself", "herself"}


@dataclass
class Typing:
    """The type decision for one snippet; both types None when no ACLED event is reported."""

    event_type: str | None
    sub_event_type: str | None
    score: float


# Below this probability a "no event" verdict of the model yields to a clear trigger rule.
UNSURE_NONE = 0.45


def classify_text(text: str, actors: ActorDictionary, nlp=None, lexicon=None,
                  model: TypeModel | None | bool = None) -> Typing:
    """Type a snippet with the hybrid typer.

    model: a TypeModel, None for the shipped model, or False for the rules alone
    (the typing `extract` used before the model existed).
    """
    lexicon = lexicon or load_lexicon()
    if model is False:
        sub, weight = rule_typing(text, actors, nlp, lexicon)
        score = rule_score(weight) if sub else 0.0
    else:
        model = model if isinstance(model, TypeModel) else load_type_model()
        proba = model.predict_proba([text])[0]
        sub, weight = (None, 0.0)
        none_prob = float(proba[model.classes.index(None)]) if None in model.classes else 0.0
        unsure_none = int(proba.argmax()) == model.classes.index(None) and none_prob < UNSURE_NONE \
            if None in model.classes else False
        if unsure_none or (rules_can_matter(proba) and _might_be_decisive(text, lexicon)):
            sub, weight = rule_typing(text, actors, nlp, lexicon)
        rule_sub, rule_weight = sub, weight
        sub, score = hybrid_type(text, sub, weight, model, proba=proba)
        if sub is None and unsure_none and rule_sub is not None and rule_weight >= 2:
            # the model barely prefers "no event" while a clear trigger says one: the rule stands
            sub, score = rule_sub, round(1.0 - none_prob, 3)
    if sub is None:
        return Typing(None, None, 0.0)
    return Typing(lexicon.event_type_of[sub], sub, score)


def rule_typing(text: str, actors: ActorDictionary, nlp=None, lexicon: Lexicon | None = None) -> tuple[str | None, float]:
    """The rules' sub-event type of a snippet and the weight of its trigger ((None, 0) when none)."""
    mentions = [m for m in extract_mentions(Article(id="snippet", text=text), nlp, lexicon)
                if m.modality in _REPORTED]
    if not mentions:
        return None, 0.0
    best = max(mentions, key=lambda m: (m.score, -m.trigger.start))
    sub = _refined(best, actors)
    return (sub, best.score) if sub is not None else (None, 0.0)


def _refined(m: Mention, actors: ActorDictionary) -> str | None:
    """Apply the actor-dependent rules to a mention's type."""
    a1 = actors.resolve(m.agent.text, None) if m.agent else None
    a2 = actors.resolve(m.target.text, None) if m.target else None
    if a1 is None or a2 is None:
        found = actors.find_all(m.sentence.text, None)
        before = [a for a in found if (a.start or 0) + m.sentence.start < m.trigger.start]
        after = [a for a in found if (a.start or 0) + m.sentence.start >= m.trigger.start]
        a1 = a1 or (before[0] if before else None)
        a2 = a2 or (after[0] if after else None)
    return refine_type(m.sub_event_type, a1, a2, m.target.text if m.target else None, target_is_place(m))


def _might_be_decisive(text: str, lexicon: Lexicon) -> bool:
    """Cheap test: can the snippet hold a decisive trigger (so the parse is worth running)?"""
    pattern = _PREFILTERS.get(id(lexicon))
    if pattern is None:
        pattern = _PREFILTERS[id(lexicon)] = _decisive_prefilter(lexicon)
    return pattern.search(text) is not None


_PREFILTERS: dict[int, re.Pattern[str]] = {}  # by id of the (cached, long-lived) lexicon


def _decisive_prefilter(lexicon: Lexicon) -> re.Pattern[str]:
    """A regex over one word of each decisive trigger (its longest) and the irregular forms.

    Irregular forms (retook, overran, blew) are only known for the shipped
    taxonomy; with another lexicon the full trigger prefilter is used.
    """
    if lexicon is not load_lexicon():
        return lexicon.prefilter
    words: set[str] = set()
    for triggers in lexicon.by_first.values():
        for t in triggers:
            if t.weight >= DECISIVE_WEIGHT and not t.cue:
                content = [w for w in t.lemmas if w not in _STOP] or list(t.lemmas)
                words.add(_stem(max(content, key=len)))
    data = yaml.safe_load(resources.files("eventcoder.data").joinpath("taxonomy.yaml").read_text("utf-8"))
    for entries in data["triggers"].values():
        for e in entries:
            if int(e.get("weight", 2)) >= DECISIVE_WEIGHT and not e.get("cue"):
                words.update(f.lower() for f in e.get("forms", []))
    alternation = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(r"\b(?:" + alternation + r")", re.I)


def _stem(word: str) -> str:
    """A prefix matching a lemma's regular inflections (seize -> seiz, rally -> rall)."""
    return word[:-1] if len(word) > 4 and word[-1] in "ey" else word
