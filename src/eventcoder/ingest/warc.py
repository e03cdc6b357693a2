"""WARC crawls (warcio): each HTML response record becomes an Article."""
from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from eventcoder.errors import InputError
from eventcoder.ingest.files import check_file, declared_charset, os_problem, too_large
from eventcoder.ingest.readers import article_from_html
from eventcoder.vocab import Article

_CHUNK = 1 << 20
_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w\-:.]+)", re.IGNORECASE)


def is_html_response(record: Any) -> bool:
    """True for a successful (2xx) HTTP response record whose body is HTML."""
    if record.rec_type != "response" or record.http_headers is None:
        return False
    content_type = record.http_headers.get_header("Content-Type") or ""
    return record.http_headers.get_statuscode().startswith("2") and "html" in content_type.lower()


def decode_page(raw: bytes, content_type: str) -> str:
    """Page text in the charset the server or page declares; crawled pages are decoded leniently."""
    match = _HTTP_CHARSET.search(content_type)
    for encoding in (match.group(1) if match else None, declared_charset(raw), "utf-8"):
        if encoding:
            try:
                return raw.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                continue
    from trafilatura.utils import decode_file  # guesses the encoding of odd pages

    return decode_file(raw)


def _read_body(record: Any, max_bytes: int) -> tuple[bytes | None, int]:
    """(body, size), body None when over max_bytes; reads at most max_bytes + 1 bytes at once."""
    stream = record.content_stream()
    body = stream.read(max_bytes + 1)
    if len(body) <= max_bytes:
        return body, len(body)
    size = len(body)
    while chunk := stream.read(_CHUNK):  # count the rest without keeping it
        size += len(chunk)
    return None, size


def article_from_warc_record(record: Any, source: str, path: str, max_bytes: int) -> Article:
    """An Article from one HTML response record; InputError when too large or without text."""
    body, size = _read_body(record, max_bytes)
    if body is None:
        raise InputError(source, too_large(size, max_bytes))
    html = decode_page(body, record.http_headers.get_header("Content-Type") or "")
    url = record.rec_headers.get_header("WARC-Target-URI")
    article = article_from_html(html, source, url=url)
    article.source_path = path
    return article


def read_warc(path: Path, max_bytes: int) -> Iterator[Article | InputError]:
    """A .warc/.warc.gz file, record by record; max_bytes applies to each page."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    error = check_file(path, None, text=False)
    if error:
        yield error
        return
    number = 0
    try:
        with path.open("rb") as handle:
            for number, record in enumerate(ArchiveIterator(handle), 1):
                if is_html_response(record):
                    try:
                        yield article_from_warc_record(record, f"{path} record {number}", str(path), max_bytes)
                    except InputError as error:
                        yield error
    except (ArchiveLoadFailed, gzip.BadGzipFile, EOFError, zlib.error, ValueError) as exc:
        yield InputError(f"{path} record {number + 1}", f"not a valid WARC record ({exc}); "
                                                         "records from there on were skipped")
    except OSError as exc:
        yield InputError(str(path), os_problem(exc))
