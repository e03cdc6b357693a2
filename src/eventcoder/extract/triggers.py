"""Find trigger phrases of the lexicon in a parsed sentence."""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from eventcoder.extract.lexicon import Lexicon, Trigger

# Entities whose words are names, never triggers ("Operation Inherent Resolve", "March 3").
_NAME_ENTS = {"ORG", "PERSON", "GPE", "LOC", "FAC", "WORK_OF_ART", "EVENT", "LAW", "DATE", "NORP"}


@dataclass
class Match:
    """A trigger found in a sentence: the tokens and their syntactic head."""

    trigger: Trigger
    tokens: list[Token]

    @property
    def head(self) -> Token:
        """The token of the match that governs the others (its root)."""
        ids = {t.i for t in self.tokens}
        for t in self.tokens:
            if t.head.i not in ids or t.head.i == t.i:
                return t
        return self.tokens[0]

    @property
    def start_char(self) -> int:
        return self.tokens[0].idx

    @property
    def end_char(self) -> int:
        last = self.tokens[-1]
        return last.idx + len(last.text)


def _word_key(tok: Token) -> tuple[str, str]:
    """Lemma and lowercase form of a token, the two ways a trigger word may match."""
    return tok.lemma_.lower(), tok.lower_


def _is_name(tok: Token) -> bool:
    """True when the token belongs to a named entity or is a proper noun."""
    return tok.ent_type_ in _NAME_ENTS or (tok.pos_ == "PROPN" and not tok.is_upper)


def find_triggers(sent: SpacySpan, lexicon: Lexicon) -> list[Match]:
    """All non-overlapping trigger matches in a sentence, longest first at each position."""
    words = [t for t in sent if t.text != "-" and not t.is_space]
    keys = [_word_key(t) for t in words]
    matches: list[Match] = []
    i = 0
    while i < len(words):
        m = _match_at(words, keys, i, lexicon)
        if m is None:
            i += 1
            continue
        matches.append(m)
        i += len(m.tokens)
    return matches


def _match_at(words: list[Token], keys: list[tuple[str, str]], i: int, lexicon: Lexicon) -> Match | None:
    """The longest trigger starting at word i, or None."""
    for form in dict.fromkeys(keys[i]):
        for trig in lexicon.by_first.get(form, ()):
            n = len(trig.lemmas)
            if i + n > len(words):
                continue
            if all(trig.lemmas[k] in keys[i + k] for k in range(n)):
                toks = words[i:i + n]
                if n == 1 and _is_name(toks[0]):
                    continue
                return Match(trig, toks)
    return None


def has_non_event_cue(sent: SpacySpan, lexicon: Lexicon) -> bool:
    """True when the sentence speaks of a disaster, accident or sport, not political violence."""
    lemmas = [t.lemma_.lower() for t in sent]
    cues = lexicon.non_event_by_first
    for i, lemma in enumerate(lemmas):
        for cue in cues.get(lemma, ()):
            if tuple(lemmas[i:i + len(cue)]) == cue:
                return True
    return False
