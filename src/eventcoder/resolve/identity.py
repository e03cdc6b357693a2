"""Identity militias: armed members of an ethnic or communal group ("Druze gunmen", "Hema fighters")."""
from __future__ import annotations

import re
from functools import lru_cache

import yaml

from eventcoder.errors import DataFileError
from eventcoder.resolve.countries import DATA_DIR, country_info
from eventcoder.vocab import Actor

IDENTITY_FILE = DATA_DIR / "identity_groups.yaml"
_KINDS = {"ethnic": "Ethnic Militia", "communal": "Communal Militia"}


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern, dict[str, str]]:
    """One regex for '<group> [armed] <armed word>' and the militia kind of each group (lower case)."""
    try:
        data = yaml.safe_load(IDENTITY_FILE.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{IDENTITY_FILE}: cannot read identity groups: {exc}") from exc
    kinds = {str(g).lower(): _KINDS[k] for k in _KINDS for g in data.get(k) or []}
    groups = "|".join(re.escape(g) for g in sorted({str(g) for k in _KINDS for g in data.get(k) or []},
                                                   key=len, reverse=True))
    words = "|".join(re.escape(w) for w in sorted(data.get("armed_words") or [], key=len, reverse=True))
    pattern = re.compile(r"\b(" + groups + r")\s+(?:(?:armed|tribal|ethnic|communal|clan)\s+)?(?:" + words + r")\b")
    return pattern, kinds


def identity_actors(text: str, country: str | None) -> list[Actor]:
    """Identity militias named in text, e.g. "Druze gunmen" -> Druze Ethnic Militia (Syria) (inter 4)."""
    info = country_info(country) if country else None
    if info is None:
        return []
    pattern, kinds = _pattern()
    out = []
    for m in pattern.finditer(text):
        group = m.group(1)
        name = f"{group} {kinds[group.lower()]} ({info.name})"
        out.append(Actor(name=name, inter=4, country=country, mention=m.group(0), start=m.start(), end=m.end()))
    return out
