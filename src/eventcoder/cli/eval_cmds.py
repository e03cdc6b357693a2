"""`eventcoder evaluate`: score predictions against gold files."""
from __future__ import annotations

import json
from pathlib import Path

import click

from eventcoder.cli import cli


def _read_jsonl(path: Path) -> dict[str, dict]:
    """JSON Lines keyed by their 'id'."""
    out = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                out[str(rec.get("id"))] = rec
    return out


@cli.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("pred", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--task", type=click.Choice(["extract", "classify"]), default="extract", show_default=True,
              help="extract: article gold (GOLD_FORMAT.md) vs `eventcoder extract` output; "
                   "classify: snippet gold vs `eventcoder classify` output.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def evaluate(gold, pred, task, fmt):
    """Score predictions (PRED) against a gold file (GOLD)."""
    from eventcoder.evaluate import score_classify, score_extract

    g, p = _read_jsonl(gold), _read_jsonl(pred)
    if task == "classify":
        result = score_classify({k: v.get("sub_event_type") for k, v in g.items()},
                                {k: v.get("sub_event_type") for k, v in p.items()})
    else:
        s = score_extract(g, p)
        result = {**s.as_dict(), "errors": s.errors}
    if fmt == "json":
        click.echo(json.dumps(result, indent=2))
        return
    if task == "classify":
        _print_classify(result)
        return
    _print_result(result)


def _print_classify(result: dict) -> None:
    """Per-type table, the summary scores and the most frequent confusions."""
    width = max([len(k) for k in result["per_type"]] + [10])
    click.echo(f"{'type':<{width}}  precision  recall     f1  support")
    for lab, v in sorted(result["per_type"].items(), key=lambda kv: (kv[0] == "none", kv[0])):
        click.echo(f"{lab:<{width}}  {v['precision']:9.3f}  {v['recall']:6.3f}  {v['f1']:5.3f}  {v['support']:7d}")
    click.echo("")
    for key in ("weighted_f1", "macro_f1", "accuracy", "non_event_rejection_rate", "false_rejection_rate",
                "n_events", "n_non_events"):
        click.echo(f"{key}: {result[key]}")
    if result["confusion"]:
        click.echo("confusions (gold -> predicted: count):")
        for pair, n in sorted(result["confusion"].items(), key=lambda kv: -kv[1]):
            click.echo(f"  {pair}: {n}")


def _print_result(result: dict) -> None:
    """Human-readable scores."""
    for k, v in result.items():
        if isinstance(v, dict):
            click.echo(f"{k}:")
            for kk, vv in v.items():
                click.echo(f"  {kk}: {vv}")
        elif isinstance(v, list):
            click.echo(f"{k}:")
            for item in v:
                click.echo(f"  {item}")
        else:
            click.echo(f"{k}: {v}")
