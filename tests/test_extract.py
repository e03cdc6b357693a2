"""extract stage: triggers, sub-event choice, arguments and modality on sentences written for each rule."""
import datetime as dt

import pytest

from eventcoder.extract.lexicon import load_lexicon
from eventcoder.extract.mentions import extract_mentions
from eventcoder.vocab import Article


def mentions(text):
    return extract_mentions(Article(id="t", text=text, published=dt.date(2026, 3, 14)))


def test_taxonomy_covers_all_acled_types():
    lex = load_lexicon()
    assert len(set(lex.event_type_of.values())) == 6
    assert len(lex.sub_event_types) == 25
    triggered = {t.sub_event_type for ts in lex.by_first.values() for t in ts}
    assert triggered == set(lex.sub_event_types)


def test_prefilter_skips_ordinary_news():
    lex = load_lexicon()
    assert not lex.could_hold_event("The central bank kept interest rates unchanged on Tuesday.")
    assert lex.could_hold_event("Gunmen stormed a village overnight.")


@pytest.mark.parametrize("text,sub", [
    ("A suicide bomber blew himself up at a checkpoint in Tikrit.", "Suicide bomb"),
    ("A roadside bomb exploded near an army patrol in Hawija.", "Remote explosive/landmine/IED"),
    ("Turkish warplanes carried out airstrikes on villages near Zakho.", "Air/drone strike"),
    ("Militants fired mortar rounds at the base in Kirkuk.", "Shelling/artillery/missile attack"),
    ("An attacker threw a grenade into a market in Mogadishu.", "Grenade"),
    ("Gunmen kidnapped four aid workers near Gao.", "Abduction/forced disappearance"),
    ("Police fired tear gas to disperse protesters in Basra.", "Protest with intervention"),
    ("Hundreds of teachers protested peacefully in Erbil over unpaid salaries.", "Peaceful protest"),
    ("Rioters torched cars and threw stones at police in Lyon.", "Violent demonstration"),
    ("A mob lynched a man accused of theft in Kano.", "Mob violence"),
    ("Police arrested five suspects in Mosul.", "Arrests"),
    ("The army deployed reinforcements to Sinjar.", "Change to group/activity"),
    ("Troops clashed with militants near Baiji.", "Armed clash"),
    ("Government forces recaptured the town of Palmyra.", "Government regains territory"),
    ("The two sides signed a ceasefire agreement in Doha.", "Agreement"),
    ("Looters ransacked shops in the market.", "Looting/property destruction"),
])
def test_sub_event_type(text, sub):
    ms = mentions(text)
    assert ms and ms[0].sub_event_type == sub


@pytest.mark.parametrize("text,modality", [
    ("The group vowed to attack Baghdad.", "threatened"),
    ("Officials denied that troops killed civilians in Mosul.", "denied"),
    ("The army plans to launch an offensive on Raqqa.", "planned"),
    ("If talks fail, militants could attack the town.", "hypothetical"),
    ("Police did not arrest anyone in Kano.", "negated"),
    ("Gunmen killed two men in Kano on Monday.", "asserted"),
    ("The district has witnessed several kidnappings in recent months.", "generic"),
    ("Following the rise of ISIS in 2014, militants seized the town.", "historical"),
])
def test_modality(text, modality):
    ms = mentions(text)
    assert ms and ms[0].modality == modality


def test_arguments_and_evidence_offsets():
    text = "Late Thursday, gunmen killed three farmers near Kirkuk."
    m = mentions(text)[0]
    assert m.agent.text == "gunmen" and m.target.text == "three farmers"
    assert [p.text for p in m.places] == ["Kirkuk"]
    assert m.time.text == "Late Thursday" and m.fatalities == 3
    for span in (m.agent, m.target, m.time, m.trigger, m.places[0]):
        assert text[span.start:span.end] == span.text


def test_names_are_not_triggers():
    assert not mentions("Operation Inherent Resolve officials met the governor in Erbil.")


def test_statistics_over_the_same_period_are_generic() -> None:
    from eventcoder.extract.modality import modality
    from eventcoder.nlp import load_nlp

    doc = load_nlp()("Rights groups say hundreds of people have died in prison custody over the same period.")
    died = next(t for t in doc if t.lower_ == "died")
    assert modality(died, doc[:]) == "generic"
