"""iter_inputs: paths (files, folders, '-') to a stream of Articles and InputErrors."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from eventcoder.errors import InputError
from eventcoder.ingest.feeds import read_feed
from eventcoder.ingest.files import check_file, os_problem
from eventcoder.ingest.ranges import read_parquet_file
from eventcoder.ingest.readers import read_csv, read_html, read_jsonl, read_txt
from eventcoder.ingest.stdin import read_stdin
from eventcoder.ingest.warc import read_warc
from eventcoder.vocab import Article

Result = Article | InputError
Reader = Callable[[Path, int], Iterator[Result]]
DEFAULT_MAX_BYTES = 10_000_000

READERS: dict[str, Reader] = {
    ".txt": read_txt, ".text": read_txt,
    ".html": read_html, ".htm": read_html, ".xhtml": read_html,
    ".jsonl": read_jsonl, ".ndjson": read_jsonl,
    ".csv": read_csv,
    ".rss": read_feed, ".atom": read_feed, ".xml": read_feed,
    ".warc": read_warc, ".warc.gz": read_warc,
    ".parquet": read_parquet_file, ".pq": read_parquet_file,
}


def file_type(path: Path) -> str:
    """The extension that picks the reader: '.warc.gz' counts as one, case is ignored."""
    name = path.name.lower()
    return ".warc.gz" if name.endswith(".warc.gz") else path.suffix.lower()


def walk_folder(folder: Path) -> Iterator[Path | InputError]:
    """Files under folder, recursively, in sorted order, skipping hidden ones and symlinked folders."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        yield InputError(str(folder), os_problem(exc))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from walk_folder(Path(entry.path))  # not following links avoids cycles
        elif entry.is_file():
            yield Path(entry.path)


def read_path(path: Path, max_bytes: int) -> Iterator[Result]:
    """Articles from one file, picking the reader by extension."""
    reader = READERS.get(file_type(path))
    if reader is not None:
        yield from reader(path, max_bytes)
        return
    missing = check_file(path, None, text=False)
    if missing and missing.problem == "file not found":
        yield missing
        return
    supported = ", ".join(sorted(READERS))
    kind = file_type(path) or "no extension"
    yield InputError(str(path), f"unsupported file type '{kind}' (supported: {supported})")


def read_folder(folder: Path, max_bytes: int) -> Iterator[Result]:
    """Articles from every file under a folder; an InputError when it holds no files."""
    found = False
    for item in walk_folder(folder):
        found = True
        if isinstance(item, InputError):
            yield item
        else:
            yield from read_path(item, max_bytes)
    if not found:
        yield InputError(str(folder), "folder has no (non-hidden) files")


def iter_inputs(paths: Sequence[str | Path], *,
                max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Result]:
    """Articles (or InputErrors, never raised) from files, folders and '-' for stdin."""
    for given in paths:
        if str(given) == "-":
            yield from read_stdin(max_bytes)
            continue
        path = Path(given)
        if not path.is_dir():
            yield from read_path(path, max_bytes)
            continue
        yield from read_folder(path, max_bytes)
