"""Actor dictionary: noun phrases from articles -> ACLED canonical actors.

The dictionary is data (data/actors.yaml) that users extend with their own
YAML or CSV files. Named actors ("ISIS remnants" -> "Islamic State") win over
generic templates ("gunmen" + Iraq -> "Unidentified Armed Group (Iraq)").
Matching is on whole folded words; aliases written ALL IN CAPITALS are
matched case-sensitively so the acronym "IS" never matches the verb "is".
"""
from __future__ import annotations

import csv
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from eventcoder.errors import DataFileError
from eventcoder.resolve.countries import (
    DATA_DIR,
    PhraseIndex,
    Token,
    country_info,
    exact_key,
    find_countries_in_tokens,
    fold_key,
    is_demonym,
    select_longest,
    tokenize,
)
from eventcoder.vocab import Actor

ACTORS_FILE = DATA_DIR / "actors.yaml"

_ACTOR_KEYS = frozenset({"name", "aliases", "inter", "country", "parent", "note", "local_aliases", "local_countries"})
_GENERIC_KEYS = frozenset({"name", "unknown", "inter", "prefer_phrase_country",
                           "triggers", "qualified_triggers", "note"})
_CSV_COLUMNS = ("name", "aliases", "inter", "country")

# Plural heads reports put after a name ("ISIS remnants", "PMF fighters").
# Aliases are found anywhere in a phrase, so a trailing head never hides a
# name; an alias that itself ends in one ("Popular Mobilization Forces") is
# also indexed without it, so "Popular Mobilization" still resolves.
HEAD_WORDS = frozenset({"forces", "force", "fighters", "militants", "members",
                        "remnants", "militia", "militias", "units"})

# Words after the head noun of an English noun phrase: a generic trigger after
# one of them modifies the head rather than being it ("gunmen in police
# uniforms" is gunmen, "police in Kano" is police).
_CUT_WORDS = frozenset({
    "in", "of", "from", "at", "near", "on", "with", "by", "who", "which", "that",
    "loyal", "disguised", "dressed", "wearing", "riding", "belonging", "affiliated",
    "linked", "against", "for", "inside", "outside", "across", "around", "to",
    "posing", "carrying", "backed", "allied", "aligned", "led",
})


@dataclass(frozen=True)
class ActorEntry:
    """A canonical named actor from a dictionary file."""

    name: str
    inter: int
    country: str | None
    aliases: tuple[str, ...]
    parent: str | None = None
    note: str | None = None
    source: str = ""  # file and entry that defined it, for error messages
    local_aliases: tuple[str, ...] = ()  # names it goes by only in its own country ("separatists" in Cameroon)
    local_countries: tuple[str, ...] = ()  # other countries where its local aliases name it (JNIM in Burkina Faso)


@dataclass(frozen=True)
class GenericTemplate:
    """An ACLED generic actor ("Civilians ({country})") and the words that call it."""

    name: str
    unknown: str
    inter: int
    prefer_phrase_country: bool
    triggers: tuple[str, ...]
    qualified_triggers: tuple[str, ...] = ()
    source: str = ""

    def render(self, iso2: str | None) -> str:
        """The actor name for a country (ISO2), or the unqualified name if unknown."""
        info = country_info(iso2) if iso2 else None
        if info is None:
            return self.unknown
        # ACLED: "Military Forces of the United States" but "Civilians (United States)".
        text = self.name.replace("of {country}", f"of {info.of_name()}")
        return text.replace("{country}", info.name)


def _is_acronym(alias: str) -> bool:
    """True for aliases written all in capitals ("IS", "U.S.", "ISIS-K")."""
    return any(c.isalpha() for c in alias) and alias.upper() == alias


