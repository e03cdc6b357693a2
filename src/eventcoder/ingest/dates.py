"""Publication dates from metadata strings, never invented."""
from __future__ import annotations

import datetime as dt
import re
import warnings

_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")

# Only absolute dates: relative ones ("yesterday") would be resolved against
# today, and missing parts (no year) would be filled from today; both invent a date.
_DATEPARSER_SETTINGS = {
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def parse_published(value: object) -> dt.date | None:
    """A date from a metadata value (date, ISO string or any absolute date dateparser reads)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    match = _ISO_DAY.match(value)
    if match:  # fast path for the common ISO form (also ISO datetimes)
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            return None
    return _dateparser_date(value.strip())


def _dateparser_date(value: str) -> dt.date | None:
    """Ask dateparser for an absolute date, or None."""
    import dateparser  # slow import: only when a non-ISO date turns up

    with warnings.catch_warnings():  # dateparser emits tz deprecation warnings
        warnings.simplefilter("ignore")
        parsed = dateparser.parse(value, settings=_DATEPARSER_SETTINGS)
    return parsed.date() if parsed else None
