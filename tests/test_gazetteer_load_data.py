"""`gazetteer load` on generated GeoNames-format dumps (benchmarks/geonames_synth.py): realistic rows, bad
rows, CRLF, indexes after a load, region merging. Speed and memory are measured by
benchmarks/gazetteer_load.py, never asserted here."""
from __future__ import annotations

import importlib.util
import random
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from eventcoder.cli import cli
from eventcoder.errors import DataFileError
from eventcoder.resolve import geonames_files
from eventcoder.resolve.fold import is_latin
from eventcoder.resolve.gazetteer import Gazetteer
from eventcoder.resolve.geonames_load import load_geonames

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "geonames"


@pytest.fixture(scope="module")
def synth():
    spec = importlib.util.spec_from_file_location("geonames_synth", ROOT / "benchmarks" / "geonames_synth.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass resolves annotations through sys.modules
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def dump(synth, tmp_path_factory):
    return synth.write_dump(tmp_path_factory.mktemp("dump"), 3000, seed=11)


def _files(dump) -> list[Path]:
    return [dump.alternate_names, dump.all_countries, dump.admin2, dump.admin1]


def test_generated_dump_loads_and_every_place_resolves(dump, tmp_path: Path) -> None:
    # Long alternatenames lists (hundreds of names), non-Latin scripts, empty fields, diacritics, "Al-" names.
    rows = [line.split("\t") for line in dump.all_countries.read_text(encoding="utf-8").splitlines()]
    assert {len(r) for r in rows} == {19} and max(len(r[3]) for r in rows) > 2000
    stats = load_geonames(tmp_path / "g.sqlite", _files(dump), progress=False, empty=True)
    assert stats.places == 3000 and stats.bad.count == 0 and stats.alternate_names > 0
    gaz = Gazetteer.open(tmp_path / "g.sqlite", build_if_missing=False)
    for r in random.Random(1).sample(rows, 300):
        assert int(r[0]) in {c.geonameid for c in gaz.lookup(r[1])}, r[1]
    town = next(r for r in rows if r[6] == "P" and r[10] and r[11])
    hit = gaz.get(int(town[0]))
    assert hit.admin1_name and hit.admin2_name  # from admin1CodesASCII / admin2Codes


def test_lookup_queries_use_indexes_in_a_file_started_empty(dump, tmp_path: Path) -> None:
    path = tmp_path / "e.sqlite"
    load_geonames(path, [dump.all_countries], progress=False, empty=True)
    con = sqlite3.connect(path)
    for sql in ("SELECT * FROM names n JOIN places p ON p.geonameid = n.geonameid WHERE n.key = 'x'",
                "SELECT * FROM places p WHERE p.country_code = 'IQ' AND p.feature_code IN ('PPLA', 'PPLC') "
                "AND p.admin1_code = '01'"):  # Gazetteer.lookup and Gazetteer.admin1_seat
        plan = [row[3] for row in con.execute(f"EXPLAIN QUERY PLAN {sql}")]
        assert not any(step.startswith("SCAN") for step in plan), plan
    con.close()


def test_bad_rows_skipped_and_counted_with_line_numbers(dump, tmp_path: Path) -> None:
    lines = dump.all_countries.read_text(encoding="utf-8").splitlines()[:50]
    lines[10] = "\t".join(lines[10].split("\t")[:7])  # truncated row
    cols = lines[20].split("\t")
    cols[4] = "north"  # unreadable latitude
    lines[20] = "\t".join(cols)
    src = tmp_path / "XX.txt"
    src.write_text("# a comment line counts as a line\n" + "\n".join(lines) + "\n", encoding="utf-8")
    stats = load_geonames(tmp_path / "b.sqlite", [src], progress=False, empty=True)
    assert stats.places == 48 and stats.bad.count == 2
    assert stats.bad.examples[0] == f"{src}:12: expected 19 tab-separated columns, got 7"
    assert stats.bad.examples[1].startswith(f"{src}:22: {cols[1]!r}: could not convert")


def test_mostly_bad_file_stops_the_load(dump, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(geonames_files, "MAX_BAD", 5)
    good = dump.all_countries.read_text(encoding="utf-8").splitlines()[:3]
    src = tmp_path / "XX.txt"
    src.write_text("\n".join(good + ["1\tonly\tthree"] * 20) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"XX.txt: 6 bad rows in the first 23 rows read .*is this a GeoNames dump"):
        load_geonames(tmp_path / "m.sqlite", [src], progress=False, empty=True)


def test_crlf_dump_loads_like_lf(dump, tmp_path: Path) -> None:
    text = dump.all_countries.read_bytes().splitlines()[:200]
    src = tmp_path / "XX.txt"
    src.write_bytes(b"\r\n".join(text) + b"\r\n")
    load_geonames(tmp_path / "c.sqlite", [src], progress=False, empty=True)
    gaz = Gazetteer.open(tmp_path / "c.sqlite", build_if_missing=False)
    last = text[-1].decode("utf-8").split("\t")
    place = gaz.get(int(last[0]))
    assert place.name == last[1] and not any(c.name.endswith("\r") for c in gaz.lookup(last[1]))


def test_usable_matches_is_latin_per_name(synth) -> None:
    rng = random.Random(5)
    names = [synth.make_name(rng) for _ in range(2000)] + [
        "Tall ‘Afar", "Ærøskøbing", "Łódź", "Ḩalabjah", "قرية", "Деревня Ost", "村", "Ǆemal", "ﬁeld", "Ōsaka",
        "Sant’Antioco", "ÑUÑOA", "x", "Route 66", "http://x.org", "IQ", "Ağrı", "Şanlıurfa", "Đà Nẵng"]
    for name in names:
        old = not (len(name) < 2 or any(ch.isdigit() for ch in name) or "http" in name
                   or name.isupper() and len(name) <= 4) and is_latin(name)
        assert geonames_files.usable(name) == old, name


def test_duplicate_region_rows_keep_the_established_spelling(gazetteer_path: Path, tmp_path: Path) -> None:
    # Two GeoNames ADM1 rows for IQ.11 (Erbil in the default build): the build's synthetic row's names go to
    # the lower id and neither real row loses the build's admin1 spelling.
    path = tmp_path / "copy.sqlite"
    shutil.copy(gazetteer_path, path)
    row = ["", "Muhafazat Arbil", "Muhafazat Arbil", "", "36.2", "44.0", "A", "ADM1", "IQ", "", "11", "", "", "",
           "0", "", "400", "Asia/Baghdad", "2024-01-01"]
    src = tmp_path / "IQ.txt"
    src.write_text("\n".join("\t".join([gid, *row[1:]]) for gid in ("99100002", "99100001")) + "\n",
                   encoding="utf-8")
    load_geonames(path, [src], progress=False)
    gaz = Gazetteer.open(path, build_if_missing=False)
    assert gaz.admin1("IQ", "Erbil").geonameid == 99100001
    assert [gaz.get(g).admin1_name for g in (99100001, 99100002)] == ["Erbil", "Erbil"]


def test_cli_reports_bad_rows_even_when_quiet(tmp_path: Path, runner) -> None:
    r = runner.invoke(cli, ["gazetteer", "load", str(DATA / "bad_columns.txt"), "--path", str(tmp_path / "q.sqlite"),
                            "--empty", "--quiet"])
    assert r.exit_code == 1 and "1 bad rows skipped" in r.output and "bad_columns.txt:2:" in r.output


def test_worker_processes_load_the_same_rows(dump, tmp_path: Path, monkeypatch) -> None:
    from eventcoder.resolve import geonames_load

    monkeypatch.setattr(geonames_load, "_POOL_MIN_BYTES", 0)  # the pool even for this small dump
    monkeypatch.setattr(geonames_files, "CHUNK_LINES", 500)
    tables = []
    for workers in (0, 2):
        path = tmp_path / f"w{workers}.sqlite"
        stats = load_geonames(path, _files(dump), progress=False, empty=True, workers=workers)
        con = sqlite3.connect(path)
        tables.append((stats.places, stats.names, stats.alternate_names,
                       con.execute("SELECT * FROM places ORDER BY geonameid").fetchall(),
                       con.execute("SELECT * FROM names ORDER BY 1, 2, 3").fetchall()))
        con.close()
    assert tables[0] == tables[1] and tables[0][0] == 3000


def test_alternate_names_zip_as_geonames_ships_it(dump, tmp_path: Path) -> None:
    # alternateNamesV2.zip holds iso-languagecodes.txt (4 columns, a header) beside the names: not an error.
    import zipfile

    archive = tmp_path / "alternateNamesV2.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(dump.alternate_names, "alternateNamesV2.txt")
        zf.writestr("iso-languagecodes.txt", "ISO 639-3\tISO 639-2\tISO 639-1\tLanguage Name\naar\taar\taa\tAfar\n")
    stats = load_geonames(tmp_path / "z.sqlite", [dump.all_countries, archive], progress=False, empty=True)
    assert stats.alternate_names > 0 and stats.bad.count == 0 and len(stats.files) == 2