class ActorDictionary:
    """Named actors and generic templates, indexed for fast phrase matching."""

    def __init__(self, entries: Sequence[ActorEntry], generics: Sequence[GenericTemplate]):
        self.entries: dict[str, ActorEntry] = {e.name: e for e in entries}
        self.generics: dict[str, GenericTemplate] = {g.name: g for g in generics}
        self._order = {name: i for i, name in enumerate(self.entries)}
        self._named_lower: PhraseIndex[str] = PhraseIndex()
        self._named_exact: PhraseIndex[str] = PhraseIndex()
        # Aliases minus their head word ("Popular Mobilization"): used only
        # when no full alias matches, so they never shadow another actor.
        self._named_headless: PhraseIndex[str] = PhraseIndex()
        # value: (template name, qualified-only)
        self._generic_lower: PhraseIndex[tuple[str, bool]] = PhraseIndex()
        self._generic_exact: PhraseIndex[tuple[str, bool]] = PhraseIndex()
        self._local: PhraseIndex[str] = PhraseIndex()  # local aliases (folded), matched in their country only
        for e in self.entries.values():
            for alias in (e.name, *e.aliases):
                self._index_alias(alias, e.name)
            for alias in e.local_aliases:
                self._local.add(fold_key(alias), e.name)
        for g in self.generics.values():
            for words, qualified in ((g.triggers, False), (g.qualified_triggers, True)):
                for w in words:
                    if _is_acronym(w):
                        self._generic_exact.add(exact_key(w), (g.name, qualified))
                    else:
                        self._generic_lower.add(fold_key(w), (g.name, qualified))

    def _index_alias(self, alias: str, name: str) -> None:
        """Index one alias of a named actor (and its head-less form)."""
        if _is_acronym(alias):
            self._named_exact.add(exact_key(alias), name)
            return
        key = fold_key(alias)
        self._named_lower.add(key, name)
        if len(key) >= 3 and key[-1] in HEAD_WORDS:
            self._named_headless.add(key[:-1], name)

    # ------------------------------------------------------------ lookups
    def get(self, name: str) -> ActorEntry | None:
        """The named entry with this canonical name."""
        return self.entries.get(name)

    def aliases_of(self, name: str) -> tuple[str, ...]:
        """All aliases of a canonical name (empty for unknown or generic names)."""
        e = self.entries.get(name)
        return e.aliases if e else ()

    def parent_of(self, name: str) -> str | None:
        """The umbrella actor of a canonical name ("Kataib Hezbollah" -> PMF)."""
        e = self.entries.get(name)
        return e.parent if e else None

    def _named_matches(self, toks: Sequence[Token], country: str | None = None) -> list[tuple[int, int, list[str]]]:
        """Longest named-alias match at every token position (head-less forms as fallback); local aliases
        only for actors of ``country``."""
        lower = [t.lower for t in toks]
        found = self._named_lower.matches(lower) + self._named_exact.matches([t.text for t in toks])
        if country:
            here = country.upper()
            found += [(i, j, mine) for i, j, names in self._local.matches(lower)
                      if (mine := [n for n in names if here in (self.entries[n].country,
                                                                  *self.entries[n].local_countries)])]
        if not found:
            found = [m for m in self._named_headless.matches(lower)
                     if tuple(lower[m[0]:m[1]]) not in self._generic_lower]
        # "the al-Qaeda-affiliated Group for Support of Islam and Muslims": a name that only qualifies another
        # name is not the actor ("an al-Qaeda-linked group" is still all the report says of it)
        return [m for m in found if not (m[1] + 1 < len(lower) and lower[m[1]] in _AFFILIATION
                                         and toks[m[1] + 1].text[:1].isupper())]

    def _generic_matches(self, toks: Sequence[Token]) -> list[tuple[int, int, list[tuple[str, bool]]]]:
        """Longest generic-trigger match at every token position."""
        return (self._generic_lower.matches([t.lower for t in toks])
                + self._generic_exact.matches([t.text for t in toks]))

    def _choose(self, names: Sequence[str], country: str | None, alias_key: tuple[str, ...]) -> ActorEntry:
        """Pick one actor for an alias shared by several (by country, then name, then file order)."""
        def rank(name: str) -> tuple[int, int, int, int]:
            e = self.entries[name]
            return (0 if country and e.country == country else 1,
                    0 if fold_key(e.name) == alias_key else 1,
                    0 if e.country is None else 1,
                    self._order[name])
        return self.entries[min(names, key=rank)]

    def _named_actor(self, toks: Sequence[Token], i: int, j: int, names: Sequence[str],
                     country: str | None) -> Actor:
        """Build the Actor for a named match over tokens i..j."""
        entry = self._choose(names, country, tuple(t.lower for t in toks[i:j]))
        return Actor(name=entry.name, inter=inter_in(entry.inter, entry.country, country),
                     country=entry.country)

    def _generic_actor(self, template: str, phrase_country: str | None,
                       country: str | None) -> Actor:
        """Build the Actor for a generic template, qualified by the right country."""
        g = self.generics[template]
        iso = (phrase_country or country) if g.prefer_phrase_country else (country or phrase_country)
        info = country_info(iso) if iso else None
        iso2 = info.iso2 if info else None
        return Actor(name=g.render(iso2), inter=inter_in(g.inter, iso2, country), country=iso2)

    # ------------------------------------------------------------ public API
    def resolve(self, phrase: str, country: str | None) -> Actor | None:
        """Resolve a noun phrase ("the Iraqi army", "two farmers") to one actor."""
        toks = tokenize(phrase)
        if not toks:
            return None
        named = select_longest(self._named_matches(toks, country))
        head = self._head_before(toks, named) if named else None
        if head is not None:
            template, _ = head
            actor = self._generic_actor(template, _phrase_country(toks), country)
            actor.mention = phrase
            return actor
        if named:
            i, j, names = max(named, key=lambda m: (m[1] - m[0], -m[0]))
            first = self._first_of_pair(toks, i, j, country)
            actor = first or self._named_actor(toks, i, j, names, country)
            actor.mention = phrase
            return actor
        phrase_country = _phrase_country(toks)
        generic = [(i, j, v) for i, j, vals in self._generic_matches(toks)
                   for v in vals[:1] if phrase_country or not v[1]]
        chosen = select_longest(generic)
        if not chosen:
            return None
        i, j, (template, _) = _head_match(toks, chosen)
        actor = self._generic_actor(template, phrase_country, country)
        actor.mention = phrase
        return actor

    def _first_of_pair(self, toks: Sequence[Token], i: int, j: int, country: str | None) -> Actor | None:
        """'Congolese and Ugandan soldiers': the alias names the second nation's forces, the first listed leads
        (ACLED's actor1; the other is an associated actor)."""
        if i < 2 or toks[i - 1].lower not in ("and", "&") or not is_demonym(toks[i - 2].lower) or j - i < 2:
            return None
        first = self.resolve(" ".join(t.text for t in (toks[i - 2], *toks[i + 1:j])), country)
        return first if first is not None and first.inter in (1, 8) else None

    def _head_before(self, toks: Sequence[Token], named: list) -> tuple[str, bool] | None:
        """The generic head of a phrase whose names come after a participle or a search ("soldiers raiding the
        neighbourhood in search of separatist fighters": the soldiers), else None."""
        first = min(i for i, _, _ in named)
        heads = [(i, vals[0]) for i, j, vals in self._generic_matches(toks) if j <= first]
        if not heads:
            return None
        between = toks[heads[0][0] + 1:first]
        acting = any((t.lower.endswith("ing") and t.lower not in _MEMBERSHIP) or t.lower in _SEEKING for t in between)
        return heads[0][1] if acting else None

    def find_all(self, text: str, country: str | None, generics: bool = False) -> list[Actor]:
        """Every named actor alias in text (longest, non-overlapping) with offsets.

        With generics=True, generic triggers not covered by a named alias are
        returned too; a demonym right before a trigger ("Nigerian troops")
        qualifies state-force templates.
        """
        toks = tokenize(text)
        cands: list[tuple[int, int, tuple[str, Any]]] = [
            (i, j, ("named", names)) for i, j, names in self._named_matches(toks, country)]
        if generics:
            cands += [(i, j, ("generic", vals[0])) for i, j, vals in self._generic_matches(toks)]
        # Named aliases first: a generic word never splits a name.
        named = select_longest([c for c in cands if c[2][0] == "named"])
        starts = {i for i, _, _ in named}
        chosen_named = [(i, j if j in starts else _absorb_head(toks, j), v) for i, j, v in named]
        taken = {k for i, j, _ in chosen_named for k in range(i, j)}
        chosen_generic = select_longest(
            [c for c in cands if c[2][0] == "generic" and not any(k in taken for k in range(c[0], c[1]))])
        out: list[Actor] = []
        for i, j, (kind, val) in sorted(chosen_named + chosen_generic, key=lambda c: c[0]):
            if kind == "named":
                actor = self._named_actor(toks, i, j, val, country)
            else:
                template, qualified = val
                prev = _phrase_country(toks[i - 1:i]) if i > 0 else None
                if qualified and not prev:
                    continue
                actor = self._generic_actor(template, prev, country)
                if prev and i - 1 not in taken:
                    i -= 1  # the mention includes its nationality: "Nigerien troops"
            actor.start, actor.end = toks[i].start, toks[j - 1].end
            actor.mention = text[actor.start:actor.end]
            out.append(actor)
        return out


