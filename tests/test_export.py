"""Tests for export: Event -> ACLED row, and the CSV / JSON Lines / JSON / GeoJSON / Parquet writers."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import pytest

from eventcoder.export import (
    FORMATS, ROW_COLUMNS, ExportError, disorder_type, event_to_row, format_from_path,
    interaction_code, make_event_id, write_rows,
)
from eventcoder.vocab import ACLED_COLUMNS, Actor, Event, Evidence, Place

TEXT = ("ERBIL (Kurdistan 24) – Gunmen killed three civilians in Makhmour on Saturday. "
        "Police said the attackers fled.")


@dataclass
class FakeCountry:
    """Stands in for resolve.countries.CountryInfo."""

    name: str
    iso2: str
    iso3: str
    isonumeric: int
    region: str


_COUNTRIES = {
    "IQ": FakeCountry("Iraq", "IQ", "IRQ", 368, "Middle East"),
    "SY": FakeCountry("Syria", "SY", "SYR", 760, "Middle East"),
}


def _fake_country_info(code_or_name: str) -> FakeCountry | None:
    """Look a country up by ISO2 or English name."""
    for info in _COUNTRIES.values():
        if code_or_name.upper() == info.iso2 or code_or_name.lower() == info.name.lower():
            return info
    return None


@pytest.fixture(autouse=True)
def fake_countries(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fixed country table, so rows do not depend on the resolve package's data."""
    module = types.ModuleType("eventcoder.resolve.countries")
    module.country_info = _fake_country_info  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "eventcoder.resolve.countries", module)


def make_event(**overrides: object) -> Event:
    """A Violence-against-civilians event in Makhmour with actors, place and evidence."""
    start = TEXT.index("Gunmen")
    sentence_end = TEXT.index(".", start) + 1
    values: dict[str, object] = dict(
        event_type="Violence against civilians",
        sub_event_type="Attack",
        event_date=dt.date(2024, 3, 9),
        time_precision=1,
        actor1=Actor("Unidentified Armed Group (Iraq)", 3, "IQ", "Gunmen", start, start + 6),
        actor2=Actor("Civilians (Iraq)", 7, "IQ", "civilians", TEXT.index("civilians"),
                     TEXT.index("civilians") + 9),
        assoc_actor_1=[],
        assoc_actor_2=["Farmers (Iraq)", "Kurdish Ethnic Group (Iraq)"],
        place=Place("Makhmour", 35.775123456, 43.5805678, country="Iraq", country_code="IQ",
                    admin1="Erbil", admin2="Makhmour", geonameid=99072, feature_code="PPLA2",
                    geo_precision=1),
        fatalities=3,
        notes="On 9 March 2024, gunmen killed three civilians in Makhmour.",
        source="Kurdistan 24",
        source_scale="Subnational",
        article_id="a1",
        evidence=[Evidence("actor1", "Gunmen", start, start + 6, TEXT[start:sentence_end], start, sentence_end),
                  Evidence("fatalities", "three", TEXT.index("three"), TEXT.index("three") + 5,
                           TEXT[start:sentence_end], start, sentence_end)],
    )
    values.update(overrides)
    return Event(**values)  # type: ignore[arg-type]


def test_row_has_acled_columns_then_extras() -> None:
    row = event_to_row(make_event(), timestamp=1_700_000_000)
    assert tuple(row) == ACLED_COLUMNS + ("article_id", "evidence")
    assert len(ACLED_COLUMNS) == 31


def test_row_values() -> None:
    row = event_to_row(make_event(), timestamp=1_700_000_000)
    assert row["event_id_cnty"].startswith("IRQ") and len(row["event_id_cnty"]) == 11
    assert row["event_id_cnty"][3:].isdigit()
    assert row["event_date"] == "2024-03-09" and row["year"] == 2024 and row["time_precision"] == 1
    assert row["disorder_type"] == "Political violence"
    assert row["actor1"] == "Unidentified Armed Group (Iraq)" and row["inter1"] == 3
    assert row["assoc_actor_1"] == ""
    assert row["assoc_actor_2"] == "Farmers (Iraq); Kurdish Ethnic Group (Iraq)"
    assert row["inter2"] == 7 and row["interaction"] == 37
    assert row["civilian_targeting"] == "Civilian targeting"
    assert (row["iso"], row["region"], row["country"]) == (368, "Middle East", "Iraq")
    assert (row["admin1"], row["admin2"], row["admin3"], row["location"]) == ("Erbil", "Makhmour", "", "Makhmour")
    assert (row["latitude"], row["longitude"]) == (35.7751, 43.5806)
    assert row["geo_precision"] == 1 and row["fatalities"] == 3
    assert row["timestamp"] == 1_700_000_000 and row["article_id"] == "a1"
    assert row["evidence"][0] == {"field": "actor1", "text": "Gunmen", "start": TEXT.index("Gunmen"),
                                  "end": TEXT.index("Gunmen") + 6,
                                  "sentence": row["evidence"][0]["sentence"],
                                  "sentence_start": TEXT.index("Gunmen"),
                                  "sentence_end": TEXT.index(".", TEXT.index("Gunmen")) + 1}


