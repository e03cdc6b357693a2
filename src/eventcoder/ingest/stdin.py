"""Standard input ('-'): JSON Lines, or one plain-text report when it does not start with '{'."""
from __future__ import annotations

import io
import itertools
import sys
from collections.abc import Iterator
from typing import BinaryIO

from eventcoder.errors import InputError
from eventcoder.ingest.files import decode_text, finish_line, iter_lines, looks_binary, too_large
from eventcoder.ingest.readers import article_from_text, decode_lines, jsonl_result
from eventcoder.vocab import Article

STDIN_NAME = "<stdin>"
_CHUNK = 1 << 20


def stdin_bytes() -> BinaryIO:
    """sys.stdin as bytes (a replaced text stream, as in tests, is encoded as UTF-8)."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is not None:
        return buffer
    return io.BytesIO(sys.stdin.read().encode("utf-8"))


def _first_line(handle: BinaryIO, max_bytes: int) -> tuple[int, bytes, bytes]:
    """(line number, the bytes read so far, first non-blank line's first bytes) from stdin."""
    read, number = b"", 0
    while line := handle.readline(max_bytes + 1):
        number += 1
        read += line
        if line.strip():
            return number, read, line
    return number, read, b""


def read_stdin(max_bytes: int) -> Iterator[Article | InputError]:
    """Articles from stdin, JSON Lines if the first non-blank character is '{', else plain text."""
    handle = stdin_bytes()
    number, read, first = _first_line(handle, max_bytes)
    if not first:
        yield InputError(STDIN_NAME, "empty input")
    elif first.lstrip().startswith((b"{", b"\xef\xbb\xbf{")):
        line, size = finish_line(first, handle, max_bytes)
        lines = itertools.chain([(number, line, size)], iter_lines(handle, max_bytes, number))
        for item in decode_lines(lines, STDIN_NAME, offset=len(read) - len(first)):
            result = jsonl_result(item, STDIN_NAME, max_bytes)
            if result is not None:
                yield result
    else:
        yield _text_result(read, handle, max_bytes)


def _text_result(start: bytes, handle: BinaryIO, max_bytes: int) -> Article | InputError:
    """One plain-text report from what was read of stdin plus the rest of it."""
    raw = start + handle.read(max(0, max_bytes + 1 - len(start)))  # read(-n) would read all
    if len(raw) > max_bytes:
        size = len(raw)
        while chunk := handle.read(_CHUNK):  # count the rest without keeping it
            size += len(chunk)
        return InputError(STDIN_NAME, too_large(size, max_bytes))
    if looks_binary(raw):
        return InputError(STDIN_NAME, "binary input, not text (NUL or control bytes)")
    try:
        return article_from_text(decode_text(raw, STDIN_NAME), STDIN_NAME)
    except InputError as error:
        return error