_SEEKING = {"search", "pursuit", "hunt", "against", "after"}
# "terrorists belonging to IS Sahel", "fighters including ...": the names say who they are, not whom they act on
_MEMBERSHIP = {"belonging", "including", "hailing", "claiming", "calling", "operating", "fighting", "loyal"}
# "the al-Qaeda-affiliated JNIM": words that make a name qualify another (claims.py reads the first six too)
AFFILIATION_WORDS = ("affiliated", "linked", "allied", "aligned", "backed", "inspired")
_AFFILIATION = {*AFFILIATION_WORDS, "sponsored", "supported"}


def inter_in(inter: int, actor_country: str | None, event_country: str | None) -> int:
    """ACLED's actor type in an event: state forces abroad are 8 External/Other forces."""
    if inter == 1 and actor_country and event_country and actor_country != event_country.upper():
        return 8
    return inter


def _absorb_head(toks: Sequence[Token], j: int) -> int:
    """Extend a name match over a following head word ("Peshmerga" + "forces")."""
    return j + 1 if j < len(toks) and toks[j].lower in HEAD_WORDS else j


def _phrase_country(toks: Sequence[Token]) -> str | None:
    """The first country named in a phrase (case-sensitive), else a lower-case demonym."""
    found = find_countries_in_tokens(toks)
    if found:
        return found[0][2]
    for t in toks:
        # Short lower-case forms are ordinary words ("us"), not nationalities.
        if len(t.lower) > 3 and is_demonym(t.lower):
            info = country_info(t.lower)
            if info:
                return info.iso2
    return None


