"""Countries a text names, by name or demonym ("Libyan forces"): the country focus of place resolution."""
from __future__ import annotations

import re
from collections import Counter

from eventcoder.resolve.gazetteer import Gazetteer

# Demonyms and adjectives that put a country in focus ("Lebanese army", "Libyan forces").
DEMONYMS: dict[str, str] = {
    "iraqi": "IQ", "syrian": "SY", "libyan": "LY", "lebanese": "LB", "turkish": "TR", "iranian": "IR",
    "afghan": "AF", "pakistani": "PK", "indian": "IN", "yemeni": "YE", "saudi": "SA", "egyptian": "EG",
    "sudanese": "SD", "somali": "SO", "ethiopian": "ET", "kenyan": "KE", "nigerian": "NG", "malian": "ML",
    "burkinabe": "BF", "nigerien": "NE", "chadian": "TD", "cameroonian": "CM", "congolese": "CD",
    "mozambican": "MZ", "ukrainian": "UA", "russian": "RU", "israeli": "IL", "palestinian": "PS",
    "jordanian": "JO", "tunisian": "TN", "algerian": "DZ", "moroccan": "MA", "mexican": "MX",
    "colombian": "CO", "venezuelan": "VE", "brazilian": "BR", "filipino": "PH", "burmese": "MM",
    "bangladeshi": "BD", "nepali": "NP", "haitian": "HT", "mauritanian": "MR", "senegalese": "SN",
    "ugandan": "UG", "rwandan": "RW", "burundian": "BI", "tanzanian": "TZ", "zimbabwean": "ZW",
    "south sudanese": "SS", "central african": "CF", "eritrean": "ER", "djiboutian": "DJ",
    "armenian": "AM", "azerbaijani": "AZ", "georgian": "GE", "kurdistan region": "IQ",
}
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}")


def _countries_in_text(text: str, gazetteer: Gazetteer) -> Counter:
    """ISO2 codes of countries named in the text or implied by a demonym ("Libyan forces")."""
    found: Counter = Counter()
    for m in _CAPITALISED.finditer(text):
        words = m.group(0).split()
        for n in range(len(words), 0, -1):  # longest name first: "South Sudan" before "Sudan"
            for i in range(len(words) - n + 1):
                phrase = " ".join(words[i:i + n])
                iso = _country_word(phrase.lower(), gazetteer)
                if iso:
                    found[iso] += 1
    return found


def _country_word(phrase: str, gazetteer: Gazetteer) -> str | None:
    """ISO2 for a country name or demonym phrase (lowercase), else None."""
    phrase = phrase.strip("'’").removesuffix("'s").removesuffix("’s")
    if phrase in DEMONYMS:
        return DEMONYMS[phrase]
    if phrase.endswith("s") and phrase[:-1] in DEMONYMS:  # "Iraqis"
        return DEMONYMS[phrase[:-1]]
    return _country_names(gazetteer).get(phrase)


_COUNTRY_NAME_CACHE: dict[str, dict[str, str]] = {}


def _country_names(gazetteer: Gazetteer) -> dict[str, str]:
    """Lowercase country names (and common variants) to ISO2, once per gazetteer file."""
    key = str(gazetteer.path)
    if key not in _COUNTRY_NAME_CACHE:
        from eventcoder.resolve.gazetteer import COUNTRY_VARIANTS

        names = {name.lower(): iso for iso, name in gazetteer.iter_countries()}
        for iso, variants in COUNTRY_VARIANTS.items():
            names.update({v.lower(): iso for v in variants if len(v) > 3})
        # Country names that are usually something else in news text.
        for ambiguous in ("jordan", "chad", "georgia", "turkey", "niger", "guinea", "congo", "america"):
            names.pop(ambiguous, None)
        _COUNTRY_NAME_CACHE[key] = names
    return _COUNTRY_NAME_CACHE[key]


# "the Russian port of Novorossiysk", "the Syrian town of Kobani", "Russia's Belgorod region": the country the
# words right before a name put it in.
_OF_KIND = re.compile(r"\b([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)(?:'s|’s)?\s+(?:(?:main|northern|southern|eastern|western|"
                      r"central|coastal|border|besieged|capital|second|largest|key|strategic|frontline|front-line)\s+)*"
                      r"(?:port|city|town|village|capital|region|province|state|district|enclave|island|oblast|"
                      r"governorate|county)\s+of\s+$|\b([A-Z][a-z]+)(?:'s|’s)\s+$")


def stated_country(text: str, start: int, gazetteer: Gazetteer) -> str | None:
    """ISO2 of the country the words before a name say it is in ("the Russian port of X", "Russia's X")."""
    m = _OF_KIND.search(text[max(0, start - 60):start])
    if m is None:
        return None
    return _country_word((m.group(1) or m.group(2)).lower(), gazetteer)

