"""Who a clash's sides are and which comes first, and claims that name the attacker (sentences of our own)."""
from __future__ import annotations

import datetime as dt

import pytest

from eventcoder.ingest import article_from_record
from eventcoder.pipeline import Coder

PUB = dt.date(2026, 3, 14)  # Saturday


@pytest.fixture(scope="module")
def coder(gazetteer_path):
    return Coder(gazetteer_path=gazetteer_path)


def code(coder, text):
    rec = {"id": "t", "text": text, "published": PUB.isoformat()}
    return coder.code_one(article_from_record(rec, "test"))


def _clash(events):
    return next(e for e in events if e.sub_event_type == "Armed clash")


def test_a_security_operation_puts_the_forces_first(coder):
    ev = _clash(code(coder, "Three militants were killed in a gunfight with security forces in Kupwara district on "
                            "Friday, police said. Troops had cordoned off the village after receiving information "
                            "about the presence of militants."))
    assert ev.actor1.inter == 1 and ev.actor2.inter in (2, 3, 4)


def test_a_group_that_stormed_the_post_comes_first(coder):
    ev = _clash(code(coder, "Soldiers and militants fought for three hours at an army post near Gao on Friday, "
                            "leaving four dead. The militants had stormed the post before dawn, officials said."))
    assert ev.actor1.inter in (2, 3, 4) and ev.actor2.name.startswith("Military Forces of Mali")


def test_forces_fighting_the_attackers_come_second(coder):
    ev = _clash(code(coder, "A suicide bomber blew himself up at the gate of a police station in Bannu on Friday, "
                            "killing three policemen. Police fought the attackers inside the station for four hours "
                            "and killed all five of them."))
    assert ev.actor1.inter in (2, 3, 4) and ev.actor2.name.startswith("Police Forces of Pakistan")


def test_forces_named_beside_the_group_are_the_other_side(coder):
    ev = _clash(code(coder, "During the operation near Miranshah on Friday, seven khwarij were killed in an intense "
                            "exchange of fire, while two soldiers were also killed."))
    assert {ev.actor1.name, ev.actor2.name} == {"Military Forces of Pakistan", "TTP: Tehreek-i-Taliban Pakistan"}
    assert ev.actor1.name == "Military Forces of Pakistan"  # the forces' operation


@pytest.mark.parametrize("claim", [
    "Al-Shabaab said it carried out the attack.",
    "Al-Shabaab said in a statement on Saturday that it had carried out the bombing.",
    "Al-Shabaab said its fighters had fired the shells.",
])
def test_a_group_saying_it_did_it_is_the_attacker(coder, claim):
    ev = code(coder, "Several mortar shells were fired at the airport zone in Mogadishu on Friday night. "
                     "No one was hurt. " + claim)[0]
    assert ev.actor1 is not None and ev.actor1.name == "Al Shabaab"


def test_a_group_denying_it_did_it_is_not_the_attacker(coder):
    ev = code(coder, "Several mortar shells were fired at the airport zone in Mogadishu on Friday night. "
                     "No one was hurt. Al-Shabaab said it had not fired the shells.")[0]
    assert ev.actor1 is None or ev.actor1.name != "Al Shabaab"


def test_soldiers_pursuing_the_attackers_next_day_come_first(coder):
    ev = _clash(code(coder, "ADF rebels killed 12 villagers near Komanda on Thursday. On Friday, soldiers clashed "
                            "with the attackers in a forest near Komanda, killing three."))
    assert ev.actor1.inter == 1


def test_security_forces_are_the_one_force_the_report_names(coder):
    ev = _clash(code(coder, "Five Maoists were killed in an encounter with security forces in the forests of Bijapur "
                            "district on Friday, police said. A joint team of the District Reserve Guard and the "
                            "Special Task Force had launched the operation on Thursday night."))
    assert ev.actor1.name == "Police Forces of India"  # the DRG is a police force; "security forces" say not which
    assert ev.actor2.name == "CPI (Maoist)"  # "Maoists" in India
    assert all(a.name != "Special Task Force" for e in code(coder, "Members of the Special Task Force clashed "
               "with Maoists near Sukma on Friday.") for a in (e.actor1, e.actor2) if a is not None)


def test_security_forces_stay_generic_when_the_report_names_two(coder):
    ev = _clash(code(coder, "Two militants were killed in a gunfight with security forces in Kulgam district on "
                            "Friday. A joint team of the army's Rashtriya Rifles and the Jammu and Kashmir Police "
                            "had cordoned off the village."))
    assert ev.actor1.name == "Military Forces of India"


def test_those_hurt_before_the_blast_are_the_target(coder):
    ev = code(coder, "On Friday, two Central Reserve Police Force (CRPF) jawans were injured when an improvised "
                     "explosive device planted by Maoists went off during a patrol near Chintalnar in Sukma "
                     "district.")[0]
    assert ev.sub_event_type == "Remote explosive/landmine/IED"
    assert (ev.actor1.name, ev.actor2.name) == ("CPI (Maoist)", "Police Forces of India")


def test_no_group_is_nobody(coder):
    events = code(coder, "Gunmen killed 12 people at a market in Titao on Friday. No group claimed the attack.")
    assert events[0].actor1.name == "Unidentified Armed Group (Burkina Faso)"


def test_attackers_described_as_gunmen_suspected_to_be_a_group(coder):
    events = code(coder, "Gunmen killed 11 civilians at the market in Tera on Friday. The attackers, described by "
                         "residents as \"gunmen suspected to be fighters of the Islamic State Sahel Province\", "
                         "opened fire on traders.")
    assert events[0].actor1.name == "Islamic State Sahel Province"


def test_killed_and_abducted_in_one_raid_are_an_attack_and_an_abduction(coder):
    events = code(coder, "At least 12 people were killed and seven children abducted when armed youth attacked "
                         "cattle camps near Bor on Thursday, officials said.")
    got = sorted((e.sub_event_type, e.fatalities) for e in events)
    assert got == [("Abduction/forced disappearance", 0), ("Attack", 12)]


def test_al_qaeda_linked_fighters_in_the_sahel_are_jnim(coder):
    ev = _clash(code(coder, "Fighters of an al-Qaeda-linked group attacked an army base near Djibo on Friday, "
                            "killing seven soldiers."))
    assert ev.actor1.name == "JNIM: Group for Support of Islam and Muslims"
    yemen = code(coder, "Al-Qaeda-linked militants attacked an army checkpoint in Shabwa on Friday, killing four "
                        "soldiers.")
    assert all(e.actor1 is None or not e.actor1.name.startswith("JNIM") for e in yemen)


def test_fighters_who_tried_to_advance_on_army_positions_started_the_clash(coder):
    ev = _clash(code(coder, "Fighting broke out between government forces and the Houthis in Maqbanah district on "
                            "Tuesday. Three soldiers were killed when Houthi fighters tried to advance on army "
                            "positions, a military source said."))
    assert ev.actor1.name == "Houthi Movement"


def test_who_planted_the_device_is_the_attacker_not_who_stepped_on_it(coder):
    ev = code(coder, "On Friday, two CRPF jawans were injured when they stepped on a pressure IED planted by Maoists "
                     "during a patrol near Chintalnar in Sukma district.")[0]
    assert ev.sub_event_type == "Remote explosive/landmine/IED"
    assert (ev.actor1.name, ev.actor2.name) == ("CPI (Maoist)", "Police Forces of India")
