"""resolve -> events: merging follow-up sentences, defaults, claims, tolls, history (written to exercise each rule)."""
from __future__ import annotations

import datetime as dt

import pytest

from eventcoder.pipeline import Coder
from eventcoder.vocab import Article

PUB = dt.date(2026, 3, 14)  # Saturday


@pytest.fixture(scope="module")
def coder(gazetteer_path):
    return Coder(gazetteer_path=gazetteer_path)


def code(coder, text, published=PUB, **kw):
    from eventcoder.ingest import article_from_record

    rec = {"id": "t", "text": text, "published": published.isoformat() if published else None, **kw}
    return coder.code_one(article_from_record(rec, "test"))


def test_follow_up_sentences_join_the_event(coder):
    events = code(coder, "A roadside bomb exploded next to an army patrol near Baiji on Friday. "
                         "Three soldiers were killed in the blast. The wounded were taken to hospital in Tikrit.")
    assert len(events) == 1
    ev = events[0]
    assert ev.sub_event_type == "Remote explosive/landmine/IED"
    assert ev.fatalities == 3 and ev.event_date == dt.date(2026, 3, 13)
    assert ev.actor2.name == "Military Forces of Iraq"


def test_two_types_same_day_stay_two(coder):
    events = code(coder, "A suicide bomber blew himself up at a police station in Kirkuk on Thursday, killing four "
                         "officers. Later on Thursday, gunmen clashed with soldiers in Hawija, and two militants were killed.")
    assert {e.sub_event_type for e in events} == {"Suicide bomb", "Armed clash"}


def test_background_threats_and_denials_are_not_events(coder):
    text = ("Islamic State fighters seized Mosul in 2014. The group vowed to attack Baghdad. "
            "The ministry denied that troops had shelled villages near Sinjar. "
            "The army plans to launch an offensive on Raqqa next month.")
    assert code(coder, text) == []


def test_civilian_victims_make_an_attack_armed_ones_a_clash(coder):
    attack = code(coder, "Gunmen shot dead two farmers outside Daquq on Tuesday.")[0]
    clash = code(coder, "Gunmen attacked a police checkpoint outside Daquq on Tuesday and killed two policemen.")[0]
    assert (attack.sub_event_type, attack.actor2.name) == ("Attack", "Civilians (Iraq)")
    assert attack.actor1.name == "Unidentified Armed Group (Iraq)" and attack.fatalities == 2
    assert (clash.sub_event_type, clash.actor2.name) == ("Armed clash", "Police Forces of Iraq")


def test_claim_names_the_attacker(coder):
    events = code(coder, "A car bomb exploded at a market in Mogadishu on Friday, killing five people. "
                         "Al Shabaab said in a statement that its fighters had carried out the attack.")
    assert events[0].actor1.name.startswith("Al Shabaab")


def test_nobody_killed_gives_zero(coder):
    ev = code(coder, "Militants fired mortar rounds at a base near Kirkuk on Friday. No one was killed.")[0]
    assert ev.sub_event_type == "Shelling/artillery/missile attack" and ev.fatalities == 0


def test_no_toll_stated_leaves_fatalities_empty(coder):
    ev = code(coder, "Police arrested four suspects in Basra on Wednesday.")[0]
    assert ev.sub_event_type == "Arrests" and ev.fatalities is None
    assert ev.actor1.name == "Police Forces of Iraq"


def test_protest_defaults_and_intervention(coder):
    peaceful = code(coder, "Hundreds of teachers protested in Erbil on Monday over unpaid salaries.")[0]
    dispersed = code(coder, "Police fired tear gas to disperse protesters in Basra on Monday.")[0]
    assert (peaceful.sub_event_type, peaceful.actor1.name) == ("Peaceful protest", "Protesters (Iraq)")
    assert dispersed.sub_event_type == "Protest with intervention"
    assert (dispersed.actor1.name, dispersed.actor2.name) == ("Protesters (Iraq)", "Police Forces of Iraq")


def test_operation_without_fighting_is_change_to_group_activity(coder):
    events = code(coder, "The Iraqi army launched a military operation against Islamic State remnants in the "
                         "Hamrin mountains on Saturday. Officials said the operation would last several days.")
    assert [e.sub_event_type for e in events] == ["Change to group/activity"]
    assert events[0].actor2 is None


def test_no_publication_date_invents_no_date(coder):
    ev = code(coder, "Gunmen killed three villagers near Maiduguri on Sunday.", published=None)[0]
    assert ev.event_date is None and ev.time_precision is None


def test_dateline_gives_place_when_sentence_has_none(coder):
    ev = code(coder, "KANO, Nigeria (Test Wire) — A mob lynched a man accused of theft on Friday.")[0]
    assert ev.sub_event_type == "Mob violence" and ev.place.name == "Kano" and ev.place.country_code == "NG"


def test_tolls_of_different_sides_add_up(coder):
    ev = code(coder, "Militants attacked an army base near Djibo on Saturday, and at least twenty assailants "
                     "were killed. Four soldiers and two auxiliaries were also killed in the fighting.")[0]
    assert ev.fatalities == 26


def test_two_figures_for_the_same_side_keep_the_lower(coder):
    ev = code(coder, "A roadside bomb killed five soldiers near Baiji on Friday. "
                     "Local officials said seven soldiers were killed in the blast.")[0]
    assert ev.fatalities == 5


def test_the_day_before_counts_from_the_previous_event(coder):
    events = code(coder, "Gunmen clashed with police in Kirkuk on Friday, killing two officers. "
                         "The day before, a roadside bomb exploded near a patrol in Hawija, killing a soldier.")
    dates = {e.sub_event_type: e.event_date for e in events}
    assert dates["Armed clash"] == dt.date(2026, 3, 13)
    assert dates["Remote explosive/landmine/IED"] == dt.date(2026, 3, 12)


def test_statement_date_is_not_the_event_date(coder):
    ev = code(coder, "The army said on Friday that troops had recaptured the town of Baiji on Wednesday.")[0]
    assert ev.event_date == dt.date(2026, 3, 11)


def test_finest_place_and_reference_points(coder):
    ev = code(coder, "Gunmen killed two shepherds in Makhmur, about 60 km southwest of Erbil, in Iraq on Friday.")[0]
    assert ev.place.name.startswith("M") and ev.place.name != "Erbil"


def test_unknown_named_group_is_named(coder):
    ev = code(coder, "Police arrested nine members of the Red Scorpions gang in Guayaquil on Tuesday.")[0]
    assert ev.sub_event_type == "Arrests" and ev.actor2.name == "Red Scorpions"


def test_seized_weapons_are_not_an_explosion(coder):
    events = code(coder, "Police seized four rifles and a grenade during a raid in Kano on Monday.")
    assert all(e.event_type != "Explosions/Remote violence" for e in events)


def test_crowd_control_cue_makes_a_protest_event(coder):
    ev = code(coder, "Police in Dhaka fired tear gas and rubber bullets at thousands of garment workers "
                     "demanding higher wages on Monday, injuring dozens.")[0]
    assert ev.sub_event_type == "Protest with intervention"
    assert (ev.actor1.name, ev.actor2.name) == ("Protesters (Bangladesh)", "Police Forces of Bangladesh")


def test_nationality_modifier_and_clause_of_the_place(coder):
    events = code(coder, "Israeli airstrikes killed 25 Palestinians across the Gaza Strip on Tuesday, health "
                         "officials said, as ceasefire talks stalled in Cairo.")
    assert [e.sub_event_type for e in events] == ["Air/drone strike"]
    assert events[0].actor1.name == "Military Forces of Israel"
    assert events[0].place.name != "Cairo"


def test_taking_a_building_is_territory_not_an_arrest(coder):
    ev = code(coder, "Sudan's army regained control of the presidential palace in Khartoum from the "
                     "Rapid Support Forces on Friday, military sources said.")[0]
    assert ev.sub_event_type == "Government regains territory"


def test_ordinary_news_is_not_coded(coder):
    for text in ("A fire killed three people in an apartment block in Lagos on Sunday.",
                 "The army band marched through Delhi on Republic Day.",
                 "Police in Chicago arrested a man for stealing a car on Friday.",
                 "The senator launched a campaign in Ohio on Monday."):
        assert code(coder, text) == [], text