def test_event_id_is_stable_and_explicit_id_wins() -> None:
    assert event_to_row(make_event())["event_id_cnty"] == event_to_row(make_event())["event_id_cnty"]
    other = event_to_row(make_event(sub_event_type="Abduction/forced disappearance"))
    assert other["event_id_cnty"] != event_to_row(make_event())["event_id_cnty"]
    assert event_to_row(make_event(event_id_cnty="IRQ123"))["event_id_cnty"] == "IRQ123"
    assert make_event_id("IRQ", "a", "Attack", "2024-01-01", "X", attempt=1) != \
        make_event_id("IRQ", "a", "Attack", "2024-01-01", "X")


def test_row_without_place_actors_or_date() -> None:
    row = event_to_row(make_event(place=None, actor2=None, event_date=None, fatalities=None,
                                  time_precision=None), timestamp=5)
    assert row["event_id_cnty"].startswith("XXX")
    assert row["event_date"] == "" and row["year"] is None
    assert row["country"] == "" and row["iso"] is None and row["region"] == ""
    assert row["latitude"] is None and row["geo_precision"] is None and row["location"] == ""
    assert row["actor2"] == "" and row["inter2"] is None and row["interaction"] == 30
    assert row["civilian_targeting"] == "" and row["fatalities"] is None


def test_timestamp_precedence() -> None:
    assert event_to_row(make_event(timestamp=42), timestamp=7)["timestamp"] == 42
    assert event_to_row(make_event(), timestamp=7)["timestamp"] == 7
    assert event_to_row(make_event())["timestamp"] > 1_600_000_000


def test_unknown_country_falls_back_to_place_name() -> None:
    place = Place("Somewhere", 1.0, 2.0, country="Atlantis", country_code="AT")
    row = event_to_row(make_event(place=place))
    assert row["country"] == "Atlantis" and row["iso"] is None and row["event_id_cnty"].startswith("XXX")


@pytest.mark.parametrize(("event_type", "sub", "expected"), [
    ("Battles", "Armed clash", "Political violence"),
    ("Explosions/Remote violence", "Air/drone strike", "Political violence"),
    ("Violence against civilians", "Attack", "Political violence"),
    ("Riots", "Mob violence", "Political violence"),
    ("Riots", "Violent demonstration", "Demonstrations"),
    ("Protests", "Peaceful protest", "Demonstrations"),
    ("Protests", "Excessive force against protesters", "Political violence; Demonstrations"),
    ("Strategic developments", "Arrests", "Strategic developments"),
    ("Nonsense", "x", ""),
])
def test_disorder_type(event_type: str, sub: str, expected: str) -> None:
    assert disorder_type(event_type, sub) == expected


def test_interaction_and_civilian_targeting() -> None:
    assert interaction_code(7, 1) == 17 and interaction_code(1, None) == 10 and interaction_code(None, None) is None
    protest = make_event(event_type="Protests", sub_event_type="Peaceful protest",
                         actor1=Actor("Protesters (Iraq)", 6), actor2=Actor("Civilians (Iraq)", 7))
    assert event_to_row(protest)["civilian_targeting"] == ""


# -- writers -----------------------------------------------------------------

def _rows() -> list[dict]:
    """Two located rows and one without coordinates."""
    return [
        event_to_row(make_event(), timestamp=1),
        event_to_row(make_event(event_type="Battles", sub_event_type="Armed clash", fatalities=None,
                                actor2=Actor("Military Forces of Iraq (2022-)", 1)), timestamp=2),
        event_to_row(make_event(place=None, sub_event_type="Sexual violence"), timestamp=3),
    ]


