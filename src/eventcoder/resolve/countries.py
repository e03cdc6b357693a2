"""Country data (ISO codes, ACLED names and regions) and country mentions in text.

Also holds the small word-level matching helpers (tokenize, PhraseIndex) that
the actor resolver shares: matching whole words on folded tokens is faster
and safer than big regex alternations (no "IS" inside "ISIS", no "Niger"
inside "Nigeria").
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

import yaml

from eventcoder.errors import DataFileError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
COUNTRIES_FILE = DATA_DIR / "countries.yaml"

V = TypeVar("V")

# Dotted abbreviations ("U.S.", "U.N.") first so they become one token "US";
# then words, keeping inner apostrophes ("Asa'ib", "People's").
_TOKEN_RE = re.compile(
    r"(?<![^\W_])[A-Za-z](?:\.[A-Za-z])+\.?(?![^\W_])"
    r"|[^\W_]+(?:['\u2019\u2018`][^\W_]+)*"
)
_APOSTROPHES = "'\u2019\u2018`"


@dataclass(frozen=True)
class Token:
    """A word of a text: folded form (case kept), lower-cased form and offsets."""

    text: str
    lower: str
    start: int
    end: int


def strip_accents(s: str) -> str:
    """Remove diacritics ("Türkiye" -> "Turkiye")."""
    if s.isascii():
        return s
    decomposed = unicodedata.normalize("NFKD", s)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokenize(text: str) -> list[Token]:
    """Split text into folded word tokens with character offsets into the original."""
    return list(_tokenize(text))


@functools.lru_cache(maxsize=4096)
def _tokenize(text: str) -> tuple[Token, ...]:
    # Cached: the actor, country and place resolvers tokenize the same sentences again and again.
    tokens: list[Token] = []
    for m in _TOKEN_RE.finditer(text):
        raw, start, end = m.group(), m.start(), m.end()
        if "." in raw:  # "U.S." -> "US"
            folded = raw.replace(".", "")
        else:
            # A possessive "'s" is not part of the name: "Iraq's army" -> "Iraq".
            if len(raw) > 2 and raw[-2] in _APOSTROPHES and raw[-1] in "sS":
                raw = raw[:-2]
                end -= 2
            folded = strip_accents(raw)
            for a in _APOSTROPHES:
                folded = folded.replace(a, "")
        if folded:
            tokens.append(Token(folded, folded.lower(), start, end))
    return tuple(tokens)


def fold_key(text: str) -> tuple[str, ...]:
    """Lower-cased token tuple of a phrase: the case-insensitive lookup key."""
    return tuple(t.lower for t in tokenize(text))


def exact_key(text: str) -> tuple[str, ...]:
    """Case-kept token tuple of a phrase: the case-sensitive lookup key."""
    return tuple(t.text for t in tokenize(text))


class PhraseIndex(Generic[V]):
    """Multi-word phrases -> values, matched as whole token sequences."""

    def __init__(self) -> None:
        self._values: dict[tuple[str, ...], list[V]] = {}
        # first word -> phrase lengths starting with it, longest first
        self._lengths: dict[str, list[int]] = {}

    def add(self, key: tuple[str, ...], value: V) -> None:
        """Index value under a token tuple (several values may share a key)."""
        if not key:
            return
        values = self._values.setdefault(key, [])
        if value not in values:
            values.append(value)
        lengths = self._lengths.setdefault(key[0], [])
        if len(key) not in lengths:
            lengths.append(len(key))
            lengths.sort(reverse=True)

    def get(self, key: tuple[str, ...]) -> list[V]:
        """Values stored under exactly this key."""
        return self._values.get(key, [])

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def matches(self, words: Sequence[str]) -> list[tuple[int, int, list[V]]]:
        """At every start token, the longest indexed phrase: (first, last+1, values)."""
        found: list[tuple[int, int, list[V]]] = []
        n = len(words)
        for i, w in enumerate(words):
            for length in self._lengths.get(w, ()):
                if i + length <= n:
                    vals = self._values.get(tuple(words[i:i + length]))
                    if vals:
                        found.append((i, i + length, vals))
                        break
        return found


def select_longest(cands: Iterable[tuple[int, int, V]]) -> list[tuple[int, int, V]]:
    """Keep the longest non-overlapping spans (ties: leftmost), sorted by start."""
    chosen: list[tuple[int, int, V]] = []
    taken: set[int] = set()
    for c in sorted(cands, key=lambda c: (-(c[1] - c[0]), c[0])):
        span = range(c[0], c[1])
        if not any(i in taken for i in span):
            chosen.append(c)
            taken.update(span)
    return sorted(chosen, key=lambda c: c[0])


@dataclass(frozen=True)
class CountryInfo:
    """A country with its codes, ACLED English name and ACLED region."""

    name: str
    iso2: str
    iso3: str
    isonumeric: int | None
    region: str
    # ACLED writes "the" after "of" for some ("Military Forces of the United States").
    article: bool = False
    demonyms: tuple[str, ...] = field(default=(), compare=False)
    variants: tuple[str, ...] = field(default=(), compare=False)

    def of_name(self) -> str:
        """The name as it follows "of" in ACLED actor names ("the United States")."""
        return f"the {self.name}" if self.article else self.name


@dataclass
class _CountryData:
    """Loaded country table plus lookup indexes."""

    by_iso2: dict[str, CountryInfo]
    by_iso3: dict[str, CountryInfo]
    by_name: dict[tuple[str, ...], CountryInfo]  # folded names, variants, demonyms
    exact: PhraseIndex[str]  # case-sensitive forms for find_countries
    upper: PhraseIndex[str]  # ALL-CAPS forms for headlines ("IRAQ")
    demonym_keys: frozenset[tuple[str, ...]]


def _country_from_record(rec: object, i: int, path: Path) -> CountryInfo:
    """Validate one YAML record into a CountryInfo."""
    if not isinstance(rec, dict):
        raise DataFileError(f"{path}: country entry {i}: expected a mapping")
    try:
        return CountryInfo(
            name=str(rec["name"]), iso2=str(rec["iso2"]).upper(), iso3=str(rec["iso3"]).upper(),
            isonumeric=int(rec["isonumeric"]) if rec.get("isonumeric") is not None else None,
            region=str(rec["region"]), article=bool(rec.get("article", False)),
            demonyms=tuple(rec.get("demonyms") or ()), variants=tuple(rec.get("variants") or ()),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(f"{path}: country entry {i} ({rec.get('iso2')}): bad or missing field {exc}") from exc


@functools.lru_cache(maxsize=1)
def _data() -> _CountryData:
    """Load and index countries.yaml once per process."""
    try:
        raw = yaml.safe_load(COUNTRIES_FILE.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{COUNTRIES_FILE}: cannot read country data: {exc}") from exc
    infos = [_country_from_record(r, i, COUNTRIES_FILE) for i, r in enumerate(raw["countries"], 1)]
    by_name: dict[tuple[str, ...], CountryInfo] = {}
    exact: PhraseIndex[str] = PhraseIndex()
    upper: PhraseIndex[str] = PhraseIndex()
    demonyms: set[tuple[str, ...]] = set()
    # Official names before variants before demonyms, so an ambiguous form
    # goes to the country whose own name it is.
    for kind in ("name", "variants", "demonyms"):
        for c in infos:
            forms = [c.name] if kind == "name" else list(getattr(c, kind))
            for form in forms:
                by_name.setdefault(fold_key(form), c)
                exact.add(exact_key(form), c.iso2)
                if len(form) >= 4:
                    upper.add(tuple(w.upper() for w in exact_key(form)), c.iso2)
                if kind == "demonyms":
                    demonyms.add(fold_key(form))
    return _CountryData(
        by_iso2={c.iso2: c for c in infos}, by_iso3={c.iso3: c for c in infos},
        by_name=by_name, exact=exact, upper=upper, demonym_keys=frozenset(demonyms),
    )


def all_countries() -> list[CountryInfo]:
    """Every known country, in ISO2 order."""
    return sorted(_data().by_iso2.values(), key=lambda c: c.iso2)


@functools.lru_cache(maxsize=4096)
def country_info(code_or_name: str) -> CountryInfo | None:
    """Look a country up by ISO2, ISO3, name, variant or demonym (case-insensitive)."""
    if not code_or_name:
        return None
    data = _data()
    s = code_or_name.strip()
    up = s.upper()
    if len(s) == 2 and up in data.by_iso2:
        return data.by_iso2[up]
    if len(s) == 3 and up in data.by_iso3:
        return data.by_iso3[up]
    key = fold_key(s)
    if key and key[0] == "the" and key not in data.by_name:
        key = key[1:]
    return data.by_name.get(key)


def is_demonym(word: str) -> bool:
    """True when the word is a nationality adjective ("Iraqi", "Turkish")."""
    return fold_key(word) in _data().demonym_keys


# Words that turn a country name into something else: "New Mexico",
# "Latin America", "South America", "New Jersey", "New South Wales".
_BLOCKING_PREV = frozenset({"New", "Latin", "South", "North", "Central", "Lake"})
# a country name inside a place's name: "Lake Chad", "Mexico City", "the Gulf of Guinea", "the Chad Basin"
_BLOCKING_NEXT = frozenset({"City", "Basin", "Canal"})
_BLOCKING_OF = frozenset({"Gulf", "Sea", "Bay"})


def find_countries(text: str) -> list[tuple[int, int, str]]:
    """Country names, variants and demonyms in text as (start, end, iso2)."""
    return find_countries_in_tokens(tokenize(text))


def find_countries_in_tokens(tokens: Sequence[Token]) -> list[tuple[int, int, str]]:
    """find_countries over already tokenized text."""
    data = _data()
    words = [t.text for t in tokens]
    # Only runs of ALL-CAPS words may match the upper-case forms.
    upper_words = [w if w.isupper() else "\0" for w in words]
    cands = [(i, j, v[0]) for i, j, v in data.exact.matches(words)]
    cands += [(i, j, v[0]) for i, j, v in data.upper.matches(upper_words)]
    out: list[tuple[int, int, str]] = []
    for i, j, iso2 in select_longest(cands):
        if i > 0 and tokens[i - 1].text in _BLOCKING_PREV or j < len(tokens) and tokens[j].text in _BLOCKING_NEXT \
                or i > 1 and tokens[i - 1].lower == "of" and tokens[i - 2].text in _BLOCKING_OF:
            continue
        out.append((tokens[i].start, tokens[j - 1].end, iso2))
    return out
