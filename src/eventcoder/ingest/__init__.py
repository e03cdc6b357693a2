"""Ingest: news reports from files, folders, feeds, WARC crawls and stdin become clean Articles.

Bad input never raises here: readers yield an ``InputError`` naming the file
(and line, row, entry or record) and the problem, and carry on.
"""
from eventcoder.ingest.clean import clean_text
from eventcoder.ingest.dateline import Dateline, parse_dateline, read_dateline
from eventcoder.ingest.dates import parse_published
from eventcoder.ingest.ids import article_id
from eventcoder.ingest.inputs import DEFAULT_MAX_BYTES, iter_inputs
from eventcoder.ingest.records import article_from_record

__all__ = [
    "DEFAULT_MAX_BYTES", "Dateline", "article_from_record", "article_id", "clean_text",
    "iter_inputs", "parse_dateline", "parse_published", "read_dateline",
]
