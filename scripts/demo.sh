#!/usr/bin/env bash
# Set up, then run the main job on the built-in sample reports:
# ingest them into a SQLite file, print the events as a table, write an ACLED-format CSV.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
rm -f out/sample.db out/sample.db-wal out/sample.db-shm
.venv/bin/eventcoder ingest samples/reports --db out/sample.db
.venv/bin/eventcoder events --db out/sample.db
.venv/bin/eventcoder export --db out/sample.db --format csv --output out/sample_events.csv
echo "ACLED-format CSV written to out/sample_events.csv"
