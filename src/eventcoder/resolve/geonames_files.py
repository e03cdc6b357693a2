"""Reading GeoNames dump files for `gazetteer load`: kinds, zip members, rows with line numbers, bad rows.

A bad row (wrong column count, an unreadable number) is skipped and counted, and the first few are kept
with their file and line for the user; a file where more than 1% of at least ``MAX_BAD`` rows are bad is
not a GeoNames file after all and stops the load. Names are filtered with a per-character script check,
so the 30-40 million names of a full dump are not each NFKD-normalised just to learn they are Latin.
"""
from __future__ import annotations

import io
import os
import sys
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from eventcoder.errors import DataFileError
from eventcoder.resolve.fold import is_latin

MAX_BAD = 1000  # bad rows tolerated per file before the 1% rule can stop the load
EXAMPLES = 5  # bad rows reported by file and line
# Zip members that are documentation, not rows (alternateNamesV2.zip ships iso-languagecodes.txt).
_NOT_DATA = ("readme", "iso-languagecodes")
CHUNK_LINES = 5000  # lines handed to a parsing worker at a time


@dataclass
class BadRows:
    """Skipped malformed rows: a count and the first few as "file:line: reason"."""

    count: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, source: str, line: int, reason: str, rows_seen: int) -> None:
        """Record one bad row; raise when the file is mostly not GeoNames rows."""
        self.count += 1
        if len(self.examples) < EXAMPLES:
            self.examples.append(f"{source}:{line}: {reason}")
        if self.count > MAX_BAD and self.count * 100 > rows_seen:
            raise DataFileError(f"{source}: {self.count} bad rows in the first {rows_seen} rows read "
                                f"(line {line}: {reason}); is this a GeoNames dump? Bad rows: "
                                + "; ".join(self.examples))


def kind(name: str, first_line: str) -> str:
    """Which GeoNames file this is: admin1, admin2, alternate, country_info or geonames."""
    base = Path(name).name.lower()
    if base.startswith("admin1codes"):
        return "admin1"
    if base.startswith("admin2codes"):
        return "admin2"
    if base.startswith("alternatenames"):
        return "alternate"
    if base.startswith("countryinfo"):
        return "country_info"
    columns = first_line.rstrip("\r\n").split("\t")
    if len(columns) == 19:
        return "geonames"
    if len(columns) in (8, 10) and columns[0].isdigit() and columns[1].isdigit():
        return "alternate"
    if len(columns) == 4 and "." in columns[0]:
        return "admin2" if columns[0].count(".") == 2 else "admin1"
    raise DataFileError(f"{name}: not a GeoNames file I know (first line has {len(columns)} tab-separated columns; "
                        "geoname rows have 19)")


@contextmanager
def open_members(path: Path) -> Iterator[list[tuple[str, int, io.BufferedIOBase]]]:
    """Binary streams of a file, or of the data members of a zip file, with their sizes."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir() and i.filename.lower().endswith(".txt")
                     and not Path(i.filename).name.lower().startswith(_NOT_DATA)]
            handles = [(i.filename, i.file_size, zf.open(i)) for i in infos]
            try:
                yield handles
            finally:
                for _, _, fh in handles:
                    fh.close()
    else:
        with open(path, "rb") as fh:
            yield [(str(path), os.path.getsize(path), fh)]


def chunks(fh, size: int, label: str, progress: bool, n: int = CHUNK_LINES) -> Iterator[list[tuple[int, bytes]]]:
    """Data lines of a binary stream as lists of up to ``n`` (line number, raw line), comments and blank lines
    skipped, with a byte progress bar. Line numbers count every line of the file, as an editor shows them."""
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=size, unit="B", unit_scale=True, desc=label, file=sys.stderr, leave=True)
    pending, chunk = 0, []
    try:
        for lineno, raw in enumerate(fh, start=1):
            pending += len(raw)
            if raw.startswith(b"#") or not raw.strip():
                continue
            chunk.append((lineno, raw))
            if len(chunk) >= n:
                yield chunk
                chunk = []
                if bar is not None:
                    bar.update(pending)
                    pending = 0
        if chunk:
            yield chunk
    finally:
        if bar is not None:
            bar.update(pending)
            bar.close()


def lines(fh, size: int, label: str, progress: bool) -> Iterator[tuple[int, list[str]]]:
    """(line number, tab-split fields) of the data lines of a binary stream (see ``chunks``)."""
    for chunk in chunks(fh, size, label, progress):
        for lineno, raw in chunk:
            yield lineno, raw.decode("utf-8", errors="replace").rstrip("\r\n").split("\t")


def peek(fh) -> str:
    """The first non-comment line of a seekable stream, then rewind; '' when empty."""
    first = ""
    for raw in fh:
        if raw.strip() and not raw.startswith(b"#"):
            first = raw.decode("utf-8", errors="replace")
            break
    fh.seek(0)
    return first


@lru_cache(maxsize=None)  # bounded by the Unicode repertoire
def _latin_char(ch: str) -> bool:
    """``is_latin`` of one non-ASCII character."""
    return is_latin(ch)


def usable(name: str) -> bool:
    """Keep Latin-script names that are not codes or numbers (``is_latin`` checked per character: NFKD
    decomposes each character on its own, so a name is Latin exactly when each of its characters is)."""
    if len(name) < 2 or any(map(str.isdigit, name)) or "http" in name:
        return False
    if name.isupper() and len(name) <= 4:
        return False
    return name.isascii() or all(_latin_char(ch) for ch in name if not ch.isascii())
