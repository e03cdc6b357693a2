"""Place resolution rules found on the news-style geocoding sets: whole names with a kind word, Irish
counties, compass-word variants, admin names written as words, regions against foreign villages, and the
gazetteer's region and country points."""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from eventcoder.resolve.gazetteer import Gazetteer
from eventcoder.resolve.gazetteer_build import _group_centre, _main_cluster
from eventcoder.resolve.place_names import direction_variant
from eventcoder.resolve.places import resolve_places
from eventcoder.vocab import Place


@pytest.fixture(scope="module")
def gazetteer(gazetteer_path: Path) -> Gazetteer:
    return Gazetteer.open(gazetteer_path, build_if_missing=False)


def resolve(gazetteer: Gazetteer, text: str, *names: str) -> list[Place | None]:
    spans = [(text.index(n), text.index(n) + len(n)) for n in names]
    return resolve_places(text, spans, gazetteer=gazetteer)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def test_a_name_with_its_kind_word_is_that_name(gazetteer: Gazetteer) -> None:
    # the bare "Carson" is a city of 90,000 in California, which the text names
    text = "Smoke from fires in California drifted over Sparks and Carson City."
    carson = resolve(gazetteer, text, "Carson City")[0]
    assert (carson.name, carson.admin1) == ("Carson City", "Nevada")


def test_county_before_the_name_is_a_county(gazetteer: Gazetteer) -> None:
    county = resolve(gazetteer, "Farmland flooded near Athlone, and County Westmeath asked for help.",
                     "County Westmeath")[0]
    assert (county.country_code, county.feature_code) == ("IE", "ADM2")


def test_north_and_northern_are_one_region_name(gazetteer: Gazetteer) -> None:
    assert direction_variant("North Darfur") == "Northern Darfur"
    assert direction_variant("Southern Kordofan") == "South Kordofan"
    assert direction_variant("Northampton") is None
    state = resolve(gazetteer, "Clinics closed across North Darfur after the attack.", "North Darfur")[0]
    assert (state.country_code, state.feature_code) == ("SD", "ADM1")


def test_a_lowercase_word_is_no_admin_name(gazetteer: Gazetteer) -> None:
    # Frankfort, Illinois lies in Will County; "the county will pay" says nothing about it.
    text = ("Farmers near Lafayette and Frankfort signed up for the soil study, and Tippecanoe County will pay "
            "for the tests.")
    frankfort = resolve(gazetteer, text, "Lafayette", "Frankfort", "Tippecanoe County")[1]
    assert (frankfort.country_code, frankfort.admin1) == ("US", "Indiana")


def test_a_region_beats_villages_abroad(gazetteer: Gazetteer) -> None:
    text = "Troops were flown to Culiacan in Sinaloa, and officials in Texas tightened checks at El Paso."
    texas = resolve(gazetteer, text, "Culiacan", "Sinaloa", "Texas", "El Paso")[2]
    assert (texas.country_code, texas.feature_code) == ("US", "ADM1")


def test_a_foreign_region_does_not_beat_a_city_of_the_name(gazetteer: Gazetteer) -> None:
    text = "Storms battered Georgia overnight. In Atlanta trees fell on cars, and Savannah flooded."
    georgia, _, savannah = resolve(gazetteer, text, "Georgia", "Atlanta", "Savannah")
    assert (georgia.country_code, savannah.country_code, savannah.admin1) == ("US", "US", "Georgia")


def test_philippine_provinces_answer_to_their_bare_name(gazetteer: Gazetteer) -> None:
    province = resolve(gazetteer, "Troops set up checkpoints across Lanao del Sur on Monday.", "Lanao del Sur")[0]
    assert (province.country_code, province.feature_code) == ("PH", "ADM2")


def test_region_centre_is_the_middle_of_its_main_cluster() -> None:
    towns = [{"latitude": lat, "longitude": lon} for lat, lon in
             [(-32.0, 116.0), (-29.0, 115.0), (-26.0, 114.0), (-23.5, 116.0), (-21.0, 118.0), (-18.5, 121.0),
              (-16.5, 124.5), (-15.8, 128.7), (-10.4, 105.7)]]  # a sparse north kept, an island 1,500 km off not
    assert (-10.4, 105.7) not in _main_cluster([(t["latitude"], t["longitude"]) for t in towns])
    lat, lon = _group_centre(towns)
    assert lat == pytest.approx((-32.0 - 15.8) / 2) and lon == pytest.approx((114.0 + 128.7) / 2)


