"""End-to-end: `eventcoder serve` as a real process, the dashboard in a real headless Chromium.

Loads the page, uses the filters, the timeline and the shareable URL, opens an
event from the map and checks its highlighted evidence against the API, saves
a screenshot under test-artifacts/, and opens a hostile article to check that
nothing in it runs. Skipped (with the reason) when Debian's chromium or the npm
assets are missing.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import ROOT
from test_api import HOSTILE_ID, HOSTILE_TEXT, build_store

CHROMIUM = os.environ.get("EVENTCODER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"

if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed (apt-get install chromium); browser tests skipped",
                allow_module_level=True)
if not (ROOT / "node_modules" / "leaflet" / "dist" / "leaflet.js").exists() and \
        not os.environ.get("EVENTCODER_NODE_MODULES"):
    pytest.skip("the dashboard's npm assets are not installed (run `npm ci` in the repository root); "
                "browser tests skipped", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api")
sync_playwright, expect = playwright_api.sync_playwright, playwright_api.expect

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--no-first-run", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as r:  # noqa: S310 (loopback only)
        return json.load(r)


@pytest.fixture(scope="module")
def server(tmp_path_factory, gazetteer_path):
    db = build_store(tmp_path_factory.mktemp("web") / "events.db", gazetteer_path)
    port = _free_port()
    log = (tmp_path_factory.mktemp("web-log") / "serve.log").open("w+")
    # Two server processes, as `serve --workers 2`: the page's requests are spread over both.
    proc = subprocess.Popen([sys.executable, "-m", "eventcoder", "serve", "--db", str(db), "--port", str(port),
                             "--workers", "2", "--quiet"], stdout=log, stderr=subprocess.STDOUT, env={**os.environ})
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):  # wait for the server to listen (up to ~30 s), or for it to die
        if proc.poll() is not None:
            log.seek(0)
            pytest.fail(f"eventcoder serve exited: {log.read()}")
        try:
            _get_json(base + "/api/config")
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.terminate()
        pytest.fail("eventcoder serve did not start listening")
    yield base
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    # A loaded 2-core CI machine can be slow; waits poll, so a generous limit costs nothing when fast.
    pg.set_default_timeout(30_000)
    expect.set_options(timeout=30_000)
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("dialog", lambda d: (pg.errors.append(f"dialog: {d.message}"), d.dismiss()))
    yield pg
    context.close()


def _ready(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")


def _move_map(page, lat: float, lon: float, zoom: int) -> None:
    """Move the map like a user would, and wait until the cells for the new view are drawn."""
    with page.expect_response(lambda r: "/api/events/bins" in r.url and f"zoom={zoom}" in r.url):
        page.evaluate("([lat, lon, zoom]) => { window.eventcoder.map().setView([lat, lon], zoom, {animate: false}); }",
                      [lat, lon, zoom])
    page.wait_for_selector("body[data-loading='0']")


def _figure(page, name: str) -> int:
    return int(page.text_content(f"#fig-{name}").replace(",", ""))


def _figures_match(page, server: str, query: str = "") -> int:
    """Wait until the key figures show what the API says for these filters; return the event count."""
    stats = _get_json(f"{server}/api/stats?{query}")
    for name, key in (("events", "events"), ("fatalities", "fatalities"), ("civilian", "civilian_targeting"),
                      ("actors", "actors")):
        expect(page.locator(f"#fig-{name}")).to_have_text(f"{stats[key]:,}", timeout=30_000)
    return stats["events"]


def _query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def test_dashboard_filters_timeline_and_evidence(server, page):
    _ready(page, server + "/")
    stats = _get_json(server + "/api/stats")
    assert _figures_match(page, server) == stats["events"] > 15
    assert page.locator("#timeline-svg rect.bar").count() > 5
    assert page.locator("#legend div").count() == 6

    # Filters: country, then event type; the key figures follow the API's answer for the same filters.
    page.select_option("#f-country", "Iraq")
    page.select_option("#f-event-type", "Battles")
    assert _figures_match(page, server, "country=Iraq&event_type=Battles") > 0
    assert _query(page)["country"] == "Iraq" and _query(page)["event_type"] == "Battles"
    assert "country=Iraq" in page.get_attribute("#dl-csv", "href")
    expect(page.locator("#f-admin1 option", has_text="Kirkuk")).to_have_count(1)

    # Text filter (debounced typing).
    page.fill("#f-q", "synthetic")
    assert _figures_match(page, server, "country=Iraq&event_type=Battles&q=synthetic") == 6

    # The 30-day preset ends at the latest event in the store.
    last = _get_json(server + "/api/facets")["last_date"]
    page.click(".presets button[data-days='30']")
    assert page.input_value("#f-end") == last and page.input_value("#f-start")
    start = page.input_value("#f-start")
    _figures_match(page, server, f"country=Iraq&event_type=Battles&q=synthetic&start={start}&end={last}")
    page.click("#f-reset")
    assert _figures_match(page, server) == stats["events"]

    # Timeline: clicking a day filters to it.
    page.locator("#timeline-svg rect.bar[data-date='2024-01-10']").click()
    assert _figures_match(page, server, "start=2024-01-10&end=2024-01-10") >= 1
    assert _query(page)["start"] == _query(page)["end"] == "2024-01-10"
    page.click("#f-reset")
    _figures_match(page, server)

    # Open an event from the map: zoom to Kirkuk, click the cell, pick the newest synthetic event in the list.
    _move_map(page, 35.4681, 44.3922, 14)
    point = page.evaluate("""() => { const m = window.eventcoder.map();
        const p = m.latLngToContainerPoint([35.4681, 44.3922]); const r = document.getElementById('map')
        .getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""")
    page.mouse.click(point[0], point[1])
    page.wait_for_selector("#panel .event-list li")
    item = page.locator("#panel .event-list li", has_text="Armed clash").first
    item.click()
    page.wait_for_selector("#article-text mark")
    event_id = page.get_attribute("#panel-body", "data-event")
    detail = _get_json(f"{server}/api/events/{event_id}")
    article = _get_json(f"{server}/api/articles/{detail['event']['article_id']}")
    assert page.text_content("#article-text") == article["text"]
    marks = page.locator("#article-text mark").all_text_contents()
    for ev in detail["evidence"]:
        assert ev["text"] in "".join(marks)
        assert any(m in ev["text"] or ev["text"] in m for m in marks)
    location_marks = page.locator("#article-text mark.f-location").all_text_contents()
    assert location_marks == [ev["text"] for ev in detail["evidence"] if ev["field"] == "location"]
    assert detail["event"]["actor1"] in page.text_content("#event-table")
    assert _query(page)["event"] == event_id

    ARTIFACTS.mkdir(exist_ok=True)
    _move_map(page, 30, 68, 4)  # Iraq left of the open panel
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"))

    # The shareable URL brings back the filters, the view and the open event.
    shared = page.url
    page.goto(server + "/?country=Iraq&event_type=Battles&event=" + event_id)
    page.wait_for_selector("#article-text mark")
    assert page.input_value("#f-country") == "Iraq" and page.input_value("#f-event-type") == "Battles"
    assert page.get_attribute("#panel-body", "data-event") == event_id
    assert "event=" + event_id in shared
    assert page.errors == []  # type: ignore[attr-defined]


def test_real_pipeline_event_evidence_is_highlighted(server, page):
    rows = _get_json(server + "/api/acled/read?country=Somalia&fields=event_id_cnty|article_id")["data"]
    assert rows
    _ready(page, f"{server}/?event={rows[0]['event_id_cnty']}")
    page.wait_for_selector("#article-text mark")
    detail = _get_json(f"{server}/api/events/{rows[0]['event_id_cnty']}")
    article = _get_json(f"{server}/api/articles/{rows[0]['article_id']}")
    assert page.text_content("#article-text") == article["text"]
    fields = " ".join(page.locator("#article-text mark").evaluate_all("ms => ms.map(m => m.dataset.fields)"))
    assert {ev["field"] for ev in detail["evidence"]} <= set(fields.split())


def test_hostile_article_never_runs(server, page):
    (row,) = _get_json(f"{server}/api/acled/read?article_id={HOSTILE_ID}")["data"]
    _ready(page, f"{server}/?event={row['event_id_cnty']}")
    page.wait_for_selector("#article-text mark")
    # Its list entry and tooltip too: open the Kirkuk cell's event list.
    assert page.evaluate("() => window.__pwned") is None
    assert page.text_content("#article-text") == HOSTILE_TEXT
    assert page.locator("#panel script, #panel img, #panel iframe, #panel svg, #panel a[href^='javascript']").count() == 0
    assert "<script>" in page.locator("#article-text mark.f-actor1").text_content()
    assert page.locator("#sources a").count() == 0  # a javascript: URL is shown as text, never as a link
    assert "onload" in page.text_content("#event-table")
    _move_map(page, 35.4681, 44.3922, 14)
    point = page.evaluate("""() => { const m = window.eventcoder.map();
        const p = m.latLngToContainerPoint([35.4681, 44.3922]); const r = document.getElementById('map')
        .getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""")
    page.mouse.move(point[0], point[1])
    page.mouse.click(point[0], point[1])
    page.wait_for_selector("#panel .event-list li")
    assert page.locator("#panel .event-list li", has_text="onload").count() == 1
    assert page.locator("#panel img, #panel svg, #panel script").count() == 0
    assert page.evaluate("() => window.__pwned") is None
    assert page.errors == []  # type: ignore[attr-defined]
