"""JSON answers and errors in the API's shapes, and the cache of recent aggregate answers."""
from __future__ import annotations

import decimal
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


class AnswerCache:
    """Recent answers of the aggregate endpoints, dropped as soon as the store changes.

    For a SQLite file the store's version is the modification time and size of
    the database and its WAL file (every commit changes them); for other
    databases answers live at most ``ttl`` seconds.
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

    def get(self, key: tuple, compute: Callable[[], Any]) -> Response:
        """The cached JSON answer for ``key`` at the store's current version, computed when missing."""
        full = (key, self.version())
        with self.lock:
            body = self.items.get(full)
            if body is not None:
                self.items.move_to_end(full)
        if body is None:
            body = dumps(compute())
            with self.lock:
                self.items[full] = body
                while len(self.items) > self.size:
                    self.items.popitem(last=False)
        return Response(body, media_type="application/json")
