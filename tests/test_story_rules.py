"""Event places inside towns, running totals and captured people (sentences of our own)."""
from __future__ import annotations

import datetime as dt

import pytest

from eventcoder.ingest import article_from_record
from eventcoder.pipeline import Coder


@pytest.fixture(scope="module")
def coder(gazetteer_path):
    return Coder(gazetteer_path=gazetteer_path)


def code(coder, text, published="2026-09-24"):
    return coder.code_one(article_from_record({"id": "t", "text": text, "published": published}, "test"))


@pytest.mark.parametrize("text, town", [
    ("Gunmen shot dead three men on Tuesday in the Tierra Blanca neighbourhood of Culiacán, police said.", "Culiacán"),
    ("Two children were killed on Monday when shells struck a street in the al-Rawda neighbourhood of the "
     "besieged city of Taiz.", "Taiz"),
])
def test_a_part_of_a_town_is_coded_at_the_town(coder, text, town):
    ev = code(coder, text)[0]
    assert ev.place.name.replace("Ta‘izz", "Taiz") in (town, "Culiacan", "Ta'izz", "Taizz")


def test_a_district_of_a_province_is_not_a_part_of_its_capital(coder):
    ev = code(coder, "A roadside bomb killed a ranger on Tuesday in Rueso district of Narathiwat province.")[0]
    assert ev.place.name == "Rueso"


def test_a_total_since_a_date_in_the_sentence_before_is_no_toll(coder):
    ev = code(coder, "Insurgents killed three men in Mocimboa da Praia on Wednesday night. The insurgency began "
                     "in October 2017. More than 6,000 people have been killed since then, monitors say.")[0]
    assert ev.fatalities == 3


def test_a_total_since_the_start_of_the_war_is_no_toll(coder):
    assert code(coder, "Gunmen killed four villagers in Tillaberi on Monday. The war has killed thousands since "
                       "the start of the insurgency.")[0].fatalities == 4
    assert code(coder, "Resistance fighters captured Ye-U on Monday; six soldiers were killed. Monitors say thousands "
                       "of civilians have been killed in air strikes since the coup.",
                published="2026-10-27")[0].fatalities == 6


def test_captured_victims_are_people_not_territory(coder):
    events = code(coder, "Rebels captured three farmers near Beni on Tuesday, residents said.")
    assert events and events[0].sub_event_type == "Abduction/forced disappearance"
    events = code(coder, "Rebels captured the victims near Beni on Tuesday, residents said.")
    assert not any(e.sub_event_type == "Non-state actor overtakes territory" for e in events)


def test_military_exercises_fire_at_nobody(coder):
    assert code(coder, "The navy began three days of exercises in the Strait of Hormuz on Monday, which would "
                       "include the firing of anti-ship missiles.") == []
    hurt = code(coder, "Two soldiers were killed on Monday when a mortar round exploded during drills near Kirkuk.")
    assert hurt and hurt[0].fatalities == 2


def test_a_detachment_that_was_the_target_of_an_attack_is_the_military(coder):
    ev = code(coder, "On Sunday the military detachment of Titao was the target of an attack by armed terrorist "
                     "groups, the government said.", published="2026-09-07")[0]
    assert ev.sub_event_type == "Armed clash" and ev.actor2.name.startswith("Military Forces of Burkina Faso")


def test_the_air_component_strikes_from_the_air(coder):
    ev = code(coder, "On Sunday the air component of the national armed forces struck a column of terrorists about "
                     "thirty kilometres north of Titao, killing dozens.", published="2026-09-07")[0]
    assert ev.sub_event_type == "Air/drone strike"


def test_a_verdict_is_about_a_past_event(coder):
    events = code(coder, "A court in Kampala on Thursday convicted four men of murder over the twin suicide bombings "
                         "that killed seven people in central Kampala in November 2021. On 16 November 2021, two "
                         "suicide bombers blew themselves up near the central police station. Four bystanders and "
                         "three attackers died.", published="2026-10-02")
    assert events == []


def test_a_shooting_near_a_ceasefire_line_is_no_agreement(coder):
    events = code(coder, "A man was shot dead by Israeli troops this morning as he approached the line east of "
                         "the Shujaiya neighbourhood in Gaza City, where Israeli forces remain deployed under the "
                         "ceasefire arrangements. Several hundred Palestinians have been killed since the truce "
                         "began.", published="2026-10-29")
    assert [(e.sub_event_type, e.fatalities) for e in events] == [("Attack", 1)]


