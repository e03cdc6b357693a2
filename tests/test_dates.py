"""Relative dates resolve against the publication date with ACLED time precision."""
import datetime as dt

import pytest

from eventcoder.resolve.dates import covered_period_end, find_time_phrases, is_historical, resolve_date

PUB = dt.date(2026, 3, 14)  # a Saturday


@pytest.mark.parametrize("phrase,date,precision", [
    ("on Saturday morning", dt.date(2026, 3, 14), 1),  # same day when published on a Saturday
    ("late Thursday", dt.date(2026, 3, 12), 1),
    ("two days ago", dt.date(2026, 3, 12), 1),
    ("yesterday", dt.date(2026, 3, 13), 1),
    ("last week", dt.date(2026, 3, 5), 2),  # the middle (Thursday) of the previous calendar week
    ("earlier this week", dt.date(2026, 3, 11), 2),  # the middle of Monday 9 to Friday 13
    ("this week", dt.date(2026, 3, 11), 2),
    ("earlier this month", dt.date(2026, 3, 14), 3),
    ("on March 3", dt.date(2026, 3, 3), 1),
    ("on 5 January 2026", dt.date(2026, 1, 5), 1),
    ("December 30", dt.date(2025, 12, 30), 1),  # never after publication
    ("in February this year", dt.date(2026, 2, 15), 3),
    ("in April last year", dt.date(2025, 4, 15), 3),
    ("between 1 and 7 March", dt.date(2026, 3, 4), 2),  # a span of days: its middle, week precision
    ("3-9 March", dt.date(2026, 3, 6), 2),
    ("from 1 to 25 February", dt.date(2026, 2, 13), 3),
])
def test_resolve(phrase, date, precision):
    r = resolve_date(phrase, PUB)
    assert (r.date, r.precision) == (date, precision)


def test_no_publication_date_invents_nothing():
    assert resolve_date("on Saturday", None) is None
    assert resolve_date("two days ago", None) is None
    assert resolve_date("on 5 January 2026", None).date == dt.date(2026, 1, 5)


def test_history_is_recognised():
    assert is_historical(resolve_date("in 2014", PUB), PUB)
    assert not is_historical(resolve_date("on Thursday", PUB), PUB)


def test_find_phrases_skips_ordinary_words():
    words = [w for _, _, w in find_time_phrases("Troops may march on Friday, officials said in May.")]
    assert "on Friday" in words and "in May" in words
    assert all(w.lower() not in ("may", "march") for w in words)


def test_weekend():
    assert resolve_date("over the weekend", PUB) .date == dt.date(2026, 3, 14)
    assert resolve_date("over the weekend", PUB).precision == 2
    words = [w for _, _, w in find_time_phrases("Protests this weekend drew thousands.")]
    assert words == ["this weekend"]


def test_last_month_name_is_the_latest_one_before_this_month():
    from eventcoder.resolve.dates import resolve_date

    assert resolve_date("last July", dt.date(2026, 7, 20)).date == dt.date(2025, 7, 15)
    assert resolve_date("last July", dt.date(2026, 9, 2)).date == dt.date(2026, 7, 15)


def test_month_with_this_or_last_year_is_one_phrase():
    text = "In April this year, nine farmers were killed on their way to their fields."
    assert [w for _, _, w in find_time_phrases(text)] == ["In April this year"]


def test_a_statement_date_is_no_event_date():
    from eventcoder.resolve.dates import is_speech_date

    text = "In a statement released on Wednesday, the group said its fighters had taken the town."
    assert is_speech_date(text, text.index("on Wednesday"))


@pytest.mark.parametrize("heading, end", [
    ("Security round-up, 28 September - 4 October: abductions in the west", dt.date(2026, 10, 4)),
    ("WEEKLY UPDATE\nWeek 40: Monday 28 September to Sunday 4 October 2026", dt.date(2026, 10, 4)),
    ("Conflict monitor: weekly update, 1-7 October 2026", dt.date(2026, 10, 7)),
    ("Weekly review Sept. 28 - Oct. 4", dt.date(2026, 10, 4)),
    ("Fighting on 1-7 October killed 20 people", None),  # no round-up: weekdays count from publication
    ("Weekly update, 1-7 September", None),  # more than two weeks before publication
])
def test_covered_period_end_of_a_round_up(heading, end):
    assert covered_period_end(heading, dt.date(2026, 10, 8)) == end


def test_a_month_and_year_is_not_a_month_and_day():
    assert [w for _, _, w in find_time_phrases("killed in the July 2024 uprising, on July 20, 2026")] == \
        ["July 2024", "on July 20, 2026"]


def test_a_day_pointed_at_is_no_date_of_its_own():
    # "on that Saturday" in a feature's opening names a day the story dates later ("took place on September 12")
    assert [w for _, _, w in find_time_phrases("She was going to sell on that Saturday. It happened on Saturday, "
                                               "the following Monday and every Friday.")] == ["on Saturday"]


def test_the_day_an_attack_was_claimed_dates_the_claim():
    from eventcoder.resolve.dates import is_speech_date

    for text in ("The Islamic State claimed the attack on Thursday, saying its fighters did it.",
                 "Al-Shabaab claimed responsibility for the bombing on Friday."):
        assert is_speech_date(text, text.index(" on ") + 1)
    text = "The blast claimed the lives of five people on Friday."
    assert not is_speech_date(text, text.index(" on ") + 1)
