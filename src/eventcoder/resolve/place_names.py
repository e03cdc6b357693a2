"""Spelling variants of place names that the gazetteer's folding does not cover."""
from __future__ import annotations

import re

_COMPASS = re.compile(r"^(North|South|East|West)(ern)?(?=\s+\S)", re.IGNORECASE)


def direction_variant(words: str) -> str | None:
    """The other form of a leading compass word: "North Darfur" <-> "Northern Darfur" (None without one).

    GeoNames names some regions "Northern X" where news writes "North X", and the other way round."""
    m = _COMPASS.match(words.strip())
    if not m:
        return None
    base = m.group(1)
    other = base if m.group(2) else base + ("ERN" if base.isupper() else "ern")
    return other + words.strip()[m.end():]
