"""`eventcoder serve`: the web API and dashboard (issue 6)."""
from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import click

from eventcoder.cli import cli
from eventcoder.cli.options import db_option

# = eventcoder.api.app.DEFAULT_THREADS (not imported: the API's imports would slow every command's start).
DEFAULT_THREADS = 2


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. The default serves this machine only; 0.0.0.0 exposes it.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="TCP port.")
@click.option("--token", envvar="EVENTCODER_TOKEN", default=None,
              help="Enable POST /api/articles for clients sending 'Authorization: Bearer TOKEN' "
                   "(also $EVENTCODER_TOKEN). Without it the API is read-only.")
@click.option("--tiles", default=None, metavar="URL",
              help="Tile URL template for an online basemap, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png "
                   "(the offline country-borders map is always there).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes sharing the port (each with its own answer cache); "
                   "use the number of CPU cores for many concurrent clients.")
@click.option("--threads", default=DEFAULT_THREADS, show_default=True, type=click.IntRange(1, 256),
              help="Threads per process running requests (they share Python's interpreter lock: "
                   "a few overlap database work, many only queue).")
@click.option("--quiet", is_flag=True, help="No access log.")
def serve(db, host, port, token, tiles, workers, threads, quiet):
    """Serve the ACLED-compatible API and the map-and-timeline dashboard over a store."""
    import uvicorn

    from eventcoder.api import create_app

    if token is not None and len(token) < 8:
        raise click.BadParameter("use a token of at least 8 characters", param_hint="--token")
    from eventcoder.cli.store_cmds import existing_store

    db = existing_store(db)
    app = create_app(db, token=token, tiles=tiles, threads=threads)  # checks the store before workers start
    if not _is_loopback(host):
        click.echo(f"warning: listening on {host}: the dashboard is reachable from other machines", err=True)
    click.echo(f"eventcoder serving {db} on http://{host}:{port}/ "
               f"({'writes enabled with token' if token else 'read-only'})", err=True)
    options = dict(host=host, port=port, log_level="warning", access_log=not quiet,
                   limit_concurrency=1000, timeout_keep_alive=5)
    if workers == 1:
        uvicorn.run(app, **options)
        return
    from eventcoder.api import app as app_module

    app.state.store.close()  # each worker opens its own
    if "://" not in db:
        db = str(Path(db).resolve())
    os.environ.update({app_module.ENV_DB: db, app_module.ENV_TOKEN: token or "", app_module.ENV_TILES: tiles or "",
                       app_module.ENV_THREADS: str(threads)})
    uvicorn.run("eventcoder.api.app:app_from_env", factory=True, workers=workers, **options)
