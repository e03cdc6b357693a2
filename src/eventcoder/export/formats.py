"""Write ACLED rows (from ``event_to_row`` or ``Store.query_events``) as CSV, JSON Lines, JSON, GeoJSON or Parquet.

Every writer streams: rows are consumed one at a time (Parquet in batches),
so exporting a large store never holds all rows in memory.
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from eventcoder.errors import EventcoderError
from eventcoder.export.rows import NUMERIC_COLUMNS, ROW_COLUMNS

FORMATS: tuple[str, ...] = ("csv", "jsonl", "json", "geojson", "parquet")

# File suffixes accepted by ``format_from_path``.
_SUFFIXES: dict[str, str] = {
    ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".geojson": "geojson", ".parquet": "parquet", ".pq": "parquet",
}

# Parquet row group size: big enough for good compression, small enough to stream.
_PARQUET_BATCH = 10_000


class ExportError(EventcoderError, ValueError):
    """An export cannot be written (unknown format, wrong kind of output)."""


@dataclass
class ExportResult:
    """What a writer did: rows written, and rows skipped (GeoJSON rows without coordinates)."""

    written: int = 0
    skipped: int = 0


def format_from_path(path: str | Path) -> str:
    """Export format implied by a file name's suffix."""
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise ExportError(f"cannot tell the export format of {str(path)!r}; "
                          f"use one of the suffixes {', '.join(sorted(_SUFFIXES))} or name the format")
    return _SUFFIXES[suffix]


def write_rows(rows: Iterable[dict[str, Any]], fmt: str,
               out: TextIO | BinaryIO | Path | str) -> ExportResult:
    """Write rows in one of ``FORMATS`` to a path or an open stream."""
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        return _write_parquet(rows, out)
    writer = {"csv": _write_csv, "jsonl": _write_jsonl,
              "json": _write_json, "geojson": _write_geojson}[fmt]
    # csv wants newline="" so it controls line endings itself.
    with _text_stream(out, newline="" if fmt == "csv" else None) as stream:
        return writer(rows, stream)


@contextlib.contextmanager
def _text_stream(out: TextIO | BinaryIO | Path | str, newline: str | None) -> Iterator[TextIO]:
    """A UTF-8 text stream over a path, a text stream or a binary stream (left open)."""
    if isinstance(out, (str, Path)):
        with open(out, "w", encoding="utf-8", newline=newline) as stream:
            yield stream
        return
    if isinstance(out, io.TextIOBase) or hasattr(out, "encoding"):
        yield out  # type: ignore[misc]
        return
    wrapper = io.TextIOWrapper(out, encoding="utf-8", newline=newline)  # type: ignore[arg-type]
    try:
        yield wrapper
        wrapper.flush()
    finally:
        # Detach so closing the wrapper later does not close the caller's stream.
        wrapper.detach()


def _json_default(value: Any) -> Any:
    """JSON encoding for the few non-JSON types a row may hold."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__} to JSON")


def _dumps(value: Any) -> str:
    """Compact UTF-8 JSON."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_json_default)


