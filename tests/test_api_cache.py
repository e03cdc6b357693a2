"""The aggregate endpoints' answer cache (api.responses.AnswerCache): ETag revalidation, the x-cache header, and
no stale answer after a write by another connection."""
from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from eventcoder.api import create_app
from eventcoder.store import Store
from eventcoder.vocab import Actor, Article, Event, Place

from test_api import synthetic

URLS = ("/api/stats?country=Iraq", "/api/events/bins?zoom=6&start=2024-01-01&end=2024-03-31",
        "/api/timeline?country=Iraq", "/api/facets?country=Iraq")


def _another_event(path: str) -> None:
    """Store one more Iraqi event in Basra through a connection of its own (as another process would)."""
    text = "BASRA, Iraq — Protesters gathered outside the governorate building on Tuesday."
    place = Place("Basra", 30.5085, 47.7804, admin1="Basra", admin2="Basra", country="Iraq", country_code="IQ")
    with Store.open(path) as store:
        store.save_article_events(
            Article(id="cache-late", text=text, published=dt.date(2024, 3, 6)),
            [Event(event_type="Protests", sub_event_type="Peaceful protest", event_date=dt.date(2024, 3, 5),
                   actor1=Actor("Protesters (Iraq)", 6, "IQ"), place=place, fatalities=0)])


def test_etag_revalidates_and_a_write_is_never_served_stale(tmp_path) -> None:
    path = str(tmp_path / "cache.db")
    with Store.open(path) as store:
        synthetic(store)
    client = TestClient(create_app(path))
    first = {}
    for url in URLS:
        r = client.get(url)
        assert r.status_code == 200 and r.headers["x-cache"] == "miss", url
        assert r.headers["cache-control"] == "no-cache" and r.headers["etag"].startswith('"')
        again = client.get(url)
        assert again.headers["x-cache"] == "hit" and again.content == r.content
        assert again.headers["etag"] == r.headers["etag"]
        etag = r.headers["etag"]
        for header in (etag, "W/" + etag, f'"other", {etag}', "*"):
            same = client.get(url, headers={"If-None-Match": header})
            assert same.status_code == 304 and same.content == b"" and same.headers["etag"] == etag, header
        assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
        first[url] = r
    _another_event(path)
    for url in URLS:
        old = first[url]
        r = client.get(url, headers={"If-None-Match": old.headers["etag"]})
        assert r.status_code == 200 and r.headers["x-cache"] == "miss", url
        assert r.headers["etag"] != old.headers["etag"] and r.content != old.content, url
    assert client.get(URLS[0]).json()["events"] == first[URLS[0]].json()["events"] + 1
    assert "Basra" in client.get(URLS[3]).json()["admin1"]