def test_fighting_between_two_named_sides_and_the_rebels_later(coder):
    events = code(coder, "Fighting between the M23 rebels and the Congolese army killed at least 18 people near "
                         "Goma on Wednesday, local officials said. The rebels shelled army positions overnight, "
                         "killing six civilians.")
    clash = next(e for e in events if e.sub_event_type == "Armed clash")
    assert {clash.actor1.name, clash.actor2.name} == {"M23: March 23 Movement",
                                                       "Military Forces of the Democratic Republic of Congo"}
    shelling = next(e for e in events if e.sub_event_type == "Shelling/artillery/missile attack")
    assert shelling.actor1.name == "M23: March 23 Movement"


def test_repelled_attack_by_names_the_attacker_first(coder):
    ev = code(coder, "The army said it repelled an attack by Al Shabaab fighters on a base near Kismayo on "
                     "Friday, killing ten militants.")[0]
    assert ev.sub_event_type == "Armed clash"
    assert ev.actor1.name.startswith("Al Shabaab") and ev.actor2.name == "Military Forces of Somalia"


def test_a_later_sentence_names_the_sides_an_earlier_one_left_unidentified(coder):
    events = code(coder, "TRIPOLI, Libya - Fighting between two rival armed groups killed five people in Tripoli "
                         "on Friday. The clashes pitted the Zawiya Lions Brigade against the 301st Infantry "
                         "Battalion near the airport road, residents said.")
    assert len(events) == 1
    sides = {events[0].actor1.name, events[0].actor2.name}
    assert not any(name.startswith("Unidentified") for name in sides)


def test_a_description_before_a_known_group_is_not_another_group(coder):
    events = code(coder, "MANDERA, Kenya - Four police officers were killed on Friday when their vehicle struck a "
                         "roadside bomb outside Mandera town. The Somali Islamist group al-Shabaab claimed "
                         "responsibility in a statement.")
    assert len(events) == 1 and events[0].actor1.name == "Al Shabaab"


def test_a_later_sentence_naming_both_sides_sets_them_and_their_order(coder):
    events = code(coder, "NABLUS, West Bank - Two Palestinians were killed on Friday during an Israeli army raid "
                         "in Nablus. Israeli soldiers exchanged fire for hours with gunmen from the Al-Quds "
                         "Brigades in the old city, witnesses said.")
    clashes = [e for e in events if e.event_type == "Battles"]
    assert len(clashes) == 1
    assert (clashes[0].actor1.name, clashes[0].actor2.name) == ("Military Forces of Israel",
                                                                "Palestinian Islamic Jihad")


def test_statement_day_gives_way_to_the_day_the_event_happened(coder):
    events = code(coder, "The Iraqi army said on Friday it had retaken the town of Baiji from Islamic State "
                         "militants. Soldiers entered Baiji on Wednesday after heavy fighting on its outskirts.")
    assert [(e.sub_event_type, e.event_date) for e in events] == [
        ("Government regains territory", dt.date(2026, 3, 11))]


def test_a_running_total_since_a_past_year_is_no_event(coder):
    events = code(coder, "Gunmen abducted a teacher from his home in Kirkuk on Wednesday night, his family said.\n\n"
                         "Fighting between the army and insurgents in Iraq's northern provinces has killed more "
                         "than 3,000 people since 2017, according to rights groups.")
    assert [e.sub_event_type for e in events] == ["Abduction/forced disappearance"]


@pytest.mark.parametrize("text", [
    "Gunmen opened fire at a cafe in Kirkuk on Friday, killing seven people, the health directorate said, "
    "raising an earlier toll. Police had initially reported four dead.",
    "Police had initially reported four dead after gunmen opened fire at a cafe in Kirkuk on Friday. "
    "The toll later rose to seven, the health directorate said.",
])
def test_a_figure_the_report_says_was_replaced_gives_way(coder, text):
    events = code(coder, text)
    assert len(events) == 1 and events[0].fatalities == 7


def test_capture_story_sides_dates_and_tolls(coder):
    events = code(coder, "MOSUL, Iraq - Islamic State fighters captured the village of Gwer on Friday after two "
                         "days of fighting with the army, in the latest blow to a fragile security deal.\n\n"
                         "Fighting began on Wednesday when the militants attacked army positions near the village. "
                         "Nine soldiers were killed that day, an officer said. The army withdrew from Gwer early "
                         "on Friday.\n\nOn Saturday, government aircraft bombed Gwer, killing four civilians.")
    kinds = {e.sub_event_type: e for e in events}
    assert "Agreement" not in kinds  # "a blow to a fragile security deal" refers to a deal, it is no event
    assert "Change to group/activity" not in kinds  # the withdrawal is part of the capture
    assert kinds["Non-state actor overtakes territory"].event_date == dt.date(2026, 3, 13)
    assert kinds["Armed clash"].event_date == dt.date(2026, 3, 11) and kinds["Armed clash"].fatalities == 9
    assert kinds["Air/drone strike"].actor1.name == "Military Forces of Iraq"


def test_the_day_before_counts_from_the_statement_and_a_country_army_is_no_new_group(coder):
    events = code(coder, "BAGHDAD, Iraq - Iraq's army said on Friday that one of its drones had killed more than "
                         "20 militants in the Hamrin mountains the day before.")
    assert len(events) == 1
    ev = events[0]
    assert ev.sub_event_type == "Air/drone strike" and ev.event_date == dt.date(2026, 3, 12)
    assert all(a is None or a.name != "Iraq's army" for a in (ev.actor1, ev.actor2))


def test_rocket_propelled_grenades_in_a_fight_and_a_revised_toll(coder):
    events = code(coder, "BASRA, Iraq - Rival tribal gunmen fought with machine guns and rocket-propelled grenades "
                         "in Basra overnight, killing at least five people, a hospital said. By Friday afternoon "
                         "the health directorate put the toll at six, saying a wounded man had died in hospital.")
    assert [(e.sub_event_type, e.fatalities) for e in events] == [("Armed clash", 6)]


def test_protest_story_cues_plans_and_arrests_over_it(coder):
    events = code(coder, "BAGHDAD, Iraq - Several hundred residents gathered in Kirkuk on Thursday to protest "
                         "against the demolition of their homes. Witnesses said police fired tear gas to disperse "
                         "the crowd. No deaths were reported.\n\nOn Friday police arrested 11 people in Kirkuk over "
                         "the protest. Shopkeepers said they would close their shops on Sunday in protest.")
    assert sorted((e.sub_event_type, e.event_date) for e in events) == [
        ("Arrests", dt.date(2026, 3, 13)), ("Protest with intervention", dt.date(2026, 3, 12))]
    protest = next(e for e in events if e.event_type == "Protests")
    assert protest.actor2 is not None and protest.actor2.name == "Police Forces of Iraq"


def test_raising_the_toll_to(coder):
    events = code(coder, "Gunmen shot dead a bus driver in Kirkuk on Thursday morning, police said. A passenger "
                         "who was shot in the chest died in hospital overnight, raising the toll to two.")
    assert [(e.sub_event_type, e.fatalities) for e in events] == [("Attack", 2)]


def test_a_reference_town_beats_the_country(coder):
    events = code(coder, "The UN mission in Iraq said on Friday that gunmen had abducted four farmers on "
                         "Wednesday as they returned from their fields about 20 km north of Kirkuk.")
    assert len(events) == 1
    assert events[0].place.name == "Kirkuk" and events[0].place.geo_precision == 2


def test_one_days_demonstration_in_one_town_is_one_event(coder):
    events = code(coder, "ISTANBUL, Turkey - Police used tear gas to disperse thousands of people protesting in "
                         "Istanbul on Saturday against fuel prices. Protesters had gathered outside the Sisli "
                         "district municipality in the afternoon. In Izmir, several thousand people rallied on "
                         "Saturday evening; the rally ended without incident.", published=dt.date(2026, 7, 12))
    assert sorted((e.sub_event_type, e.place.name) for e in events) == [
        ("Peaceful protest", "Izmir"), ("Protest with intervention", "Istanbul")]


