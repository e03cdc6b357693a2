"""The machine interfaces of DESIGN.md: extract, classify, geoparse (JSON Lines in and out)."""
from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from eventcoder.cli import cli
from eventcoder.cli.options import actors_option, gazetteer_option, input_option, quiet_option
from eventcoder.errors import InputError
from eventcoder.ingest.readers import decode_lines


def _records(fh, source: str) -> Iterator[tuple[int, dict | None, InputError | None]]:
    """Parse JSON Lines; a bad line yields an error for that line and the stream goes on."""
    offset = 0
    for n, raw in enumerate(fh, start=1):
        raw = raw if isinstance(raw, bytes) else raw.encode("utf-8")
        item = next(decode_lines([(n, raw, len(raw))], source, offset))  # ingest's UTF-8/BOM rules
        offset += len(raw)
        if isinstance(item, InputError):
            yield n, None, item
            continue
        _, line, _ = item
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            if not isinstance(rec, dict):
                raise ValueError("not a JSON object")
            yield n, rec, None
        except ValueError as exc:
            yield n, None, InputError(f"{source} line {n}", f"invalid JSON ({exc})")


def _emit(obj: dict) -> None:
    """Write one JSON line to stdout."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")


def _fail(err: InputError, rec: dict | None, errors: list) -> dict:
    """Report a bad record on stderr and return its output line."""
    errors.append(err)
    click.echo(f"Error: {err}", err=True)
    return {"id": (rec or {}).get("id"), "error": err.problem}


_model_option = click.option("--model", "model_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                             default=None, help="Event-type model file from `eventcoder train` (default: the shipped one).")


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=str))
@input_option
@actors_option
@gazetteer_option
@_model_option
@click.option("--engine", type=click.Choice(["local", "processes", "dask"]), default=None,
              help="Run over INPUTS in partitions: in this process, a local process pool, or Dask. Needs --out.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the Parquet partitions and manifest.json (with INPUTS; a rerun skips done partitions).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: start a LocalCluster).")
@click.option("--workers", type=click.IntRange(1, 1024), default=None,
              help="Worker processes for --engine processes / a LocalCluster (default: one per core).")
@click.option("--partition-size", "partition_size", type=click.IntRange(1, 10_000_000), default=1000,
              show_default=True, help="Reports per partition (JSONL lines, Parquet rows or files).")
@click.option("--retries", type=click.IntRange(0, 100), default=2, show_default=True,
              help="Times a failed partition is tried again before it is reported as failed.")
@quiet_option
def extract(inputs, input_file, actor_files, gazetteer_path, model_path, engine, out_dir, scheduler,
            workers, partition_size, retries, quiet):
    """Code events of JSON Lines reports: {"id","text","title"?,"published"?,...} -> {"id","events"}.

    With INPUTS (files or folders in any input format, incl. Parquet and WARC)
    and --out DIR, the inputs are cut into partitions and coded by --engine
    (default local); events are written as Parquet partitions under DIR, to be
    loaded with `eventcoder load DIR --db ...`.
    """
    if model_path is not None:
        from eventcoder.extract.model import use_type_model

        use_type_model(model_path)
    if inputs or out_dir is not None or engine is not None or scheduler is not None:
        _extract_partitions(inputs, out_dir, engine, scheduler, workers, partition_size, retries,
                            actor_files, gazetteer_path, model_path, quiet)
        return
    from eventcoder.export.rows import event_to_row
    from eventcoder.ingest import article_from_record
    from eventcoder.pipeline import Coder

    coder = Coder(actor_files=actor_files, gazetteer_path=gazetteer_path)
    source = getattr(input_file, "name", "<stdin>")
    errors: list[InputError] = []
    # Lines are read _BATCH at a time so the parser gets many articles per nlp.pipe call;
    # output stays one line per input line, in input order, written as each batch is done.
    records = _records(input_file, source)
    while batch := list(itertools.islice(records, _BATCH)):
        parsed: list[tuple[dict | None, object]] = []
        for n, rec, err in batch:
            if err is None:
                try:
                    parsed.append((rec, article_from_record(rec, f"{source} line {n}")))
                    continue
                except InputError as exc:
                    err = exc
            parsed.append((rec, err))
        coded = coder.code([a for _, a in parsed if not isinstance(a, InputError)])
        for rec, item in parsed:
            if isinstance(item, InputError):
                _emit({**_fail(item, rec, errors), "events": []})
                continue
            article, events = next(coded)
            _emit({"id": rec.get("id", article.id), "events": [event_to_row(e) for e in events]})
        sys.stdout.flush()
    sys.exit(1 if errors else 0)


_BATCH = 64


def _extract_partitions(inputs, out_dir, engine, scheduler, workers, partition_size, retries,
                        actor_files, gazetteer_path, model_path, quiet) -> None:
    """`extract INPUTS... --out DIR [--engine ...]`: partitions -> Parquet, with a summary on stderr."""
    import os

    from tqdm import tqdm

    from eventcoder.scale.engines import run_partitions
    from eventcoder.scale.worker import CoderConfig

    if not inputs:
        raise click.UsageError("--out/--engine/--scheduler need INPUTS (files or folders to code)")
    if out_dir is None:
        raise click.UsageError("INPUTS need --out DIR (the folder for the Parquet partitions)")
    engine = engine or ("dask" if scheduler else "local")
    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    gaz = gazetteer_path or os.environ.get("EVENTCODER_GAZETTEER")
    config = CoderConfig(actor_files=tuple(str(Path(p).resolve()) for p in actor_files),
                         gazetteer_path=str(Path(gaz).resolve()) if gaz else None,
                         type_model=str(Path(model_path).resolve()) if model_path else None)
    bar = None

    def on_plan(total: int, todo: int) -> None:
        nonlocal bar
        if not quiet:
            click.echo(f"{total} partitions, {total - todo} already done", err=True)
            if todo:
                bar = tqdm(total=todo, unit="partition", file=sys.stderr, desc=f"Coding ({engine})")

    def on_progress(report) -> None:
        if bar is not None:
            bar.update(1)

    try:
        report = run_partitions(list(inputs), out_dir, engine=engine, scheduler=scheduler, workers=workers,
                                partition_size=partition_size, retries=retries, config=config,
                                on_plan=on_plan, on_progress=on_progress)
    finally:
        if bar is not None:
            bar.close()
    for source, problem in report.input_errors:
        click.echo(f"Error: {source}: {problem}", err=True)
    for part_id, what, error in report.failed:
        click.echo(f"Failed partition {part_id} ({what}) after {retries + 1} tries: {error}", err=True)
    if not quiet or report.failed:
        memory = f"; peak memory per worker {report.peak_rss_mb:.0f} MB" if report.done else ""
        click.echo(f"{report.partitions} partitions: {report.done} done now, {report.skipped} done before, "
                   f"{len(report.failed)} failed; {report.articles} reports, {report.events} events, "
                   f"{len(report.input_errors)} inputs skipped{memory} -> {out_dir}", err=True)
    sys.exit(1 if report.failed or report.input_errors else 0)


@cli.command()
@input_option
@actors_option
@_model_option
@quiet_option
def classify(input_file, actor_files, model_path, quiet):
    """Type JSON Lines snippets: {"id","text"} -> {"id","event_type","sub_event_type","score"}."""
    from eventcoder.extract.classify import classify_text
    from eventcoder.extract.model import load_type_model
    from eventcoder.resolve.actors import load_actors

    actors = load_actors(tuple(Path(p) for p in actor_files))
    source = getattr(input_file, "name", "<stdin>")
    errors: list[InputError] = []
    for n, rec, err in _records(input_file, source):
        text = rec.get("text") if rec else None
        if err is None and (not isinstance(text, str) or not text.strip()):
            err = InputError(f"{source} line {n}", "no 'text' field")
        if err is not None:
            _emit({**_fail(err, rec, errors), "event_type": None, "sub_event_type": None, "score": 0.0})
            continue
        t = classify_text(text, actors, model=load_type_model(model_path))
        _emit({"id": rec.get("id"), "event_type": t.event_type, "sub_event_type": t.sub_event_type,
               "score": t.score})
    sys.exit(1 if errors else 0)


@cli.command()
@input_option
@gazetteer_option
@quiet_option
def geoparse(input_file, gazetteer_path, quiet):
    """Find and resolve places: {"id","text","spans"?} -> {"id","places":[...]}."""
    from eventcoder.resolve.gazetteer import Gazetteer
    from eventcoder.resolve.places import geoparse as run_geoparse

    gaz = Gazetteer.open(gazetteer_path)
    source = getattr(input_file, "name", "<stdin>")
    errors: list[InputError] = []
    for n, rec, err in _records(input_file, source):
        text = rec.get("text") if rec else None
        if err is None and not isinstance(text, str):
            err = InputError(f"{source} line {n}", "no 'text' field")
        spans = rec.get("spans") if rec else None
        if err is None and spans is not None and not _valid_spans(spans, len(text)):
            err = InputError(f"{source} line {n}", "'spans' must be [[start, end], ...] within the text")
        if err is not None:
            _emit({**_fail(err, rec, errors), "places": []})
            continue
        places = run_geoparse(text, [tuple(s) for s in spans] if spans is not None else None, gazetteer=gaz)
        _emit({"id": rec.get("id"), "places": places})
    sys.exit(1 if errors else 0)


def _valid_spans(spans, length: int) -> bool:
    """True when spans is a list of [start, end] integer pairs inside the text."""
    try:
        return all(type(s) is int and type(e) is int and 0 <= s < e <= length for s, e in spans)
    except (TypeError, ValueError):
        return False
