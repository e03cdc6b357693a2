"""`eventcoder load`: load Parquet partitions from a distributed run (issue 7)."""
from __future__ import annotations