def test_the_authorities_blaming_a_group_name_the_attacker_of_the_events_before(coder):
    events = code(coder, "MOSUL, Iraq - Gunmen attacked a village near Sinjar on Thursday night, killing nine "
                         "people, a local official said. The army blamed the Islamic State group. Separately, "
                         "unidentified men abducted two shepherds near Tal Afar on Friday.")
    by_type = {e.sub_event_type: e for e in events}
    assert by_type["Attack"].actor1.name == "Islamic State"
    assert by_type["Abduction/forced disappearance"].actor1.name.startswith("Unidentified")


def test_the_dead_are_the_side_attacked(coder):
    events = code(coder, "BAMAKO - Three Malian soldiers were killed on Tuesday when their vehicle struck an "
                         "improvised explosive device near Sokolo, the army said. Elsewhere, militants attacked a "
                         "police station in Gao on Tuesday, killing four police officers.")
    ied = next(e for e in events if e.sub_event_type == "Remote explosive/landmine/IED")
    assert ied.actor2.name == "Military Forces of Mali"
    assert ied.actor1 is None or not ied.actor1.name.startswith("Military Forces")
    station = next(e for e in events if "Gao" in e.place.name)
    assert station.actor2.name == "Police Forces of Mali"


def test_a_revised_toll_of_one_side_keeps_the_other_sides_dead(coder):
    events = code(coder, "ZAHEDAN - Militants attacked a police station in Saravan on Thursday, killing four police "
                         "officers before two of the assailants were shot dead. On Friday, officials said a fifth "
                         "officer had died of his wounds, bringing the police death toll to five.")
    assert [e.fatalities for e in events] == [7]


def test_a_dateline_city_without_country_sets_the_country_focus(coder):
    events = code(coder, "DAMASCUS (Levant Agency) - At least nine people were killed on Sunday when Druze gunmen and "
                         "Bedouin fighters clashed in the village of Al-Mazraa, west of Sweida. Fighting there last "
                         "July killed hundreds of people and drew Israeli air strikes.")
    assert [e.place.country_code for e in events] == ["SY"]  # and last July's fighting is background


def test_a_running_total_since_months_ago_said_this_week_is_no_event(coder):
    events = code(coder, "PESHAWAR, Pakistan - Two men hurled a grenade into a shop in Quetta on Thursday, wounding "
                         "five people. The provincial government said this week that security forces had killed more "
                         "than 300 militants in the province since January.")
    assert [e.fatalities for e in events] == [None]


def test_weapons_the_attackers_carry_are_not_the_event(coder):
    events = code(coder, "PESHAWAR, Pakistan - Militants armed with assault rifles and hand grenades attacked a police "
                         "checkpoint near Bannu on Thursday, killing three policemen.")
    assert [e.sub_event_type for e in events] != ["Grenade"] and len(events) == 1


def test_killings_a_march_protests_against_are_not_force_against_it(coder):
    events = code(coder, "On Friday, hundreds of youths marched through Makurdi to the Government House, carrying "
                         "placards and calling on the state government to end the killings. The march was peaceful.")
    assert [e.sub_event_type for e in events] == ["Peaceful protest"]


def test_a_river_is_no_events_place(coder):
    events = code(coder, "AL-HASAKAH, Syria - Gunmen attacked a patrol on the Euphrates River near Deir ez-Zor on "
                         "Friday, killing two soldiers.")
    assert [e.place.feature_code.startswith("STM") for e in events] == [False]


def test_strikes_blamed_on_a_state_and_attributed_shelling(coder):
    events = code(coder, "DUHOK, Iraq - Two men were killed on Tuesday when a drone struck their car near Sinjar, "
                         "officials said. The two men belonged to the Sinjar Resistance Units (YBS), the mayor's "
                         "office said. Local officials blamed Turkey.")
    assert [e.actor1.name for e in events] == ["Military Forces of Turkey"]
    events = code(coder, "On 12 March, artillery shells hit the market in Dilling, killing seven civilians. Community "
                         "sources attributed the shelling to the Rapid Support Forces (RSF). On 13 March, a drone "
                         "strike hit a fuel depot in El Obeid, killing 12 people. The RSF accused the Sudanese Armed "
                         "Forces of carrying out the strike.")
    assert [e.actor1.name for e in events] == ["Rapid Support Forces", "Military Forces of Sudan"]


def test_armed_members_of_an_identity_group_are_its_militia(coder):
    events = code(coder, "DAMASCUS - At least nine people were killed on Sunday when Druze gunmen and Bedouin tribal "
                         "fighters clashed in the village of Al-Mazraa, west of Sweida, a monitor said.")
    assert [(e.actor1.name, e.actor2.name) for e in events] == [
        ("Druze Ethnic Militia (Syria)", "Bedouin Ethnic Militia (Syria)")]
    calm = code(coder, "DAMASCUS - Druze leaders met Bedouin elders in Sweida on Sunday to discuss the harvest.")
    assert calm == []


def test_damage_without_other_violence_is_a_riot_by_a_crowd_else_property_destruction(coder):
    riot = code(coder, "Hundreds of garment workers demanding unpaid wages blocked a highway in Gazipur on Tuesday, and "
                       "some of them set fire to a factory gate and smashed windows, police said.")
    assert [e.sub_event_type for e in riot] == ["Violent demonstration"]
    arson = code(coder, "TEMUCO, Chile - Hooded attackers set fire to three logging trucks on a rural road near Ercilla "
                        "early on Thursday, police said.")
    assert [e.sub_event_type for e in arson] == ["Looting/property destruction"]
    robbery = code(coder, "HOUSTON - Three masked men robbed a jewellery store in Houston on Monday, smashing display "
                          "cases, police said.")
    assert robbery == []


def test_a_town_taken_without_a_fight_is_a_non_violent_transfer(coder):
    events = code(coder, "MOGADISHU (Horn Dispatch) - Al-Shabaab fighters took control of the town of Tiyeglow in "
                         "Bakool region on Thursday without a fight, hours after government troops withdrew, "
                         "residents said.")
    assert [(e.sub_event_type, e.actor1.name) for e in events] == [("Non-violent transfer of territory", "Al Shabaab")]
    calm = code(coder, "KATHMANDU - In Pokhara, several hundred royalists marched through the main market on Friday "
                       "and dispersed without incident.")
    assert all(e.sub_event_type != "Protest with intervention" for e in calm)


def test_a_killing_right_after_a_protest_is_force_against_it(coder):
    events = code(coder, "NAIROBI - Police in Nairobi fired tear gas at hundreds of protesters demanding the "
                         "resignation of the president on Tuesday. A 19-year-old was shot dead, rights groups said.")
    assert [(e.event_type, e.sub_event_type, e.fatalities) for e in events] == [
        ("Protests", "Excessive force against protesters", 1)]


def test_a_town_known_only_as_its_district_is_near_it(coder):
    events = code(coder, "GOMA, Congo - M23 rebels seized the town of Masisi on Saturday after two days of fighting "
                         "with Congolese troops, residents said.")
    assert [e.place.geo_precision for e in events] == [2]


def test_summed_tolls_and_island_places(coder):
    events = code(coder, "MOGADISHU (Horn Wire) - Al-Shabaab militants attacked a military base in Lower Shabelle "
                         "region on Monday, sparking heavy fighting that left at least 10 soldiers and 25 militants "
                         "dead, officials said.")
    assert [(e.actor2.name, e.fatalities) for e in events] == [("Military Forces of Somalia", 35)]
    events = code(coder, "PORT-AU-PRINCE - Gang members set fire to dozens of homes and killed at least 12 people in "
                         "the Carrefour area over the weekend, the UN said.")
    assert [e.fatalities for e in events] == [12]
    events = code(coder, "MANILA - Philippine troops clashed with Abu Sayyaf gunmen on Jolo island on Tuesday, "
                         "leaving three soldiers and five militants dead, the military said.")
    assert [e.place.name.startswith("Jolo") for e in events] == [True]