def test_large_regions_and_countries_sit_at_geonames_points(gazetteer: Gazetteer) -> None:
    text = "Fires burned in Western Australia and Queensland, and the United States and Canada sent planes."
    wa, qld, us, ca = resolve(gazetteer, text, "Western Australia", "Queensland", "United States", "Canada")
    assert km(wa.latitude, wa.longitude, -25.0, 122.0) < 150  # GeoNames' Western Australia
    assert km(qld.latitude, qld.longitude, -20.0, 145.0) < 150
    assert km(us.latitude, us.longitude, 39.76, -98.5) < 20 and km(ca.latitude, ca.longitude, 60.11, -113.64) < 20


def test_a_given_feature_the_gazetteer_lacks_is_placed_near_the_story(gazetteer: Gazetteer) -> None:
    from eventcoder.resolve.place_estimate import ESTIMATE_ID_BASE
    from eventcoder.resolve.places import geoparse

    text = "The Hocking River rose a foot overnight, closing roads between Athens and Nelsonville."
    spans = [(text.index(n), text.index(n) + len(n)) for n in ("Hocking River", "Athens", "Nelsonville")]
    river, athens, _ = geoparse(text, spans, gazetteer=gazetteer)
    assert river["feature_code"] == "STM" and river["geonameid"] < ESTIMATE_ID_BASE
    assert km(river["latitude"], river["longitude"], athens["latitude"], athens["longitude"]) < 50
    alone = geoparse("The Hocking River rose a foot overnight.", [(4, 17)], gazetteer=gazetteer)[0]
    assert alone["latitude"] is None and alone["geonameid"] is None  # nothing to place it near
    unnamed = geoparse("Rain fell on Saturday in Athens and Nelsonville.", [(13, 21)], gazetteer=gazetteer)[0]
    assert unnamed["geonameid"] is None  # no feature word: no estimate


def test_a_compass_adjective_asks_for_an_area(gazetteer: Gazetteer) -> None:
    for text in ("Dry lightning started fires across eastern Washington, and schools kept children indoors.",
                 "Smoke hung over eastern Washington as fire crews worked near Chelan."):
        state = resolve(gazetteer, text, "Washington")[0]
        assert (state.feature_code, state.admin1) == ("ADM1", "Washington"), text
    luzon = resolve(gazetteer, "Heavy rain is expected over northern Luzon tonight.", "Luzon")[0]
    assert luzon.feature_code == "ISL"


def test_a_state_abbreviation_after_a_town_places_the_town(gazetteer: Gazetteer) -> None:
    text = "The band played Springfield, Ill., on Friday and Paris, Tenn., the next night."
    places = resolve(gazetteer, text, "Springfield", "Ill.", "Paris", "Tenn.")
    assert [(p.name, p.admin1) for p in places] == [("Springfield", "Illinois"), ("Illinois", "Illinois"),
                                                    ("Paris", "Tennessee"), ("Tennessee", "Tennessee")]


def test_continents_are_places_at_geonames_points(gazetteer: Gazetteer) -> None:
    africa, europe = resolve(gazetteer, "Grain prices rose across Africa after Europe cut exports.", "Africa", "Europe")
    assert (africa.feature_code, africa.name, europe.name) == ("CONT", "Africa", "Europe")
    assert km(africa.latitude, africa.longitude, 7.19, 21.09) < 5


def test_the_country_stated_before_a_name_wins_over_the_story_focus(gazetteer: Gazetteer) -> None:
    # a Ukrainian village carries "Novorossiysk" as an alternate name; the story is about Odesa
    text = ("ODESA, Ukraine - A missile struck Odesa. It came hours after drones struck an oil terminal in the "
            "Russian port of Novorossiysk.")
    places = resolve(gazetteer, text, "Odesa", "Novorossiysk")
    assert places[1] is not None and places[1].country_code == "RU"
