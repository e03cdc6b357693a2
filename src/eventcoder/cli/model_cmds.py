"""`eventcoder train`: retrain the event-type model (issue 4)."""
from __future__ import annotations

import json
from pathlib import Path

import click

from eventcoder.cli import cli


@cli.command()
@click.option("--labels", "label_files", multiple=True, required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Labelled snippets, CSV/TSV or JSON Lines (repeatable), e.g. an ACLED export.")
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("type_model.npz"), show_default=True, help="Model file to write.")
@click.option("--text-column", default=None,
              help="Column with the snippet text (default: 'text', else 'notes' as in ACLED exports).")
@click.option("--label-column", default="sub_event_type", show_default=True,
              help="Column with the ACLED sub-event type.")
@click.option("--none-label", "none_labels", multiple=True,
              help="Label value meaning 'no ACLED event' (repeatable); --none-label '' makes blank "
                   "labels non-events (otherwise rows with blank labels are skipped).")
@click.option("--features", type=click.Choice(["both", "ngrams", "wordllama"]), default="both",
              show_default=True, help="Hashed word/char n-gram TF-IDF, WordLlama embeddings, or both.")
@click.option("--holdout", type=click.IntRange(0, 90), default=20, show_default=True,
              help="Percent of snippets held out by a hash of their text (never trained on) and "
                   "scored after training; 0 trains on everything.")
@click.option("--l2", type=float, default=3e-5, show_default=True, help="L2 regularisation strength.")
@click.option("--quiet", "-q", is_flag=True, help="No summary on stderr.")
def train(label_files, output, text_column, label_column, none_labels, features, holdout, l2, quiet):
    """Train the event-type model from labelled snippets (text -> ACLED sub-event type or none)."""
    from eventcoder.evaluate import score_classify
    from eventcoder.extract.labels import read_labelled
    from eventcoder.extract.model import is_heldout, train_type_model

    data = read_labelled(list(label_files), text_column, label_column, tuple(none_labels))
    seen: set[str] = set()
    train_x, train_y, test_x, test_y = [], [], [], []
    for text, label in zip(data.texts, data.labels):
        key = " ".join(text.lower().split())
        if key in seen:
            continue
        seen.add(key)
        if holdout and is_heldout(text, holdout):
            test_x.append(text)
            test_y.append(label)
        else:
            train_x.append(text)
            train_y.append(label)
    if not quiet:
        click.echo(f"{len(train_x)} snippets to train on, {len(test_x)} held out; skipped "
                   f"{data.skipped_blank} with a blank label, {data.skipped_no_text} without text",
                   err=True)
    model = train_type_model(train_x, train_y, features=features, l2=l2)
    model.meta["holdout_percent"] = holdout
    if test_x:
        pred = [p for p, _ in model.predict(test_x)]
        s = score_classify(dict(enumerate(test_y)), dict(enumerate(pred)))
        model.meta["heldout"] = {k: s[k] for k in ("weighted_f1", "macro_f1", "accuracy",
                                                   "non_event_rejection_rate") if k in s}
        if not quiet:
            click.echo("held-out: " + json.dumps(model.meta["heldout"]), err=True)
    model.save(output)
    if not quiet:
        click.echo(f"wrote {output}", err=True)
