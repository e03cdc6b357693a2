"""The built-in sample reports as extract records, with the ids samples/gold.jsonl uses."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from eventcoder.errors import InputError
from eventcoder.ingest import iter_inputs
from eventcoder.vocab import Article


def _record(article: Article, reports: Path) -> dict:
    """An `extract` input record for one ingested sample article."""
    path = Path(article.source_path or "")
    single_doc = path.suffix.lower() in (".txt", ".html", ".htm")
    rid = path.resolve().relative_to(reports.resolve()).as_posix() if single_doc else article.id
    return {"id": rid, "text": article.text, "title": article.title,
            "published": article.published.isoformat() if article.published else None,
            "publisher": article.publisher, "url": article.url}


def sample_records(samples: Path) -> Iterator[dict]:
    """Every sample report under samples/reports as a JSON-ready record."""
    reports = samples / "reports"
    for item in iter_inputs([reports]):
        if isinstance(item, InputError):
            raise item
        yield _record(item, reports)
