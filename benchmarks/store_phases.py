"""CPU time per step of the store's write path: timers wrapped around the writer's steps during the write benchmark.

    PYTHONPATH=src .venv/bin/python benchmarks/store_phases.py 20000 spread     # or news

Prints the write rate and, per step, CPU seconds and microseconds per stored event. Steps nest (``flush``
includes ``flush.insert_many``), and each timer costs a few microseconds, so small frequent steps are
overstated.
"""
from __future__ import annotations

import collections
import functools
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import store as bench  # noqa: E402 (benchmarks/store.py)

from sqlalchemy.engine import default  # noqa: E402

from eventcoder.store import flush, pending, set_upserts, stored, writer  # noqa: E402

SPENT: collections.Counter[str] = collections.Counter()


def timed(owner: Any, name: str, label: str | None = None) -> None:
    """Replace ``owner.name`` by a wrapper adding its CPU time to ``SPENT[label]``."""
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            SPENT[label or name] += time.process_time() - start

    setattr(owner, name, wrapper)


def main() -> None:
    n, dates = int(sys.argv[1]), sys.argv[2]
    for name in ("prepare", "add", "flush", "_place", "_add_report", "_report_ids"):
        timed(writer.BatchWriter, name)
    for name in ("read_windows", "lookup_ids", "read_members", "stored", "window"):
        timed(stored.StoredView, name, f"view.{name}")
    for name in ("write_articles", "known_members", "stored_events", "merge_reports", "insert_many"):
        timed(flush, name, f"flush.{name}")
    timed(pending, "refresh", "pending.refresh")
    timed(set_upserts, "add_selected")
    timed(writer, "event_to_row")
    timed(writer, "match_members")
    timed(default.DefaultDialect, "do_commit", "commit")
    with tempfile.TemporaryDirectory() as tmp:
        rate, events, cpu_rate = bench.write_rate(os.path.join(tmp, "w.db"), n, dates=dates, summary_every=16)
    print(f"{rate:,} events/s, {cpu_rate:,} per CPU-second ({1e6 / cpu_rate:.0f} us of CPU per event)")
    for name, seconds in SPENT.most_common():
        print(f"  {name:22} {seconds:6.2f} s {1e6 * seconds / events:6.0f} us/event")


if __name__ == "__main__":
    main()