def test_a_demonstration_without_a_toll_has_no_dead(coder):
    events = code(coder, "KINSHASA - Hundreds of people protested peacefully in Kinshasa on Saturday against the "
                         "rising cost of living.")
    assert [(e.sub_event_type, e.fatalities) for e in events] == [("Peaceful protest", 0)]


def test_paragraph_datelines_place_the_events_of_a_round_up(coder):
    events = code(coder, "MEXICO RISK WEEKLY - Security review\n\nCULIACAN, Sinaloa - On Saturday, gunmen ambushed an "
                         "army patrol near El Tepuche, a village north of Culiacan, killing one soldier.\n\n"
                         "CELAYA, Guanajuato - On Sunday night, armed men burst into a bar and opened fire, killing six "
                         "people.\n\nOAXACA, Oaxaca - On Wednesday, teachers set fire to a police patrol car and smashed "
                         "the windows of the state congress during a protest over pensions.")
    assert [(e.place.name, e.place.geo_precision) for e in events][1:] == [("Celaya", 1), ("Oaxaca", 1)]


def test_a_person_of_an_age_counts_as_one_dead():
    from eventcoder.extract.numbers import sentence_fatalities

    assert sentence_fatalities("Police opened fire on the march, killing a 20-year-old student, the committee said."
                               ).value == 1


def test_settlers_deals_that_hold_districts_and_self_defence_groups(coder):
    events = code(coder, "NABLUS - Dozens of Israeli settlers attacked the village of Burin south of Nablus late on "
                         "Tuesday, setting fire to two homes and beating residents, the village council said.")
    assert [e.actor1.name for e in events][:1] == ["Settlers (Israel)"]
    events = code(coder, "TRIPOLI, Libya - A ceasefire brokered by elders appeared to be holding on Friday in Tajoura, "
                         "after two armed groups fought with heavy weapons through Wednesday night, killing three people.")
    assert [e.sub_event_type for e in events] == ["Armed clash"]
    events = code(coder, "Bandits on Friday night stormed a farming village in Tsafe Local Government Area of Zamfara "
                         "State and abducted 34 people, residents said.")
    assert [(e.place.name, e.place.geo_precision) for e in events] == [("Tsafe", 2)]
    events = code(coder, "BUNIA, Congo - CODECO fighters attacked positions of the Zaire self-defence group near the "
                         "town of Djugu on Tuesday, killing five fighters.")
    assert all(e.place.country_code == "CD" and e.place.name != "Zaire" for e in events)


def test_military_communique_wording(coder):
    from eventcoder.extract.numbers import sentence_fatalities

    assert sentence_fatalities("Thanks to the reaction of our forces, fourteen (14) terrorists were neutralised."
                               ).value == 14
    assert sentence_fatalities("Two (2) of our soldiers fell on the field of honour.").value == 2
    assert sentence_fatalities("Five policemen and two passers-by were killed by the blast.").value == 7
    events = code(coder, "NIAMEY - On Tuesday a unit of the army on a reconnaissance mission near Tillaberi was "
                         "attacked by a large group of armed terrorists travelling on motorcycles.")
    assert [(e.sub_event_type, e.actor2.name) for e in events] == [("Armed clash", "Military Forces of Niger")]
    events = code(coder, "NIAMEY - Thanks to the vigorous reaction of our Defence and Security Forces near Tillaberi "
                         "on Tuesday, fourteen (14) terrorists were neutralised.")
    assert [(e.sub_event_type, e.actor1.name, e.fatalities) for e in events] == [
        ("Armed clash", "Military Forces of Niger", 14)]


def test_a_bomb_rendered_safe_is_disrupted_weapons_use(coder):
    events = code(coder, "COTABATO CITY - Personnel of the Explosive Ordnance Disposal unit rendered safe an improvised "
                         "explosive device left in a backpack at the bus terminal in Cotabato on Saturday.")
    assert [e.sub_event_type for e in events] == ["Disrupted weapons use"]


def test_a_summary_line_and_the_dated_account_are_one_event(coder):
    events = code(coder, "KORDOFAN SITUATION REPORT\n\nHIGHLIGHTS\n- Drone strike on livestock market in El Obeid kills "
                         "12 civilians\n\nSITUATION OVERVIEW\nOn 9 March, a drone strike hit the main livestock market "
                         "in El Obeid, North Kordofan, killing 12 civilians. The state authorities attributed the "
                         "strike to the Rapid Support Forces (RSF).")
    assert [(e.event_date, e.actor1.name, e.fatalities) for e in events] == [
        (dt.date(2026, 3, 9), "Rapid Support Forces", 12)]


def test_a_named_attacker_lets_a_weak_attack_stand(coder):
    events = code(coder, "NABLUS - Dozens of Israeli settlers, some of them armed and masked, attacked the village of "
                         "Burin south of Nablus late on Tuesday, setting fire to two homes, the village council said.")
    assert [(e.sub_event_type, e.actor1.name) for e in events][:1] == [("Attack", "Settlers (Israel)")]


def test_interceptions_and_national_tallies(coder):
    events = code(coder, "ODESA - Air defences shot down an attack drone over the port area of Odesa around dawn on "
                         "Friday, the regional administration said.")
    assert [e.sub_event_type for e in events] == ["Disrupted weapons use"]
    events = code(coder, "KYIV - A Russian missile struck Kharkiv on Thursday, killing four people. Ukraine's air force "
                         "said it had shot down 41 of 57 drones launched by Russia overnight across the country.")
    assert [e.sub_event_type for e in events] == ["Shelling/artillery/missile attack"]


def test_a_person_seized_is_abducted_and_a_controlled_blast_is_not_destruction(coder):
    events = code(coder, "BUEA, Cameroon - On Thursday, gunmen seized the headmaster of a school as he left his home in "
                         "Kumba town, police said.")
    assert [e.sub_event_type for e in events] == ["Abduction/forced disappearance"]
    events = code(coder, "LAMU, Kenya - On Wednesday, a police bomb disposal team found an explosive device buried under "
                         "the road near Witu and destroyed it in a controlled blast, the commander said.")
    assert [e.sub_event_type for e in events] == ["Disrupted weapons use"]


def test_communique_attack_on_a_unit_repelled_is_a_clash_with_both_sides_dead(coder):
    # "informs the public that ... a unit was attacked": 'that' is no victim; the unit is
    events = code(coder, "The army command informs the public that on Tuesday 10 March 2026, a unit of Operation "
                         "Sentinel on patrol in the Tahoua region was attacked by a large group of armed terrorists. "
                         "Thanks to the swift reaction of our forces, nine (9) terrorists were neutralised. "
                         "Sadly, three (3) of our soldiers fell on the field of honour.")
    assert len(events) == 1
    ev = events[0]
    assert ev.sub_event_type == "Armed clash"
    assert ev.actor2.name.startswith("Military Forces of Niger")
    assert ev.fatalities == 12  # nine attackers and three soldiers


def test_region_named_alone_is_coded_at_its_seat_town(coder, gazetteer_path):
    from eventcoder.resolve.gazetteer import Gazetteer

    events = code(coder, "Gunmen killed four farmers in the Tahoua region of Niger on Wednesday, officials said.")
    assert len(events) == 1
    place = events[0].place
    seat = max((c for c in Gazetteer.open(gazetteer_path).lookup("Tahoua") if c.feature_class == "P"
                and c.country_code == "NE"),
               key=lambda c: c.population)
    assert place.geo_precision == 3 and place.admin1 == seat.admin1_name
    assert (place.latitude, place.longitude) == (seat.latitude, seat.longitude)


def test_interception_elsewhere_is_its_own_event_reinforcements_from_a_town_are_not(coder):
    events = code(coder, "Russian forces attacked Ukrainian positions near Pokrovsk on Thursday, the General Staff said. "
                         "Air defences shot down an attack drone over the port of Odesa, the regional administration "
                         "said. Nobody was hurt.")
    assert {(e.sub_event_type, e.place.name) for e in events} >= {("Disrupted weapons use", "Odesa")}
    events = code(coder, "Gunmen stormed an army post near the town of Banikoara on Friday night, killing four soldiers. "
                         "Reinforcements sent from Kandi forced the attackers to retreat.")
    assert [e.place.name for e in events] == ["Banikoara"]