def test_gunmen_who_tried_to_storm_a_base_fought_a_gunfight(coder):
    events = code(coder, "A suicide bomber drove a car into the gate of an army base near Baidoa on Wednesday, "
                         "killing five soldiers. Al-Shabaab fighters then tried to storm the base but were pushed "
                         "back after a gunfight that lasted about an hour.", published="2026-07-03")
    assert {e.sub_event_type for e in events} == {"Suicide bomb", "Armed clash"}


def test_the_towns_a_road_runs_between_are_places(coder):
    ev = code(coder, "An Israeli drone strike on a car on the road between Bint Jbeil and Aynata in south Lebanon "
                     "killed two people on Tuesday afternoon. Hezbollah later mourned one of the dead as a member.",
              published="2026-11-11")[0]
    assert ev.place.country_code == "LB" and ev.place.name.startswith(("Bent", "Bint"))
    assert ev.fatalities == 2  # "one of the dead" is a part of the toll, not a new one


def test_an_attack_by_drones_is_a_drone_strike_even_when_a_fire_broke_out(coder):
    ev = code(coder, "A fire broke out at an oil terminal in the port of Novorossiysk after an overnight attack by "
                     "Ukrainian aerial and naval drones, regional authorities said on Sunday.", published="2026-10-04")[0]
    assert (ev.event_type, ev.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert ev.actor1.name.startswith("Military Forces of Ukraine")


def test_air_defences_that_downed_foreign_drones_are_actor1(coder):
    ev = code(coder, "Air defences shot down eight Ukrainian drones over the Bryansk region on Saturday night, the "
                     "governor said.", published="2026-10-04")[0]
    assert ev.sub_event_type == "Disrupted weapons use"
    assert (ev.actor1.name, ev.actor2.name) == ("Military Forces of Russia", "Military Forces of Ukraine")


def test_an_air_force_that_carried_out_strikes_struck_from_the_air(coder):
    ev = code(coder, "The army says its air force carried out strikes on RSF positions in and around the town of "
                     "Bara yesterday.", published="2026-11-03")[0]
    assert ev.sub_event_type == "Air/drone strike" and ev.actor1.name.startswith("Military Forces of Sudan")


def test_the_accused_side_is_the_attacker_and_allies_are_no_target(coder):
    ev = code(coder, "On 15 August, a drone strike hit a fuel depot in En Nahud, West Kordofan, killing 12 people. "
                     "The RSF accused the Sudanese Armed Forces of carrying out the strike.", published="2026-08-17")[0]
    assert ev.actor1.name.startswith("Military Forces of Sudan")
    ev = code(coder, "Artillery shells fired by the SPLM-North faction and its RSF allies hit residential areas of "
                     "Kadugli on Sunday, killing two people.", published="2026-11-03")[0]
    assert ev.actor2.name.startswith("Civilians")


def test_a_statement_on_state_television_a_day_later_is_about_the_same_strike(coder):
    events = code(coder, "A military jet bombed a monastery in northern Sagaing region on Tuesday, killing 26 people. "
                         "The strike hit a village about 10 miles north of Kanbalu town. The military's information "
                         "team said on state television on Wednesday evening that the air force had carried out "
                         "strikes against a training camp in Kanbalu township.", published="2026-09-24")
    assert len([e for e in events if e.sub_event_type == "Air/drone strike"]) == 1


def test_regaining_control_of_a_prison_is_no_territory(coder):
    events = code(coder, "Nine inmates were killed in a fight between rival gangs inside the Litoral Penitentiary in "
                         "Guayaquil on Tuesday night. Members of Los Lobos attacked inmates linked to Los Choneros "
                         "with firearms. Soldiers entered the pavilion at dawn and regained control.",
                  published="2026-11-19")
    assert [e.sub_event_type for e in events] == ["Armed clash"]


def test_bodies_found_with_gunshot_wounds_are_an_attack(coder):
    events = code(coder, "Two police officers were killed in a gunfight with gunmen in Culiacán on Tuesday afternoon. "
                         "Earlier on Tuesday, the bodies of four men with gunshot wounds and bound hands were found on "
                         "the southern edge of the city. More than 2,000 people have been killed in Sinaloa since the "
                         "war between the factions broke out.", published="2026-09-23")
    attack = [e for e in events if e.sub_event_type == "Attack"]
    assert len(attack) == 1 and attack[0].fatalities == 4
    assert all((e.fatalities or 0) < 100 for e in events)


def test_entering_a_town_without_meeting_resistance_is_a_non_violent_transfer(coder):
    events = code(coder, "Fighters of the M23 rebel group entered Kayna, a trading town in Lubero territory, on "
                         "Tuesday without meeting resistance, a day after militia fighters who had held the town "
                         "withdrew.", published="2026-11-12")
    assert events and events[0].sub_event_type == "Non-violent transfer of territory"
    assert events[0].actor1.name.startswith("M23")  # who entered, not who withdrew
    said = code(coder, "The Arakan Army said late last week that its fighters had entered Kyaukphyu town without "
                       "firing a shot after the last government troops there left by sea.", published="2026-10-23")
    assert said and said[0].actor1.name == "Arakan Army"


def test_what_happened_during_the_attack_takes_its_day(coder):
    events = code(coder, "Gang members attacked several neighbourhoods of Kenscoff on Saturday, killing at least "
                         "eight residents. A women's rights group said on Monday that gang members had raped at "
                         "least six women during the attack.", published="2026-10-19")
    sexual = [e for e in events if e.sub_event_type == "Sexual violence"]
    assert sexual and sexual[0].event_date == dt.date(2026, 10, 17)


def test_units_backed_by_a_drone_unit_struck_from_the_air_at_a_hyphenated_town(coder):
    events = code(coder, "Police said on Sunday that its units, supported by the drone unit of the security task "
                         "force, had struck a base used by the gang coalition in Croix-des-Bouquets, killing three "
                         "gang members.", published="2026-10-19")
    assert [(e.sub_event_type, e.place.name) for e in events] == [("Air/drone strike", "Croix-des-Bouquets")]


def test_the_day_a_group_claimed_an_attack_is_no_day_of_the_attack(coder):
    events = code(coder, "Insurgents killed three men in Mocimboa da Praia on Wednesday night. The Islamic State "
                         "claimed the attack on Thursday, saying its fighters had killed three Christians.",
                  published="2026-10-31")
    assert [e.event_date for e in events] == [dt.date(2026, 10, 28)]


def test_sites_inside_a_town_and_sponsors_are_no_places(coder):
    ev = code(coder, "On Saturday several thousand people rallied peacefully in al-Karama square in Sweida city, "
                     "demanding the release of detainees.", published="2026-10-19")[0]
    assert ev.place.country_code == "SY"


def test_what_followed_a_past_event_days_later_is_past_too(coder):
    events = code(coder, "Timeline\n\n- 16 July 2025: Israel strikes the defence ministry in Damascus. A US-brokered "
                         "ceasefire follows days later.\n- 12 October 2026: Gunmen abduct three truck drivers near "
                         "Shahba.", published="2026-10-20")
    assert [e.sub_event_type for e in events] == ["Abduction/forced disappearance"]


def test_fighting_that_continued_into_the_next_day_is_the_same_fighting(coder):
    events = code(coder, "At least nine people were killed in fighting between the ELN and FARC dissidents that broke "
                         "out on Wednesday near Tibú. Community leaders said they had counted at least 14 bodies, and "
                         "that the fighting continued into Thursday in several villages along the Catatumbo river.",
                  published="2026-10-09")
    assert len([e for e in events if e.sub_event_type == "Armed clash"]) == 1


def test_counts_since_the_coup_or_the_war_are_running_totals():
    from eventcoder.resolve.history import since_long_ago

    day = dt.date(2026, 10, 27)
    assert since_long_ago("Thousands of civilians have been killed in such strikes since the coup.", day)
    assert since_long_ago("More than 2,000 people have died since the war between the factions broke out.", day)
    assert not since_long_ago("Three more bodies have been found since Monday.", day)


def test_a_first_statements_figure_gives_way_to_the_revised_toll():
    from eventcoder.extract.numbers import replaced_figure

    assert replaced_figure("In a first statement read on state television late on Tuesday, the general staff said "
                           "four soldiers had been killed.")
    assert not replaced_figure("The general staff said on Tuesday that four soldiers had been killed.")
