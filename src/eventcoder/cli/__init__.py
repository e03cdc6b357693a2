"""The `eventcoder` command line: one click group, one module per command family."""
from __future__ import annotations

import sys

import click

from eventcoder import __version__
from eventcoder.errors import EventcoderError


class Group(click.Group):
    """A click group that prints eventcoder's errors as one line, without a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except EventcoderError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)


@click.group(cls=Group)
@click.version_option(__version__, prog_name="eventcoder")
def cli() -> None:
    """Turn news reports into ACLED-style conflict events, with evidence for every field."""


def main() -> None:
    """Console-script entry point."""
    cli()


def _register() -> None:
    """Import every command module so its commands attach to the group."""
    from eventcoder.cli import (data_cmds, eval_cmds, machine_cmds, model_cmds,  # noqa: F401
                                scale_cmds, serve_cmds, store_cmds)


_register()