def _head_match(toks: Sequence[Token], chosen: list[tuple[int, int, Any]]) -> tuple[int, int, Any]:
    """The generic match that is the phrase's head: last one before a preposition."""
    covered = {k for i, j, _ in chosen for k in range(i, j)}
    cut = next((k for k, t in enumerate(toks) if k > 0 and k not in covered and t.lower in _CUT_WORDS),
               len(toks))
    before = [m for m in chosen if m[1] <= cut]
    return before[-1] if before else chosen[0]


# ---------------------------------------------------------------- loading
def _where(path: Path, idx: int, line: int | None, name: object = None) -> str:
    """Location prefix for error messages: file, entry number, line, name."""
    parts = [f"{path}: entry {idx}"]
    if line:
        parts.append(f"(line {line})")
    if name:
        parts.append(f"'{name}'")
    return " ".join(parts)


def _parse_inter(value: object, where: str) -> int:
    """Validate an ACLED actor type 1-8."""
    if isinstance(value, bool):
        raise DataFileError(f"{where}: inter must be an integer 1-8, got {value!r}")
    try:
        inter = int(str(value).strip())
    except ValueError:
        raise DataFileError(f"{where}: inter must be an integer 1-8, got {value!r}") from None
    if not 1 <= inter <= 8:
        raise DataFileError(f"{where}: inter must be 1-8, got {inter}")
    return inter


