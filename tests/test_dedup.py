"""The dedup stage as pure functions over ACLED rows: when two reports are one event, and the merged row."""
from __future__ import annotations

import pytest

from eventcoder.dedup import (dedup_rows, fatalities_of, match_recoded, merge_reports, same_event)


def row(article: str, **kw) -> dict:
    """A report row (ACLED columns that dedup reads) of a clash in Shaddadi on 24 March 2026."""
    base = {
        "event_id_cnty": f"SYR{abs(hash(article)) % 10**8:08d}", "article_id": article,
        "event_date": "2026-03-24", "year": 2026, "time_precision": 1, "disorder_type": "Political violence",
        "event_type": "Battles", "sub_event_type": "Armed clash",
        "actor1": "Islamic State", "actor2": "Syrian Democratic Forces", "assoc_actor_1": "", "assoc_actor_2": "",
        "inter1": 2, "inter2": 2, "interaction": 22, "civilian_targeting": "", "iso": 760, "region": "Middle East",
        "country": "Syria", "admin1": "Al-Hasakah", "admin2": "Al-Shaddadah", "admin3": "",
        "location": "Ash Shaddadah", "latitude": 36.0576, "longitude": 40.7348, "geo_precision": 1,
        "source": f"Outlet {article}", "source_scale": "", "notes": "", "fatalities": 5, "tags": "",
        "timestamp": 1, "published": "2026-03-25",
        "evidence": [{"field": "event_date", "text": "on 24 March", "start": 0, "end": 11,
                      "sentence": "x", "sentence_start": 0, "sentence_end": 20}],
    }
    base.update(kw)
    return base


def test_same_event_from_two_outlets():
    decision = same_event(row("a"), row("b", actor1="Unidentified Armed Group (Syria)", location="Shaddadi",
                                        latitude=36.10, longitude=40.75))
    assert decision.same
    assert "same day 2026-03-24" in decision.reason and "km apart" in decision.reason


@pytest.mark.parametrize(("other", "why"), [
    ({"article_id": "a"}, "same report"),
    ({"event_type": "Explosions/Remote violence", "sub_event_type": "Suicide bomb"}, "different kinds"),
    ({"event_date": "2026-03-25"}, "1 days apart"),
    ({"latitude": 36.6, "longitude": 40.7, "location": "Hasakah", "admin2": "Al-Hasakah"}, "km apart"),
    ({"country": "Iraq"}, "different countries"),
    ({"actor1": "Military Forces of Turkey", "actor2": "Kurdistan Workers Party"}, "different actors"),
    ({"event_date": ""}, "date is unknown"),
])
def test_not_the_same_event(other, why):
    decision = same_event(row("a"), row("b", **other))
    assert not decision.same and why in decision.reason


def test_vague_date_allows_one_day():
    vague = row("b", event_date="2026-03-25", evidence=[])  # date inferred from publication
    assert same_event(row("a"), vague).same
    assert same_event(row("a"), row("b", event_date="2026-03-25", time_precision=2)).same
    assert not same_event(row("a"), row("b", event_date="2026-03-26", evidence=[])).same


def test_vague_place_same_district():
    near = row("b", latitude=35.7, longitude=40.9, geo_precision=2, location="near Shaddadi")
    assert same_event(row("a"), near).same
    region = row("b", latitude=36.5, longitude=40.2, geo_precision=3, admin2="", location="Al-Hasakah")
    assert same_event(row("a"), region).same


def test_actor_family_and_suffix():
    # "Islamic State (Syria)" is the Islamic State; actors given in the other order still match.
    assert same_event(row("a"), row("b", actor1="Syrian Democratic Forces", actor2="Islamic State (Syria)")).same
    # An attack coded by one outlet as a clash is the same kind of event.
    assert same_event(row("a"), row("b", event_type="Violence against civilians", sub_event_type="Attack")).same


def test_bombing_and_later_clash_same_town_same_day_stay_two():
    bombing = row("a", event_type="Explosions/Remote violence", sub_event_type="Suicide bomb", actor2="")
    clash = row("a", event_id_cnty="SYR2")
    bombing_b = row("b", event_type="Explosions/Remote violence", sub_event_type="Suicide bomb", actor2="")
    clash_c = row("c")
    clusters = dedup_rows([bombing, clash, bombing_b, clash_c])
    assert [[r["article_id"] for r in c.reports] for c in clusters] == [["a", "b"], ["a", "c"]]


def test_merge_lists_sources_and_evidence_and_keeps_conservative_toll():
    merged = merge_reports([row("a", fatalities=6, source="Khabur Network", source_scale="Subnational"),
                            row("b", fatalities=5, source="Jazira Post", source_scale="National")], "SYR1")
    assert merged.row["event_id_cnty"] == "SYR1"
    assert merged.row["source"] == "Khabur Network; Jazira Post"
    assert merged.row["source_scale"] == "Subnational-National"
    assert merged.row["fatalities"] == 5
    assert merged.article_ids == ["a", "b"]
    assert [e["article_id"] for e in merged.row["evidence"]] == ["a", "b"]


def test_later_report_revises_the_toll():
    value, why = fatalities_of([row("a", fatalities=5), row("b", fatalities=3),
                                row("c", fatalities=9, published="2026-03-27")])
    assert value == 9 and "revised" in why
    assert fatalities_of([row("a", fatalities=None), row("b", fatalities=None)])[0] is None


def test_merge_takes_best_place_actors_and_date():
    vague = row("a", actor1="Unidentified Armed Group (Syria)", geo_precision=2, latitude=36.0, time_precision=2)
    precise = row("b", event_date="2026-03-23", evidence=[{"field": "event_date", "sentence_start": 0}])
    merged = merge_reports([vague, precise]).row
    assert merged["actor1"] == "Islamic State" and merged["geo_precision"] == 1
    assert merged["event_date"] == "2026-03-23" and merged["time_precision"] == 1
    assert merged["article_id"] == "a"  # the oldest report stays the primary one


def test_single_report_merges_to_itself():
    r = row("a")
    merged = merge_reports([r]).row
    assert {k: v for k, v in merged.items() if k != "evidence"} == {
        k: v for k, v in r.items() if k not in ("evidence", "published")}


def test_match_recoded_pairs_by_sentence_then_identity():
    old = [row("a", sub_event_type="Armed clash"),
           row("a", event_type="Strategic developments", sub_event_type="Arrests",
               evidence=[{"field": "x", "sentence_start": 50}])]
    new = [row("a", event_type="Strategic developments", sub_event_type="Looting/property destruction",
               evidence=[{"field": "x", "sentence_start": 50}]),
           row("a", event_type="Violence against civilians", sub_event_type="Attack", evidence=[]),
           row("a", event_type="Riots", sub_event_type="Mob violence", event_date="2026-01-01", evidence=[])]
    assert match_recoded(old, new) == [1, 0, None]


def test_near_a_town_needs_a_shared_named_actor():
    near_hasakah = row("b", location="Al Hasakah", latitude=36.5024, longitude=40.7477, geo_precision=2,
                       admin2="Al-Hasakah")
    assert same_event(row("a"), near_hasakah).same  # 49 km, same province, both name the SDF
    unnamed = dict(near_hasakah, actor1="Unidentified Armed Group (Syria)", actor2="")
    assert not same_event(row("a"), unnamed).same
    far = dict(near_hasakah, latitude=37.2, longitude=40.7)
    assert not same_event(row("a"), far).same
