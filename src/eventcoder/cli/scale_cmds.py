"""`eventcoder load`: load Parquet partitions from a distributed run (issue 7)."""
from __future__ import annotations

import sys
from itertools import islice
from pathlib import Path

import click

from eventcoder.cli import cli
from eventcoder.cli.options import db_option, quiet_option


@cli.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@db_option
@click.option("--batch-size", "batch_size", type=click.IntRange(1, 100_000), default=256, show_default=True,
              help="Reports stored per transaction.")
@quiet_option
def load(directory, db, batch_size, quiet):
    """Load the Parquet partitions of `eventcoder extract ... --out DIRECTORY` into the store.

    Reports and their events are stored in input order, batch by batch; each
    event is merged with stored reports of the same event (the store's
    dedup), and reports already stored are skipped, so loading twice adds
    nothing. Partitions that are not done (failed or never run) are listed
    and the exit status is 1.
    """
    from eventcoder.scale.parts import iter_coded, read_manifest
    from eventcoder.store import BULK_SUMMARY_EVERY, Store

    manifest = read_manifest(directory)
    if not manifest:
        raise click.UsageError(f"{directory} has no manifest.json: not an `extract --out` folder")
    missing = [p for p in manifest.get("partitions", []) if p.get("status") != "done"]
    stats = {"reports": 0, "new": 0, "events": 0}
    coded = iter_coded(directory)
    with Store.open(db, summary_every=BULK_SUMMARY_EVERY) as store:
        with click.progressbar(length=sum(p.get("articles", 0) for p in manifest["partitions"]
                                          if p.get("status") == "done"),
                               label="Loading", file=sys.stderr, hidden=quiet, show_pos=True) as bar:
            while batch := list(islice(coded, batch_size)):
                for (_, events), saved in zip(batch, store.save_batch(batch)):
                    stats["reports"] += 1
                    if saved:
                        stats["new"] += 1
                        stats["events"] += len(events)
                bar.update(len(batch))
        stored = store.stats()["events"]
    for p in missing:
        click.echo(f"Not loaded: partition {p['id']} is {p.get('status', 'pending')}"
                   f"{': ' + p['error'] if p.get('error') else ''} (rerun `eventcoder extract` on it)", err=True)
    if not quiet or missing:
        click.echo(f"{stats['reports']} reports read, {stats['new']} new with {stats['events']} events; "
                   f"{stored} events in {db}", err=True)
    if missing:
        sys.exit(1)
