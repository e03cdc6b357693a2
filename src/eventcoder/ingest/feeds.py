"""RSS and Atom feeds (feedparser): one Article per entry, HTML stripped."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from eventcoder.errors import InputError
from eventcoder.ingest.files import check_file, os_problem
from eventcoder.ingest.html import html_to_text
from eventcoder.ingest.records import build_article
from eventcoder.vocab import Article


def _entry_text(entry: dict) -> str:
    """The fullest text of an entry: its longest content part, else its summary, as plain text."""
    parts = [c.get("value", "") for c in entry.get("content", [])]
    html = max(parts, key=len) if any(parts) else entry.get("summary", "")
    return html_to_text(html or "")


def _entry_date(entry: dict) -> dt.date | None:
    """The entry's published (else updated) date as feedparser parsed it."""
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return dt.date(*parsed[:3]) if parsed else None


def article_from_entry(entry: dict, feed_title: str | None, source: str, path: str) -> Article:
    """An Article from one feed entry; InputError when it has no text."""
    text = _entry_text(entry)
    if not text.strip():
        raise InputError(source, "entry has no summary or content text")
    publisher = (entry.get("source") or {}).get("title") or feed_title
    return build_article(text, source, title=html_to_text(entry.get("title") or "") or None,
                         published=_entry_date(entry), publisher=publisher,
                         url=entry.get("link"), source_path=path)


def read_feed(path: Path, max_bytes: int) -> Iterator[Article | InputError]:
    """An RSS/Atom file (.rss, .atom, or .xml holding a feed) as one Article per entry."""
    import feedparser  # slow import: only when a feed turns up

    error = check_file(path, max_bytes)
    if error:
        yield error
        return
    try:
        parsed = feedparser.parse(path.read_bytes())
    except OSError as exc:
        yield InputError(str(path), os_problem(exc))
        return
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        yield InputError(str(path), "not an RSS or Atom feed" + (f" ({reason})" if reason else ""))
        return
    feed_title = parsed.feed.get("title") or None
    for number, entry in enumerate(parsed.entries, 1):
        try:
            yield article_from_entry(entry, feed_title, f"{path} entry {number}", str(path))
        except InputError as error:
            yield error
