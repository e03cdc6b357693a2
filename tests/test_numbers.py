"""Casualty figures: digits, words, ACLED's vague-number rules, injured excluded."""
import pytest

from eventcoder.extract.numbers import parse_number, sentence_fatalities


@pytest.mark.parametrize("words,value", [
    ("three", 3), ("a dozen", 12), ("dozens", 12), ("tens", 10), ("hundreds", 100),
    ("twenty-one", 21), ("1,200", 1200), ("two hundred", 200), ("14", 14),
])
def test_parse_number(words, value):
    assert parse_number(words) == value


@pytest.mark.parametrize("sentence,value", [
    ("Gunmen killed three farmers near the village.", 3),
    ("At least 12 people were killed and 20 wounded.", 12),
    ("The blast left dozens dead.", 12),
    ("Two soldiers and three militants were killed in the fighting.", 5),
    ("One soldier, two policemen and a civilian were killed.", 4),
    ("A suicide bomber killed at least five people, including two children.", 5),
    ("Officials said six people died, while other sources said eight were killed.", 6),
    ("The death toll rose to 14 on Sunday.", 14),
    ("No casualties were reported.", 0),
    ("Nobody was killed in the explosion.", 0),
    ("The missile missed its target, and no damage or injuries were reported.", 0),
    ("A policeman was killed and two were wounded.", 1),
    ("Soldiers fought the gunmen for two hours and killed all four of them, police said.", 4),
    ("The guards fought off the attackers, killing one of them, and the rest fled.", 1),
    ("The raid left at least nine villagers dead.", 9),
    ("Seven Maoists, including two women cadres, were killed in an exchange of fire on Thursday.", 7),
    ("Residents said about a dozen combatants from the two sides lost their lives.", 12),
    ("The number of civilians killed in an attack by rebels on a village late on Friday has risen to 19.", 19),
])
def test_sentence_fatalities(sentence, value):
    count = sentence_fatalities(sentence)
    assert count is not None and count.value == value
    assert sentence[count.start:count.end] == count.text


@pytest.mark.parametrize("sentence", [
    "Five people were injured in the attack.",
    "Hundreds of protesters gathered in the square.",
    "The strike, now in its fourth week, has left thousands of students idle.",
    "The militia attacked a checkpoint.",
])
def test_no_fatality_figure(sentence):
    assert sentence_fatalities(sentence) is None


def test_revised_and_replaced_toll_sentences() -> None:
    from eventcoder.extract.numbers import replaced_figure, revised_toll

    assert revised_toll("The death toll later rose to eleven, officials said.").value == 11
    assert revised_toll("The attack killed nine, raising an earlier toll of five.") is None  # five is the old one
    assert revised_toll("Nine people were killed.") is None
    assert replaced_figure("Police had initially reported five dead.")
    assert replaced_figure("An earlier toll put the number of dead at three.")
    assert not replaced_figure("The attack killed nine, raising an earlier toll of five.")
    assert not replaced_figure("Nine people were killed on Friday.")
    assert replaced_figure("Initial reports had put the death toll at 11, but three more bodies were found.")
    assert revised_toll("Initial reports had put the death toll at 11.") is None
    assert revised_toll("By Friday the ministry put the toll at six.").value == 6
    assert revised_toll("A man died in hospital, raising the toll to four.").value == 4


@pytest.mark.parametrize("sentence,total", [
    ("Gunmen killed two soldiers and three civilians.", 5),
    ("Gunmen shot dead a bus driver and two passengers on Monday.", 3),
    ("The attack killed three soldiers, two police officers and a child.", 6),
    ("The raid killed five soldiers, a military officer said.", 5),  # the speaker is not a victim
    ("Gunmen killed two soldiers and three civilians were wounded.", 2),
])
def test_victims_listed_after_the_verb_add_up(sentence: str, total: int) -> None:
    from eventcoder.extract.numbers import sentence_fatalities

    assert sentence_fatalities(sentence).value == total


def test_figures_for_different_sides_add_up_without_and():
    from eventcoder.extract.numbers import sentence_fatalities, sentence_toll_parts

    text = "Militants stormed a police post, killing four police officers before two of the assailants were shot dead."
    assert sentence_fatalities(text).value == 6
    assert sentence_toll_parts(text) == {"police": 4, "attacker": 2}
    assert sentence_fatalities("Four soldiers were killed, the army said, while residents said six soldiers died.").value == 4


def test_one_more_death_is_not_a_toll_of_one():
    from eventcoder.extract.numbers import find_fatalities

    assert [c.value for c in find_fatalities("A fifth officer died of his wounds in hospital.")] == []


def test_a_rival_source_putting_the_toll_higher_is_no_revision():
    from eventcoder.extract.numbers import revised_toll, toll_side

    assert revised_toll("A news page run by one side put the toll at 14, but gave no breakdown.") is None
    assert revised_toll("The ministry later put the toll at 14.").value == 14
    assert revised_toll("By Wednesday the health ministry put the toll at six.").value == 6
    text = "The governor said a fifth officer had died, bringing the police death toll to five."
    count = revised_toll(text)
    assert count.value == 5 and toll_side(text, count) == "police"


def test_one_victim_named_by_who_he_was():
    from eventcoder.extract.numbers import sentence_fatalities

    assert sentence_fatalities("A drone hit a car in Shebekino this morning, killing the driver.").value == 1
    assert sentence_fatalities("Gunmen shot dead the village headman on Monday.").value == 1
    assert sentence_fatalities("The driver said the road was closed.") is None
    assert sentence_fatalities("Gunmen killed the driver and two passengers.").value == 3


@pytest.mark.parametrize("text, group", [
    ("two (2) of our soldiers fell", "soldier"),
    ("three of the attackers died", "attacker"),
    ("four villagers were killed", "civilian"),
    ("five were killed", "people"),
])
def test_victim_group_skips_repeated_digits_and_of_our(text, group):
    from eventcoder.extract.numbers import victim_group

    first = text.split()[0]
    assert victim_group(text, len(first)) == group
