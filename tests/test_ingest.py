"""Tests for the ingest stage: every input format, cleaning, datelines, ids and bad input."""
from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import sys
from pathlib import Path

import pytest

from eventcoder.errors import InputError
from eventcoder.ingest import (
    article_from_record, article_id, clean_text, iter_inputs, parse_dateline, read_dateline,
)
from eventcoder.vocab import Article

# Invented reports; no real news text.
BODY = ("TALWAR, Nordland (Example Wire) - Armed men on motorbikes fired on a roadside "
        "checkpoint outside the town of Talwar late on Friday, two local officials said.\n"
        "One guard was wounded and taken to the district clinic, the officials added.")
PLAIN = ("Residents of the hill villages gathered in the market square on Sunday to ask for "
         "a new water pipeline, a local councillor said.")

PAGE = """<!DOCTYPE html><html><head>
<title>Checkpoint attacked near Talwar</title>
<meta property="article:published_time" content="2031-05-17T08:30:00Z">
<meta property="og:site_name" content="Example Daily">
<link rel="canonical" href="https://example.org/news/talwar-checkpoint">
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Checkpoint attacked near Talwar</h1>
<p>KIRKUK — Armed men on motorbikes fired on a roadside checkpoint outside the town late on
Friday, two local officials told reporters at the scene.</p>
<p>One guard was wounded and taken to the district clinic, where doctors said his condition
was stable, the officials added in a statement.</p>
<p>Share this article</p>
</article>
<footer>Copyright 2031 Example Daily. All rights reserved.</footer>
</body></html>"""


def run(*paths: object, **kwargs: int) -> list[Article | InputError]:
    """All results of iter_inputs as a list."""
    return list(iter_inputs([str(p) for p in paths], **kwargs))


def articles(results: list[Article | InputError]) -> list[Article]:
    return [r for r in results if isinstance(r, Article)]


def errors(results: list[Article | InputError]) -> list[InputError]:
    return [r for r in results if isinstance(r, InputError)]


def only_error(results: list[Article | InputError]) -> InputError:
    assert len(results) == 1 and isinstance(results[0], InputError), results
    return results[0]


# --- formats ---------------------------------------------------------------------------

