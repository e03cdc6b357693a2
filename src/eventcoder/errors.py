"""Typed exceptions with messages a user can act on; the CLI prints them without a traceback."""
from __future__ import annotations


class EventcoderError(Exception):
    """Base class for every error eventcoder reports to a user."""


class InputError(EventcoderError):
    """An input (file, record, stdin line) cannot be read or makes no sense."""

    def __init__(self, source: str, problem: str):
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class DataFileError(EventcoderError):
    """A data file (taxonomy, actors, gazetteer supplement) is malformed."""


class StoreError(EventcoderError):
    """The event store cannot be opened, migrated or written."""


class GazetteerError(EventcoderError):
    """The gazetteer is missing or cannot be built or loaded."""
