"""Option groups shared by several commands (datasette style)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

FORMATS_OUT = ("table", "csv", "jsonl", "json")


def compose(*decorators: Callable) -> Callable:
    """Apply several click decorators as one."""
    def wrap(f: Callable) -> Callable:
        for d in reversed(decorators):
            f = d(f)
        return f
    return wrap


quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary on stderr.")
db_option = click.option("--db", "db", required=True, metavar="FILE|URL",
                         help="Event store: a SQLite file path (created if missing) or a database URL.")
actors_option = click.option("--actors", "actor_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
                             help="Extra actor dictionary (YAML or CSV); may be repeated. Overrides shipped entries.")
gazetteer_option = click.option("--gazetteer", "gazetteer_path", type=click.Path(dir_okay=False, path_type=Path),
                                default=None, help="Gazetteer SQLite file (default: built on first use in the user cache).")
input_option = click.option("--input", "input_file", type=click.File("rb"), default="-",
                            help="JSON Lines input file (default: stdin).")

filter_options = compose(
    click.option("--start", "start", type=click.DateTime(["%Y-%m-%d"]), help="Earliest event date (YYYY-MM-DD)."),
    click.option("--end", "end", type=click.DateTime(["%Y-%m-%d"]), help="Latest event date (YYYY-MM-DD)."),
    click.option("--country", help="Country name, e.g. Iraq."),
    click.option("--admin1", help="First-level region, e.g. Kirkuk."),
    click.option("--event-type", "event_type", help="ACLED event type, e.g. 'Battles'."),
    click.option("--sub-event-type", "sub_event_type", help="ACLED sub-event type, e.g. 'Armed clash'."),
    click.option("--actor", help="Substring of actor1 or actor2 (case-insensitive)."),
    click.option("--limit", type=click.IntRange(min=0), default=None, help="At most this many events."),
)


def filters_from(kwargs: dict) -> dict:
    """The store query filters out of a command's keyword arguments."""
    out = {k: kwargs.get(k) for k in ("country", "admin1", "event_type", "sub_event_type", "actor", "limit")}
    out["start"] = kwargs["start"].date() if kwargs.get("start") else None
    out["end"] = kwargs["end"].date() if kwargs.get("end") else None
    return out