def test_country_after_central_is_a_place_of_last_resort(coder):
    events = code(coder, "A landmine killed three children herding goats near the hamlet of Tindirma Kouara in "
                         "central Mali on Tuesday, a local official said.")
    assert len(events) == 1 and events[0].place.country == "Mali" and events[0].place.geo_precision == 3


def test_arrests_ahead_of_a_planned_rally_are_arrests_not_a_protest(coder):
    events = code(coder, "Police arrested 45 opposition supporters in Dhaka on Saturday ahead of a planned rally, "
                         "party officials said.")
    assert [e.sub_event_type for e in events] == ["Arrests"]


def test_who_reports_an_attack_is_not_its_target(coder):
    events = code(coder, "Houthi rebels fired a ballistic missile at a cargo ship in the Red Sea off Hodeidah on "
                         "Monday, the U.S. military said, adding that no damage or injuries were reported.")
    assert len(events) == 1
    ev = events[0]
    assert ev.actor1.name == "Houthi Movement"
    assert ev.actor2 is None or "United States" not in ev.actor2.name
    assert ev.fatalities == 0


def test_strike_on_a_named_camp_is_placed_at_the_camp_not_the_wider_area(coder):
    events = code(coder, "Israeli airstrikes on the Jabalia refugee camp in northern Gaza killed at least 22 "
                         "Palestinians overnight, the health ministry said on Thursday.")
    assert len(events) == 1 and events[0].place.name.startswith("Jabal")


def test_region_level_place_is_made_precise_by_the_sentence_saying_where_it_hit(coder):
    events = code(coder, "A military jet bombed a monastery sheltering displaced families in Myanmar's Sagaing region on "
                         "Tuesday, killing at least 20 people, opposition officials said. The strike hit a village about "
                         "10 miles north of Kanbalu town at around 2 p.m., residents said.")
    assert len(events) == 1
    assert events[0].place.name == "Kanbalu" and events[0].place.geo_precision == 2


def test_a_count_is_not_the_attacker(coder):
    events = code(coder, "Two soldiers were killed and three wounded when Islamic State militants attacked an army "
                         "outpost near Hawija late on Tuesday, the army said.")
    assert len(events) == 1 and events[0].actor1.name == "Islamic State"


def test_an_actor_in_another_clause_is_not_a_side_and_blame_names_the_attacker(coder):
    events = code(coder, "A drone strike on a crowded market in El Obeid killed at least 19 people on Sunday, in one of "
                         "the deadliest attacks on the city since the Rapid Support Forces began closing in on it. "
                         "The army blamed the RSF.")
    assert len(events) == 1
    assert events[0].actor1.name == "Rapid Support Forces"
    assert events[0].actor2 is None or events[0].actor2.name != "Rapid Support Forces"


def test_drones_downed_near_an_airport_are_placed_at_its_town_with_no_one_hurt(coder):
    events = code(coder, "On Monday, the army said its air defences had shot down three drones approaching El Obeid "
                         "airport before dawn. No one was hurt, a military statement said.")
    assert len(events) == 1
    ev = events[0]
    assert ev.sub_event_type == "Disrupted weapons use" and ev.place.name == "El Obeid" and ev.fatalities == 0


def test_gunmen_suspected_to_be_a_group_are_that_group_and_a_small_village_after_km_from_is_a_place(coder):
    events = code(coder, "Gunmen suspected to be Fulani herdsmen invaded a farming settlement about 12 kilometres from "
                         "Gbajimba late on Thursday, killing 11 people, police said.")
    assert len(events) == 1
    ev = events[0]
    assert ev.sub_event_type == "Attack" and ev.actor1.name.startswith("Fulani")
    assert ev.place.name == "Gbajimba" and ev.place.geo_precision == 2


def test_taken_town_is_the_place_and_what_a_group_habitually_does_is_no_event(coder):
    events = code(coder, "Fighters of the M23 rebel movement took control of Kayna, a trading town in North Kivu's Lubero "
                         "territory, on Tuesday, residents said. By Tuesday morning the Wazalendo, armed groups that "
                         "fight alongside the Congolese army, had pulled back towards Lubero town.")
    assert [(e.sub_event_type, e.place.name) for e in events] == [("Non-state actor overtakes territory", "Kayna")]


def test_a_drone_hitting_a_town_is_its_own_strike_and_a_national_tally_is_no_event(coder):
    events = code(coder, "A Russian missile slammed into a residential building in Kyiv early on Saturday, killing five "
                         "people, officials said. In the surrounding region, a drone hit a warehouse in the city of "
                         "Bila Tserkva, injuring one person. Ukraine's air force said Russia had launched 452 drones and "
                         "38 missiles overnight, most of which were shot down.")
    assert sorted(e.place.name for e in events) == ["Bila Tserkva", "Kyiv"]
    assert {e.sub_event_type for e in events} == {"Shelling/artillery/missile attack", "Air/drone strike"}


def test_hotel_bombing_then_storming_is_a_suicide_bomb_and_a_clash(coder):
    events = code(coder, "MOGADISHU - A suicide car bomb exploded at the gate of a hotel in Mogadishu on Thursday "
                         "evening, killing at least five people, including the bomber, police said. Three armed men "
                         "then forced their way into the hotel, sparking a gunfight with security forces that lasted "
                         "several hours. Police said the siege was over and that all three attackers had been killed.")
    assert [(e.sub_event_type, e.fatalities) for e in events] == [("Suicide bomb", 5), ("Armed clash", 3)]
    assert events[1].actor2 is not None


def test_weak_lead_is_typed_by_the_detailed_account_of_the_same_attack(coder):
    events = code(coder, "NAIROBI/MOGADISHU, March 14 (Wire) - Police said on Saturday that 11 people, including four "
                         "attackers, were killed when militants attacked a hotel in Mogadishu on Thursday evening. "
                         "The attack began at around 7 p.m., when a suicide bomber drove a minibus packed with "
                         "explosives into the gate of the hotel in Hodan district.")
    assert [(e.sub_event_type, e.event_date, e.place.name) for e in events] == \
        [("Suicide bomb", dt.date(2026, 3, 12), "Mogadishu")]


def test_unconfirmed_higher_figure_and_temporary_capture_of_a_base(coder):
    events = code(coder, "Militants attacked a military base in the town of Djibo on Tuesday, killing at least 30 "
                         "soldiers, security sources said. A local official said more than 50 people died, but that "
                         "figure could not be confirmed. In a statement released on Wednesday, the group said its "
                         "fighters had taken control of the barracks for several hours and showed armoured vehicles it "
                         "said it had seized.")
    assert [(e.sub_event_type, e.fatalities, e.event_date) for e in events] == \
        [("Armed clash", 30, dt.date(2026, 3, 10))]


def test_a_labour_strike_is_no_air_strike(coder):
    events = code(coder, "About 200 lecturers marched through Kisumu on Thursday over unpaid salary arrears. Both "
                         "processions were peaceful. The strike, now in its fourth week, has left thousands of "
                         "students idle.")
    assert [(e.sub_event_type, e.fatalities) for e in events] == [("Peaceful protest", 0)]


def test_drone_dropped_explosives_then_a_repelled_ambush_of_police(coder):
    events = code(coder, "The Public Security Secretariat informs the public that on Thursday, March 12, residents of "
                         "the locality of El Aguaje, in the municipality of Aguililla, reported the dropping of "
                         "explosive devices from drones onto several homes. When state police arrived, the officers were "
                         "attacked with firearms by armed subjects, so they repelled the aggression. Two aggressors "
                         "lost their lives at the scene.")
    assert [(e.sub_event_type, e.place.name, e.event_date) for e in events] == [
        ("Air/drone strike", "Aguililla", dt.date(2026, 3, 12)), ("Armed clash", "Aguililla", dt.date(2026, 3, 12))]
    assert events[1].fatalities == 2


def test_attack_by_a_named_group_inside_a_prepositional_phrase_names_the_attacker(coder):
    events = code(coder, "The number of civilians killed in an attack by Allied Democratic Forces (ADF) rebels on a "
                         "village near Beni late on Friday has risen to 19, the administrator said on Saturday.")
    assert len(events) == 1
    ev = events[0]
    assert ev.sub_event_type == "Attack" and ev.actor1.name.startswith("ADF") and ev.fatalities == 19


