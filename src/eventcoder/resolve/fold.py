"""Name folding for gazetteer keys: one function for index keys and queries alike.

``basic_fold`` makes spelling-insensitive text (case, diacritics, apostrophes,
hyphens, leading Arabic article). ``fold`` adds a cheap transliteration
normaliser so common romanisation variants of the same name collide
(Makhmour/Makhmur/Mexmur, Qarachogh/Qarachokh, Tal Afar/Tall Afar/Talafar).
The normaliser is deliberately lossy; callers rank exact ``basic_fold`` matches
above normalised-only ones to undo the over-merging it causes.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Latin letters that NFKD does not decompose into ASCII + combining marks.
_SPECIAL_LOWER = {
    "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ı": "i",
    "þ": "th", "ð": "d", "ħ": "h", "ŧ": "t", "ŋ": "n", "ə": "e", "ɨ": "i",
    "ʉ": "u", "ɛ": "e", "ɔ": "o", "ƙ": "k", "ɗ": "d", "ɓ": "b", "ƴ": "y",
}
_SPECIAL = str.maketrans({**_SPECIAL_LOWER, **{k.upper(): v.capitalize() for k, v in _SPECIAL_LOWER.items()
                                               if len(k.upper()) == 1 and k.upper() != k}})
# Apostrophe-like marks (ayn, hamza, quotes) carry no letter in English news.
_APOSTROPHES = re.compile(r"[\u0027\u0060\u00b4\u2018\u2019\u201b\u02bb\u02bc\u02bd\u02be\u02bf\u02b9\u02c8\u2032]")
_SEPARATORS = re.compile(r"[^a-z0-9]+")
# Leading Arabic article (al-, el-, and the sun-letter assimilations ad-, ash-, ...).
_ARTICLE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|ed|es|et|ez) (?=\S{2,})")
# Transliteration rules, applied in order to each word.
# g/k/q merge on purpose: Arabic qaf is written q, k or g (Qayyarah/Gayara, Baghdad/Bagdad).
_DIGRAPHS = (("ou", "u"), ("oo", "u"), ("ee", "i"), ("kh", "k"), ("gh", "k"),
             ("dh", "d"), ("th", "t"), ("sh", "s"), ("ch", "c"), ("ph", "f"),
             ("dj", "j"), ("x", "k"), ("q", "k"), ("g", "k"), ("ck", "k"))
_VOWELS = str.maketrans({"e": "a", "o": "u", "y": "i"})
_DOUBLES = re.compile(r"(.)\1+")


def strip_diacritics(text: str) -> str:
    """Return ``text`` with combining marks removed and special Latin letters spelled out."""
    if text.isascii():
        return text  # nothing to decompose or spell out (most names; the loader folds millions)
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    decomposed = decomposed.translate(_SPECIAL)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def is_latin(text: str) -> bool:
    """True when every letter of ``text`` is Latin script (after stripping diacritics)."""
    return all(ch.isascii() for ch in strip_diacritics(text) if ch.isalpha())


@lru_cache(maxsize=200_000)
def basic_fold(name: str) -> str:
    """Casefold, strip diacritics and apostrophes, hyphens to spaces, drop a leading article."""
    text = strip_diacritics(name.casefold())
    text = _APOSTROPHES.sub("", text)
    text = _SEPARATORS.sub(" ", text).strip()
    return _ARTICLE.sub("", text)


@lru_cache(maxsize=200_000)
def _translit_word(word: str) -> str:
    """Normalise one folded word's romanisation (digraphs, vowel classes, doubles, final h)."""
    for src, dst in _DIGRAPHS:
        if src in word:
            word = word.replace(src, dst)
    if len(word) > 3 and word.endswith("h") and word[-2] in "aeiouy":
        word = word[:-1]  # Halabjah/Halabja, Hillah/Hilla
    word = word.translate(_VOWELS)
    return _DOUBLES.sub(r"\1", word)  # Tall/Tal, Hilla/Hila


@lru_cache(maxsize=200_000)
def fold_words(name: str) -> str:
    """Basic fold plus transliteration per word, keeping word boundaries (for text search)."""
    return " ".join(_translit_word(w) for w in basic_fold(name).split())


@lru_cache(maxsize=200_000)
def fold(name: str) -> str:
    """The gazetteer key: ``fold_words`` with spaces removed (Tal Afar == Talafar)."""
    return fold_words(name).replace(" ", "")


def fold_text(text: str) -> str:
    """Fold running text word by word (uncached, for long texts), padded with spaces.

    The result supports whole-word containment tests such as
    ``f" {fold_words(name)} " in fold_text(text)``.
    """
    words = _SEPARATORS.sub(" ", _APOSTROPHES.sub("", strip_diacritics(text.casefold()))).split()
    return " " + " ".join(_translit_word(w) for w in words) + " "
