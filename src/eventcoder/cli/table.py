"""A readable fixed-width table of events for the terminal."""
from __future__ import annotations

import re

import click

_COLS = [("event_date", 10), ("sub_event_type", 26), ("actor1", 30), ("actor2", 26),
         ("location", 18), ("admin1", 14), ("country", 12), ("fatalities", 5)]


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _cell(value, width: int) -> str:
    """A value cut or padded to the column width; control characters from untrusted text are blanked."""
    s = "" if value is None else str(value)
    s = _CONTROL.sub(" ", s)
    return (s[: width - 1] + "…") if len(s) > width else s.ljust(width)


def print_table(rows: list[dict]) -> None:
    """Print events as an aligned table with a header and a count line."""
    header = "  ".join(_cell(name if name != "fatalities" else "fat.", w) for name, w in _COLS)
    click.echo(header)
    click.echo("-" * len(header))
    for r in rows:
        click.echo("  ".join(_cell(r.get(name), w) for name, w in _COLS))
    click.echo(f"({len(rows)} events)")