def test_the_dead_of_a_raid_are_the_fighters_the_troops_exchanged_fire_with(coder):
    events = code(coder, "Three Palestinians were killed on Thursday during an Israeli military raid on the Jenin "
                         "refugee camp, the health ministry said. Israeli troops entered the camp before dawn and "
                         "exchanged fire for several hours with gunmen from the Al-Quds Brigades, the armed wing of "
                         "Palestinian Islamic Jihad.")
    assert len(events) == 1
    assert events[0].actor2.name == "Palestinian Islamic Jihad"


def test_an_operation_with_an_exchange_of_fire_is_the_clash(coder):
    events = code(coder, "The military's media wing said on Friday that security forces conducted an intelligence-based "
                         "operation in the general area of Miranshah, North Waziristan district, on Thursday night. "
                         "During the operation, seven khwarij were \"sent to hell\" after an intense exchange of fire, "
                         "while two soldiers embraced martyrdom.")
    assert [(e.sub_event_type, e.fatalities) for e in events] == [("Armed clash", 9)]
    assert {events[0].actor1.name, events[0].actor2.name} >= {"Military Forces of Pakistan"}


def test_troops_deployed_after_a_clash_stay_an_event_of_their_own(coder):
    events = code(coder, "Gunmen clashed with soldiers in Culiacan on Thursday, leaving three attackers dead, officials "
                         "said. On Wednesday, the army had deployed 300 additional troops to Culiacan.")
    assert "Change to group/activity" in {e.sub_event_type for e in events}


def test_protesters_who_vandalise_riot_and_police_are_the_other_side(coder):
    events = code(coder, "Garment workers demanding unpaid wages staged a demonstration in Gazipur on Tuesday. When "
                         "police tried to clear the road, some workers threw brickbats at them and vandalised the gate "
                         "of a factory. Police fired tear gas shells to disperse them.")
    assert len(events) == 1
    ev = events[0]
    assert ev.sub_event_type == "Violent demonstration" and ev.actor1.name.startswith("Rioters")
    assert ev.actor2 is not None and ev.actor2.name.startswith("Police")


def test_rival_party_supporters_brawling_is_mob_violence_and_a_human_chain_a_protest(coder):
    events = code(coder, "One person was killed on Monday when supporters of two rival factions of the ruling party "
                         "clashed with sticks and machetes over control of a market committee in Bogura. On Wednesday, "
                         "union leaders formed a human chain in front of the National Press Club in Dhaka.")
    assert [(e.sub_event_type, e.actor1.name.split(" (")[0]) for e in events] == \
        [("Mob violence", "Rioters"), ("Peaceful protest", "Protesters")]


def test_an_acronym_the_article_defines_names_the_group(coder):
    events = code(coder, "Heavy fighting between the Arakan Army (AA) and junta troops broke out near Kyaukpyu on "
                         "Monday, residents said. AA troops seized three hilltop positions east of the town.")
    assert events and all(e.actor1.name == "Arakan Army" for e in events)


def test_troops_ready_to_march_on_a_city_is_a_threat_not_a_protest(coder):
    events = code(coder, "In a video that circulated on Tuesday, a rebel commander said his troops were \"ready to march "
                         "on Juba\".")
    assert events == []


def test_shells_fired_by_a_group_name_it_and_residents_gathering_to_condemn_protest(coder):
    events = code(coder, "Two children were killed on Thursday when shells fired by the Houthi group landed in a "
                         "residential neighbourhood of Taiz, officials said. On Friday morning, hundreds of residents "
                         "gathered in Freedom Square in central Taiz to condemn the killing of the children.")
    assert [(e.sub_event_type, e.actor1.name) for e in events] == [
        ("Shelling/artillery/missile attack", "Houthi Movement"), ("Peaceful protest", "Protesters (Yemen)")]


def test_repelled_storming_after_a_suicide_bombing_and_a_dismissed_claim(coder):
    events = code(coder, "A suicide bomber drove a car packed with explosives into the gate of an army base about 20 km "
                         "south of Baidoa on Wednesday, killing five soldiers, an officer said. Al-Shabaab fighters then "
                         "tried to storm the base but were pushed back after a gunfight that lasted about an hour. Four "
                         "of the attackers were killed. The group said in a statement that it had killed 30 soldiers, a "
                         "claim the army dismissed as propaganda.")
    assert [(e.sub_event_type, e.fatalities) for e in events] == [("Suicide bomb", 5), ("Armed clash", 4)]


def test_drone_kill_figure_in_quotes_counts(coder):
    events = code(coder, "Niger's army said on Saturday that one of its drones had killed \"more than 20 terrorists\" in "
                         "the Tillaberi region the day before, without saying where exactly the strike took place.")
    assert [(e.sub_event_type, e.fatalities) for e in events] == [("Air/drone strike", 20)]


def test_measured_distance_beats_a_road_between_two_towns_and_a_new_permanent_base(coder):
    events = code(coder, "Three soldiers were killed on Tuesday when their vehicle struck an improvised explosive device "
                         "on the road between Niono and Sokolo, about 20 kilometres south of Sokolo, the army said. "
                         "The convoy reached Sokolo on Wednesday, where the army set up a new permanent base.")
    assert [(e.sub_event_type, e.place.name) for e in events] == [
        ("Remote explosive/landmine/IED", "Sokolo"), ("Headquarters or base established", "Sokolo")]


def test_drones_searching_during_an_operation_do_not_make_it_a_strike(coder):
    events = code(coder, "The army said on Saturday that its units had begun an operation to hunt down militants in the "
                         "valleys of Makhmour district. A commander said drones and infantry were searching caves and "
                         "farmland, and that his men had not made contact with any militants.")
    assert [e.sub_event_type for e in events] == ["Change to group/activity"]


def test_a_signed_protocol_is_an_agreement(coder):
    events = code(coder, "In Pasto, representatives of the national government and the Comuneros del Sur signed a "
                         "protocol on Thursday setting out the timetable for the destruction of the group's weapons. "
                         "The agreement was signed at the governor's office.")
    assert [e.sub_event_type for e in events] == ["Agreement"]


def test_insurgents_intercepting_a_fishing_boat_is_no_disrupted_weapons_use(coder):
    events = code(coder, "On 9 March, insurgents beheaded two farmers near Macomia, local sources said. On 10 March, "
                         "insurgents in two boats intercepted a fishing boat off the coast of Macomia district, near "
                         "Quiterajo, and took the five fishermen on board with them.")
    assert all(e.sub_event_type != "Disrupted weapons use" for e in events)


def test_scene_setting_sentence_dates_and_places_what_they_did_next(coder):
    # A round-up: the second incident's trigger sentence says neither when nor where; the sentence before does.
    text = ("On 9 March, soldiers clashed with jihadists near Gao, and five jihadists were killed.\n\n"
            "On 12 March, around 30 armed men entered a village near Douentza. "
            "They looted shops and set fire to a grain store before leaving.")
    events = code(coder, text)
    looting = [e for e in events if e.sub_event_type == "Looting/property destruction"]
    assert len(looting) == 1 and looting[0].place.name == "Douentza"
    assert looting[0].event_date == dt.date(2026, 3, 12)
    date_evidence = [e for e in looting[0].evidence if e.field == "event_date"]
    assert date_evidence and date_evidence[0].sentence.startswith("On 12 March, around 30 armed men")


def test_protests_spreading_to_other_towns(coder):
    # "In Eldoret, the protests ..." is the wave reaching another town, not the Nairobi event again; towns naming
    # a road place nothing; a death right after the riot is its toll; a weak "march" counts in a protest story.
    text = ("Police fired tear gas at protesters in Nairobi on Tuesday. In Eldoret, the protests turned violent. "
            "Youths blocked the Kisumu-Kakamega road with burning tyres and pelted police with stones. "
            "One man was shot dead, a hospital official said. By contrast, a march in Nyeri passed off peacefully.")
    events = {(e.sub_event_type, e.place.name): e for e in code(coder, text)}
    assert set(events) == {("Protest with intervention", "Nairobi"), ("Violent demonstration", "Eldoret"),
                           ("Peaceful protest", "Nyeri")}
    assert events[("Violent demonstration", "Eldoret")].fatalities == 1


