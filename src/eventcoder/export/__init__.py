"""Export: Event -> ACLED row, and rows -> CSV / JSON Lines / JSON / GeoJSON / Parquet."""
from eventcoder.export.formats import FORMATS, ExportError, ExportResult, format_from_path, parquet_schema, write_rows
from eventcoder.export.rows import ROW_COLUMNS, disorder_type, event_to_row, interaction_code, make_event_id

__all__ = [
    "FORMATS", "ROW_COLUMNS", "ExportError", "ExportResult", "disorder_type", "event_to_row",
    "format_from_path", "interaction_code", "make_event_id", "parquet_schema", "write_rows",
]
