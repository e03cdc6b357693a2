"""Throughput: our full pipeline against a bare spaCy parse of the same texts, in one process and one run.

    .venv/bin/python benchmarks/throughput.py                # mixed 1000 + conflict 500 + Dask 1 vs 2 workers
    .venv/bin/python benchmarks/throughput.py --no-dask --conflict 200

For each corpus (benchmarks/corpus.py: `mixed` = 1,000 generated articles,
80% not about conflict; `conflict` = all about conflict) it prints articles
per second of

- bare parse: `nlp.pipe` over the full article texts (the same packaged
  spaCy model, all its components), and
- full pipeline: records -> Articles (ingest) -> prefilter -> batched parse
  of candidate sentences -> extract -> resolve (actors, gazetteer, dates) ->
  events, i.e. `Coder.code`,

and their ratio (pipeline / bare; targets: >= 2 on mixed, >= 0.8 on
conflict). Ratios are measured in the same process on the same texts, so
they hold on a noisy machine where absolute rates do not. Then the mixed
corpus runs through `--engine dask` on a LocalCluster of 1 and of 2 workers
(models loaded before the clock starts) for the speed-up (target >= 1.6 on
2 cores) and the peak memory of a worker (target < 1.5 GB).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import conflict_corpus, mixed_corpus  # noqa: E402


def _peak_mb() -> float:
    from eventcoder.scale.worker import peak_rss_mb

    return peak_rss_mb()


def bare_parse(nlp, texts: list[str]) -> float:
    """Seconds for nlp.pipe over the full texts."""
    t = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    return time.perf_counter() - t


def full_pipeline(coder, records: list[dict]) -> tuple[float, int]:
    """Seconds (and events) for records -> articles -> events."""
    from eventcoder.ingest import article_from_record

    t = time.perf_counter()
    articles = (article_from_record(r, r["id"]) for r in records)
    events = sum(len(ev) for _, ev in coder.code(articles))
    return time.perf_counter() - t, events


def compare(name: str, records: list[dict], nlp, coder) -> dict:
    texts = [r["text"] for r in records]
    bare = bare_parse(nlp, texts)
    full, events = full_pipeline(coder, records)
    n = len(records)
    return {"corpus": name, "articles": n, "events": events,
            "bare_per_s": round(n / bare, 1), "pipeline_per_s": round(n / full, 1),
            "ratio": round(bare / full, 2)}


def _burn(_: int) -> float:
    t = time.perf_counter()
    x = 0
    for i in range(10_000_000):
        x += i
    return time.perf_counter() - t


def machine_parallelism(n: int = 2) -> float:
    """The speed-up n pure-Python CPU jobs get from running in parallel here, now (the ceiling for Dask)."""
    import multiprocessing

    one = _burn(0)
    with multiprocessing.get_context("spawn").Pool(n) as pool:
        pool.map(_burn, [0] * n)  # start the processes
        t = time.perf_counter()
        pool.map(_burn, range(n))
        many = time.perf_counter() - t
    return round(n * one / many, 2)


def dask_speedup(records: list[dict], workers: list[int], partition_size: int) -> list[dict]:
    from eventcoder.scale.engines import run_partitions
    from eventcoder.scale.worker import CoderConfig

    gaz = os.environ.get("EVENTCODER_GAZETTEER")
    config = CoderConfig(gazetteer_path=str(Path(gaz).resolve()) if gaz else None)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "mixed.jsonl"
        src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        for n in workers:
            report = run_partitions([src], Path(tmp) / f"out{n}", engine="dask", workers=n,
                                    partition_size=partition_size, config=config)
            assert not report.failed, report.failed
            from eventcoder.scale.parts import read_manifest

            cpu = sum(p.get("cpu_seconds", 0) for p in read_manifest(Path(tmp) / f"out{n}")["partitions"])
            out.append({"workers": report.workers, "seconds": round(report.seconds, 2),
                        "articles_per_s": round(report.articles / report.seconds, 1),
                        "startup_seconds": round(report.startup_seconds, 1),
                        "worker_cpu_seconds": round(cpu, 2), "load_average": round(os.getloadavg()[0], 1),
                        "peak_worker_mb": round(report.peak_rss_mb), "events": report.events})
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mixed", type=int, default=1000, help="articles in the mixed corpus (default 1000)")
    ap.add_argument("--conflict", type=int, default=500, help="articles in the all-conflict set (default 500)")
    ap.add_argument("--no-dask", action="store_true", help="skip the Dask 1 vs 2 workers run")
    ap.add_argument("--partition-size", type=int, default=50, help="articles per Dask partition (default 50)")
    ap.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = ap.parse_args(argv)

    from eventcoder.nlp import load_nlp
    from eventcoder.pipeline import Coder

    nlp = load_nlp()
    coder = Coder()
    # Load everything once before timing (model, lexicon, actors, gazetteer).
    list(coder.code([]))
    coder.lexicon, coder.actors, coder.gazetteer  # noqa: B018
    warm = mixed_corpus(20, seed=99)
    bare_parse(nlp, [r["text"] for r in warm])
    full_pipeline(coder, warm)

    results = {"cpu_count": os.cpu_count(), "load_average": round(os.getloadavg()[0], 1), "corpora": []}
    print(f"{os.cpu_count()} cores, load average {results['load_average']} before the run", flush=True)
    for name, records in (("mixed", mixed_corpus(args.mixed)), ("conflict", conflict_corpus(args.conflict))):
        row = compare(name, records, nlp, coder)
        results["corpora"].append(row)
        print(f"{name:9s} {row['articles']:5d} articles  bare parse {row['bare_per_s']:7.1f}/s  "
              f"pipeline {row['pipeline_per_s']:7.1f}/s  ratio {row['ratio']:.2f}x  "
              f"({row['events']} events)", flush=True)
    results["peak_mb_single_process"] = round(_peak_mb())
    print(f"peak memory of this process: {results['peak_mb_single_process']} MB", flush=True)
    if not args.no_dask:
        runs = dask_speedup(mixed_corpus(args.mixed), [1, 2], args.partition_size)
        results["dask"] = runs
        for r in runs:
            print(f"dask {r['workers']} worker(s): {r['articles_per_s']:.1f} articles/s "
                  f"({r['seconds']} s wall, {r['worker_cpu_seconds']} s worker CPU, after "
                  f"{r['startup_seconds']} s start-up; load average {r['load_average']}), "
                  f"peak worker memory {r['peak_worker_mb']} MB", flush=True)
        results["dask_speedup"] = round(runs[0]["seconds"] / runs[1]["seconds"], 2)
        results["machine_parallelism"] = machine_parallelism(2)
        print(f"dask speed-up 2 vs 1 workers: {results['dask_speedup']:.2f}x "
              f"(2 pure-CPU processes get {results['machine_parallelism']:.2f}x on this machine right now)",
              flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
