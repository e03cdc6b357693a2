"""Streaming reads of large inputs in pieces: JSON Lines by byte range, Parquet by row group.

Both keep memory flat however large the file: JSON Lines is read line by
line from a byte offset, Parquet batch by batch (`iter_batches`) over the
chosen row groups. The scale engines (issue 7) cut large files into such
pieces so that several workers can share one file.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from eventcoder.errors import InputError
from eventcoder.ingest.files import check_file, iter_lines, os_problem, too_large
from eventcoder.ingest.readers import decode_lines, jsonl_result
from eventcoder.ingest.records import TEXT_KEYS, article_from_record
from eventcoder.vocab import Article

Result = Article | InputError
_SCAN = 1 << 20
PARQUET_BATCH_ROWS = 256


def jsonl_line_breaks(path: Path, every: int) -> Iterator[tuple[int, int, int, int]]:
    """(start byte, end byte, lines before start, lines) of consecutive pieces of `every` lines.

    Only counts newlines (1 MB at a time), so planning a 100 GB file needs no memory.
    """
    start = offset = lines = first = 0
    last = b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(_SCAN):
            pos = 0
            while (nl := chunk.find(b"\n", pos)) >= 0:
                lines += 1
                pos = nl + 1
                if lines - first == every:
                    yield start, offset + pos, first, every
                    start, first = offset + pos, lines
            offset += len(chunk)
            last = chunk[-1:]
    if offset > start:
        yield start, offset, first, lines - first + (last != b"\n")


def read_jsonl_range(path: Path, max_bytes: int, start: int, stop: int,
                     first_line: int = 0) -> Iterator[Result]:
    """Articles of the JSON Lines between byte offsets start and stop (line-aligned)."""
    error = check_file(path, None)
    if error:
        yield error
        return
    try:
        with path.open("rb") as handle:
            handle.seek(start)
            lines = _bounded_lines(handle, max_bytes, stop, first_line)
            for item in decode_lines(lines, str(path), offset=start):
                result = jsonl_result(item, str(path), max_bytes)
                if result is not None:
                    yield result
    except OSError as exc:
        yield InputError(str(path), os_problem(exc))


def _bounded_lines(handle, max_bytes: int, stop: int, first_line: int):
    """iter_lines that ends at byte offset stop."""
    pos = handle.tell()
    for item in iter_lines(handle, max_bytes, first_line):
        if pos >= stop:
            return
        yield item
        pos += item[2]


def parquet_row_groups(path: Path) -> list[int]:
    """Rows per row group of a Parquet file (reads only the footer)."""
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(str(path)).metadata
    return [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]


def read_parquet(path: Path, max_bytes: int, row_groups: list[int] | None = None) -> Iterator[Result]:
    """Articles from a Parquet file with a text column, one row at a time (all or some row groups).

    Columns are matched like JSON/CSV fields (`text`/`body`/`content`/`notes`,
    `id`, `title`, `published`/`date`, `publisher`/`source`, `url`); rows are
    numbered from 1 across the whole file.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    error = check_file(path, None, text=False)
    if error:
        yield error
        return
    try:
        pf = pq.ParquetFile(str(path))
    except (OSError, pa.ArrowException) as exc:
        yield InputError(str(path), f"not a readable Parquet file ({exc})")
        return
    columns = [c for c in pf.schema_arrow.names]
    if not any(c.strip().lower() in TEXT_KEYS for c in columns):
        yield InputError(str(path), f"no text column (expected one of {', '.join(TEXT_KEYS)}); "
                                    f"columns: {', '.join(columns) or 'none'}")
        return
    groups = list(range(pf.metadata.num_row_groups)) if row_groups is None else list(row_groups)
    sizes = [pf.metadata.row_group(i).num_rows for i in range(pf.metadata.num_row_groups)]
    for group in groups:
        number = sum(sizes[:group])
        try:
            batches = pf.iter_batches(batch_size=PARQUET_BATCH_ROWS, row_groups=[group])
            for batch in batches:
                for record in batch.to_pylist():
                    number += 1
                    yield _parquet_article(record, f"{path} row {number}", str(path), max_bytes)
        except (OSError, pa.ArrowException) as exc:
            yield InputError(f"{path} row group {group}", f"unreadable Parquet data ({exc})")


def _parquet_article(record: dict, source: str, path: str, max_bytes: int) -> Result:
    """One Parquet row as an Article (InputError when too large or without text)."""
    fields = {str(k).strip().lower(): v for k, v in record.items() if v is not None and v != ""}
    size = sum(len(str(v).encode("utf-8")) for v in fields.values())
    if size > max_bytes:
        return InputError(source, too_large(size, max_bytes))
    try:
        return article_from_record(fields, source, source_path=path)
    except InputError as error:
        return error


def read_parquet_file(path: Path, max_bytes: int) -> Iterator[Result]:
    """A whole .parquet file (the `iter_inputs` reader)."""
    return read_parquet(path, max_bytes)