def _ordered(row: dict[str, Any]) -> dict[str, Any]:
    """The row's values in ROW_COLUMNS order (missing keys as None)."""
    return {col: row.get(col) for col in ROW_COLUMNS}


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A CSV cell safe to open in a spreadsheet: text from untrusted articles that starts like a
    formula ("=cmd|...") gets a leading apostrophe (OWASP's CSV-injection advice); numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _write_csv(rows: Iterable[dict[str, Any]], stream: TextIO) -> ExportResult:
    """CSV: ACLED column order, then article_id, then evidence as compact JSON."""
    writer = csv.writer(stream)
    writer.writerow(ROW_COLUMNS)
    result = ExportResult()
    for row in rows:
        values = []
        for col in ROW_COLUMNS:
            value = row.get(col)
            if col == "evidence":
                value = _dumps(value or [])
            values.append(csv_cell(value))
        writer.writerow(values)
        result.written += 1
    return result


def _write_jsonl(rows: Iterable[dict[str, Any]], stream: TextIO) -> ExportResult:
    """JSON Lines: one row object per line."""
    result = ExportResult()
    for row in rows:
        stream.write(_dumps(_ordered(row)))
        stream.write("\n")
        result.written += 1
    return result


def _write_json(rows: Iterable[dict[str, Any]], stream: TextIO) -> ExportResult:
    """A JSON array of row objects, written element by element."""
    result = ExportResult()
    stream.write("[")
    for row in rows:
        stream.write(",\n" if result.written else "\n")
        stream.write(_dumps(_ordered(row)))
        result.written += 1
    stream.write("\n]\n" if result.written else "]\n")
    return result


def _write_geojson(rows: Iterable[dict[str, Any]], stream: TextIO) -> ExportResult:
    """A GeoJSON FeatureCollection of Points; rows without coordinates are skipped and counted."""
    result = ExportResult()
    stream.write('{"type":"FeatureCollection","features":[')
    for row in rows:
        lat, lon = row.get("latitude"), row.get("longitude")
        if lat is None or lon is None or lat == "" or lon == "":
            result.skipped += 1
            continue
        # Coordinates live in the geometry only (GeoJSON order: longitude, latitude).
        properties = {k: v for k, v in _ordered(row).items() if k not in ("latitude", "longitude")}
        feature = {
            "type": "Feature",
            "id": row.get("event_id_cnty"),
            "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
            "properties": properties,
        }
        stream.write(",\n" if result.written else "\n")
        stream.write(_dumps(feature))
        result.written += 1
    stream.write("\n]}\n")
    return result


def parquet_schema() -> Any:
    """The typed Arrow schema of exported rows: nullable ints, doubles, a date, strings, evidence as JSON."""
    import pyarrow as pa  # imported lazily: only Parquet needs it

    types: dict[str, Any] = {
        "event_date": pa.date32(),
        "year": pa.int32(), "time_precision": pa.int32(),
        "inter1": pa.int32(), "inter2": pa.int32(), "interaction": pa.int32(),
        "iso": pa.int32(), "geo_precision": pa.int32(),
        "latitude": pa.float64(), "longitude": pa.float64(),
        "fatalities": pa.int64(), "timestamp": pa.int64(),
    }
    return pa.schema([pa.field(col, types.get(col, pa.string())) for col in ROW_COLUMNS])


def _parquet_value(col: str, value: Any) -> Any:
    """A row value converted to what the Parquet column holds."""
    if col == "evidence":
        return _dumps(value or [])
    if col == "event_date":
        if not value:
            return None
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    if value == "" and col in NUMERIC_COLUMNS:
        return None  # tolerate CSV-style blanks in number columns
    return value


def _write_parquet(rows: Iterable[dict[str, Any]], out: TextIO | BinaryIO | Path | str) -> ExportResult:
    """Parquet with an explicit schema, written in row groups of ``_PARQUET_BATCH`` rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if isinstance(out, io.TextIOBase) or (not isinstance(out, (str, Path)) and hasattr(out, "encoding")):
        raise ExportError("Parquet is binary: give a file path (or a binary stream), not a text stream")
    schema = parquet_schema()
    result = ExportResult()
    sink: Any = str(out) if isinstance(out, (str, Path)) else out
    with pq.ParquetWriter(sink, schema) as writer:
        columns: dict[str, list[Any]] = {col: [] for col in ROW_COLUMNS}
        pending = 0
        for row in rows:
            for col in ROW_COLUMNS:
                columns[col].append(_parquet_value(col, row.get(col)))
            pending += 1
            if pending >= _PARQUET_BATCH:
                writer.write_table(pa.Table.from_pydict(columns, schema=schema))
                result.written += pending
                columns = {col: [] for col in ROW_COLUMNS}
                pending = 0
        # Always write the last (possibly empty) batch so an empty export still has the schema.
        if pending or not result.written:
            writer.write_table(pa.Table.from_pydict(columns, schema=schema))
            result.written += pending
    return result