def test_a_crowd_that_leaves_was_not_dispersed(coder):
    text = ("Several hundred traders walked from the bus park to the county offices in Kakamega on Monday, "
            "where they handed a petition to officials before dispersing.")
    assert all(e.sub_event_type != "Protest with intervention" for e in code(coder, text))
    police = code(coder, "Police dispersed the protesters in Kakamega on Monday with tear gas.")
    assert [e.sub_event_type for e in police] == ["Protest with intervention"]


def test_a_crowd_size_lets_a_protest_start_an_event(coder):
    text = ("Government troops took control of Kodok on Friday after opposition fighters withdrew. About two "
            "hundred residents gathered in the market square to protest against the army's arrival, witnesses said.")
    assert "Peaceful protest" in {e.sub_event_type for e in code(coder, text)}


def test_weekdays_of_a_weekly_round_up_fall_in_its_week(coder):
    text = ("Weekly security update, 2-8 March 2026\n\n"
            "On Monday, gunmen abducted four traders on the road outside Gao. "
            "On Thursday, a roadside bomb hit an army truck near Douentza, killing two soldiers.")
    events = {e.sub_event_type: e for e in code(coder, text, published=dt.date(2026, 3, 11))}
    assert events["Abduction/forced disappearance"].event_date == dt.date(2026, 3, 2)
    assert events["Remote explosive/landmine/IED"].event_date == dt.date(2026, 3, 5)


def test_a_toll_update_with_a_long_subject_and_attackers_described_by_residents(coder):
    text = ("JOS - The death toll from Monday night's attack on Mushere, a farming village in Bokkos Local "
            "Government Area of Plateau State, has risen to 23, police said on Thursday. Residents said the "
            "attackers, whom they described as Fulani herdsmen, arrived at about 9 p.m., shooting sporadically.")
    events = code(coder, text, published=dt.date(2026, 3, 12))
    assert len(events) == 1
    ev = events[0]
    assert (ev.fatalities, ev.place.name, ev.event_date) == (23, "Bokkos", dt.date(2026, 3, 9))
    assert ev.actor1.name == "Fulani Ethnic Militia (Nigeria)"


def test_an_overnight_attack_reported_later_is_dated_by_its_detailed_account(coder):
    # "overnight" in a report of what leaders said on Tuesday gives way to the next sentence's "late on Sunday
    # night" at the same place; a lower figure an official gives a few sentences later is the toll (ACLED).
    text = ("BENI - Suspected ADF rebels killed at least 21 civilians in an overnight attack on a village near "
            "Oicha, local leaders said on Tuesday. The assailants, armed with machetes and guns, entered the village "
            "late on Sunday night and attacked residents in their homes, a local leader said. \"We have buried 21 "
            "people,\" he said. The army spokesman in the area put the toll at 16.")
    events = code(coder, text, published=dt.date(2026, 3, 11))
    assert len(events) == 1
    assert (events[0].event_date, events[0].fatalities) == (dt.date(2026, 3, 8), 16)


@pytest.mark.parametrize("text", [
    "Residents of Gao reported hearing explosions in the early afternoon on Monday.",
    "Residents heard loud explosions near the airport in Gao on Monday.",
    "The sound of gunfire echoed across Gao on Monday night.",
    "Gunfire and mortar explosions were heard around Gao from early on Monday, residents said.",
])
def test_sounds_heard_are_no_events(coder, text):
    assert code(coder, text) == []


def test_air_strikes_without_a_named_attacker(coder):
    russia = code(coder, "A Russian missile struck an apartment block in Kyiv on Saturday, killing five people. "
                         "In the Kyiv region, a drone hit a warehouse in Bila Tserkva, injuring one person.")
    assert {e.actor1.name for e in russia} == {"Military Forces of Russia"}
    mali = code(coder, "Suspected jihadists ambushed an army convoy near Niono on Saturday, killing five soldiers. "
                       "The army said a drone strike near Diabaly the same day killed about a dozen of the attackers.")
    strike = next(e for e in mali if e.sub_event_type == "Air/drone strike")
    assert strike.actor1.name == "Military Forces of Mali"
    assert any(ev.field == "actor1" and ev.text == "army" for ev in strike.evidence)
    # armed groups fly drones too: a drone that hit a house is nobody's until the report says whose
    mexico = code(coder, "Drones dropped explosives on a house in Aguililla on Thursday, injuring two residents. "
                         "The army sent reinforcements to the area.")
    assert all(e.actor1 is None for e in mexico if e.sub_event_type == "Air/drone strike")


def test_an_affiliation_is_not_the_actor(coder):
    events = code(coder, "Gunmen ambushed an army convoy near Niono on Saturday, killing five soldiers. The "
                         "al-Qaeda-affiliated Group for Support of Islam and Muslims (JNIM) claimed the ambush.")
    assert events[0].actor1.name == "JNIM: Group for Support of Islam and Muslims"


def test_a_town_captured_after_a_clash_is_taken_by_the_side_that_fought_for_it(coder):
    events = code(coder, "Somali soldiers clashed with al-Shabaab fighters in Adale on Monday. The town was "
                         "captured after two hours of fighting, and 12 militants were killed.",
                  published=dt.date(2026, 3, 10))
    assert [(e.sub_event_type, e.actor1.name, e.actor2.name, e.fatalities) for e in events] == [
        ("Government regains territory", "Military Forces of Somalia", "Al Shabaab", 12)]


def test_killing_and_looting_in_one_raid_is_an_attack(coder):
    events = code(coder, "On Saturday night, Boko Haram fighters raided a village near Mora, killing four civilians "
                         "and looting food and livestock.")
    assert [(e.sub_event_type, e.fatalities) for e in events] == [("Attack", 4)]


LIVE_BLOG = """Ukraine war live: Russian missiles hit Zaporizhzhia, drone attack on Sumy

14:10 - Zaporizhzhia toll rises to seven
The regional governor says two more people died in hospital.

11:30 - Refinery fire in Russia after drone attack
The governor of Russia's Saratov region says drones attacked an oil refinery in Saratov overnight. "There are no casualties," he said.

09:00 - Missile strike on Zaporizhzhia
Five people were killed when a Russian missile hit a residential block in Zaporizhzhia this morning, officials said."""


def test_a_live_blog_newest_entry_first(coder):
    # headings sum up their entries (no events of their own), a toll revision in a later entry names the place,
    # an entry's "no casualties" is its own, and Russia's missiles do not make it the one that hit Saratov
    events = {e.sub_event_type: e for e in code(coder, LIVE_BLOG, published=dt.date(2026, 9, 9))}
    assert set(events) == {"Shelling/artillery/missile attack", "Air/drone strike"}
    missile, drones = events["Shelling/artillery/missile attack"], events["Air/drone strike"]
    assert (missile.fatalities, missile.actor1.name) == (7, "Military Forces of Russia")
    assert drones.fatalities == 0 and drones.actor1 is None and drones.place.name == "Saratov"


def test_heavy_fire_at_a_crossing_named_by_two_towns(coder):
    events = code(coder, "On Tuesday afternoon, Afghan and Pakistani border forces exchanged heavy fire for three "
                         "hours at the Spin Boldak-Chaman crossing in Kandahar province, officials said.")
    assert [(e.sub_event_type, e.place.name) for e in events] == [("Armed clash", "Spin Boldak")]


def test_a_date_that_names_another_thing_does_not_date_the_protest(coder):
    events = code(coder, "In Dhaka, hundreds of relatives of people killed in the July 2024 uprising formed a human "
                         "chain at Shahbagh on Thursday morning, demanding faster trials.")
    assert [(e.sub_event_type, e.event_date) for e in events] == [("Peaceful protest", dt.date(2026, 3, 12))]


