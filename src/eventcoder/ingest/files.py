"""Reading input bytes safely: size limit, binary, empty and encoding checks as InputErrors."""
from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from eventcoder.errors import InputError

SNIFF_BYTES = 8192
_CHUNK = 1 << 20
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1b")
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)


def megabytes(size: int) -> str:
    """A byte count as '12.3 MB' (decimal megabytes, as users read file sizes); small ones in bytes."""
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size} bytes"


def too_large(size: int, max_bytes: int) -> str:
    """The problem text for an input over the size limit: 'larger than 10 MB limit (12.3 MB)'."""
    limit = f"{max_bytes / 1_000_000:g} MB" if max_bytes >= 1_000_000 else f"{max_bytes} byte"
    return f"larger than {limit} limit ({megabytes(size)})"


def os_problem(exc: OSError) -> str:
    """One line saying why the OS would not let us read a file."""
    if isinstance(exc, FileNotFoundError):
        return "file not found"
    if isinstance(exc, PermissionError):
        return "unreadable: permission denied"
    if isinstance(exc, IsADirectoryError):
        return "unreadable: is a directory"
    return f"unreadable: {exc.strerror or exc}"


def check_file(path: Path, max_bytes: int | None, *, text: bool = True) -> InputError | None:
    """An InputError when path is missing, unreadable, empty, too large (if max_bytes) or binary (if text)."""
    try:
        size = path.stat().st_size
        if not os.access(path, os.R_OK):
            raise PermissionError(13, "Permission denied")
        with path.open("rb") as handle:  # really open it: access() can be wrong (ACLs, root)
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        return InputError(str(path), os_problem(exc))
    if size == 0 or not head:
        return InputError(str(path), "empty file")
    if max_bytes is not None and size > max_bytes:
        return InputError(str(path), too_large(size, max_bytes))
    if text and looks_binary(head):
        return InputError(str(path), "binary file, not text (NUL or control bytes)")
    return None


def looks_binary(head: bytes) -> bool:
    """True for bytes with NUL bytes (not UTF-16 text) or mostly control characters."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    # Text has tabs, newlines and form feeds, but few other C0 control bytes.
    controls = sum(1 for byte in head[:SNIFF_BYTES] if byte < 32 and byte not in _TEXT_CONTROLS)
    return controls > len(head[:SNIFF_BYTES]) * 0.05


def decode_text(raw: bytes, source: str, *, html: bool = False) -> str:
    """Decode UTF-8 (or a BOM'd UTF-16, or an HTML-declared charset); InputError on bad bytes."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(raw, "utf-16", source)
    charset = declared_charset(raw) if html else None
    return _decode(raw, charset or "utf-8-sig", source)


def declared_charset(raw: bytes) -> str | None:
    """The charset an HTML page declares in its first bytes, if Python knows it and it is not UTF-8."""
    match = _CHARSET.search(raw[:4096])
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    return None if name == "utf-8" else name


def _decode(raw: bytes, encoding: str, source: str) -> str:
    """Decode with one codec, naming the first bad byte offset on failure."""
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        label = "UTF-8" if encoding.startswith("utf-8") else encoding
        raise InputError(source, f"invalid {label} at byte offset {exc.start} "
                                 f"(byte 0x{raw[exc.start]:02x})") from None


def read_document(path: Path, max_bytes: int, *, html: bool = False) -> str:
    """The whole text of a single-document file; InputError for anything unusable."""
    error = check_file(path, max_bytes)
    if error:
        raise error
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), os_problem(exc)) from None
    if looks_binary(raw):
        raise InputError(str(path), "binary file, not text (NUL or control bytes)")
    text = decode_text(raw, str(path), html=html)
    if not text.strip():
        raise InputError(str(path), "empty file (only whitespace)")
    return text


def iter_lines(handle: BinaryIO, max_bytes: int,
               start: int = 0) -> Iterator[tuple[int, bytes | None, int]]:
    """(line number, line bytes or None when longer than max_bytes, line length), streaming."""
    number = start
    while True:
        line = handle.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        yield number, *finish_line(line, handle, max_bytes)


def finish_line(line: bytes, handle: BinaryIO, max_bytes: int) -> tuple[bytes | None, int]:
    """(line, size) for a line read with readline(max_bytes + 1); (None, size) when too long."""
    if len(line) <= max_bytes or line.endswith(b"\n") and len(line) == max_bytes + 1:
        return line, len(line)
    return None, len(line) + _skip_rest_of_line(handle)  # never hold an oversized line in memory


def _skip_rest_of_line(handle: BinaryIO) -> int:
    """Read past the end of the current line in chunks; return how many bytes were skipped."""
    skipped = 0
    while True:
        chunk = handle.readline(_CHUNK)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped
