"""Run partitions on an engine: in this process, a local process pool, or a Dask cluster.

`run_partitions` plans the partitions, skips those a previous run finished
(their files are in place and the manifest says done), runs the rest with
retries, and records every outcome in the manifest as it arrives, so an
interrupted run loses at most the partitions in flight. A partition that
still fails after its retries is reported (manifest status "failed" with the
error, and in the returned report); it is never silently dropped, and the
next run tries it again.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from eventcoder.scale.partition import DEFAULT_PARTITION_SIZE, Partition, plan_partitions
from eventcoder.scale.parts import MANIFEST_FORMAT, is_done, read_manifest, write_manifest
from eventcoder.scale.worker import CoderConfig, code_partition, warm_up

ENGINES = ("local", "processes", "dask")
Task = Callable[[Partition, str, CoderConfig], dict]


@dataclass
class RunReport:
    """What a run did."""

    partitions: int = 0
    skipped: int = 0  # done by an earlier run
    done: int = 0  # done by this run
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (id, what, error)
    articles: int = 0
    events: int = 0
    input_errors: list[tuple[str, str]] = field(default_factory=list)
    peak_rss_mb: float = 0.0  # the largest peak of any worker process
    workers: int = 0
    startup_seconds: float = 0.0  # starting workers and loading models
    seconds: float = 0.0  # coding the partitions (after start-up)


class _Recorder:
    """Keeps the manifest and the report up to date as partitions finish."""

    def __init__(self, out: Path, parts: list[Partition], inputs: Sequence[str], report: RunReport,
                 on_progress: Callable[[RunReport], None] | None):
        self.out, self.report, self.on_progress = out, report, on_progress
        old = {p["id"]: p for p in read_manifest(out).get("partitions", [])}
        self.entries: dict[str, dict] = {}
        for part in parts:
            prev = old.get(part.id, {})
            entry = {**part.to_dict(), "status": "pending", "attempts": prev.get("attempts", 0)}
            if prev.get("status") == "done" and is_done(out, part.id):
                entry.update(prev)  # kept as the run that did it recorded it
            self.entries[part.id] = entry
        self.manifest = {"format": MANIFEST_FORMAT, "inputs": [str(i) for i in inputs],
                         "partitions": list(self.entries.values())}
        write_manifest(out, self.manifest)

    def todo(self, parts: list[Partition]) -> list[Partition]:
        return [p for p in parts if self.entries[p.id]["status"] != "done"]

    def attempt(self, part: Partition) -> None:
        self.entries[part.id]["attempts"] += 1

    def done(self, part: Partition, result: dict) -> None:
        entry = self.entries[part.id]
        entry.update(status="done", error=None, **{k: v for k, v in result.items() if k != "id"})
        r = self.report
        r.done += 1
        r.articles += result.get("articles", 0)
        r.events += result.get("events", 0)
        r.input_errors.extend(tuple(e) for e in result.get("input_errors", []))
        r.peak_rss_mb = max(r.peak_rss_mb, result.get("peak_rss_mb", 0.0))
        self._save()

    def failed(self, part: Partition, error: str) -> None:
        self.entries[part.id].update(status="failed", error=error)
        self.report.failed.append((part.id, part.describe(), error))
        self._save()

    def _save(self) -> None:
        write_manifest(self.out, self.manifest)
        if self.on_progress:
            self.on_progress(self.report)


def _error_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()


def run_partitions(inputs: Sequence[str | Path], out: str | Path, *, engine: str = "dask",
                   scheduler: str | None = None, workers: int | None = None,
                   partition_size: int = DEFAULT_PARTITION_SIZE, retries: int = 2,
                   config: CoderConfig | None = None, task: Task = code_partition,
                   on_progress: Callable[[RunReport], None] | None = None,
                   on_plan: Callable[[int, int], None] | None = None) -> RunReport:
    """Code the inputs partition by partition on the engine, writing Parquet partitions under out."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r} ({', '.join(ENGINES)})")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    config = config or CoderConfig()
    parts = plan_partitions(inputs, partition_size)
    report = RunReport(partitions=len(parts))
    rec = _Recorder(out, parts, [str(i) for i in inputs], report, on_progress)
    todo = rec.todo(parts)
    report.skipped = len(parts) - len(todo)
    for part in parts:
        if rec.entries[part.id]["status"] == "done":
            report.articles += rec.entries[part.id].get("articles", 0)
            report.events += rec.entries[part.id].get("events", 0)
    if on_plan:
        on_plan(len(parts), len(todo))
    if not todo:
        return report
    runner = {"local": _run_local, "processes": _run_processes, "dask": _run_dask}[engine]
    runner(todo, str(out), config, task, rec, retries=retries, workers=workers, scheduler=scheduler)
    return report


