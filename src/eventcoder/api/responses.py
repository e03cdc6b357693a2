"""JSON answers and errors in the API's shapes, and the cache of recent aggregate answers."""
from __future__ import annotations

import decimal
import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from fastapi.responses import Response

from eventcoder.api import models

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": models.Error, "description": "Invalid parameters"},
}


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON bytes of ``value`` (dates as ISO strings; NaN and infinities as null)."""
    return orjson.dumps(value, default=_fallback, option=orjson.OPT_NON_STR_KEYS)


def _fallback(value: Any) -> Any:
    """Encode what orjson does not know natively: Decimal (PostgreSQL sums) as an int or float."""
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def json_response(value: Any, status: int = 200) -> Response:
    """A JSON response of ``value`` with ``status``."""
    return Response(dumps(value), status_code=status, media_type="application/json")


def error_response(status: int, message: str) -> Response:
    """The API's error body ``{"success": false, "error": {"status", "message"}}``."""
    return json_response({"success": False, "error": {"status": status, "message": message}}, status)


# Cached aggregate answers: a 304 for a client that already holds the current one.
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the `If-None-Match` ETag is the current answer's"},
}


class AnswerCache:
    """Recent answers of the aggregate endpoints, dropped as soon as the store changes.

    For a SQLite file the store's version is the modification time and size of
    the database and its WAL file (every commit changes them); for other
    databases answers live at most ``ttl`` seconds.

    Every answer carries an ``ETag`` made from its key and the store's version
    and ``Cache-Control: no-cache``: a browser or proxy keeps the answer and
    asks again with ``If-None-Match``, and gets a bodiless 304 while the store
    is unchanged (nothing computed). ``x-cache`` says whether the body came
    from this process's cache (``hit``) or was computed (``miss``).
    """

    def __init__(self, engine: sa.Engine, size: int = 512, ttl: float = 2.0):
        url = engine.url
        self.path = Path(url.database) if url.drivername.startswith("sqlite") and url.database not in (
            None, "", ":memory:") else None
        self.size, self.ttl = size, ttl
        self.items: OrderedDict[tuple, bytes] = OrderedDict()
        self.lock = threading.Lock()

    def version(self) -> tuple:
        """A value that changes whenever the store may have changed."""
        if self.path is None:
            return (int(time.monotonic() / self.ttl),)
        out: list[int] = []
        for suffix in ("", "-wal"):
            try:
                st = os.stat(f"{self.path}{suffix}")
                out += [st.st_mtime_ns, st.st_size]
            except OSError:
                out += [0, 0]
        return tuple(out)

    def get(self, key: tuple, compute: Callable[[], Any], if_none_match: str | None = None) -> Response:
        """The cached JSON answer for ``key`` at the store's current version, computed when missing; a 304 when
        ``if_none_match`` (the request's header) names its ETag."""
        full = (key, self.version())
        etag = '"' + hashlib.blake2b(repr(full).encode(), digest_size=12).hexdigest() + '"'
        headers = {"etag": etag, "cache-control": "no-cache"}
        if if_none_match and _etag_matches(if_none_match, etag):
            return Response(status_code=304, headers=headers)
        with self.lock:
            body = self.items.get(full)
            if body is not None:
                self.items.move_to_end(full)
        headers["x-cache"] = "hit" if body is not None else "miss"
        if body is None:
            body = dumps(compute())
            with self.lock:
                self.items[full] = body
                while len(self.items) > self.size:
                    self.items.popitem(last=False)
        return Response(body, media_type="application/json", headers=headers)


def _etag_matches(header: str, etag: str) -> bool:
    """Whether an ``If-None-Match`` header (a list of ETags, weak ones with ``W/``, or ``*``) names ``etag``."""
    tags = [t.strip() for t in header.split(",")]
    return any(t == "*" or (t[2:] if t.startswith("W/") else t) == etag for t in tags)
