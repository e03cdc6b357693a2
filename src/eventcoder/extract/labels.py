"""Read labelled snippets (text -> ACLED sub-event type or none) from CSV or JSON Lines.

An ACLED export works as it is: its `notes` column is the text and its
`sub_event_type` column the label. Blank labels are ambiguous (not coded yet,
or no event?), so they are skipped unless `none_labels` contains "" — then
they mean "no ACLED event", like any other value listed in `none_labels`.
"""
from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from eventcoder.errors import InputError
from eventcoder.extract.lexicon import load_lexicon

TEXT_COLUMNS = ("text", "notes")


@dataclass
class Labelled:
    """Labelled snippets read from one or more files, with what was skipped."""

    texts: list[str] = field(default_factory=list)
    labels: list[str | None] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    skipped_blank: int = 0
    skipped_no_text: int = 0


def _rows(path: Path):
    """Dict rows of a CSV/TSV or JSON Lines file (by extension; JSON Lines for anything else)."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        with open(path, encoding="utf-8-sig", newline="") as fh:
            yield from csv.DictReader(fh, delimiter="\t" if suffix == ".tsv" else ",")
        return
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError as exc:
                raise InputError(f"{path} line {n}", f"invalid JSON ({exc})") from exc
            if not isinstance(rec, dict):
                raise InputError(f"{path} line {n}", "not a JSON object")
            yield rec


def read_labelled(paths: list[str | Path], text_column: str | None = None,
                  label_column: str = "sub_event_type", none_labels: tuple[str, ...] = (),
                  into: Labelled | None = None) -> Labelled:
    """Read labelled snippets; labels must be ACLED sub-event types (any letter case) or none labels."""
    out = into or Labelled()
    canon = {s.casefold(): s for s in load_lexicon().sub_event_types}
    nones = {v.strip().casefold() for v in none_labels}
    unknown: dict[str, int] = {}
    for path in map(Path, paths):
        if not path.exists():
            raise InputError(str(path), "no such file")
        column = text_column
        for rec in _rows(path):
            if column is None:
                column = next((c for c in TEXT_COLUMNS if c in rec), None)
                if column is None:
                    raise InputError(str(path), f"no text column (looked for {', '.join(TEXT_COLUMNS)}; "
                                                "name one with --text-column)")
            if label_column not in rec:
                raise InputError(str(path), f"no label column '{label_column}' (name one with --label-column)")
            text = rec.get(column)
            if not isinstance(text, str) or not text.strip():
                out.skipped_no_text += 1
                continue
            raw = rec.get(label_column)
            label = "" if raw is None else str(raw).strip()
            if label.casefold() in nones:
                out.texts.append(text.strip())
                out.labels.append(None)
            elif not label:
                out.skipped_blank += 1
                continue
            elif label.casefold() in canon:
                out.texts.append(text.strip())
                out.labels.append(canon[label.casefold()])
            else:
                unknown[label] = unknown.get(label, 0) + 1
                continue
            out.sources.append(str(path))
    if unknown:
        listed = ", ".join(f"'{k}' ({v})" for k, v in sorted(unknown.items())[:10])
        raise InputError(", ".join(map(str, paths)),
                         f"labels that are not ACLED sub-event types: {listed}; "
                         "list the ones that mean 'no event' with --none-label")
    return out
