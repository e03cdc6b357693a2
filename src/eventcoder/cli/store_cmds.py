"""Commands over the event store: ingest, recode, events, export."""
from __future__ import annotations

import datetime as dt
import json
import sys
from itertools import islice
from pathlib import Path

import click

from eventcoder.cli import cli
from eventcoder.cli.options import (FORMATS_OUT, actors_option, db_option, filter_options, filters_from,
                                    gazetteer_option, quiet_option)
from eventcoder.cli.table import print_table
from eventcoder.errors import InputError, StoreError


def existing_store(db: str) -> str:
    """The store to read from; a mistyped path must not silently become a new, empty store."""
    if "://" not in db and not Path(db).exists():
        raise StoreError(f"no event store at {db} (create one with `eventcoder ingest ... --db {db}`)")
    return db


# 256 as `load`: a larger transaction writes a page shared by several reports once (write benchmark: about
# +25% events/s over 32); a killed run redoes at most this many reports, and loses none that were stored.
batch_option = click.option("--batch-size", "batch_size", type=click.IntRange(1, 10_000), default=256,
                            show_default=True,
                            help="Reports stored per transaction: a killed run loses at most the batch in flight.")


def _batches(items, size: int):
    """Lists of at most ``size`` items from a stream."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@actors_option
@gazetteer_option
@batch_option
@quiet_option
def ingest(paths, db, actor_files, gazetteer_path, batch_size, quiet):
    """Read reports (files, folders, '-' for stdin), code their events, merge them with stored reports
    of the same events, and store them.

    Formats: .txt, .html/.htm, .jsonl, .csv, RSS/Atom feeds, WARC. Reports
    already in the store are skipped, so ingesting twice adds nothing. Each
    batch of reports is one transaction: an interrupted ingest loses nothing
    already stored, and running it again finishes the job.
    """
    from eventcoder.ingest import iter_inputs
    from eventcoder.pipeline import Coder
    from eventcoder.store import BULK_SUMMARY_EVERY, Store

    coder = Coder(actor_files=actor_files, gazetteer_path=gazetteer_path)
    skipped: list[InputError] = []
    stats = {"read": 0, "new": 0, "events": 0}
    with Store.open(db, summary_every=BULK_SUMMARY_EVERY) as store:
        articles = _articles(iter_inputs(list(paths)), skipped, quiet)
        fresh = (a for a in _counted(articles, stats) if not store.has_article(a.id))
        with click.progressbar(coder.code(fresh), label="Coding", file=sys.stderr,
                               hidden=quiet, show_pos=True) as bar:
            for batch in _batches(bar, batch_size):
                for (article, events), saved in zip(batch, store.save_batch(batch)):
                    if saved:
                        stats["new"] += 1
                        stats["events"] += len(events)
        stats["stored"] = store.stats()["events"]
    _summary(stats, skipped, quiet)
    if skipped:
        sys.exit(1)


@cli.command()
@db_option
@actors_option
@gazetteer_option
@batch_option
@quiet_option
def recode(db, actor_files, gazetteer_path, batch_size, quiet):
    """Re-code every stored report from its stored text with the current model, dictionaries and gazetteer.

    Events are updated in place: an event that goes on keeps its
    event_id_cnty and gets a new timestamp when anything about it changed;
    events no longer coded, or now merged into another event, are recorded
    as deletions (see `events --deleted-since`).
    """
    from eventcoder.pipeline import Coder
    from eventcoder.store import BULK_SUMMARY_EVERY, Store

    coder = Coder(actor_files=actor_files, gazetteer_path=gazetteer_path)
    changed: list[str] = []
    deleted: list[str] = []
    n = 0
    with Store.open(db, summary_every=BULK_SUMMARY_EVERY) as store:
        total = store.stats()["articles"]
        with click.progressbar(coder.code(store.iter_articles()), length=total, label="Re-coding",
                               file=sys.stderr, hidden=quiet, show_pos=True) as bar:
            for batch in _batches(bar, batch_size):
                result = store.recode_batch(batch)
                n += len(batch)
                changed.extend(result.changed)
                deleted.extend(result.deleted)
        events_now = store.stats()["events"]
    changed = [e for e in dict.fromkeys(changed) if e not in set(deleted)]
    if not quiet:
        click.echo(f"{n} reports re-coded: {len(changed)} events added or changed, {len(deleted)} deleted, "
                   f"{events_now} events in the store.", err=True)


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
    merged = f" ({stats['stored']} distinct events in the store after merging reports)" if "stored" in stats else ""
    click.echo(f"{stats['read']} reports read, {stats['new']} new, {stats['events']} events stored{merged}, "
               f"{len(skipped)} inputs skipped.", err=True)
    for err in skipped:
        click.echo(f"  skipped {err.source}: {err.problem}", err=True)


text_option = click.option("--text", "text", default=None,
                           help="Full-text search over the events' source articles: words (all required), "
                                "\"quoted phrases\", OR.")


def _since(value: str | None) -> int | None:
    """A Unix time from seconds or an ISO date/time (UTC)."""
    if value is None:
        return None
    if value.strip().lstrip("-").isdigit():
        return int(value)
    try:
        when = dt.datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise click.BadParameter(f"{value!r}: give Unix seconds or an ISO date such as 2026-03-01") from exc
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return int(when.timestamp())


@cli.command()
@db_option
@filter_options
@text_option
@click.option("--changed-since", "changed_since", default=None, metavar="TIME",
              help="Only events added or changed at or after TIME (Unix seconds or ISO date, UTC).")
@click.option("--deleted-since", "deleted_since", default=None, metavar="TIME",
              help="List the events deleted (merged or no longer coded) at or after TIME instead.")
@click.option("--explain", "explain", default=None, metavar="ID",
              help="Show an event's reports and every merge decision with its reason.")
@click.option("--format", "fmt", type=click.Choice(FORMATS_OUT), default="table", show_default=True,
              help="Output format.")
def events(db, fmt, text, changed_since, deleted_since, explain, **kwargs):
    """List stored events, newest first, with filters; or explain one event; or list deletions."""
    from eventcoder.export.formats import write_rows
    from eventcoder.store import Store

    with Store.open(existing_store(db)) as store:
        if explain:
            _explain(store.explain(explain), fmt)
            return
        if deleted_since is not None:
            _print_deleted(store.deleted_since(_since(deleted_since)), fmt)
            return
        rows = store.query_events(**filters_from(kwargs), text=text, changed_since=_since(changed_since))
        if fmt == "table":
            print_table(list(rows))
        else:
            write_rows(rows, fmt, sys.stdout)


_DELETED_COLUMNS = ("event_id_cnty", "deleted_timestamp", "reason", "merged_into")


def _print_deleted(gone: list[dict], fmt: str) -> None:
    """Deletions as a table, CSV, JSON Lines or JSON (ACLED's deleted endpoint fields, plus reason)."""
    if fmt == "json":
        click.echo(json.dumps(gone, ensure_ascii=False, indent=2))
    elif fmt == "jsonl":
        for d in gone:
            click.echo(json.dumps(d, ensure_ascii=False))
    elif fmt == "csv":
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=_DELETED_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: ("" if d[k] is None else d[k]) for k in _DELETED_COLUMNS} for d in gone)
    else:
        for d in gone:
            into = f" -> {d['merged_into']}" if d["merged_into"] else ""
            click.echo(f"{d['event_id_cnty']}  {d['deleted_timestamp']}{into}  {d['reason']}")
        click.echo(f"({len(gone)} deletions)")


