"""The HTTP API over a real SQLite store: sample reports coded by the real pipeline plus synthetic events.

ACLED-style queries, the map/timeline aggregates, records with evidence, the
write endpoint and its token, limits, errors and headers, and schemathesis
against the OpenAPI document.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from eventcoder.api import create_app
from eventcoder.api.app import ACLED_MAX_LIMIT, MAX_BODY_BYTES
from eventcoder.store import Store
from eventcoder.vocab import ACLED_COLUMNS, Actor, Article, Event, Evidence, Place

from conftest import SAMPLES

SAMPLE_FILES = ["txt/kirkuk_farmers.txt", "txt/talafar_ied.txt", "html/mogadishu_suicide_bomb.html",
                "txt/el_fasher_shelling.txt"]

HOSTILE_TEXT = (
    'BAGHDAD (Evil Wire) — <script>window.__pwned = "script";</script> Gunmen killed two farmers '
    'near <img src=x onerror="window.__pwned=\'img\'">Kirkuk on Monday, police said. '
    '<a href="javascript:window.__pwned=\'link\'">click</a> <iframe src="javascript:alert(1)"></iframe>'
)
HOSTILE_ID = "hostile-article-0001"


def _span(text: str, words: str, field: str) -> Evidence:
    start = text.index(words)
    return Evidence(field=field, text=words, start=start, end=start + len(words),
                    sentence=text, sentence_start=0, sentence_end=len(text))


def synthetic(store: Store) -> dict[str, list[str]]:
    """Store synthetic articles and events with known values; returns their event ids by name."""
    iraq = dict(country="Iraq", country_code="IQ")
    places = {
        "kirkuk": Place("Kirkuk", 35.4681, 44.3922, admin1="Kirkuk", admin2="Kirkuk", **iraq),
        "mosul": Place("Mosul", 36.335, 43.1189, admin1="Nineveh", admin2="Mosul", **iraq),
        "fiji": Place("Labasa", -16.4167, 179.3833, country="Fiji", country_code="FJ", admin1="Northern"),
        "sam": Place("Apia", -13.8333, -171.7667, country="Samoa", country_code="WS", admin1="Tuamasaga"),
    }
    ids: dict[str, list[str]] = {}
    day0 = dt.date(2024, 1, 1)
    for i in range(12):
        text = (f"SYN{i}: Militants of the Northern Front attacked a police post in Kirkuk on day {i}, "
                f"killing {i} officers, police said.")
        art = Article(id=f"syn-{i:03d}", text=text, title=f"Synthetic report {i}",
                      published=day0 + dt.timedelta(days=3 * i + 1), publisher="Test Wire",
                      url=f"https://example.org/syn/{i}")
        place = places["kirkuk"] if i % 3 else places["mosul"]
        # Three days apart: dedup (same actors, ±1 day, same place) must not merge them.
        ev = Event(event_type="Battles" if i % 2 else "Violence against civilians",
                   sub_event_type="Armed clash" if i % 2 else "Attack",
                   event_date=day0 + dt.timedelta(days=3 * i), time_precision=1,
                   actor1=Actor("Northern Front Militia", 3, "IQ"),
                   actor2=Actor("Police Forces of Iraq", 1, "IQ") if i % 2 else Actor("Civilians (Iraq)", 7, "IQ"),
                   place=place, fatalities=i, notes=f"synthetic event {i}",
                   evidence=[_span(text, "attacked", "sub_event_type"), _span(text, "Kirkuk", "location"),
                             _span(text, f"killing {i} officers", "fatalities")])
        store.save_article_events(art, [ev])
        ids.setdefault("syn", []).append(f"syn-{i:03d}")
    for key in ("fiji", "sam"):
        text = f"A protest took place in {places[key].name} on Friday."
        art = Article(id=f"dateline-{key}", text=text, published=dt.date(2024, 2, 3))
        ev = Event(event_type="Protests", sub_event_type="Peaceful protest", event_date=dt.date(2024, 2, 2),
                   actor1=Actor(f"Protesters ({places[key].country})", 6), place=places[key], fatalities=0,
                   evidence=[_span(text, "protest", "sub_event_type")])
        store.save_article_events(art, [ev])
    # A hostile article: markup and script in the text, title, actor names and a javascript: URL.
    art = Article(id=HOSTILE_ID, text=HOSTILE_TEXT, title='<img src=x onerror="window.__pwned=\'title\'">Evil',
                  published=dt.date(2024, 3, 2), publisher="<b>Evil</b> Wire",
                  url="javascript:window.__pwned='url'")
    ev = Event(event_type="Violence against civilians", sub_event_type="Attack", event_date=dt.date(2024, 3, 1),
               actor1=Actor('<svg onload="window.__pwned=\'actor\'">Gunmen', 2, "IQ"),
               actor2=Actor("Civilians (Iraq)", 7, "IQ"), place=places["kirkuk"], fatalities=2,
               notes='<script>window.__pwned="notes"</script>',
               evidence=[_span(HOSTILE_TEXT, "Gunmen killed two farmers", "sub_event_type"),
                         _span(HOSTILE_TEXT, '<img src=x onerror="window.__pwned=\'img\'">', "location"),
                         _span(HOSTILE_TEXT, "<script>", "actor1")])
    store.save_article_events(art, [ev])
    return ids


def build_store(path: Path, gazetteer_path: Path) -> Path:
    """A store with sample reports coded by the real pipeline, then the synthetic events."""
    from eventcoder.ingest import iter_inputs
    from eventcoder.pipeline import Coder

    with Store.open(str(path)) as store:
        articles = [a for a in iter_inputs([str(SAMPLES / "reports" / f) for f in SAMPLE_FILES])
                    if isinstance(a, Article)]
        assert len(articles) == len(SAMPLE_FILES)
        for article, events in Coder(gazetteer_path=gazetteer_path).code(articles):
            store.save_article_events(article, events)
        synthetic(store)
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory, gazetteer_path) -> Path:
    return build_store(tmp_path_factory.mktemp("api") / "events.db", gazetteer_path)


@pytest.fixture(scope="module")
def client(db) -> TestClient:
    return TestClient(create_app(str(db)))


def read(client: TestClient, **params) -> dict:
    r = client.get("/api/acled/read", params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["success"] is True and body["count"] == len(body["data"])
    return body


def error(response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False and body["error"]["status"] == status
    return body["error"]["message"]


# -- ACLED read ------------------------------------------------------------------------


def test_read_returns_acled_rows_in_order(client):
    body = read(client, with_total="true")
    assert body["total_count"] == body["count"] >= 15
    assert list(body["data"][0]) == list(ACLED_COLUMNS) + ["article_id"]
    dates = [r["event_date"] for r in body["data"] if r["event_date"]]
    assert dates == sorted(dates, reverse=True)
    # The real pipeline's events are there too.
    assert any(r["article_id"] not in {"syn-000"} and not r["article_id"].startswith(("syn-", "dateline-", "hostile"))
               for r in body["data"])
    assert read(client)["total_count"] is None


def test_read_field_filters_and_several_values(client):
    iraq = read(client, country="Iraq", with_total="true")
    assert iraq["count"] > 0 and all(r["country"] == "Iraq" for r in iraq["data"])
    both = read(client, country="Fiji|Samoa")
    assert sorted(r["country"] for r in both["data"]) == ["Fiji", "Samoa"]
    assert read(client, sub_event_type="Armed clash", actor1="Northern Front Militia")["count"] == 6


@pytest.mark.parametrize("op,value,expected", [
    ("=", "5", [5]), (">", "9", [10, 11]), (">=", "10", [10, 11]), ("<", "2", [0, 1]), ("<=", "1", [0, 1]),
    ("BETWEEN", "3|5", [3, 4, 5]), ("between", "3|5", [3, 4, 5]),
])
def test_read_where_operators_on_numbers(client, op, value, expected):
    body = read(client, fatalities=value, fatalities_where=op, actor1="Northern Front Militia")
    assert sorted(r["fatalities"] for r in body["data"]) == expected


def test_read_between_dates_and_like(client):
    body = read(client, event_date="2024-01-04|2024-01-10", event_date_where="BETWEEN")
    assert sorted(r["event_date"] for r in body["data"]) == ["2024-01-04", "2024-01-07", "2024-01-10"]
    like = read(client, actor1="northern front", actor1_where="LIKE")  # contains, any case
    assert like["count"] == 12
    pattern = read(client, notes="synthetic event 1%", notes_where="LIKE")
    assert sorted(r["notes"] for r in pattern["data"]) == ["synthetic event 1", "synthetic event 10",
                                                           "synthetic event 11"]
    several = read(client, location="Mosul|Apia", location_where="LIKE")
    assert {r["location"] for r in several["data"]} == {"Mosul", "Apia"}


def test_read_fields_limit_page_and_csv(client):
    everything = read(client, fields="event_id_cnty", limit=ACLED_MAX_LIMIT)["data"]
    pages = [read(client, fields="event_id_cnty", limit=4, page=p)["data"] for p in range(1, 10)]
    ids = [r["event_id_cnty"] for page in pages for r in page]
    assert ids == [r["event_id_cnty"] for r in everything] and len(set(ids)) == len(ids)
    assert all(list(r) == ["event_id_cnty"] for r in everything)
    body = read(client, fields="event_date|fatalities|country", country="Iraq", limit=2)
    assert [list(r) for r in body["data"]] == [["event_date", "fatalities", "country"]] * 2
    r = client.get("/api/acled/read", params={"_format": "csv", "fields": "event_id_cnty|country|notes",
                                               "country": "Iraq"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["event_id_cnty", "country", "notes"] and len(rows) - 1 == read(client, country="Iraq")["count"]
    assert client.get("/api/acled/read", params={"export_type": "csv"}).text.startswith("event_id_cnty,event_date")


@pytest.mark.parametrize("params,needle", [
    ({"year": "twenty"}, "whole numbers"),
    ({"event_date": "2024-13-45"}, "YYYY-MM-DD"),
    ({"fatalities": "1", "fatalities_where": "LIKE"}, "text fields"),
    ({"fatalities": "1|2", "fatalities_where": ">"}, "one value"),
    ({"event_date": "2024-01-01", "event_date_where": "BETWEEN"}, "two values"),
    ({"country_where": "="}, "country is not"),
    ({"country": "Iraq", "country_where": "~"}, "must be one of"),
    ({"nonsense": "1"}, "unknown parameter"),
    ({"fields": "event_id_cnty|password"}, "unknown field"),
    ({"limit": str(ACLED_MAX_LIMIT + 1)}, "limit"),
    ({"page": "0"}, "page"),
    ({"_format": "xml"}, "_format"),
    ({"iso": str(2**70)}, "out of range"),
    ({"latitude": "nan"}, "finite"),
])
def test_read_bad_requests_are_clear_400s(client, params, needle):
    assert needle in error(client.get("/api/acled/read", params=params), 400)


def test_parameters_are_bound_not_spliced(client, db):
    before = read(client, with_total="true")["total_count"]
    for value in ("Iraq' OR '1'='1", "Iraq\"; DROP TABLE events; --", "%' OR 1=1 --"):
        assert read(client, country=value)["count"] == 0
        assert read(client, actor1=value, actor1_where="LIKE")["count"] == 0
        assert client.get("/api/stats", params={"q": value, "actor": value}).json()["events"] == 0
    assert read(client, with_total="true")["total_count"] == before
    # A literal % or _ in the dashboard's text filter is a character, not a wildcard.
    assert client.get("/api/stats", params={"q": "%"}).json()["events"] == 0


def test_deleted_endpoint_mirrors_the_store(client, db):
    with Store.open(str(db)) as store:
        expected = store.deleted_since(0) if hasattr(store, "deleted_since") else []
    body = client.get("/api/deleted/read", params={"deleted_timestamp": 0, "with_total": "true"}).json()
    assert body["success"] is True and body["total_count"] == body["count"] == len(expected)
    assert sorted(r["event_id_cnty"] for r in body["data"]) == sorted(r["event_id_cnty"] for r in expected)
    future = client.get("/api/deleted/read", params={"deleted_timestamp": 4102444800,
                                                     "deleted_timestamp_where": ">"}).json()
    assert future["data"] == []
    assert "deleted_timestamp_where" in error(
        client.get("/api/deleted/read", params={"deleted_timestamp_where": "LIKE"}), 400)


# -- map, timeline, figures ---------------------------------------------------------------


def geojson(client, **params) -> dict:
    r = client.get("/api/events.geojson", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    return r.json()


def test_geojson_filters(client):
    fc = geojson(client)
    assert fc["type"] == "FeatureCollection" and fc["features"]
    f = fc["features"][0]
    assert f["geometry"]["type"] == "Point" and f["properties"]["event_id_cnty"] == f["id"]
    assert f["geometry"]["coordinates"] == [f["properties"]["longitude"], f["properties"]["latitude"]]
    box = geojson(client, bbox="43,35,45,36")  # Kirkuk, not Mosul
    assert box["features"] and {x["properties"]["location"] for x in box["features"]} <= {"Kirkuk", "Dibis",
                                                                                            "Hawija", "Daquq"}
    across = geojson(client, bbox="170,-20,-170,-10")  # crosses the antimeridian
    assert sorted(x["properties"]["location"] for x in across["features"]) == ["Apia", "Labasa"]
    typed = geojson(client, event_type="Protests", start="2024-02-01", end="2024-02-02")
    assert len(typed["features"]) == 2
    assert len(geojson(client, limit=3)["features"]) == 3
    assert "bbox" in error(client.get("/api/events.geojson", params={"bbox": "1,2,3"}), 400)
    assert "bbox" in error(client.get("/api/events.geojson", params={"bbox": "0,50,10,40"}), 400)


def test_bins_add_up_at_every_zoom(client):
    with_coords = len(geojson(client, limit=100000)["features"])
    for zoom in (0, 3, 8, 14, 22):
        body = client.get("/api/events/bins", params={"zoom": zoom}).json()
        assert body["total"] == with_coords == sum(b["count"] for b in body["bins"])
        for b in body["bins"]:
            assert sum(b["types"].values()) == b["count"]
            west, south, east, north = b["bounds"]
            assert west - 1e-6 <= b["longitude"] <= east + 1e-6 and south - 1e-6 <= b["latitude"] <= north + 1e-6
            assert (b["event_id"] is not None) == (b["count"] == 1)
    coarse = client.get("/api/events/bins", params={"zoom": 0}).json()["bins"]
    fine = client.get("/api/events/bins", params={"zoom": 14}).json()["bins"]
    assert len(coarse) < len(fine)
    kirkuk = client.get("/api/events/bins", params={"zoom": 10, "event_type": "Battles",
                                                    "bbox": "44,35,45,36"}).json()
    assert kirkuk["total"] >= 4 and all(set(b["types"]) == {"Battles"} for b in kirkuk["bins"])


def test_timeline_stats_and_downloads_agree(client):
    days = client.get("/api/timeline", params={"country": "Iraq"}).json()["days"]
    dated = [r for r in read(client, country="Iraq")["data"] if r["event_date"]]
    assert sum(d["events"] for d in days) == len(dated)
    assert [d["date"] for d in days] == sorted({r["event_date"] for r in dated})
    # The timeline ignores the date range (it shows where the range lies); stats honour it.
    assert client.get("/api/timeline", params={"country": "Iraq", "start": "2030-01-01"}).json()["days"] == days
    stats = client.get("/api/stats", params={"start": "2024-01-01", "end": "2024-03-31"}).json()
    rows = read(client, event_date="2024-01-01|2024-03-31", event_date_where="BETWEEN")["data"]
    assert stats["events"] == len(rows) == 15
    assert stats["fatalities"] == sum(r["fatalities"] or 0 for r in rows)
    assert stats["civilian_targeting"] == sum(r["civilian_targeting"] == "Civilian targeting" for r in rows) > 0
    assert stats["actors"] == len({a for r in rows for a in (r["actor1"], r["actor2"]) if a})
    r = client.get("/api/events.csv", params={"min_fatalities": 10})
    lines = list(csv.DictReader(io.StringIO(r.text)))
    assert r.status_code == 200 and lines and all(int(x["fatalities"]) >= 10 for x in lines)
    assert {"10", "11"} <= {x["fatalities"] for x in lines}
    facets = client.get("/api/facets", params={"country": "Iraq"}).json()
    assert "Iraq" in facets["countries"] and {"Kirkuk", "Nineveh"} <= set(facets["admin1"])
    assert "Armed clash" in facets["event_types"]["Battles"] and facets["last_date"] >= "2024-03-01"


def test_text_and_actor_filters(client):
    assert client.get("/api/stats", params={"q": "SYNTHETIC EVENT 1"}).json()["events"] == 3
    assert client.get("/api/stats", params={"actor": "northern front"}).json()["events"] == 12
    assert client.get("/api/stats", params={"admin1": "Nineveh", "actor": "northern"}).json()["events"] == 4


# -- records ----------------------------------------------------------------------------------


def test_event_detail_has_evidence_matching_the_article(client):
    for row in read(client, limit=50)["data"]:
        detail = client.get(f"/api/events/{row['event_id_cnty']}").json()
        assert detail["event"] == row
        article = client.get(f"/api/articles/{row['article_id']}").json()
        assert row["event_id_cnty"] in article["event_ids"]
        assert detail["sources"][0]["article_id"] == row["article_id"] and detail["sources"][0]["primary"]
        for ev in detail["evidence"]:
            assert article["text"][ev["start"]:ev["end"]] == ev["text"]
    assert "no event" in error(client.get("/api/events/NOPE0001"), 404)
    assert "no article" in error(client.get("/api/articles/nope"), 404)
    assert error(client.get("/api/events/" + "x" * 200), 400)


def test_hostile_text_comes_back_as_data(client):
    article = client.get(f"/api/articles/{HOSTILE_ID}")
    assert article.headers["content-type"] == "application/json"
    assert article.json()["text"] == HOSTILE_TEXT  # stored and returned verbatim, as data
    (row,) = read(client, article_id=HOSTILE_ID)["data"]
    assert row["notes"].startswith("<script>")


# -- writing, limits, headers ------------------------------------------------------------------


def test_write_refused_without_token(client):
    assert "--token" in error(client.post("/api/articles", json={"text": "Gunmen killed two people."}), 403)


def test_write_with_token(tmp_path, gazetteer_path):
    with Store.open(str(tmp_path / "w.db")) as store:
        synthetic(store)
    app = create_app(str(tmp_path / "w.db"), token="s3cret-token")
    c = TestClient(app)
    report = {"text": "KIRKUK, Iraq (Test Wire) — Gunmen killed three farmers near Kirkuk on Monday, "
                      "police said.", "title": "Farmers killed", "published": "2024-05-08",
              "url": "https://example.org/new-report"}
    assert "token" in error(c.post("/api/articles", json=report), 401)
    assert "token" in error(c.post("/api/articles", json=report, headers={"Authorization": "Bearer wrong"}), 401)
    auth = {"Authorization": "Bearer s3cret-token"}
    before = c.get("/api/stats").json()["events"]
    r = c.post("/api/articles", json=report, headers=auth)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["stored"] is True and body["event_ids"]
    # Cached key figures follow the store as soon as it changes.
    assert c.get("/api/stats").json()["events"] == before + len(body["event_ids"])
    detail = c.get(f"/api/events/{body['event_ids'][0]}").json()
    assert detail["event"]["country"] == "Iraq" and detail["event"]["article_id"] == body["article_id"]
    again = c.post("/api/articles", json=report, headers=auth).json()
    assert again["stored"] is False and again["event_ids"] == body["event_ids"]
    assert error(c.post("/api/articles", json={"title": "no text"}, headers=auth), 400)
    assert error(c.post("/api/articles", json={"text": "x", "evil": 1}, headers=auth), 400)
    assert error(c.post("/api/articles", content=b"{not json", headers={**auth, "content-type": "application/json"}),
                 400)
    big = json.dumps({"text": "a" * (MAX_BODY_BYTES + 10)})
    assert error(c.post("/api/articles", content=big, headers={**auth, "content-type": "application/json"}), 413)


def test_limits_errors_and_headers(client):
    assert error(client.get("/api/acled/read?country=" + "x" * 9000), 414)
    assert "no such path" in error(client.get("/api/nothing"), 404)
    assert error(client.delete("/api/acled/read"), 405)
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    for r in (page, client.get("/api/stats")):
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
    assert client.get("/vendor/../pyproject.toml").status_code == 404
    assert client.get("/static/..%2f..%2fapi%2fapp.py").status_code == 404


def test_tiles_origin_is_allowed_for_images_only(db):
    c = TestClient(create_app(str(db), tiles="https://{s}.tile.example.org/{z}/{x}/{y}.png"))
    csp = c.get("/").headers["content-security-policy"]
    assert "img-src 'self' data: https://*.tile.example.org" in csp and "connect-src 'self';" in csp
    assert c.get("/api/config").json()["tiles"].startswith("https://{s}.tile.example.org")


# -- OpenAPI ---------------------------------------------------------------------------------------


def test_openapi_documents_every_endpoint(client):
    doc = client.get("/openapi.json").json()
    assert set(doc["paths"]) >= {"/api/acled/read", "/api/deleted/read", "/api/events.geojson", "/api/events.csv",
                                 "/api/events/bins", "/api/timeline", "/api/stats", "/api/facets",
                                 "/api/events/{event_id}", "/api/articles/{article_id}", "/api/articles"}
    params = {p["name"] for p in doc["paths"]["/api/acled/read"]["get"]["parameters"]}
    assert {"country", "country_where", "event_date_where", "fields", "limit", "page", "with_total",
            "_format"} <= params
    for path in doc["paths"].values():
        for op in path.values():
            assert "422" not in op["responses"] and "400" in op["responses"]


def test_openapi_conformance(client):
    """Requests generated from the document never crash the server, and responses match the document."""
    from hypothesis import given
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                                   status_code_conformance)

    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def run(case):
            if case.method == "POST":
                case.headers = {**(case.headers or {}), "Authorization": "Bearer not-the-token"}
            case.call_and_validate(checks=checks)

        run()