def _parse_country(value: object, where: str) -> str | None:
    """Validate a country (ISO2, ISO3 or name) into ISO2, or None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    info = country_info(str(value))
    if info is None:
        raise DataFileError(f"{where}: unknown country {value!r} (use an ISO2 code such as IQ)")
    return info.iso2


def _parse_words(value: object, where: str, what: str) -> tuple[str, ...]:
    """Validate a list of non-empty strings (a single string counts as one)."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise DataFileError(f"{where}: {what} must be a list of strings, got {type(value).__name__}")
    words: list[str] = []
    for w in value:
        if not isinstance(w, (str, int, float)) or isinstance(w, bool) or not tokenize(str(w)):
            raise DataFileError(f"{where}: {what} item {w!r} is not a usable name")
        words.append(str(w).strip())
    return tuple(words)


def _entry_from_mapping(rec: object, where: str) -> ActorEntry:
    """Validate one actor record (a YAML mapping or CSV row)."""
    if not isinstance(rec, dict):
        raise DataFileError(f"{where}: expected a mapping with name, aliases, inter, country")
    unknown = set(rec) - _ACTOR_KEYS
    if unknown:
        raise DataFileError(f"{where}: unknown field(s) {sorted(unknown)}; allowed: {sorted(_ACTOR_KEYS)}")
    name = rec.get("name")
    if not isinstance(name, str) or not tokenize(name):
        raise DataFileError(f"{where}: missing or empty name")
    if "inter" not in rec:
        raise DataFileError(f"{where}: missing inter (ACLED actor type 1-8)")
    parent = rec.get("parent")
    return ActorEntry(
        name=name.strip(), inter=_parse_inter(rec["inter"], where),
        country=_parse_country(rec.get("country"), where),
        aliases=_parse_words(rec.get("aliases"), where, "aliases"),
        parent=str(parent).strip() if parent else None,
        note=str(rec["note"]) if rec.get("note") else None, source=where,
        local_aliases=_parse_words(rec.get("local_aliases"), where, "local_aliases"),
        local_countries=tuple(c for c in (_parse_country(v, where) for v in (rec.get("local_countries") or []))
                              if c is not None),
    )


def _generic_from_mapping(rec: object, where: str) -> GenericTemplate:
    """Validate one generic-template record."""
    if not isinstance(rec, dict):
        raise DataFileError(f"{where}: expected a mapping with name, unknown, inter, triggers")
    unknown = set(rec) - _GENERIC_KEYS
    if unknown:
        raise DataFileError(f"{where}: unknown field(s) {sorted(unknown)}; allowed: {sorted(_GENERIC_KEYS)}")
    name = rec.get("name")
    if not isinstance(name, str) or "{country}" not in name:
        raise DataFileError(f"{where}: generic name must be a string containing {{country}}")
    triggers = _parse_words(rec.get("triggers"), where, "triggers")
    if not triggers:
        raise DataFileError(f"{where}: generic template needs at least one trigger")
    unknown_name = rec.get("unknown") or name.replace(" ({country})", "").replace(" of {country}", "")
    return GenericTemplate(
        name=name, unknown=str(unknown_name), inter=_parse_inter(rec.get("inter"), where),
        prefer_phrase_country=bool(rec.get("prefer_phrase_country", False)),
        triggers=triggers,
        qualified_triggers=_parse_words(rec.get("qualified_triggers"), where, "qualified_triggers"),
        source=where,
    )