def test_one_strike_on_two_towns_is_two_events(coder):
    # "in retaliation for missile and drone attacks" is the earlier event answered, not this one's type
    text = ("Israeli warplanes struck the port of Hodeidah and a power station in the Yemeni capital Sanaa on "
            "Monday, in retaliation for missile and drone attacks by the Houthis. The strikes killed four port "
            "workers in Hodeidah, the health ministry said.")
    events = {e.place.name: e for e in code(coder, text)}
    assert set(events) == {"Al Hudaydah", "Sanaa"}
    assert {e.sub_event_type for e in events.values()} == {"Air/drone strike"}
    assert (events["Al Hudaydah"].fatalities, events["Sanaa"].fatalities) == (4, None)


def test_events_with_unknown_villages_stand_at_the_lead_place_not_the_dateline(coder):
    text = ("PEMBA - Insurgents killed two farmers and burned dozens of houses in a series of attacks in Ancuabe "
            "district in the past four days, local sources said.\n\nOn Sunday, the bodies of two men were found "
            "beheaded near the village of Ntopotopo, a relative said.")
    events = code(coder, text, published=dt.date(2026, 3, 11))
    assert [(e.sub_event_type, e.place.name, e.event_date) for e in events] == [
        ("Attack", "Ancuabe", dt.date(2026, 3, 8))]


def test_a_base_attack_told_by_wire_then_by_the_army_statement(coder):
    # the statement's day ("a statement by the theatre command on Saturday") dates the statement; "paid the
    # supreme price" is communique wording for killed; the Lake Chad islands the attackers came from are neither
    # the place nor Chad's army
    text = ("MAIDUGURI - Jihadist fighters attacked a military base in Monguno late on Friday, sparking a gun battle "
            "that lasted several hours. The insurgents arrived in gun trucks from the direction of the Lake Chad "
            "islands and fired rocket-propelled grenades at the base. A statement by the theatre command on Saturday "
            "said troops repelled the attack, killing 12 terrorists, while three soldiers paid the supreme price.")
    events = code(coder, text, published=dt.date(2026, 3, 15))
    assert [(e.sub_event_type, e.place.name, e.event_date, e.fatalities, e.actor2.name) for e in events] == [
        ("Armed clash", "Monguno", dt.date(2026, 3, 13), 15, "Military Forces of Nigeria")]


def test_an_encounter_with_a_long_subset_clause(coder):
    events = code(coder, "Five Maoists, including a woman cadre carrying a reward of Rs 8 lakh, were killed in an "
                         "encounter with security forces in the forests of Bijapur district on Friday, police said.")
    assert [(e.sub_event_type, e.fatalities) for e in events] == [("Armed clash", 5)]


def test_a_claim_naming_the_place_of_the_attack(coder):
    events = code(coder, "Insurgents beheaded two farmers near Macomia on Sunday, local sources said. Islamic State "
                         "claimed the Macomia beheadings in its weekly newsletter.")
    assert [e.actor1.name for e in events] == ["Islamic State Mozambique Province"]


def test_reported_that_an_air_strike_is_no_back_reference(coder):
    text = ("Gunmen killed 23 people at the weekly market of a village near Diapaga on Saturday, officials said. Two "
            "days later, the state news agency reported that an air strike on a terrorist hideout had killed "
            "about forty of the attackers.")
    events = {e.sub_event_type: e.event_date for e in code(coder, text, published=dt.date(2026, 3, 20))}
    assert events == {"Attack": dt.date(2026, 3, 14), "Air/drone strike": dt.date(2026, 3, 16)}


def test_a_region_named_in_a_title_gives_way_to_the_story_town_inside_it(coder):
    text = ("BUNIA - ADF rebels killed 12 villagers near Komanda on Friday. The army spokesman for operations in "
            "Ituri said on Sunday that soldiers had tracked the attackers into the forest on Saturday and clashed "
            "with them, killing three rebels.")
    events = {e.sub_event_type: e for e in code(coder, text, published=dt.date(2026, 3, 16))}
    assert events["Armed clash"].place.name == events["Attack"].place.name == "Komanda"


def test_the_attackers_later_in_a_report_are_the_one_group_it_names(coder):
    text = ("ADF rebels killed 12 villagers near Komanda on Friday. On Saturday, soldiers clashed with the attackers "
            "in a forest near Komanda, killing three.")
    clash = next(e for e in code(coder, text, published=dt.date(2026, 3, 16)) if e.sub_event_type == "Armed clash")
    assert clash.actor2.name == "ADF: Allied Democratic Forces"


def test_one_protest_wave_in_several_towns_is_one_event_per_town(coder):
    lagos = code(coder, "Hundreds of nurses marched in Lagos on Monday to demand unpaid wages. Similar protests were "
                        "held in Abuja, Kano and Ibadan.")
    assert sorted(e.place.name for e in lagos) == ["Abuja", "Ibadan", "Kano", "Lagos"]
    assert {e.sub_event_type for e in lagos} == {"Peaceful protest"}
    kenya = code(coder, "About 200 lecturers marched through Eldoret on Thursday, joining colleagues in Mombasa in a "
                        "nationwide day of action over unpaid salary arrears.")
    assert sorted(e.place.name for e in kenya) == ["Eldoret", "Mombasa"]
    # a reporter of an outlet named like a town is no place of the protest
    marmara = code(coder, "Police fired tear gas at students marching in Istanbul on Tuesday to break up the march, a "
                          "Marmara reporter at the scene said.")
    assert [e.place.name for e in marmara] == ["Istanbul"]


def test_a_raid_that_kills_stays_an_attack_however_much_it_loots(coder):
    events = code(coder, "On 10 March, RSF fighters on motorbikes raided the village of Um Kheir, about 20 km east of "
                         "Bara, killing four men, looting livestock and setting fire to dozens of homes, displaced "
                         "people said.")
    assert [(e.sub_event_type, e.fatalities) for e in events] == [("Attack", 4)]


def test_tear_gas_and_detentions_at_a_blockade_are_the_protest_with_intervention(coder):
    events = code(coder, "Bolivian police fired tear gas on Monday to clear a road blockade set up by coca growers and "
                         "transport workers on the outskirts of Cochabamba, in the centre of the country, and detained "
                         "20 people, officials said.")
    assert [(e.sub_event_type, e.actor1.name, e.actor2.name) for e in events] == [
        ("Protest with intervention", "Protesters (Bolivia)", "Police Forces of Bolivia")]


def test_a_crowd_that_blocks_a_bridge_with_banners_is_a_protest(coder):
    text = ("Police cleared a road blockade outside Juliaca on Tuesday. On Monday, hundreds of Aymara farmers blocked "
            "the bridge in the town of Ilave for several hours, holding banners and chanting slogans, before leaving "
            "peacefully.")
    assert ("Peaceful protest", "Ilave") in {(e.sub_event_type, e.place.name) for e in code(coder, text)}


@pytest.mark.parametrize("text", [
    "Gunmen stormed a farm near Gusau on Monday night and carried off 12 workers, residents said.",
    "Four aid workers were taken captive on the road near Gao on Tuesday, their organisation said.",
])
def test_abductions_told_without_the_word(coder, text):
    assert [e.sub_event_type for e in code(coder, text)] == ["Abduction/forced disappearance"]


def test_what_a_group_has_done_in_a_relative_clause_is_no_event(coder):
    text = ("The government blamed the Islamic State Sahel Province, which has fought a bitter turf war with "
            "al-Qaeda's local affiliate, JNIM, for control of the tri-border area.")
    assert code(coder, text) == []


def test_arrests_hours_after_an_attack_are_their_own_event(coder):
    text = ("Gunmen shot dead a bus driver and two passengers on Monday morning in Choloma, police said. Hours after "
            "the attack, police arrested two suspects at a checkpoint in Choloma.")
    assert sorted(e.sub_event_type for e in code(coder, text)) == ["Arrests", "Attack"]


def test_the_words_before_an_infinitive_protest_are_no_back_reference(coder):
    # "in the afternoon to protest": "the" does not make "protest" a reference back to the takeover
    text = ("Government forces took control of Tabqa on Thursday after the SDF withdrew. About a hundred residents "
            "gathered in the town's main square in the afternoon to protest against the handover.")
    assert "Peaceful protest" in {e.sub_event_type for e in code(coder, text)}
