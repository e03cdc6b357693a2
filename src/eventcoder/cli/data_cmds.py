"""Commands for the gazetteer eventcoder resolves places with."""
from __future__ import annotations

from pathlib import Path

import click

from eventcoder.cli import cli
from eventcoder.cli.options import quiet_option


@cli.group()
def gazetteer():
    """Build and inspect the local gazetteer (GeoNames-derived SQLite file)."""


@gazetteer.command("build")
@click.option("--path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the gazetteer (default: the user cache location).")
@quiet_option
def gazetteer_build(path, quiet):
    """Build the embedded default gazetteer from the pinned GeoNames-derived packages."""
    from eventcoder.resolve.gazetteer import build_gazetteer, default_gazetteer_path

    out = build_gazetteer(path or default_gazetteer_path(), progress=not quiet)
    click.echo(f"gazetteer written to {out}", err=True)