def _run_local(todo, out, config, task, rec, *, retries, workers, scheduler) -> None:
    """In this process, one partition after another (debugging, small runs)."""
    t0 = time.perf_counter()
    warm_up(config)
    rec.report.workers = 1
    rec.report.startup_seconds = time.perf_counter() - t0
    t1 = time.perf_counter()
    for part in todo:
        for attempt in range(retries + 1):
            rec.attempt(part)
            try:
                rec.done(part, task(part, out, config))
                break
            except Exception as exc:  # noqa: BLE001 - a failed partition is reported, not raised
                if attempt == retries:
                    rec.failed(part, _error_text(exc))
    rec.report.seconds = time.perf_counter() - t1


def _run_processes(todo, out, config, task, rec, *, retries, workers, scheduler) -> None:
    """A pool of worker processes on this machine (spawned; each loads the model once)."""
    n = workers or os.cpu_count() or 1
    rec.report.workers = n
    ctx = multiprocessing.get_context("spawn")
    t0 = time.perf_counter()
    queue = list(todo)
    failures: dict[str, int] = {}
    while queue:
        with ProcessPoolExecutor(max_workers=n, mp_context=ctx) as pool:
            for f in [pool.submit(warm_up, config) for _ in range(n)]:
                f.result()
            if not rec.report.startup_seconds:
                rec.report.startup_seconds = time.perf_counter() - t0
            t1 = time.perf_counter()
            pending = {}
            for part in queue:
                rec.attempt(part)
                pending[pool.submit(task, part, out, config)] = part
            queue = []
            broken = False
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    part = pending.pop(fut)
                    try:
                        rec.done(part, fut.result())
                        continue
                    except BrokenProcessPool as exc:
                        broken, error = True, _error_text(exc)
                    except Exception as exc:  # noqa: BLE001
                        error = _error_text(exc)
                    failures[part.id] = failures.get(part.id, 0) + 1
                    if failures[part.id] > retries:
                        rec.failed(part, error)
                    elif broken:
                        queue.append(part)  # resubmitted to a fresh pool
                    else:
                        rec.attempt(part)
                        pending[pool.submit(task, part, out, config)] = part
            rec.report.seconds += time.perf_counter() - t1
            if not broken:
                break


def _run_dask(todo, out, config, task, rec, *, retries, workers, scheduler) -> None:
    """A Dask cluster: the one at `scheduler`, or a LocalCluster of `workers` processes."""
    from distributed import Client, LocalCluster, as_completed

    t0 = time.perf_counter()
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                               processes=True, dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        client.wait_for_workers(1)
        client.run(warm_up, config)  # model loaded once per worker, before the clock starts
        rec.report.workers = len(client.scheduler_info()["workers"])
        rec.report.startup_seconds = time.perf_counter() - t0
        t1 = time.perf_counter()
        futures = {}
        for part in todo:
            rec.attempt(part)
            futures[client.submit(task, part, out, config, pure=False, retries=retries)] = part
        for fut in as_completed(futures):
            part = futures[fut]
            if fut.status == "finished":
                rec.done(part, fut.result())
            else:
                rec.entries[part.id]["attempts"] += retries
                rec.failed(part, _error_text(fut.exception()))
        rec.report.seconds = time.perf_counter() - t1
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
