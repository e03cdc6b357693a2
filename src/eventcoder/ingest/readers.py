"""One reader per input format; each yields Articles or InputErrors and never raises for bad input."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from eventcoder.errors import InputError
from eventcoder.ingest.dates import parse_published
from eventcoder.ingest.files import check_file, decode_text, iter_lines, os_problem, read_document, too_large
from eventcoder.ingest.html import MIN_HTML_TEXT, extract_html, html_to_text
from eventcoder.ingest.records import article_from_record, build_article
from eventcoder.vocab import Article

Result = Article | InputError
STDIN_NAME = "<stdin>"
_HEADER = re.compile(r"^(title|published|publisher|url)[ \t]*:[ \t]*(.*?)\s*$", re.IGNORECASE)


# --- plain text -------------------------------------------------------------

def split_headers(text: str) -> tuple[dict[str, str], str]:
    """('Key: value' headers at the top, body); no headers unless a blank line ends them."""
    lines = text.lstrip("\ufeff").lstrip("\r\n").splitlines()
    headers: dict[str, str] = {}
    for number, line in enumerate(lines):
        if not line.strip():
            if headers:
                return headers, "\n".join(lines[number + 1:])
            break
        match = _HEADER.match(line)
        if not match:
            break
        headers.setdefault(match.group(1).lower(), match.group(2))
    return {}, text


def article_from_text(text: str, source: str) -> Article:
    """An Article from the .txt convention (optional Title/Published/Publisher/URL headers)."""
    headers, body = split_headers(text)
    if not body.strip():
        raise InputError(source, "no body text after the header lines")
    return build_article(body, source, title=headers.get("title"),
                         published=parse_published(headers.get("published")),
                         publisher=headers.get("publisher"), url=headers.get("url"),
                         source_path=source)


def read_txt(path: Path, max_bytes: int) -> Iterator[Result]:
    """A .txt file as one Article."""
    try:
        yield article_from_text(read_document(path, max_bytes), str(path))
    except InputError as error:
        yield error


# --- HTML -------------------------------------------------------------------

def article_from_html(html: str, source: str, url: str | None = None) -> Article:
    """An Article from one HTML page; InputError when it has no extractable text."""
    doc = extract_html(html, url)
    if len(doc.text.strip()) < MIN_HTML_TEXT:
        raise InputError(source, f"truncated or garbled HTML: no extractable text "
                                 f"({len(doc.text.strip())} characters)")
    return build_article(doc.text, source, title=doc.title, published=doc.published,
                         publisher=doc.publisher, url=doc.url, source_path=source)


def read_html(path: Path, max_bytes: int) -> Iterator[Result]:
    """An .html/.htm file as one Article."""
    try:
        yield article_from_html(read_document(path, max_bytes, html=True), str(path))
    except InputError as error:
        yield error


# --- JSON Lines ---------------------------------------------------------------

def article_from_json_line(line: str, source: str, source_path: str) -> Article:
    """An Article from one JSON Lines line; InputError when it is not a JSON object with text."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    return article_from_record(record, source, source_path=source_path)


def read_jsonl_lines(lines: Iterable[tuple[int, str | None, int]], name: str,
                     max_bytes: int) -> Iterator[Result]:
    """Articles from numbered JSON lines (None = line too long); one bad line stops nothing."""
    for number, line, size in lines:
        source = f"{name} line {number}"
        if line is None:
            yield InputError(source, too_large(size, max_bytes))
        elif line.strip():
            try:
                yield article_from_json_line(line, source, name)
            except InputError as error:
                yield error


def _decoded_lines(path: Path, max_bytes: int) -> Iterator[tuple[int, str | None, int] | InputError]:
    """Numbered lines of a file decoded as UTF-8, an InputError in place of an undecodable one."""
    with path.open("rb") as handle:
        for number, raw, size in iter_lines(handle, max_bytes):
            try:
                yield number, None if raw is None else decode_text(raw, ""), size
            except InputError as error:
                yield InputError(f"{path} line {number}", error.problem)


def read_jsonl(path: Path, max_bytes: int) -> Iterator[Result]:
    """A .jsonl/.ndjson file, line by line; max_bytes applies to each line."""
    error = check_file(path, None)
    if error:
        yield error
        return
    good: list[tuple[int, str | None, int]] = []
    try:
        for item in _decoded_lines(path, max_bytes):
            if isinstance(item, InputError):
                yield item
                continue
            good[:] = [item]  # one line at a time through the shared line handler
            yield from read_jsonl_lines(good, str(path), max_bytes)
    except OSError as exc:
        yield InputError(str(path), os_problem(exc))


# --- CSV ----------------------------------------------------------------------

def _csv_record(row: dict[str | None, object]) -> dict[str, object]:
    """A CSV row with lower-case column names and empty cells dropped."""
    return {str(k).strip().lower(): v for k, v in row.items()
            if k is not None and v not in (None, "")}


def read_csv(path: Path, max_bytes: int) -> Iterator[Result]:
    """A .csv file with a header row, row by row; max_bytes applies to each row's text."""
    error = check_file(path, None)
    if error:
        yield error
        return
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes + 1))  # long article texts
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            yield from _csv_rows(csv.DictReader(handle), path, max_bytes)
    except UnicodeDecodeError as exc:
        yield InputError(str(path), f"invalid UTF-8 at byte offset {exc.start} of a read block; "
                                    "rows after it were skipped")
    except csv.Error as exc:
        yield InputError(str(path), f"malformed CSV: {exc}; rows after it were skipped")
    except OSError as exc:
        yield InputError(str(path), os_problem(exc))


def _csv_rows(reader: csv.DictReader, path: Path, max_bytes: int) -> Iterator[Result]:
    """Articles from DictReader rows; rows are numbered as in a spreadsheet (header = row 1)."""
    from eventcoder.ingest.records import TEXT_KEYS

    columns = [str(c).strip().lower() for c in reader.fieldnames or []]
    if not any(key in columns for key in TEXT_KEYS):
        yield InputError(str(path), f"no text column (expected one of {', '.join(TEXT_KEYS)}); "
                                    f"columns: {', '.join(columns) or 'none'}")
        return
    for number, row in enumerate(reader, 2):
        source = f"{path} row {number}"
        record = _csv_record(row)
        size = sum(len(str(v).encode("utf-8")) for v in record.values())
        if size > max_bytes:
            yield InputError(source, too_large(size, max_bytes))
            continue
        try:
            yield article_from_record(record, source, source_path=str(path))
        except InputError as error:
            yield error
