"""The trigger lexicon: the taxonomy data file compiled for fast matching."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from eventcoder.errors import DataFileError

_STOP = {"a", "an", "the", "to", "of", "on", "up", "down", "his", "her", "in",
         "into", "from", "over", "without", "back", "-", "out", "by", "with"}


@dataclass(frozen=True)
class Trigger:
    """One trigger phrase (lemmas) for one ACLED sub-event type."""

    lemmas: tuple[str, ...]
    sub_event_type: str
    event_type: str
    weight: int
    cue: bool = False


@dataclass
class Lexicon:
    """Triggers indexed by first lemma, the type hierarchy and the prefilter."""

    by_first: dict[str, list[Trigger]]
    event_type_of: dict[str, str]
    non_event: list[tuple[str, ...]]
    prefilter: re.Pattern[str]
    sub_event_types: list[str] = field(default_factory=list)

    non_event_by_first: dict[str, list[tuple[str, ...]]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        for cue in self.non_event:
            if cue:
                self.non_event_by_first.setdefault(cue[0], []).append(cue)

    def could_hold_event(self, text: str) -> bool:
        """Cheap lexical test: can this text hold any trigger at all?"""
        return self.prefilter.search(text) is not None


def _lemmas(phrase: str) -> tuple[str, ...]:
    """Split a phrase into the lemma sequence matched against parsed tokens."""
    return tuple(w for w in re.split(r"[\s-]+", phrase.lower()) if w)


def _stem(word: str) -> str:
    """A prefix that matches a lemma's regular inflections (seize -> seiz, rally -> rall)."""
    if len(word) > 4 and word[-1] in "ey":
        return word[:-1]
    return word


def _build_prefilter(triggers: list[Trigger], forms: set[str]) -> re.Pattern[str]:
    """One regex over word starts for every content word of every trigger."""
    stems = {_stem(w) for t in triggers for w in t.lemmas if w not in _STOP}
    stems |= {f.lower() for f in forms}
    alternation = "|".join(sorted((re.escape(s) for s in stems), key=len, reverse=True))
    return re.compile(r"\b(?:" + alternation + r")", re.I)


def _parse_entries(data: dict, source: str) -> tuple[list[Trigger], set[str], dict[str, str]]:
    """Validate the taxonomy YAML and turn it into Trigger records."""
    try:
        event_type_of = {sub: et for et, subs in data["event_types"].items() for sub in subs}
        triggers, forms = [], set()
        for sub, entries in data["triggers"].items():
            if sub not in event_type_of:
                raise DataFileError(f"{source}: trigger section '{sub}' is not an ACLED sub-event type")
            for e in entries:
                triggers.append(Trigger(_lemmas(e["phrase"]), sub, event_type_of[sub],
                                        int(e.get("weight", 2)), bool(e.get("cue", False))))
                forms.update(e.get("forms", []))
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise DataFileError(f"{source}: malformed taxonomy ({exc!r})") from exc
    return triggers, forms, event_type_of


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """Load and compile the taxonomy file (the shipped one by default), once per process."""
    if path is None:
        text = resources.files("eventcoder.data").joinpath("taxonomy.yaml").read_text("utf-8")
        source = "taxonomy.yaml"
    else:
        text, source = Path(path).read_text("utf-8"), path
    data = yaml.safe_load(text)
    triggers, forms, event_type_of = _parse_entries(data, source)
    by_first: dict[str, list[Trigger]] = {}
    for t in triggers:
        by_first.setdefault(t.lemmas[0], []).append(t)
    for lst in by_first.values():
        lst.sort(key=lambda t: len(t.lemmas), reverse=True)
    non_event = [_lemmas(p) for p in data.get("non_event_cues", [])]
    return Lexicon(by_first, event_type_of, non_event, _build_prefilter(triggers, forms),
                   list(event_type_of))
