"""What runs on a worker: code one partition with the process's Coder and write its Parquet files.

The Coder (spaCy model, lexicon, actors, gazetteer) is built once per worker
process and reused for every partition that process gets; nothing is
re-initialised per article or per partition.
"""
from __future__ import annotations

import os
import resource
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from eventcoder.errors import InputError
from eventcoder.ingest.inputs import DEFAULT_MAX_BYTES
from eventcoder.scale.partition import Partition, read_partition
from eventcoder.scale.parts import write_partition


@dataclass(frozen=True)
class CoderConfig:
    """How workers build their Coder; plain data, so it pickles to any worker."""

    actor_files: tuple[str, ...] = ()
    gazetteer_path: str | None = None
    taxonomy: str | None = None
    type_model: str | None = None  # event-type model file (`extract --model`)
    max_bytes: int = DEFAULT_MAX_BYTES


_CODERS: dict[CoderConfig, object] = {}


def coder_for(config: CoderConfig):
    """This process's Coder for the config, built on first use."""
    from eventcoder.pipeline import Coder

    coder = _CODERS.get(config)
    if coder is None:
        if config.type_model:
            from eventcoder.extract.model import use_type_model

            use_type_model(config.type_model)
        coder = _CODERS[config] = Coder(
            actor_files=tuple(Path(p) for p in config.actor_files), taxonomy=config.taxonomy,
            gazetteer_path=Path(config.gazetteer_path) if config.gazetteer_path else None)
    return coder


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB.

    Linux's VmHWM belongs to the process image, unlike ru_maxrss, which a
    spawned worker inherits from the (larger) parent that forked it.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def warm_up(config: CoderConfig) -> dict:
    """Load the model, lexicon, actors and gazetteer now (and parse once), so timing starts warm."""
    from eventcoder.nlp import load_nlp

    coder = coder_for(config)
    coder.lexicon, coder.actors, coder.gazetteer  # noqa: B018 - load them
    list(load_nlp().pipe(["Gunmen attacked a checkpoint on Monday."]))
    return {"pid": os.getpid(), "peak_rss_mb": peak_rss_mb()}


def code_partition(part: Partition, out: str, config: CoderConfig) -> dict:
    """Code every article of a partition and write its Parquet files; returns the partition's counts."""
    start, cpu = time.perf_counter(), time.process_time()
    coder = coder_for(config)
    input_errors: list[tuple[str, str]] = []

    def articles():
        for item in read_partition(part, config.max_bytes):
            if isinstance(item, InputError):
                input_errors.append((item.source, item.problem))
            else:
                yield item

    n_articles, n_events = write_partition(Path(out), part.id, coder.code(articles()))
    return {"id": part.id, "articles": n_articles, "events": n_events, "input_errors": input_errors,
            "seconds": round(time.perf_counter() - start, 3),
            "cpu_seconds": round(time.process_time() - cpu, 3), "peak_rss_mb": round(peak_rss_mb(), 1),
            "worker": f"{socket.gethostname()}:{os.getpid()}"}
