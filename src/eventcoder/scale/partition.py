"""Cut the inputs of a run into partitions with stable ids, and read one partition back.

A partition is described, not loaded: a byte range of a JSON Lines file, some
row groups of a Parquet file, or a list of whole files (text, HTML, CSV,
feeds, WARC). The driver only counts newlines or reads Parquet footers, so
planning is cheap and memory stays flat; each worker streams its own piece.
A partition's id is a hash of what it covers (path, size, range), so a rerun
over the same inputs finds the same ids and skips partitions already done.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from eventcoder.errors import InputError
from eventcoder.ingest.inputs import DEFAULT_MAX_BYTES, file_type, read_path, walk_folder
from eventcoder.ingest.ranges import jsonl_line_breaks, parquet_row_groups, read_jsonl_range, read_parquet
from eventcoder.vocab import Article

DEFAULT_PARTITION_SIZE = 1000  # articles (JSONL lines, Parquet rows or files) per partition
_JSONL = {".jsonl", ".ndjson"}
_PARQUET = {".parquet", ".pq"}


@dataclass(frozen=True)
class Partition:
    """One unit of work: what to read. kind is 'lines', 'rows' or 'files'."""

    id: str
    kind: str
    paths: tuple[str, ...]
    start: int = 0  # lines: byte offset; rows: unused
    stop: int = 0  # lines: end byte offset
    first_line: int = 0  # lines: number of lines before start
    row_groups: tuple[int, ...] = ()  # rows: Parquet row groups
    size: int = 0  # articles expected (lines / rows / files)
    errors: tuple[tuple[str, str], ...] = field(default=())  # input errors found while planning

    def describe(self) -> str:
        """A short human description: file and range."""
        if self.kind == "lines":
            return f"{self.paths[0]} lines {self.first_line + 1}-{self.first_line + self.size}"
        if self.kind == "rows":
            return f"{self.paths[0]} row groups {self.row_groups[0]}-{self.row_groups[-1]}"
        more = f" (+{len(self.paths) - 1} files)" if len(self.paths) > 1 else ""
        return f"{self.paths[0] if self.paths else '(no file)'}{more}"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Partition:
        d = dict(d)
        d["paths"] = tuple(d["paths"])
        d["row_groups"] = tuple(d.get("row_groups", ()))
        d["errors"] = tuple(tuple(e) for e in d.get("errors", ()))
        return cls(**d)


def _pid(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


def _stat_key(path: Path) -> str:
    try:
        st = path.stat()
        return f"{st.st_size}"
    except OSError:
        return "missing"


def _files(inputs: Sequence[str | Path]) -> Iterator[Path | InputError]:
    """Every input file in order: files as given, folders walked in sorted order."""
    for given in inputs:
        if str(given) == "-":
            yield InputError("-", "stdin cannot be partitioned; give files or folders")
            continue
        path = Path(given)
        if path.is_dir():
            found = False
            for item in walk_folder(path):
                found = True
                yield item
            if not found:
                yield InputError(str(path), "folder has no (non-hidden) files")
        else:
            yield path


def plan_partitions(inputs: Sequence[str | Path], size: int = DEFAULT_PARTITION_SIZE) -> list[Partition]:
    """Partitions over the inputs, in input order; about `size` articles each.

    Large JSON Lines and Parquet files are split (by lines / row groups);
    other files are grouped `size` at a time. Missing files and unreadable
    folders become planning errors attached to a partition of their own, so
    they are reported like any other input error.
    """
    size = max(1, int(size))
    parts: list[Partition] = []
    group: list[str] = []

    def flush_group() -> None:
        if group:
            keys = [(p, _stat_key(Path(p))) for p in group]
            parts.append(Partition(_pid("files", *keys), "files", tuple(group), size=len(group)))
            group.clear()

    for item in _files(inputs):
        if isinstance(item, InputError):
            flush_group()
            parts.append(Partition(_pid("error", item.source, item.problem), "files", (),
                                   errors=((item.source, item.problem),)))
            continue
        path = item.resolve() if item.exists() else item
        kind = file_type(path)
        if kind in _JSONL and path.is_file():
            flush_group()
            key = _stat_key(path)
            for start, stop, first, lines in jsonl_line_breaks(path, size):
                parts.append(Partition(_pid("lines", path, key, start, stop), "lines", (str(path),),
                                       start=start, stop=stop, first_line=first, size=lines))
        elif kind in _PARQUET and path.is_file() and (groups := _row_groups(path)) is not None:
            flush_group()
            key = _stat_key(path)
            chunk: list[int] = []
            rows = 0
            for i, n in enumerate(groups):
                chunk.append(i)
                rows += n
                if rows >= size:
                    parts.append(Partition(_pid("rows", path, key, *chunk), "rows", (str(path),),
                                           row_groups=tuple(chunk), size=rows))
                    chunk, rows = [], 0
            if chunk or not groups:
                parts.append(Partition(_pid("rows", path, key, *chunk), "rows", (str(path),),
                                       row_groups=tuple(chunk), size=rows))
        else:
            group.append(str(path))
            if len(group) >= size:
                flush_group()
    flush_group()
    return parts


def _row_groups(path: Path) -> list[int] | None:
    try:
        return parquet_row_groups(path)
    except Exception:  # noqa: BLE001 - an unreadable file is reported by the reader, as one error
        return None


def read_partition(part: Partition, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | InputError]:
    """The articles (and input errors) of one partition, streaming, in input order."""
    for source, problem in part.errors:
        yield InputError(source, problem)
    if part.kind == "lines":
        yield from read_jsonl_range(Path(part.paths[0]), max_bytes, part.start, part.stop, part.first_line)
    elif part.kind == "rows":
        yield from read_parquet(Path(part.paths[0]), max_bytes, list(part.row_groups))
    else:
        for p in part.paths:
            yield from read_path(Path(p), max_bytes)


def env_gazetteer() -> str | None:
    """The gazetteer path of this process's environment (workers must see the same file)."""
    return os.environ.get("EVENTCODER_GAZETTEER")
