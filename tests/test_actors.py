"""Actor dictionary: aliases, generics, country qualification, user files."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from eventcoder.errors import DataFileError
from eventcoder.resolve.actors import ACTORS_FILE, load_actors
from eventcoder.vocab import Actor


@pytest.fixture(scope="module")
def actors():
    return load_actors()


def _name(actors, phrase: str, country: str | None) -> str | None:
    actor = actors.resolve(phrase, country)
    return actor.name if actor else None


@pytest.mark.parametrize("phrase", [
    "ISIS", "ISIL", "IS", "Daesh", "Daish", "Islamic State of Iraq and the Levant",
    "Islamic State group", "the Islamic State", "ISIS remnants", "Daesh terrorists",
    "IS fighters", "Isis militants",
])
def test_islamic_state_aliases(actors, phrase: str) -> None:
    actor = actors.resolve(phrase, "IQ")
    assert actor is not None
    assert (actor.name, actor.inter) == ("Islamic State", 2)


@pytest.mark.parametrize("phrase, name, inter", [
    ("the Iraqi army", "Military Forces of Iraq", 1),
    ("Iraqi security forces", "Military Forces of Iraq", 1),
    ("the Counter-Terrorism Service", "Military Forces of Iraq", 1),
    ("ISF", "Military Forces of Iraq", 1),
    ("Federal Police", "Police Forces of Iraq", 1),
    ("Kurdistan Region Peshmerga forces", "Peshmerga (Kurdistan Region)", 1),
    ("KRG forces", "Peshmerga (Kurdistan Region)", 1),
    ("Hashd al-Shaabi", "Popular Mobilization Forces", 3),
    ("PMF fighters", "Popular Mobilization Forces", 3),
    ("Popular Mobilization", "Popular Mobilization Forces", 3),  # head word left out
    ("Kata'ib Hezbollah", "Kataib Hezbollah", 3),
    ("Asa’ib Ahl al-Haq", "Asaib Ahl al-Haq", 3),  # curly apostrophe
    ("PKK militants", "PKK: Kurdistan Workers Party", 2),
    ("YBS", "Sinjar Resistance Units", 3),
    ("Iraqi government", "Government of Iraq", 1),
])
def test_iraq_named_actors(actors, phrase: str, name: str, inter: int) -> None:
    actor = actors.resolve(phrase, "IQ")
    assert actor is not None and (actor.name, actor.inter) == (name, inter)
    assert actor.mention == phrase


def test_pmf_factions_have_pmf_parent(actors) -> None:
    for faction in ("Kataib Hezbollah", "Asaib Ahl al-Haq", "Badr Organization",
                    "Kataib Sayyid al-Shuhada", "Harakat al-Nujaba"):
        assert actors.parent_of(faction) == "Popular Mobilization Forces"
    assert actors.parent_of("Islamic State") is None


def test_longest_alias_wins(actors) -> None:
    # "Hezbollah" alone is the Lebanese party; the longer alias is the Iraqi faction
    assert _name(actors, "Kataib Hezbollah", "IQ") == "Kataib Hezbollah"
    assert _name(actors, "Hezbollah", "LB") == "Hezbollah"
    assert _name(actors, "Pakistani Taliban", "PK") == "TTP: Tehreek-i-Taliban Pakistan"
    assert _name(actors, "ISWAP", "NG") == "Islamic State West Africa Province"


def test_acronyms_are_case_sensitive(actors) -> None:
    assert actors.resolve("the attack is", "IQ") is None
    assert actors.find_all("What is known is that it is over.", "IQ") == []
    assert _name(actors, "sdf", "SY") is None
    assert _name(actors, "SDF", "SY") == "Syrian Democratic Forces"


def test_folding_case_diacritics_hyphens(actors) -> None:
    assert _name(actors, "HAYAT TAHRIR AL SHAM", "SY") == "Hayat Tahrir al-Sham"
    assert _name(actors, "hayat tahrir al-sham", "SY") == "Hayat Tahrir al-Sham"
    assert _name(actors, "Türkiye's army", "IQ") == "Military Forces of Turkey"  # accents, possessive
    assert _name(actors, "al Shabaab", "SO") == "Al Shabaab"


def test_shared_alias_resolved_by_event_country(actors) -> None:
    assert _name(actors, "Asayish", "IQ") == "Asayish (Kurdistan Region)"
    assert _name(actors, "Asayish", "SY") == "Asayish (Syria)"
    assert _name(actors, "Kurdish fighters", "SY") == "Syrian Democratic Forces"
    assert _name(actors, "Kurdish fighters", "IQ") == "Peshmerga (Kurdistan Region)"
    assert _name(actors, "SNA", "SO") == "Military Forces of Somalia"
    assert _name(actors, "SNA", "SY") == "Syrian National Army"
    # an Islamic State province where it operates, the core group elsewhere
    assert _name(actors, "Islamic State", "NG") == "Islamic State West Africa Province"
    assert _name(actors, "Islamic State", "SY") == "Islamic State"


@pytest.mark.parametrize("phrase, country, name, inter", [
    ("SSPDF troops", "SS", "Military Forces of South Sudan", 1),
    ("the Uganda People's Defence Forces", "UG", "Military Forces of Uganda", 1),
    ("FADM soldiers", "MZ", "Military Forces of Mozambique", 1),
    ("KDF troops", "SO", "Military Forces of Kenya", 8),  # abroad: external forces
    ("BIR soldiers", "CM", "Military Forces of Cameroon", 1),
    ("FACA", "CF", "Military Forces of the Central African Republic", 1),
    ("DSS operatives", "NG", "Police Forces of Nigeria", 1),
    ("NISS agents", "SD", "Military Forces of Sudan", 1),
    ("FDS units", "BF", "Military Forces of Burkina Faso", 1),  # generic: the event's country
    ("Dozo hunters", "ML", "Dozo Communal Militia (Mali)", 4),
    ("Dozo hunters", "BF", "Dozo Communal Militia (Burkina Faso)", 4),
    ("Koglweogo militiamen", "BF", "Koglweogo Militia", 3),
    ("Imbonerakure", "BI", "Imbonerakure", 3),
    ("Raia Mutomboki militiamen", "CD", "Raia Mutomboki Militia", 3),
    ("UPC rebels", "CF", "UPC: Union for Peace in the Central African Republic", 2),
    ("Lakurawa terrorists", "NG", "Lakurawa", 2),
    ("Ma'awisley fighters", "SO", "Ma'awisley Militia", 4),
    ("ARSA militants", "MM", "ARSA: Arakan Rohingya Salvation Army", 2),
    ("the Moro Islamic Liberation Front", "PH", "MILF: Moro Islamic Liberation Front", 2),
    ("Arambai Tenggol members", "IN", "Meitei Ethnic Militia (India)", 4),
    ("Lashkar-e-Taiba militants", "IN", "LeT: Lashkar-e-Taiba", 2),
    ("al-Aqsa Martyrs' Brigades", "PS", "Al Aqsa Martyrs Brigades", 3),
    ("Los Choneros", "EC", "Los Choneros", 3),
    ("MS-13 gang members", "SV", "MS-13: Mara Salvatrucha", 3),
    ("Gran Grif gang", "HT", "Gran Grif", 3),
    ("Comando Vermelho", "BR", "Comando Vermelho", 3),
])
def test_more_named_actors(actors, phrase, country, name, inter) -> None:
    actor = actors.resolve(phrase, country)
    assert actor is not None and (actor.name, actor.inter) == (name, inter)


def test_national_force_names_beat_shorter_aliases(actors) -> None:
    # "People's Defence Forces" alone is the PKK's HPG (or Myanmar's PDF): the full name is longer
    text = "Soldiers of the South Sudan People's Defence Forces clashed with SPLA-IO fighters near Nasir."
    found = actors.find_all(text, "SS")
    assert [(a.name, a.mention) for a in found] == [
        ("Military Forces of South Sudan", "South Sudan People's Defence Forces"),
        ("SPLM/A-IO: Sudan People's Liberation Movement/Army (In Opposition)", "SPLA-IO fighters"),
    ]
    assert _name(actors, "Uganda People's Defence Force", "CD") == "Military Forces of Uganda"
    assert _name(actors, "People's Defence Forces", "MM") == "PDF: People's Defense Force"


def test_ambiguous_acronyms_resolved_by_country(actors) -> None:
    # Forces Armées Nigériennes / Forces Armées Nationales (Burkina Faso)
    assert _name(actors, "the FAN", "NE") == "Military Forces of Niger"
    assert _name(actors, "the FAN", "BF") == "Military Forces of Burkina Faso"
    # Sudan's Justice and Equality Movement / Jaish-e-Mohammed ("JeM" folds to the same word)
    assert _name(actors, "JEM fighters", "SD") == "JEM: Justice and Equality Movement"
    assert _name(actors, "JeM militants", "IN") == "JeM: Jaish-e-Mohammed"
    assert _name(actors, "PNP officers", "PH") == "Police Forces of the Philippines"
    assert _name(actors, "PNP officers", "PE") == "Police Forces of Peru"


def test_new_aliases_are_not_ordinary_words(actors) -> None:
    # "LeT" is left out: a mixed-case alias matches case-blind and would be the verb "let"
    assert actors.find_all("Let them go, and let the talks continue.", "IN") == []
    assert actors.resolve("a car armed with explosives", "CF") is None
    assert actors.find_all("Lobos and wolves; a far cry from the fan zone.", "EC") == []


@pytest.mark.parametrize("phrase, country, name, inter", [
    ("gunmen", "IQ", "Unidentified Armed Group (Iraq)", 3),
    ("unknown assailants", "SY", "Unidentified Armed Group (Syria)", 3),
    ("masked men", "IQ", "Unidentified Armed Group (Iraq)", 3),
    ("gunmen", None, "Unidentified Armed Group", 3),
    ("two farmers", "IQ", "Civilians (Iraq)", 7),
    ("villagers", "CD", "Civilians (Democratic Republic of Congo)", 7),
    ("a man", None, "Civilians", 7),
    ("protesters", "IQ", "Protesters (Iraq)", 6),
    ("women protesters", "IQ", "Protesters (Iraq)", 6),  # head noun is the last trigger
    ("angry residents", "NG", "Rioters (Nigeria)", 5),
    ("police in Kano", "NG", "Police Forces of Nigeria", 1),
    ("gunmen in police uniforms", "IQ", "Unidentified Armed Group (Iraq)", 3),
    ("security forces", "SY", "Military Forces of Syria", 1),
    ("soldiers", "US", "Military Forces of the United States", 1),
    ("the government", "NG", "Government of Nigeria", 1),
])
def test_generic_actors(actors, phrase, country, name, inter) -> None:
    actor = actors.resolve(phrase, country)
    assert actor is not None and (actor.name, actor.inter) == (name, inter)


def test_generic_country_is_iso2(actors) -> None:
    assert actors.resolve("gunmen", "IQ").country == "IQ"
    assert actors.resolve("gunmen", None).country is None


def test_state_forces_abroad_are_external(actors) -> None:
    # ACLED: a state's forces acting outside their country are inter 8
    turkish = actors.resolve("a Turkish drone", "IQ")
    assert (turkish.name, turkish.inter, turkish.country) == ("Military Forces of Turkey", 8, "TR")
    assert actors.resolve("Turkish troops", "TR").inter == 1
    assert actors.resolve("Turkish troops", None).inter == 1
    assert actors.resolve("Malawian soldiers", "MZ").inter == 8
    assert actors.resolve("soldiers", "MZ").inter == 1
    assert actors.resolve("Peshmerga", "IQ").inter == 1
    assert actors.resolve("PKK", "IQ").inter == 2  # only state forces change type
    found = actors.find_all("US forces struck PKK positions.", "IQ")
    assert [(a.name, a.inter) for a in found] == [
        ("Military Forces of the United States", 8), ("PKK: Kurdistan Workers Party", 2)]


def test_demonym_qualifies_state_forces(actors) -> None:
    # the phrase's nationality beats the event's country for state forces...
    assert _name(actors, "Nigerian troops", "IQ") == "Military Forces of Nigeria"
    assert _name(actors, "Nigerian troops", None) == "Military Forces of Nigeria"
    assert _name(actors, "Congolese soldiers", None) == "Military Forces of the Democratic Republic of Congo"
    assert _name(actors, "a Turkish drone", "IQ") == "Military Forces of Turkey"
    assert _name(actors, "Malawian police", "MZ") == "Police Forces of Malawi"
    # ...but civilians are coded by where the event happened
    assert _name(actors, "Iraqi civilians", "SY") == "Civilians (Syria)"
    assert _name(actors, "Iraqi civilians", None) == "Civilians (Iraq)"


def test_lower_case_short_words_are_not_nationalities(actors) -> None:
    # "us" is a pronoun here, not the United States
    assert _name(actors, "soldiers who shot at us", "IQ") == "Military Forces of Iraq"


def test_qualified_triggers_need_a_country_in_the_phrase(actors) -> None:
    assert actors.resolve("a drone", "IQ") is None
    assert _name(actors, "Malawian helicopters", "MW") == "Military Forces of Malawi"


def test_named_beats_generic(actors) -> None:
    assert _name(actors, "ISIS gunmen", "IQ") == "Islamic State"
    assert _name(actors, "Hezbollah fighters", "LB") == "Hezbollah"


def test_unmatched_phrase_is_none(actors) -> None:
    assert actors.resolve("the weather", "IQ") is None
    assert actors.resolve("", "IQ") is None


def test_find_all_offsets_longest_non_overlapping(actors) -> None:
    text = ("The Iraqi military launched a joint operation with Kurdistan Region Peshmerga "
            "forces to pursue ISIS remnants, while Turkish drones struck PKK positions.")
    found = actors.find_all(text, "IQ")
    assert [(a.name, text[a.start:a.end]) for a in found] == [
        ("Military Forces of Iraq", "Iraqi military"),
        ("Peshmerga (Kurdistan Region)", "Kurdistan Region Peshmerga forces"),
        ("Islamic State", "ISIS remnants"),
        ("Military Forces of Turkey", "Turkish drones"),
        ("PKK: Kurdistan Workers Party", "PKK"),
    ]
    assert all(isinstance(a, Actor) and a.mention == text[a.start:a.end] for a in found)


def test_find_all_generics_optional(actors) -> None:
    text = "Gunmen killed two farmers near Kirkuk, and Malawian troops were not involved."
    assert actors.find_all(text, "IQ") == []
    found = actors.find_all(text, "IQ", generics=True)
    assert [(a.name, a.mention) for a in found] == [
        ("Unidentified Armed Group (Iraq)", "Gunmen"),
        ("Civilians (Iraq)", "farmers"),
        ("Military Forces of Malawi", "Malawian troops"),
    ]


def test_shipped_dictionary_has_required_actors(actors) -> None:
    required = {
        "Military Forces of Iraq": 1, "Police Forces of Iraq": 1, "Peshmerga (Kurdistan Region)": 1,
        "Asayish (Kurdistan Region)": 1, "Popular Mobilization Forces": 3, "Islamic State": 2,
        "Syrian Democratic Forces": 2, "Hayat Tahrir al-Sham": 2, "Military Forces of Syria": 1,
        "Military Forces of Turkey": 1, "Military Forces of Israel": 1, "Al Shabaab": 2,
        "Rapid Support Forces": 2, "Military Forces of Sudan": 1, "Sinaloa Cartel": 3,
        "CJNG: Jalisco New Generation Cartel": 3, "M23: March 23 Movement": 2,
        "ELN: National Liberation Army": 2, "Islamic State West Africa Province": 2,
    }
    for name, inter in required.items():
        entry = actors.get(name)
        assert entry is not None, name
        assert entry.inter == inter, name
    raw = yaml.safe_load(ACTORS_FILE.read_text(encoding="utf-8"))
    assert all(1 <= a["inter"] <= 8 for a in raw["actors"])


# ---------------------------------------------------------------- user files
def test_user_yaml_adds_and_overrides(tmp_path: Path) -> None:
    user = tmp_path / "mine.yaml"
    user.write_text(yaml.safe_dump({"actors": [
        {"name": "Islamic State", "aliases": ["Tanzim"], "inter": 3, "country": "IQ"},
        {"name": "Kirkuk Tribal Guard", "aliases": ["tribal guard"], "inter": 4, "country": "Iraq"},
    ]}), encoding="utf-8")
    d = load_actors([user])
    overridden = d.resolve("Tanzim", None)
    assert (overridden.name, overridden.inter, overridden.country) == ("Islamic State", 3, "IQ")
    # the override replaces the whole entry, aliases included
    assert d.get("Islamic State").aliases == ("Tanzim",)
    assert d.resolve("Daesh", "IQ").name != "Islamic State"
    new = d.resolve("the tribal guard", "IQ")
    assert (new.name, new.inter, new.country) == ("Kirkuk Tribal Guard", 4, "IQ")
    # the shipped dictionary is untouched
    assert load_actors().get("Islamic State").inter == 2


def test_user_csv(tmp_path: Path) -> None:
    user = tmp_path / "mine.csv"
    user.write_text("name,aliases,inter,country\n"
                    "Sons of Kirkuk,Kirkuk Sons; Abna Kirkuk,3,IQ\n"
                    "Global Raiders,GR,2,\n", encoding="utf-8")
    d = load_actors([user])
    assert d.resolve("the Abna Kirkuk", "IQ").name == "Sons of Kirkuk"
    gr = d.resolve("GR", None)
    assert (gr.name, gr.inter, gr.country) == ("Global Raiders", 2, None)


def test_user_generic_override(tmp_path: Path) -> None:
    user = tmp_path / "generic.yaml"
    user.write_text(yaml.safe_dump({"generic": [
        {"name": "Civilians ({country})", "unknown": "Civilians", "inter": 7,
         "triggers": ["truffle pickers"]},
    ]}), encoding="utf-8")
    d = load_actors([user])
    assert d.resolve("truffle pickers", "IQ").name == "Civilians (Iraq)"
    assert d.resolve("villagers", "IQ") is None  # the user's template replaced the shipped one


@pytest.mark.parametrize("content, fragment", [
    ("actors:\n  - name: A\n    aliases: [a]\n    inter: 9\n", "inter must be 1-8"),
    ("actors:\n  - name: A\n    aliases: [a]\n    inter: one\n", "inter must be an integer"),
    ("actors:\n  - name: A\n    aliases: [a]\n", "missing inter"),
    ("actors:\n  - aliases: [a]\n    inter: 2\n", "missing or empty name"),
    ("actors:\n  - name: A\n    alias: [a]\n    inter: 2\n", "unknown field"),
    ("actors:\n  - name: A\n    inter: 2\n    country: Narnia\n", "unknown country"),
    ("actors:\n  - name: A\n    inter: 2\n    aliases: {x: 1}\n", "aliases must be a list"),
    ("actors:\n  - name: A\n    inter: 2\n    parent: Nobody\n", "parent 'Nobody'"),
    ("actors: [\n  - name: A\n", "not valid YAML"),
    ("people:\n  - name: A\n", "expected a list of actors"),
])
def test_malformed_user_yaml_names_file_and_entry(tmp_path: Path, content: str, fragment: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_actors([bad])
    message = str(err.value)
    assert str(bad) in message and fragment in message


def test_malformed_yaml_reports_entry_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("actors:\n  - name: Good\n    inter: 2\n  - name: Bad\n    inter: 0\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"entry 2 \(line 4\) 'Bad'"):
        load_actors([bad])


def test_malformed_csv_reports_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,aliases,inter,country\nGood,g,2,IQ\nBad,b,x,IQ\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"bad\.csv: entry 2 \(line 3\) 'Bad'.*inter"):
        load_actors([bad])
    cols = tmp_path / "cols.csv"
    cols.write_text("name,inter\nA,2\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="missing CSV column"):
        load_actors([cols])


def test_missing_or_unsupported_user_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="not found"):
        load_actors([tmp_path / "nope.yaml"])
    txt = tmp_path / "actors.txt"
    txt.write_text("x", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"\.yaml, \.yml or \.csv"):
        load_actors([txt])


def test_load_is_cached_and_edits_reload(tmp_path: Path) -> None:
    assert load_actors() is load_actors()
    user = tmp_path / "u.csv"
    user.write_text("name,aliases,inter,country\nAlpha Group,alpha,2,IQ\n", encoding="utf-8")
    first = load_actors([user])
    assert load_actors([user]) is first
    user.write_text("name,aliases,inter,country\nBeta Group,beta,2,IQ\n", encoding="utf-8")
    import os
    os.utime(user, (time.time() + 5, time.time() + 5))  # mtime must change even on coarse clocks
    second = load_actors([user])
    assert second is not first and second.resolve("beta", "IQ").name == "Beta Group"


def test_resolution_is_fast(actors) -> None:
    sentence = ("The Iraqi military announced that it had launched a joint operation with "
                "Kurdistan Region Peshmerga forces to pursue ISIS remnants in Makhmour.")
    start = time.perf_counter()
    for _ in range(500):
        actors.resolve("Kurdistan Region Peshmerga forces", "IQ")
        actors.find_all(sentence, "IQ", generics=True)
    # generous bound: ~0.1 ms each on a laptop; catches per-call YAML loading
    assert time.perf_counter() - start < 2.0


def test_khawarij_is_whom_each_government_calls_so():
    actors = load_actors()
    assert actors.resolve("the Khawarij terrorists", "SO").name == "Al Shabaab"
    assert actors.resolve("six khawarij", "PK").name == "TTP: Tehreek-i-Taliban Pakistan"
    # a Rapid Intervention Battalion is the army of the country it fights in
    assert actors.resolve("the 14th Rapid Intervention Battalion", "BF").name == "Military Forces of Burkina Faso"


def test_islamic_state_is_its_province_in_the_provinces_countries():
    actors = load_actors()
    expected = {"MZ": "Islamic State Mozambique Province", "NG": "Islamic State West Africa Province",
                "AF": "Islamic State Khorasan Province", "SO": "Islamic State Somalia Province",
                "IQ": "Islamic State", "SY": "Islamic State"}
    for country, name in expected.items():
        assert actors.resolve("Islamic State fighters", country).name == name
        assert actors.resolve("the Islamic State", country).name == name


def test_local_aliases_name_an_actor_only_in_its_country():
    actors = load_actors()
    assert actors.resolve("separatist fighters", "CM").name == "Ambazonian Separatists"
    assert actors.resolve("separatist fighters", "PK").name == "Unidentified Armed Group (Pakistan)"
    assert actors.resolve("insurgents", "MZ").name == "Islamic State Mozambique Province"
    assert actors.resolve("insurgents", "IQ").name == "Unidentified Armed Group (Iraq)"


def test_the_head_of_a_phrase_beats_whom_it_acts_on():
    actors = load_actors()
    assert actors.resolve("soldiers raiding the neighbourhood in search of separatist fighters", "CM").name == \
        "Military Forces of Cameroon"
    assert actors.resolve("troops pursuing Boko Haram fighters", "NG").name == "Military Forces of Nigeria"
    assert actors.resolve("gunmen from the Viv Ansanm gang", "HT").name == "Viv Ansanm"
    assert actors.resolve("terrorists belonging to the Islamic State Sahel Province", "NE").name == \
        "Islamic State Sahel Province"


def test_local_aliases_are_checked(tmp_path):
    bad = tmp_path / "a.yaml"
    bad.write_text("actors:\n  - name: X Group\n    inter: 2\n    country: CM\n    local_aliases: 5\n")
    with pytest.raises(DataFileError):
        load_actors([bad])


def test_the_first_of_two_nations_forces_leads():
    from eventcoder.resolve.actors import load_actors

    actors = load_actors()
    assert actors.resolve("Congolese and Ugandan soldiers", "CD").name.startswith("Military Forces of the Democratic")
    assert actors.resolve("Malian and Russian troops", "ML").name == "Military Forces of Mali"
    assert actors.resolve("Ugandan soldiers", "CD").name == "Military Forces of Uganda"
