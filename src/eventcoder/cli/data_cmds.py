"""Commands for the gazetteer eventcoder resolves places with."""
from __future__ import annotations

from pathlib import Path

import click

from eventcoder.cli import cli
from eventcoder.cli.options import quiet_option

_path_option = click.option("--path", type=click.Path(dir_okay=False, path_type=Path), default=None,
                            help="Gazetteer file (default: $EVENTCODER_GAZETTEER or the user cache location).")


@cli.group()
def gazetteer():
    """Build and extend the local gazetteer (GeoNames-derived SQLite file)."""


@gazetteer.command("build")
@_path_option
@quiet_option
def gazetteer_build(path, quiet):
    """Build the embedded default gazetteer from the pinned GeoNames-derived packages."""
    from eventcoder.resolve.gazetteer import build_gazetteer, default_gazetteer_path

    out = build_gazetteer(path or default_gazetteer_path(), progress=not quiet)
    click.echo(f"gazetteer written to {out}", err=True)


@gazetteer.command("load")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_path_option
@click.option("--country", "countries", multiple=True, metavar="ISO2",
              help="Keep only geoname rows of this country (repeatable), e.g. to take Iraq and Syria from allCountries.")
@click.option("--feature-class", "feature_classes", multiple=True, metavar="CLASS",
              help="Keep only geoname rows of this GeoNames feature class (A, P, T, H, L, S, R, V, U; repeatable).")
@click.option("--empty", is_flag=True,
              help="When the gazetteer file does not exist yet, start it empty instead of from the default build.")
@click.option("--workers", type=click.IntRange(min=0), default=None, metavar="N",
              help="Processes folding the names of large files (default: CPUs - 1, at most 8; 0: none).")
@quiet_option
def gazetteer_load(files, path, countries, feature_classes, empty, workers, quiet):
    """Stream GeoNames dumps (allCountries.txt, IQ.txt, cities500.txt, alternateNamesV2.txt,
    admin1CodesASCII.txt, admin2Codes.txt, or their .zip) into the gazetteer."""
    from eventcoder.resolve.gazetteer import default_gazetteer_path
    from eventcoder.resolve.geonames_load import default_workers, load_geonames

    target = path or default_gazetteer_path()
    say = (lambda m: None) if quiet else (lambda m: click.echo(m, err=True))
    stats = load_geonames(target, files, progress=not quiet, countries=countries, feature_classes=feature_classes,
                          empty=empty, workers=default_workers() if workers is None else workers, say=say)
    if stats.bad.count:  # shown even with --quiet: the load went on without these rows
        click.echo(f"{stats.bad.count} bad rows skipped; first: " + "; ".join(stats.bad.examples), err=True)
        raise SystemExit(1)


@gazetteer.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_path_option
@quiet_option
def gazetteer_add(file, path, quiet):
    """Add a user supplement (CSV or YAML: name, aliases, lat, lon, country, admin1, admin2, feature, population)."""
    from eventcoder.resolve.gazetteer import default_gazetteer_path
    from eventcoder.resolve.gazetteer_add import add_supplement

    target = path or default_gazetteer_path()
    n = add_supplement(target, file)
    if not quiet:
        click.echo(f"added {n} places from {file} to {target}", err=True)
