"""CSV and GeoJSON bodies of event selections: whole texts for a page, streams for downloads."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from eventcoder.api import queries
from eventcoder.api.queries import QUERY_COLUMNS
from eventcoder.api.responses import dumps
from eventcoder.export.formats import csv_cell


def csv_text(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """Rows as CSV text, cells made safe for spreadsheets."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row[c]) for c in columns])
    return buf.getvalue()


def csv_stream(engine: sa.Engine, conds: list, limit: int) -> Iterator[str]:
    """The selection as streamed CSV, cells made safe for spreadsheets."""
    columns = list(QUERY_COLUMNS)
    with engine.connect() as conn:
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(columns)
        for i, row in enumerate(queries.select_rows(conn, conds, columns, limit=limit), 1):
            writer.writerow([csv_cell(row[c]) for c in columns])
            if i % 1000 == 0:
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()
        yield buf.getvalue()


def geojson_stream(engine: sa.Engine, conds: list, limit: int) -> Iterator[bytes]:
    """The selection as a streamed GeoJSON FeatureCollection of points (ACLED columns as properties)."""
    columns = list(QUERY_COLUMNS)
    yield b'{"type":"FeatureCollection","features":['
    with engine.connect() as conn:
        parts: list[bytes] = []
        for i, row in enumerate(queries.select_rows(conn, conds, columns, limit=limit)):
            feature = {"type": "Feature", "id": row["event_id_cnty"],
                       "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                       "properties": row}
            parts.append((b"," if i else b"") + dumps(feature))
            if len(parts) >= 500:
                yield b"".join(parts)
                parts = []
        yield b"".join(parts)
    yield b"]}"