def _explain(info: dict, fmt: str) -> None:
    """Print what ``Store.explain`` found: JSON for machine formats, readable text for the table."""
    if fmt != "table":
        click.echo(json.dumps(info, default=str, ensure_ascii=False, indent=None if fmt == "jsonl" else 2))
        return
    event_id = info["event_id_cnty"]
    row = info["event"]
    if row is None and not info["deleted"] and not info["reports"]:
        raise click.ClickException(f"no event {event_id} in the store (and none deleted)")
    if row is not None:
        click.echo(f"{event_id}: {row['event_date']} {row['sub_event_type']} in {row['location']}, "
                   f"{row['country']}; {row['actor1'] or '?'} vs {row['actor2'] or '-'}; "
                   f"fatalities {row['fatalities'] if row['fatalities'] is not None else 'unknown'}")
        click.echo(f"  sources: {row['source']}  (timestamp {row['timestamp']})")
    for gone in info["deleted"]:
        into = f" -> {gone['merged_into']}" if gone["merged_into"] else ""
        click.echo(f"{event_id}: deleted at {gone['deleted_timestamp']}{into}: {gone['reason']}")
    click.echo(f"reports ({len(info['reports'])}):")
    for r in info["reports"]:
        click.echo(f"  {r['report_id']}  {r['publisher'] or '?'} ({r['published'] or 'no date'}), "
                   f"article {r['article_id']}: {r['event_date']} {r['sub_event_type']} in {r['location']}, "
                   f"{r['actor1'] or '?'} vs {r['actor2'] or '-'}, fatalities {r['fatalities']}")
    click.echo("decisions:")
    for d in info["decisions"]:
        click.echo(f"  [{d['decided_at']}] {d['action']:8} report {d['report_id']} -> {d['event_id_cnty']}: "
                   f"{d['reason']}")
    for m in info["merged_from"]:
        click.echo(f"  absorbed {m['event_id_cnty']} at {m['deleted_timestamp']}: {m['reason']}")


@cli.command()
@db_option
@filter_options
@text_option
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "json", "geojson", "parquet"]),
              default="csv", show_default=True, help="Export format (CSV is in ACLED column order).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output file (default: stdout; required for parquet).")
def export(db, fmt, output, text, **kwargs):
    """Export stored events as CSV (ACLED columns), JSON Lines, JSON, GeoJSON or Parquet."""
    from eventcoder.export.formats import write_rows
    from eventcoder.store import Store

    if fmt == "parquet" and output is None:
        raise click.UsageError("--format parquet needs --output FILE")
    if output is not None and not output.resolve().parent.is_dir():
        raise click.UsageError(f"--output {output}: folder {output.resolve().parent} does not exist")
    with Store.open(existing_store(db)) as store:
        rows = store.query_events(**filters_from(kwargs), text=text)
        if output is None:
            write_rows(rows, fmt, sys.stdout)
        elif fmt == "parquet":
            write_rows(rows, fmt, output)
        else:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                write_rows(rows, fmt, fh)