def _item_lines(text: str) -> dict[str, list[int]]:
    """1-based line of every item under 'actors'/'generic' (or a top-level list)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    lines: dict[str, list[int]] = {}
    if isinstance(root, yaml.SequenceNode):
        lines["actors"] = [n.start_mark.line + 1 for n in root.value]
    elif isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            if isinstance(v, yaml.SequenceNode):
                lines[str(k.value)] = [n.start_mark.line + 1 for n in v.value]
    return lines


def _load_yaml(path: Path) -> tuple[list[ActorEntry], list[GenericTemplate]]:
    """Read a YAML dictionary file: {actors: [...], generic: [...]} or a bare list."""
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark else ""
        raise DataFileError(f"{path}: not valid YAML{at}: {getattr(exc, 'problem', exc)}") from None
    if data is None:
        return [], []
    if isinstance(data, list):
        data = {"actors": data}
    if not isinstance(data, dict) or set(data) - {"actors", "generic"}:
        raise DataFileError(f"{path}: expected a list of actors or a mapping with 'actors' and/or 'generic'")
    lines = _item_lines(text)
    out: list[ActorEntry] = []
    gens: list[GenericTemplate] = []
    for section, build, sink in (("actors", _entry_from_mapping, out), ("generic", _generic_from_mapping, gens)):
        items = data.get(section) or []
        if not isinstance(items, list):
            raise DataFileError(f"{path}: '{section}' must be a list")
        for idx, rec in enumerate(items, 1):
            line_list = lines.get(section, [])
            line = line_list[idx - 1] if idx - 1 < len(line_list) else None
            name = rec.get("name") if isinstance(rec, dict) else None
            sink.append(build(rec, _where(path, idx, line, name)))  # type: ignore[arg-type]
    return out, gens


def _load_csv(path: Path) -> list[ActorEntry]:
    """Read a CSV dictionary file: name,aliases(;-separated),inter,country[,parent]."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip() for h in reader.fieldnames or []]
        missing = [c for c in _CSV_COLUMNS if c not in header]
        if missing:
            raise DataFileError(f"{path}: line 1: missing CSV column(s) {missing}; need {list(_CSV_COLUMNS)}")
        out: list[ActorEntry] = []
        for idx, row in enumerate(reader, 1):
            where = _where(path, idx, reader.line_num, row.get("name"))
            if None in row:
                raise DataFileError(f"{where}: more fields than columns")
            rec: dict[str, Any] = {k.strip(): (v or "").strip() for k, v in row.items()}
            rec["aliases"] = [a.strip() for a in rec.get("aliases", "").split(";") if a.strip()]
            if not rec.get("parent"):
                rec.pop("parent", None)
            out.append(_entry_from_mapping(rec, where))
    return out


def _load_file(path: Path) -> tuple[list[ActorEntry], list[GenericTemplate]]:
    """Read one dictionary file by its extension."""
    if not path.is_file():
        raise DataFileError(f"{path}: actor file not found")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return _load_yaml(path)
    if suffix == ".csv":
        return _load_csv(path), []
    raise DataFileError(f"{path}: actor files must be .yaml, .yml or .csv")


@functools.lru_cache(maxsize=16)
def _load_cached(files: tuple[tuple[str, float], ...]) -> ActorDictionary:
    """Build a dictionary from (path, mtime) pairs; mtime in the key reloads edited files."""
    entries: dict[str, ActorEntry] = {}
    generics: dict[str, GenericTemplate] = {}
    for path_str, _ in files:
        file_entries, file_generics = _load_file(Path(path_str))
        for e in file_entries:
            entries.pop(e.name, None)  # a later file replaces the whole entry
            entries[e.name] = e
        for g in file_generics:
            generics[g.name] = g
    for e in entries.values():
        if e.parent and e.parent not in entries:
            raise DataFileError(f"{e.source}: parent {e.parent!r} is not a known actor name")
    return ActorDictionary(list(entries.values()), list(generics.values()))


def load_actors(extra_files: Sequence[Path] = ()) -> ActorDictionary:
    """The shipped actor dictionary plus user files (later files override by name)."""
    paths = [ACTORS_FILE, *(Path(p) for p in extra_files)]
    key = []
    for p in paths:
        try:
            mtime = p.stat().st_mtime
        except OSError:
            raise DataFileError(f"{p}: actor file not found") from None
        key.append((str(p.resolve()), mtime))
    return _load_cached(tuple(key))
