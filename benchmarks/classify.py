"""Benchmark the event typer on the held-out split of training/: quality and speed on one core.

    .venv/bin/python benchmarks/classify.py [--compare-features] [--json]

Prints, for the shipped model (or --model FILE): weighted and macro F1 over
the ACLED sub-event types, the non-event rejection rate, for the rules alone,
the model alone and the hybrid `eventcoder classify` uses; then snippets per
second of the hybrid on one core after warm-up (BLAS threads pinned to 1),
next to a bare spaCy parse of the same snippets in the same run.
--compare-features retrains on the training split with each feature kind
(n-grams, WordLlama, both) and scores each on the held-out split.
Numbers are printed, never asserted (the floors live in tests/test_eval_gate.py).
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def heldout_split(percent: int = 20):
    """(train, held-out) lists of (text, label) from training/*.jsonl, duplicates dropped."""
    from eventcoder.extract.labels import read_labelled
    from eventcoder.extract.model import is_heldout

    data = read_labelled(sorted((ROOT / "training").glob("*.jsonl")), none_labels=("",))
    seen, train, test = set(), [], []
    for text, label in zip(data.texts, data.labels):
        key = " ".join(text.lower().split())
        if key in seen:
            continue
        seen.add(key)
        (test if is_heldout(text, percent) else train).append((text, label))
    return train, test


def _summary(gold, pred) -> dict:
    from eventcoder.evaluate import score_classify

    s = score_classify(dict(enumerate(gold)), dict(enumerate(pred)))
    return {k: s[k] for k in ("weighted_f1", "macro_f1", "accuracy", "non_event_rejection_rate",
                              "false_rejection_rate")}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None, help="model file (default: the shipped one)")
    ap.add_argument("--compare-features", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from eventcoder.extract.classify import classify_text, rule_typing
    from eventcoder.extract.lexicon import load_lexicon
    from eventcoder.extract.model import load_type_model, train_type_model
    from eventcoder.nlp import load_nlp
    from eventcoder.resolve.actors import load_actors

    train, test = heldout_split()
    texts, gold = [t for t, _ in test], [l for _, l in test]
    model = load_type_model(args.model)
    actors, nlp, lexicon = load_actors(()), load_nlp(), load_lexicon()
    report: dict = {"heldout_snippets": len(test), "heldout_events": sum(g is not None for g in gold)}

    report["rules"] = _summary(gold, [rule_typing(t, actors, nlp, lexicon)[0] for t in texts])
    report["model"] = _summary(gold, [p for p, _ in model.predict(texts)])
    # Warm-up, then the timed hybrid run on one core.
    for t in texts[:20]:
        classify_text(t, actors, nlp, lexicon, model=model)
    start = time.perf_counter()
    hybrid = [classify_text(t, actors, nlp, lexicon, model=model).sub_event_type for t in texts]
    elapsed = time.perf_counter() - start
    report["hybrid"] = _summary(gold, hybrid)
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    parse = time.perf_counter() - start
    report["snippets_per_second"] = round(len(texts) / elapsed, 1)
    report["spacy_parse_snippets_per_second"] = round(len(texts) / parse, 1)
    report["speed_ratio_vs_parse"] = round(parse / elapsed, 3)

    if args.compare_features:
        report["features"] = {}
        for kind in ("ngrams", "wordllama", "both"):
            m = train_type_model([t for t, _ in train], [l for _, l in train], features=kind)
            report["features"][kind] = _summary(gold, [p for p, _ in m.predict(texts)])

    if args.json:
        json.dump(report, sys.stdout, indent=2)
        print()
        return
    print(f"held-out split: {report['heldout_snippets']} snippets ({report['heldout_events']} events)")
    for name in ("rules", "model", "hybrid"):
        print(f"{name:>8}: {report[name]}")
    for kind, s in report.get("features", {}).items():
        print(f"features={kind}: {s}")
    print(f"hybrid classify: {report['snippets_per_second']} snippets/s on one core "
          f"(bare spaCy parse: {report['spacy_parse_snippets_per_second']}/s, ratio {report['speed_ratio_vs_parse']})")


if __name__ == "__main__":
    main()
