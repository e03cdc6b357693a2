"""Print the built-in sample reports as JSON Lines for `eventcoder extract`, ids as in samples/gold.jsonl."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from eventcoder.samples import sample_records


def main() -> None:
    """Write one JSON line per sample report to stdout."""
    for rec in sample_records(Path(__file__).resolve().parent.parent / "samples"):
        sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