def test_csv_header_and_values(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    result = write_rows(iter(_rows()), "csv", path)
    assert result.written == 3
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        records = [dict(zip(header, values)) for values in reader]
    assert header == list(ACLED_COLUMNS) + ["article_id", "evidence"]
    assert records[0]["event_date"] == "2024-03-09" and records[0]["fatalities"] == "3"
    assert records[1]["fatalities"] == ""  # None is blank in CSV
    assert records[2]["latitude"] == ""
    assert json.loads(records[0]["evidence"])[0]["field"] == "actor1"
    assert ", " not in records[0]["evidence"]  # compact JSON


def test_csv_to_text_and_binary_streams() -> None:
    text = io.StringIO()
    write_rows(_rows(), "csv", text)
    binary = io.BytesIO()
    write_rows(_rows(), "csv", binary)
    assert not binary.closed  # the caller's stream is left open
    assert binary.getvalue().decode("utf-8") == text.getvalue()


def test_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    rows = _rows()
    assert write_rows(rows, "jsonl", path).written == 3
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == rows
    assert list(json.loads(lines[0])) == list(ROW_COLUMNS)
    assert json.loads(lines[1])["fatalities"] is None


def test_json_array(tmp_path: Path) -> None:
    path = tmp_path / "events.json"
    write_rows(_rows(), "json", path)
    assert json.loads(path.read_text(encoding="utf-8")) == _rows()
    empty = io.StringIO()
    write_rows([], "json", empty)
    assert json.loads(empty.getvalue()) == []


def test_geojson(tmp_path: Path) -> None:
    path = tmp_path / "events.geojson"
    result = write_rows(iter(_rows()), "geojson", path)
    assert (result.written, result.skipped) == (2, 1)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 2
    feature = doc["features"][0]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [43.5806, 35.7751]}
    assert "latitude" not in feature["properties"] and "longitude" not in feature["properties"]
    assert feature["properties"]["event_type"] == "Violence against civilians"
    assert isinstance(feature["properties"]["evidence"], list)


def test_parquet_round_trip(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "events.parquet"
    rows = _rows()
    assert write_rows(iter(rows), "parquet", path).written == 3
    table = pq.read_table(path)
    assert table.column_names == list(ROW_COLUMNS)
    assert table.schema.field("fatalities").type == pa.int64()
    assert table.schema.field("inter1").type == pa.int32()
    assert table.schema.field("latitude").type == pa.float64()
    assert table.schema.field("event_date").type == pa.date32()
    assert table.schema.field("evidence").type == pa.string()
    back = table.to_pylist()
    assert back[0]["event_date"] == dt.date(2024, 3, 9)
    assert back[1]["fatalities"] is None and back[2]["latitude"] is None
    assert json.loads(back[0]["evidence"]) == rows[0]["evidence"]
    for got, want in zip(back, rows):
        for col in ROW_COLUMNS:
            if col not in ("event_date", "evidence"):
                assert got[col] == want[col], col


def test_parquet_empty_and_text_stream_refused(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    path = tmp_path / "empty.parquet"
    assert write_rows([], "parquet", path).written == 0
    assert pq.read_table(path).num_rows == 0
    with pytest.raises(ExportError):
        write_rows([], "parquet", io.StringIO())


def test_unknown_format_and_suffixes() -> None:
    with pytest.raises(ExportError, match="unknown export format"):
        write_rows([], "xlsx", io.StringIO())
    assert format_from_path("a/b.GeoJSON") == "geojson" and format_from_path("x.ndjson") == "jsonl"
    with pytest.raises(ExportError):
        format_from_path("x.txt")
    assert set(FORMATS) == {"csv", "jsonl", "json", "geojson", "parquet"}


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json", "geojson"])
def test_writers_stream(fmt: str) -> None:
    """Each row is written before the next one is produced (no list is built)."""
    out = io.StringIO()
    sizes: list[int] = []

    def gen():
        for row in _rows()[:2]:
            sizes.append(len(out.getvalue()))
            yield row

    write_rows(gen(), fmt, out)
    assert sizes[1] > sizes[0]


def test_row_without_country_module(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before resolve.countries exists (or if it fails to import) rows still build."""
    monkeypatch.setitem(sys.modules, "eventcoder.resolve.countries", None)
    row = event_to_row(make_event())
    assert row["country"] == "Iraq" and row["iso"] is None and row["event_id_cnty"].startswith("XXX")


def test_row_with_real_country_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the shipped country table, Iraq gives ACLED's ISO numeric code and region."""
    monkeypatch.delitem(sys.modules, "eventcoder.resolve.countries")
    pytest.importorskip("eventcoder.resolve.countries")
    row = event_to_row(make_event())
    assert (row["iso"], row["region"], row["country"]) == (368, "Middle East", "Iraq")
    assert row["event_id_cnty"].startswith("IRQ")
