"""Growing a gazetteer: `gazetteer load` (GeoNames dumps, streamed) and `gazetteer add` (user supplements)."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from eventcoder.cli import cli
from eventcoder.errors import DataFileError
from eventcoder.resolve.gazetteer import Gazetteer, read_supplement_file
from eventcoder.resolve.gazetteer_add import add_supplement
from eventcoder.resolve.geonames_load import create_empty, load_geonames
from eventcoder.resolve.places import resolve_places

DATA = Path(__file__).parent / "data" / "geonames"
ALL = [DATA / "alternateNamesV2.txt", DATA / "IQ_SY_sample.txt", DATA / "admin2Codes.txt",
       DATA / "admin1CodesASCII.txt"]  # deliberately out of order: codes must still be read first


@pytest.fixture
def loaded(tmp_path: Path) -> Gazetteer:
    path = tmp_path / "g.sqlite"
    stats = load_geonames(path, ALL, progress=False, empty=True)
    assert stats.places == 8 and stats.admin_codes == 5 and len(stats.files) == 4
    return Gazetteer.open(path, build_if_missing=False)


def _one(gaz: Gazetteer, name: str, cc: str | None = None):
    hits = [c for c in gaz.lookup(name) if cc is None or c.country_code == cc]
    assert hits, name
    return hits[0]


def test_load_geoname_rows_with_admin_names(loaded: Gazetteer) -> None:
    town = [c for c in loaded.lookup("Kharabat") if c.feature_class == "P"][0]
    assert town.feature_code == "PPLA2" and town.population == 25000 and town.exact
    assert town.admin1_name == "Qaryat" and town.admin2_name == "Kharabat"
    assert (town.latitude, town.longitude) == (36.11, 43.81)
    mountain = _one(loaded, "Mount Zardak")
    assert mountain.feature_code == "MT" and mountain.admin2_name == "Zardak"
    # Admin rows are found by their core name too ("Qaryat" for "Muhafazat Qaryat").
    assert loaded.admin1("IQ", "Qaryat").geonameid == 99000006
    assert _one(loaded, "Kharabat District").feature_code in ("ADM2", "PPLA2")


def test_load_alternate_names_filtered(loaded: Gazetteer) -> None:
    assert _one(loaded, "Tel Qasrouk").geonameid == 99000001
    assert _one(loaded, "Deir Sufra").country_code == "SY"
    assert not loaded.lookup("Old Kharabat")  # historic
    assert not loaded.lookup("Nowhere Known")  # alternate name of a place we do not have
    con = sqlite3.connect(loaded.path)
    assert con.execute("SELECT count(*) FROM names WHERE exact LIKE 'http%' OR exact LIKE '%قصروك%'").fetchone()[0] == 0
    # No duplicate name rows, and the index is back.
    dup = con.execute("SELECT count(*) FROM (SELECT key, geonameid, exact FROM names "
                      "GROUP BY 1, 2, 3 HAVING count(*) > 1)").fetchone()[0]
    assert dup == 0
    plan = " ".join(str(r) for r in con.execute("EXPLAIN QUERY PLAN SELECT * FROM names WHERE key = 'x'"))
    assert "names_key" in plan
    con.close()


def test_load_twice_is_idempotent(loaded: Gazetteer) -> None:
    con = sqlite3.connect(loaded.path)
    before = con.execute("SELECT (SELECT count(*) FROM places), (SELECT count(*) FROM names)").fetchone()
    load_geonames(loaded.path, ALL, progress=False)
    after = con.execute("SELECT (SELECT count(*) FROM places), (SELECT count(*) FROM names)").fetchone()
    assert before == after
    con.close()


def test_load_zip_and_country_filter(tmp_path: Path) -> None:
    path = tmp_path / "z.sqlite"
    stats = load_geonames(path, [DATA / "IQ_SY_sample.zip"], progress=False, countries=["sy"], empty=True)
    assert stats.places == 2 and stats.skipped == 6
    gaz = Gazetteer.open(path, build_if_missing=False)
    assert {c.country_code for c in gaz.lookup("Tell Qasrok")} == {"SY"}


def test_load_bad_rows_are_skipped_with_file_and_line(tmp_path: Path) -> None:
    # A malformed row no longer stops a 12-million-row load: it is counted and named, the rest goes in.
    stats = load_geonames(tmp_path / "b.sqlite", [DATA / "bad_columns.txt"], progress=False, empty=True)
    assert stats.places == 1 and stats.bad.count == 1
    assert stats.bad.examples == ["%s:2: expected 19 tab-separated columns, got 3" % (DATA / "bad_columns.txt")]
    assert "1 bad rows skipped" in stats.summary()
    notes = tmp_path / "notes.txt"
    notes.write_text("just some words\n")
    with pytest.raises(DataFileError, match="not a GeoNames file"):
        load_geonames(tmp_path / "c.sqlite", [notes], progress=False, empty=True)


def test_loaded_places_resolve_in_text(loaded: Gazetteer) -> None:
    text = "Gunmen attacked Tell Qasrok near Kharabat in Qaryat province."
    spans = [(16, 27), (33, 41), (45, 51)]
    qasrok, kharabat, qaryat = resolve_places(text, spans, gazetteer=loaded)
    assert qasrok.country_code == "IQ" and qasrok.admin2 == "Kharabat"  # not the Syrian namesake
    assert kharabat.geo_precision == 2 and qaryat.feature_code == "ADM1"


def test_load_into_default_build_merges_regions(gazetteer_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "copy.sqlite"
    shutil.copy(gazetteer_path, path)
    load_geonames(path, ALL, progress=False)
    gaz = Gazetteer.open(path, build_if_missing=False)
    # IQ.11 is Erbil in the default build: its synthetic ADM1 row gives way to the GeoNames row (same names),
    # and the gazetteer's established admin1 spelling is kept for the new places.
    erbil = gaz.admin1("IQ", "Erbil")
    assert erbil.geonameid == 99000006 and erbil.admin1_name == "Erbil"
    assert _one(gaz, "Tell Qasrok", "IQ").admin1_name == "Erbil"
    assert any(c.feature_class == "P" for c in gaz.lookup("Kirkuk"))  # the rest is untouched


# ---------------------------------------------------------------- user supplements

def test_add_csv_supplement(tmp_path: Path, loaded: Gazetteer) -> None:
    csv_file = tmp_path / "mine.csv"
    csv_file.write_text("name,aliases,lat,lon,country,admin1,feature\n"
                        "Girdi Zard,Girdizard;Gird-i Zard,36.05,43.72,Iraq,Qaryat,PPL\n"
                        "Kharabat,Xarabat,36.111,43.809,IQ,Qaryat,PPL\n", encoding="utf-8")
    assert add_supplement(loaded.path, csv_file) == 2
    gaz = Gazetteer.open(loaded.path, build_if_missing=False)
    village = _one(gaz, "Gird-i Zard")
    assert village.country_code == "IQ" and village.admin1_name == "Qaryat" and village.geonameid < 0
    # A town we already have gets the alias instead of a duplicate.
    assert [c.geonameid for c in gaz.lookup("Xarabat") if c.exact] == [99000004]
    assert len([c for c in gaz.lookup("Girdi Zard") if c.exact]) == 1


def test_add_yaml_supplement_and_errors(tmp_path: Path, loaded: Gazetteer) -> None:
    yml = tmp_path / "mine.yaml"
    yml.write_text("- name: Zardak Pass\n  aliases: [Zardak Gap]\n  lat: 35.96\n  lon: 43.91\n"
                   "  country: IQ\n  feature: AREA\n", encoding="utf-8")
    add_supplement(loaded.path, yml)
    assert _one(Gazetteer.open(loaded.path, build_if_missing=False), "Zardak Gap").feature_code == "AREA"
    bad = tmp_path / "bad.csv"
    bad.write_text("name,lat,lon,country\nGood,1,2,IQ\nBad,north,2,IQ\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"bad.csv: row 3 \('Bad'\)"):
        read_supplement_file(bad)
    nocountry = tmp_path / "nocountry.csv"
    nocountry.write_text("name,lat,lon,country\nX,1,2,Atlantis\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"nocountry.csv: row 1 .*Atlantis"):
        add_supplement(loaded.path, nocountry)
    missing = tmp_path / "missing.yaml"
    missing.write_text("- name: Y\n  lat: 1\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"missing.yaml: row 1 \('Y'\): missing longitude, country_code"):
        read_supplement_file(missing)


def test_cli_load_and_add(tmp_path: Path, runner) -> None:
    path = tmp_path / "cli.sqlite"
    r = runner.invoke(cli, ["gazetteer", "load", *map(str, ALL), "--path", str(path), "--empty", "--quiet"])
    assert r.exit_code == 0, r.output
    csv_file = tmp_path / "a.csv"
    csv_file.write_text("name,lat,lon,country\nQasr Shirin Hill,36.2,43.7,IQ\n", encoding="utf-8")
    r = runner.invoke(cli, ["gazetteer", "add", str(csv_file), "--path", str(path)])
    assert r.exit_code == 0 and "added 1 places" in r.stderr
    assert Gazetteer.open(path, build_if_missing=False).contains("Qasr Shirin Hill")
    bad = runner.invoke(cli, ["gazetteer", "load", str(DATA / "bad_columns.txt"), "--path", str(path), "--quiet"])
    assert bad.exit_code != 0 and "bad_columns.txt:2:" in bad.stderr and "Traceback" not in bad.output
