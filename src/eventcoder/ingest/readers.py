"""One reader per input format; each yields Articles or InputErrors and never raises for bad input."""
from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from eventcoder.errors import InputError
from eventcoder.ingest.dates import parse_published
from eventcoder.ingest.files import check_file, iter_lines, os_problem, read_document, too_large
from eventcoder.ingest.html import MIN_HTML_TEXT, extract_html
from eventcoder.ingest.records import TEXT_KEYS, article_from_record, build_article
from eventcoder.vocab import Article

Result = Article | InputError
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

NumberedLine = tuple[int, "str | None", int]  # (line number, text or None if too long, bytes)


def article_from_json_line(line: str, source: str, source_path: str) -> Article:
    """An Article from one JSON Lines line; InputError when it is not a JSON object with text."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    return article_from_record(record, source, source_path=source_path)


def jsonl_result(item: NumberedLine | InputError, name: str, max_bytes: int) -> Result | None:
    """The Article or InputError for one JSON line; None for a blank line."""
    if isinstance(item, InputError):
        return item
    number, line, size = item
    source = f"{name} line {number}"
    if line is None:
        return InputError(source, too_large(size, max_bytes))
    if not line.strip():
        return None
    try:
        return article_from_json_line(line, source, name)
    except InputError as error:
        return error


def decode_lines(lines: Iterable[tuple[int, bytes | None, int]], name: str,
                 offset: int = 0) -> Iterator[NumberedLine | InputError]:
    """Decode numbered byte lines as UTF-8; a line with bad bytes becomes an InputError.

    offset is the byte offset of the first line in the whole input, so errors
    can name the offset a hex editor shows.
    """
    for number, raw, size in lines:
        if raw is None:
            yield number, None, size
        else:
            try:
                yield number, raw.decode("utf-8-sig"), size
            except UnicodeDecodeError as exc:
                yield InputError(f"{name} line {number}",
                                 f"invalid UTF-8 at byte offset {offset + exc.start}")
        offset += size


def read_jsonl(path: Path, max_bytes: int) -> Iterator[Result]:
    """A .jsonl/.ndjson file, line by line; max_bytes applies to each line."""
    error = check_file(path, None)
    if error:
        yield error
        return
    try:
        with path.open("rb") as handle:
            for item in decode_lines(iter_lines(handle, max_bytes), str(path)):
                result = jsonl_result(item, str(path), max_bytes)
                if result is not None:
                    yield result
    except OSError as exc:
        yield InputError(str(path), os_problem(exc))


# --- CSV ----------------------------------------------------------------------

def _csv_record(row: dict[str | None, object]) -> dict[str, object]:
    """A CSV row with lower-case column names and empty cells dropped."""
    return {str(k).strip().lower(): v for k, v in row.items()
            if k is not None and v not in (None, "")}


def _utf8_lines(handle: BinaryIO, path: Path) -> Iterator[str]:
    """Lines of a binary file as text; InputError (stopping the file) at the first bad byte."""
    offset = 0
    for raw in handle:
        try:
            yield raw.decode("utf-8-sig" if offset == 0 else "utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(str(path), f"invalid UTF-8 at byte offset {offset + exc.start}; "
                                        "rows from there on were skipped") from None
        offset += len(raw)


def read_csv(path: Path, max_bytes: int) -> Iterator[Result]:
    """A .csv file with a header row, row by row; max_bytes applies to each row."""
    error = check_file(path, None)
    if error:
        yield error
        return
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes + 1))  # long article texts
    try:
        with path.open("rb") as handle:
            yield from _csv_rows(csv.DictReader(_utf8_lines(handle, path)), path, max_bytes)
    except InputError as error:
        yield error
    except csv.Error as exc:
        yield InputError(str(path), f"malformed CSV: {exc}; rows from there on were skipped")
    except OSError as exc:
        yield InputError(str(path), os_problem(exc))


def _csv_rows(reader: csv.DictReader, path: Path, max_bytes: int) -> Iterator[Result]:
    """Articles from DictReader rows, numbered as in a spreadsheet (header = row 1)."""
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
