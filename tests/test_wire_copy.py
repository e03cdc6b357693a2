"""Wire copy: header lines above the dateline, strikes on several towns told one by one, patterns told as
background (sentences of our own)."""
from __future__ import annotations

import datetime as dt

import pytest

from eventcoder.ingest import article_from_record, read_dateline
from eventcoder.pipeline import Coder


@pytest.fixture(scope="module")
def coder(gazetteer_path):
    return Coder(gazetteer_path=gazetteer_path)


def code(coder, text, published="2026-10-04"):
    return coder.code_one(article_from_record({"id": "t", "text": text, "published": published}, "test"))


UPDATE = ("UPDATE 2-Missile strike on Kherson market kills four; drones hit port\n\n"
          "(Adds toll, governor's comments)\n\n"
          "KHERSON, Ukraine, Oct 4 (Example Wire) - A Russian missile struck a market in Kherson on Saturday, "
          "killing four people, the governor said.\n\n"
          "During the same attack, drones struck the river port in Kherson, setting a warehouse on fire.\n\n"
          "In Oleshky, a drone hit a power substation, cutting electricity to part of the town.")


def test_header_lines_above_the_dateline_are_skipped():
    line = read_dateline(UPDATE)
    assert (line.place, line.country, line.publisher) == ("Kherson", "UA", "Example Wire")
    assert UPDATE[line.body_start:].startswith("A Russian missile")
    assert read_dateline("By A. Reporter\nGAO, Mali (Sahel Wire) - Text.").place == "Gao"
    assert read_dateline("Gunmen killed four people in Gao on Friday. The army said.").place is None


def test_the_repeated_headline_is_no_event_and_the_dateline_town_is_the_place(coder):
    events = code(coder, UPDATE)
    missile = [e for e in events if e.sub_event_type == "Shelling/artillery/missile attack"]
    assert len(missile) == 1 and missile[0].place.name == "Kherson" and missile[0].fatalities == 4
    assert all("UPDATE" not in x.sentence for e in events for x in e.evidence)


def test_a_strike_on_another_town_is_another_event(coder):
    drones = [e for e in code(coder, UPDATE) if e.sub_event_type == "Air/drone strike"]
    assert sorted(e.place.name for e in drones) == ["Kherson", "Oleshky"]


def test_a_part_of_the_city_is_not_another_town(coder):
    events = code(coder, "A missile struck an apartment building in Odesa on Saturday, killing five people. "
                         "A missile hit the upper floors of a school in the Kyivskyi district, the mayor said.")
    assert [e.place.name for e in events] == ["Odesa"]


def test_what_a_group_has_continued_to_do_is_no_event(coder):
    events = code(coder, "Five Maoists were killed in an encounter with police in Chhattisgarh's Bijapur district on Friday. "
                         "The Maoists have continued to ambush patrols near Sukma.")
    assert len(events) == 1 and events[0].place.name == "Bijapur" and events[0].event_date == dt.date(2026, 10, 2)


def test_a_dateline_day_is_the_reports_today_when_published_just_after():
    from eventcoder.ingest.dateline import filed_on

    text = "BASRA, Iraq, Sept 14 (Example Wire) - Police fired tear gas at protesters in Basra."
    art = article_from_record({"id": "b", "text": text, "published": "2026-09-15T00:50:00+03:00"}, "test")
    assert art.published == dt.date(2026, 9, 14)
    assert filed_on("Sept 14", dt.date(2026, 9, 20)) is None  # a week later: not when it was filed
    assert filed_on("Sept 16", dt.date(2026, 9, 15)) is None  # never after publication
    assert filed_on("Dec 31", dt.date(2027, 1, 1)) == dt.date(2026, 12, 31)


def test_undated_events_of_a_report_filed_before_midnight_take_the_dateline_day(coder):
    events = code(coder, "BASRA, Iraq, Sept 14 (Example Wire) - Police fired tear gas to disperse hundreds of "
                         "protesters outside the provincial government building in Basra.",
                  published="2026-09-15T00:50:00+03:00")
    assert events and events[0].event_date == dt.date(2026, 9, 14)
