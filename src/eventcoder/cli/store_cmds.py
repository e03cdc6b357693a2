"""Commands over the event store: ingest, events, export."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from eventcoder.cli import cli
from eventcoder.cli.options import (FORMATS_OUT, actors_option, db_option, filter_options, filters_from,
                                    gazetteer_option, quiet_option)
from eventcoder.cli.table import print_table
from eventcoder.errors import InputError


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@actors_option
@gazetteer_option
@quiet_option
def ingest(paths, db, actor_files, gazetteer_path, quiet):
    """Read reports (files, folders, '-' for stdin), code their events and store them.

    Formats: .txt, .html/.htm, .jsonl, .csv, RSS/Atom feeds, WARC. Reports
    already in the store are skipped, so ingesting twice adds nothing.
    """
    from eventcoder.ingest import iter_inputs
    from eventcoder.pipeline import Coder
    from eventcoder.store import Store

    coder = Coder(actor_files=actor_files, gazetteer_path=gazetteer_path)
    skipped: list[InputError] = []
    stats = {"read": 0, "new": 0, "events": 0}
    with Store.open(db) as store:
        articles = _articles(iter_inputs(list(paths)), skipped, quiet)
        fresh = (a for a in _counted(articles, stats) if not store.has_article(a.id))
        with click.progressbar(coder.code(fresh), label="Coding", file=sys.stderr,
                               hidden=quiet, show_pos=True) as bar:
            for article, events in bar:
                if store.save_article_events(article, events):
                    stats["new"] += 1
                    stats["events"] += len(events)
    _summary(stats, skipped, quiet)
    if skipped:
        sys.exit(1)


def _articles(items, skipped: list[InputError], quiet: bool):
    """Articles from the ingest stream; bad inputs are reported and collected."""
    for item in items:
        if isinstance(item, InputError):
            skipped.append(item)
            click.echo(f"skipped: {item}", err=True)
        else:
            yield item


def _counted(articles, stats: dict):
    """Count articles as they pass."""
    for a in articles:
        stats["read"] += 1
        yield a


def _summary(stats: dict, skipped: list[InputError], quiet: bool) -> None:
    """One summary on stderr: what was read, stored and skipped."""
    if quiet and not skipped:
        return
    click.echo(f"{stats['read']} reports read, {stats['new']} new, {stats['events']} events stored, "
               f"{len(skipped)} inputs skipped.", err=True)
    for err in skipped:
        click.echo(f"  skipped {err.source}: {err.problem}", err=True)


@cli.command()
@db_option
@filter_options
@click.option("--format", "fmt", type=click.Choice(FORMATS_OUT), default="table", show_default=True,
              help="Output format.")
def events(db, fmt, **kwargs):
    """List stored events, newest first, with filters."""
    from eventcoder.export.formats import write_rows
    from eventcoder.store import Store

    with Store.open(db) as store:
        rows = store.query_events(**filters_from(kwargs))
        if fmt == "table":
            print_table(list(rows))
        else:
            write_rows(rows, fmt, sys.stdout)


@cli.command()
@db_option
@filter_options
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "json", "geojson", "parquet"]),
              default="csv", show_default=True, help="Export format (CSV is in ACLED column order).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output file (default: stdout; required for parquet).")
def export(db, fmt, output, **kwargs):
    """Export stored events as CSV (ACLED columns), JSON Lines, JSON, GeoJSON or Parquet."""
    from eventcoder.export.formats import write_rows
    from eventcoder.store import Store

    if fmt == "parquet" and output is None:
        raise click.UsageError("--format parquet needs --output FILE")
    with Store.open(db) as store:
        rows = store.query_events(**filters_from(kwargs))
        if output is None:
            write_rows(rows, fmt, sys.stdout)
        elif fmt == "parquet":
            write_rows(rows, fmt, output)
        else:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                write_rows(rows, fmt, fh)