def test_txt_with_headers(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text("Title: Checkpoint attacked\npublished: 2031-05-17\nPublisher: Example Wire\n"
                    "URL: https://example.org/a?utm_source=x\n\n" + BODY, encoding="utf-8")
    (article,) = articles(run(path))
    assert article.title == "Checkpoint attacked"
    assert article.published == dt.date(2031, 5, 17)
    assert article.publisher == "Example Wire"  # header beats the dateline's publisher
    assert article.url == "https://example.org/a?utm_source=x"
    assert article.source_path == str(path)
    assert article.text.startswith("TALWAR, Nordland (Example Wire) - Armed men")
    assert article.text[article.body_start:].startswith("Armed men")
    assert article.dateline_place == "Talwar"


def test_txt_without_headers_is_all_body(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("Title of nothing\n\n" + PLAIN, encoding="utf-8")
    (article,) = articles(run(path))
    assert article.title is None and article.published is None and article.url is None
    assert article.text == "Title of nothing\n" + PLAIN


def test_txt_header_date_in_words(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("Published: 17 May 2031\n\n" + PLAIN, encoding="utf-8")
    assert articles(run(path))[0].published == dt.date(2031, 5, 17)


def test_no_date_is_invented(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("Published: yesterday\n\n" + PLAIN, encoding="utf-8")
    assert articles(run(path))[0].published is None


def test_html(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    (article,) = articles(run(path))
    assert article.title == "Checkpoint attacked near Talwar"
    assert article.published == dt.date(2031, 5, 17)
    assert article.publisher == "Example Daily"
    assert article.url == "https://example.org/news/talwar-checkpoint"
    assert article.text.startswith("KIRKUK — Armed men")  # the h1 title line is not text
    assert article.dateline_place == "Kirkuk"
    assert "Home" not in article.text and "Share this article" not in article.text
    assert "All rights reserved" not in article.text


def test_short_html_page_falls_back_to_body_text(tmp_path: Path) -> None:
    path = tmp_path / "short.htm"
    path.write_text("<html><body><p>Gunmen fired on a checkpoint near Talwar.</p></body></html>",
                    encoding="utf-8")
    (article,) = articles(run(path))
    assert article.text == "Gunmen fired on a checkpoint near Talwar."


def test_jsonl_records_and_id(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [
        {"id": "a1", "text": BODY, "title": "T", "published": "2031-05-17", "source": "Wire X"},
        {"id": 7, "body": PLAIN, "date": "2031-05-18", "link": "https://example.org/b"},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n", encoding="utf-8")
    first, second = articles(run(path))
    assert (first.id, first.title, first.published, first.publisher) == (
        "a1", "T", dt.date(2031, 5, 17), "Wire X")
    assert (second.id, second.published, second.url) == ("7", dt.date(2031, 5, 18),
                                                          "https://example.org/b")
    assert first.source_path == str(path)


def test_csv(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    long_text = PLAIN + " " + "More words follow here. " * 10_000  # > default csv field limit
    path.write_text('Title,Notes,Event_Date,Outlet\n"A, quoted title","' + BODY.replace("\n", " ")
                    + '",2031-05-17,Wire Y\nLong,"' + long_text + '",,\n', encoding="utf-8")
    first, second = articles(run(path))
    assert first.title == "A, quoted title" and first.publisher == "Wire Y"
    assert first.published == dt.date(2031, 5, 17) and first.dateline_country is None
    assert second.title == "Long" and len(second.text) > 131_072 and second.published is None


def test_csv_without_text_column(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    error = only_error(run(path))
    assert error.source == str(path) and "no text column" in error.problem


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example Feed</title><link>https://example.org</link>
<item><title>Market protest</title><link>https://example.org/p1</link>
<pubDate>Sat, 17 May 2031 09:00:00 GMT</pubDate>
<description>&lt;p&gt;Traders &lt;b&gt;closed&lt;/b&gt; their stalls in protest at new fees.&lt;/p&gt;&lt;p&gt;Second paragraph here.&lt;/p&gt;</description>
</item>
<item><title>Empty item</title><link>https://example.org/p2</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Example</title>
<entry><title>Road blocked</title><link href="https://example.org/a1"/>
<updated>2031-05-19T10:00:00Z</updated>
<content type="html">&lt;p&gt;Farmers blocked the main road with tractors for three hours.&lt;/p&gt;</content>
</entry></feed>"""


def test_rss_feed(tmp_path: Path) -> None:
    path = tmp_path / "news.rss"
    path.write_text(RSS, encoding="utf-8")
    results = run(path)
    (article,) = articles(results)
    assert article.text == "Traders closed their stalls in protest at new fees.\nSecond paragraph here."
    assert (article.title, article.url, article.publisher, article.published) == (
        "Market protest", "https://example.org/p1", "Example Feed", dt.date(2031, 5, 17))
    (error,) = errors(results)
    assert error.source == f"{path} entry 2" and "no summary or content" in error.problem


def test_atom_feed_in_xml_file(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(ATOM, encoding="utf-8")
    (article,) = articles(run(path))
    assert article.text == "Farmers blocked the main road with tractors for three hours."
    assert article.published == dt.date(2031, 5, 19) and article.publisher == "Atom Example"


def test_xml_that_is_not_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "sitemap.xml"
    path.write_text('<?xml version="1.0"?><urlset><url><loc>x</loc></url></urlset>', encoding="utf-8")
    assert "not an RSS or Atom feed" in only_error(run(path)).problem


def _write_warc(path: Path, pages: list[tuple[str, str, bytes]]) -> None:
    """A WARC with one response record per (url, content type, body)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=path.name.endswith(".gz"))
        for url, content_type, body in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.0")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    _write_warc(path, [
        ("https://example.org/page1", "text/html; charset=utf-8", PAGE.encode("utf-8")),
        ("https://example.org/logo.png", "image/png", b"\x89PNG\x00\x00"),
        ("https://example.org/broken", "text/html", b"<html><body><p>Gunm"),
    ])
    results = run(path)
    (article,) = articles(results)
    assert article.url == "https://example.org/page1"  # the WARC-Target-URI, not the canonical link
    assert article.text.startswith("KIRKUK — Armed men") and article.source_path == str(path)
    (error,) = errors(results)
    assert error.source == f"{path} record 3" and "no extractable text" in error.problem


def test_garbage_warc(tmp_path: Path) -> None:
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(gzip.compress(b"this is not a warc file at all\n" * 20))
    error = only_error(run(path))
    assert error.source.startswith(str(path)) and "not a valid WARC" in error.problem


def test_folder_recursive_sorted_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Second report about a road that was closed by rain.")
    (tmp_path / "a.txt").write_text("First report about a bridge that was opened by the mayor.")
    (tmp_path / ".hidden.txt").write_text("Hidden report that must not be read at all, ever.")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "c.txt").write_text("Hidden folder report that must not be read at all.")
    results = run(tmp_path)
    assert [r.text[:6] for r in articles(results)] == ["First ", "Second"]
    assert not errors(results)


def test_folder_reports_unsupported_files(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# notes")
    (tmp_path / "a.txt").write_text(PLAIN)
    results = run(tmp_path)
    assert len(articles(results)) == 1
    assert "unsupported file type '.md'" in only_error(errors(results)).problem


def test_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = "\n" + json.dumps({"id": "s1", "text": PLAIN}) + "\n{bad json\n" + json.dumps(
        {"id": "s2", "text": BODY}) + "\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    results = run("-")
    assert [a.id for a in articles(results)] == ["s1", "s2"]
    error = only_error(errors(results))
    assert error.source == "<stdin> line 3" and "not valid JSON" in error.problem


def test_stdin_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(
        ("\nTitle: From a pipe\n\n" + BODY).encode("utf-8")), encoding="utf-8"))
    (article,) = articles(run("-"))
    assert article.title == "From a pipe" and article.dateline_place == "Talwar"


def test_stdin_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n  \n"))
    assert only_error(run("-")).problem == "empty input"


# --- cleaning --------------------------------------------------------------------------

def test_repeated_caption_dropped() -> None:
    caption = "A burned-out car stands by the road near the checkpoint."
    text = f"{caption}\nPolice sealed off the area.\n{caption}\nShort line\nShort line"
    assert clean_text(text) == f"{caption}\nPolice sealed off the area.\nShort line\nShort line"


@pytest.mark.parametrize("line", ["Share this article", "Subscribe to our newsletter for updates",
                                  "ADVERTISEMENT", "Read more: Floods hit the valley again",
                                  "Photo: Example Agency", "File photo", "Share on Twitter"])
def test_boilerplate_dropped(line: str) -> None:
    assert clean_text(f"Police sealed off the area.\n{line}\nTwo people were hurt.") == (
        "Police sealed off the area.\nTwo people were hurt.")


def test_boilerplate_words_inside_a_paragraph_are_kept() -> None:
    text = "The minister said advertisement rules would change, and read more of the bill aloud."
    assert clean_text(text) == text


def test_whitespace_nfc_and_paragraphs() -> None:
    text = "  Two\u00a0 men\twere  arrested in Cafe\u0301 square.  \r\n\r\n\r\nThe court   met.\r\n"
    assert clean_text(text) == "Two men were arrested in Caf\u00e9 square.\nThe court met."


def test_hard_wrapped_lines_are_joined() -> None:
    text = "Armed men fired on a checkpoint outside\nthe town late on Friday.\nOfficials said so."
    assert clean_text(text) == ("Armed men fired on a checkpoint outside the town late on Friday.\n"
                                "Officials said so.")


# --- datelines -------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "place", "publisher", "country", "body"), [
    ("ERBIL (Kurdistan 24) – The army said", "Erbil", "Kurdistan 24", None, "The army said"),
    ("MOGADISHU, Somalia (AP) — Gunmen fired", "Mogadishu", "AP", "SO", "Gunmen fired"),
    ("BAGHDAD, March 3 (Reuters) - A bomb went off", "Baghdad", "Reuters", None, "A bomb went off"),
    ("KIRKUK — Police said", "Kirkuk", None, None, "Police said"),
    ("Erbil, Iraq — Two men", "Erbil", None, "IQ", "Two men"),
    ("AL-QAIM: Troops arrived", "Al-Qaim", None, None, "Troops arrived"),
])
def test_datelines(text: str, place: str, publisher: str | None, country: str | None,
                   body: str) -> None:
    found_place, found_publisher, body_start = parse_dateline(text)
    assert (found_place, found_publisher, text[body_start:]) == (place, publisher, body)
    assert read_dateline(text).country == country


@pytest.mark.parametrize("text", [
    "NATO forces said on Monday that the road was open.",
    "UN - led talks resumed.",
    "Update: the road is open again.",
    "NATO-led patrols - seen here - crossed the river.",
    "The army said - without giving details - that it had withdrawn.",
])
def test_not_datelines(text: str) -> None:
    assert parse_dateline(text) == (None, None, 0)


def test_dateline_sets_article_fields() -> None:
    article = article_from_record({"text": "MOGADISHU, Somalia (AP) — Gunmen fired."}, "t")
    assert (article.dateline_place, article.dateline_country, article.publisher) == (
        "Mogadishu", "SO", "AP")
    assert article.text == "MOGADISHU, Somalia (AP) — Gunmen fired."  # dateline stays in the text
    assert article.text[article.body_start:] == "Gunmen fired."


# --- ids -------------------------------------------------------------------------------

def test_same_text_twice_same_id(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(PLAIN)
    (tmp_path / "two.txt").write_text("  " + PLAIN.upper().replace(" ", "   ") + "\n")
    first, second = articles(run(tmp_path / "one.txt", tmp_path / "two.txt"))
    assert first.id == second.id == article_id(None, PLAIN)
    assert len(first.id) == 16 and int(first.id, 16) >= 0


def test_url_preferred_for_id() -> None:
    by_url = article_id("https://www.Example.org/news/1/?utm_source=feed#top", "one text")
    assert by_url == article_id("http://example.org/news/1", "another text")
    assert by_url != article_id(None, "one text")
    assert article_id("https://example.org/news/2", "one text") != by_url


def test_record_id_wins_and_text_required() -> None:
    assert article_from_record({"id": 12, "text": PLAIN}, "rec").id == "12"
    assert article_from_record({"text": PLAIN}, "rec").id == article_id(None, PLAIN)
    for record in ({"id": "x"}, {"id": "x", "text": ""}, {"id": "x", "text": 3}):
        with pytest.raises(InputError) as info:
            article_from_record(record, "rec 1")
        assert info.value.source == "rec 1" and "text" in info.value.problem


# --- bad input -------------------------------------------------------------------------

def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    error = only_error(run(path))
    assert (error.source, error.problem) == (str(path), "file not found")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root can read a chmod 000 file; see the monkeypatched test below")
def test_unreadable_file_chmod(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(PLAIN)
    path.chmod(0)
    try:
        assert "permission denied" in only_error(run(path)).problem
    finally:
        path.chmod(0o600)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(PLAIN)
    real_open = Path.open

    def deny(self: Path, *args: object, **kwargs: object):  # what a chmod 000 file does
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    error = only_error(run(path))
    assert error.source == str(path) and error.problem == "unreadable: permission denied"


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    error = only_error(run(path))
    assert error.source == str(path) and "binary file" in error.problem


@pytest.mark.parametrize("content", [b"", b"  \n\n \t\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert "empty file" in only_error(run(path)).problem


def test_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Protest in Caf".encode() + b"\xe9 square.")
    error = only_error(run(path))
    assert error.source == str(path) and "invalid UTF-8 at byte offset 14" in error.problem


def test_html_with_declared_charset_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "latin.html"
    path.write_bytes(b'<html><head><meta charset="iso-8859-1"></head><body><p>'
                     b"Protest in the Caf\xe9 square ended peacefully.</p></body></html>")
    assert articles(run(path))[0].text == "Protest in the Caf\u00e9 square ended peacefully."


@pytest.mark.parametrize("html", ["<html><body><p>Gunm", "<html><head></head><body><div></div>",
                                  "<html><body><script>var x = 1;</script>"])
def test_truncated_html(tmp_path: Path, html: str) -> None:
    path = tmp_path / "cut.html"
    path.write_text(html, encoding="utf-8")
    error = only_error(run(path))
    assert error.source == str(path) and "no extractable text" in error.problem


def test_file_over_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(12_300_000)  # sparse: instant, no disk used
    error = only_error(run(path))
    assert error.problem == "larger than 10 MB limit (12.3 MB)"


def test_jsonl_bad_lines_do_not_stop_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    good = json.dumps({"id": "g1", "text": PLAIN})
    big = json.dumps({"id": "big", "text": "x" * 500})
    path.write_bytes("\n".join([good, "{not json", json.dumps({"id": "n", "title": "no text"}),
                                "[1, 2]", big, json.dumps({"id": "g2", "text": BODY})]).encode()
                     + b"\n\xff\xfe{}\n" + json.dumps({"id": "g3", "text": PLAIN}).encode())
    results = run(path, max_bytes=400)
    assert [a.id for a in articles(results)] == ["g1", "g2", "g3"]
    problems = {e.source: e.problem for e in errors(results)}
    assert problems[f"{path} line 2"].startswith("not valid JSON")
    assert "no 'text' field" in problems[f"{path} line 3"]
    assert "expected a JSON object" in problems[f"{path} line 4"]
    assert problems[f"{path} line 5"] == "larger than 400 byte limit (526 bytes)"
    assert problems[f"{path} line 7"].startswith("invalid UTF-8 at byte offset")


def test_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4")
    error = only_error(run(path))
    assert error.source == str(path) and "unsupported file type '.pdf'" in error.problem


def test_iter_inputs_is_lazy(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(PLAIN)
    stream = iter_inputs([path, tmp_path / "missing.txt"])
    assert isinstance(next(stream), Article)
    assert isinstance(next(stream), InputError)


def test_stdin_jsonl_first_line_too_long(monkeypatch: pytest.MonkeyPatch) -> None:
    big = json.dumps({"id": "big", "text": "y" * 300})
    monkeypatch.setattr(sys, "stdin", io.StringIO(
        f"\n{big}\n" + json.dumps({"id": "ok", "text": PLAIN}) + "\n"))
    results = run("-", max_bytes=200)
    assert [a.id for a in articles(results)] == ["ok"]
    error = only_error(errors(results))
    assert error.source == "<stdin> line 2" and error.problem.startswith("larger than")


def test_stdin_text_too_long(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n" * 50 + "word " * 100))
    error = only_error(run("-", max_bytes=40))
    assert error.problem == "larger than 40 byte limit (550 bytes)"


def test_same_wire_story_from_two_outlets_is_two_reports():
    from eventcoder.ingest import article_from_record

    text = "Gunmen killed two farmers near Daquq on Friday, officials said."
    a = article_from_record({"text": text, "publisher": "Outlet A"}, "t")
    b = article_from_record({"text": text, "publisher": "Outlet B"}, "t")
    again = article_from_record({"text": text, "publisher": "Outlet A"}, "t")
    assert a.id != b.id and a.id == again.id


def test_dateline_with_a_bureau_and_a_city_names_the_city():
    from eventcoder.ingest.dateline import read_dateline

    line = read_dateline("NAIROBI/MOGADISHU, Nov 16 (Horn Wire) - Somali police said on Monday")
    assert line.place == "Mogadishu" and line.publisher == "Horn Wire"
