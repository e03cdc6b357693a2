"""The exact lexical prefilter: which sentences can hold a trigger, derived from the model itself.

`extract.triggers.find_triggers` matches a trigger when, for every word of the
trigger, some token's lemma or lowercase form equals that word. spaCy's
English lemmatizer (rule mode) gives a token a lemma in only a few ways: the
lowercase text itself, an entry of its exception table ("struck" -> strike,
"went" -> go), a suffix rule (lemma = text minus `old` plus `new`, e.g.
"killing" -> kill, "gunmen" -> gunman), or a fixed lemma from the attribute
ruler ("gonna" -> go). Inverting those tables gives, for each trigger word,
the finite set of surface words that can carry it. A sentence is kept when
every word of at least one trigger has one of its surface words in the
sentence; a dropped sentence therefore cannot produce a trigger match, so no
event is lost (tests/test_prefilter.py checks this on the gold sets), while
ordinary news (markets, sport, weather) is mostly skipped.

Models whose lemmas come from anything else (a trainable lemmatizer, an
unknown component) get the lexicon's looser regex prefilter instead.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.language import Language

from eventcoder.extract.lexicon import Lexicon

_LETTERS = re.compile(r"[^\W\d_]+")
# Components known not to set lemmas (or, for these two, whose tables are inverted here).
_LEMMA_SAFE = {"tok2vec", "tagger", "parser", "ner", "senter", "sentencizer", "morphologizer",
               "entity_ruler", "span_ruler", "entity_linker", "textcat", "textcat_multilabel",
               "spancat", "transformer", "attribute_ruler", "lemmatizer"}


@dataclass(frozen=True)
class TriggerPrefilter:
    """Sentence test built from the trigger lexicon and the model's lemmatizer tables."""

    surface_to_words: dict[str, frozenset[str]]  # surface word -> trigger words it can carry
    triggers_by_word: dict[str, tuple[frozenset[str], ...]]  # trigger word -> word sets of triggers

    def __call__(self, text: str) -> bool:
        """True when the text can hold a match of some trigger (all its words have a carrier)."""
        present: set[str] = set()
        lookup = self.surface_to_words
        for w in set(_LETTERS.findall(text.lower())):
            words = lookup.get(w)
            if words:
                present |= words
        if not present:
            return False
        for word in present:
            for needed in self.triggers_by_word[word]:
                if needed <= present:
                    return True
        return False


def _lemmatizer_surfaces(nlp: Language) -> Callable[[str], set[str]] | None:
    """A function word -> surface words whose lemma can be that word, or None if unknown."""
    if any(name not in _LEMMA_SAFE for name in nlp.pipe_names):
        return None
    inverse: dict[str, set[str]] = {}
    rules: list[tuple[str, str]] = []
    if "lemmatizer" in nlp.pipe_names:
        lem = nlp.get_pipe("lemmatizer")
        mode = getattr(lem, "mode", None)
        tables = getattr(lem, "lookups", None)
        if tables is None or mode not in ("rule", "lookup"):
            return None
        names = ("lemma_exc", "lemma_rules") if mode == "rule" else ("lemma_lookup",)
        for name in names:
            if not tables.has_table(name):
                continue
            table = tables.get_table(name)
            if name == "lemma_lookup":
                for surface, lemma in table.items():
                    inverse.setdefault(str(lemma).lower(), set()).add(str(surface).lower())
            elif name == "lemma_exc":
                for per_pos in table.values():
                    for surface, lemmas in per_pos.items():
                        for lemma in lemmas:
                            inverse.setdefault(lemma.lower(), set()).add(surface.lower())
            else:
                for per_pos in table.values():
                    rules.extend((old, new) for old, new in per_pos)
    if "attribute_ruler" in nlp.pipe_names:
        for pattern in nlp.get_pipe("attribute_ruler").patterns:
            lemma = pattern.get("attrs", {}).get("LEMMA")
            if not lemma:
                continue
            for toks in pattern["patterns"]:
                texts = [str(t.get("LOWER", t.get("ORTH", ""))).lower() for t in toks]
                if not all(texts):  # a pattern that does not pin the words: cannot invert
                    return None
                index = pattern.get("index", 0)
                carriers = inverse.setdefault(lemma.lower(), set())
                carriers.add(texts[index])
                carriers.add("".join(texts))  # "gon" "na" is one word here: "gonna"

    def surfaces(word: str) -> set[str]:
        out = {word} | inverse.get(word, set())
        for old, new in rules:
            if word.endswith(new) and len(word) > len(new):
                out.add(word[:len(word) - len(new)] + old)
        # Words are compared as letter runs, so strip anything else from the carriers.
        return {"".join(_LETTERS.findall(s)) for s in out} - {""}

    return surfaces


def build_prefilter(lexicon: Lexicon, nlp: Language) -> Callable[[str], bool]:
    """The exact prefilter for this lexicon and model, or the lexicon's regex when not derivable."""
    surfaces = _lemmatizer_surfaces(nlp)
    triggers = [t for group in lexicon.by_first.values() for t in group]
    if surfaces is None or not all(_LETTERS.fullmatch(w) for t in triggers for w in t.lemmas):
        return lexicon.could_hold_event
    surface_to_words: dict[str, set[str]] = {}
    by_word: dict[str, set[frozenset[str]]] = {}
    for t in triggers:
        needed = frozenset(t.lemmas)
        for word in needed:
            by_word.setdefault(word, set()).add(needed)
            for s in surfaces(word):
                surface_to_words.setdefault(s, set()).add(word)
    return TriggerPrefilter({s: frozenset(w) for s, w in surface_to_words.items()},
                            {w: tuple(sorted(v, key=len)) for w, v in by_word.items()})


_CACHE: dict[tuple[int, int], tuple[Lexicon, Language, Callable[[str], bool]]] = {}


def prefilter_for(lexicon: Lexicon, nlp: Language) -> Callable[[str], bool]:
    """build_prefilter, once per (lexicon, model) pair in a process."""
    key = (id(lexicon), id(nlp))
    hit = _CACHE.get(key)
    if hit is None or hit[0] is not lexicon or hit[1] is not nlp:
        hit = _CACHE[key] = (lexicon, nlp, build_prefilter(lexicon, nlp))
    return hit[2]
