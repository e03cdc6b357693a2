"""The machine interfaces of DESIGN.md: extract, classify, geoparse (JSON Lines in and out)."""
from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from eventcoder.cli import cli
from eventcoder.cli.options import actors_option, gazetteer_option, input_option, quiet_option
from eventcoder.errors import InputError


def _records(fh, source: str) -> Iterator[tuple[int, dict | None, InputError | None]]:
    """Parse JSON Lines; a bad line yields an error for that line and the stream goes on."""
    for n, line in enumerate(fh, start=1):
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
@input_option
@actors_option
@gazetteer_option
@_model_option
@quiet_option
def extract(input_file, actor_files, gazetteer_path, model_path, quiet):
    """Code events of JSON Lines reports: {"id","text","title"?,"published"?,...} -> {"id","events"}."""
    if model_path is not None:
        from eventcoder.extract.model import use_type_model

        use_type_model(model_path)
    from eventcoder.export.rows import event_to_row
    from eventcoder.ingest import article_from_record
    from eventcoder.pipeline import Coder

    coder = Coder(actor_files=actor_files, gazetteer_path=gazetteer_path)
    source = getattr(input_file, "name", "<stdin>")
    errors: list[InputError] = []
    for n, rec, err in _records(input_file, source):
        if err is None:
            try:
                article = article_from_record(rec, f"{source} line {n}")
            except InputError as exc:
                err = exc
        if err is not None:
            _emit({**_fail(err, rec, errors), "events": []})
            continue
        events = coder.code_one(article)
        _emit({"id": rec.get("id", article.id), "events": [event_to_row(e) for e in events]})
    sys.exit(1 if errors else 0)


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
        return all(0 <= int(s) < int(e) <= length for s, e in spans)
    except (TypeError, ValueError):
        return False
