#!/usr/bin/env bash
# Set up, then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# One gazetteer for the whole run, built on first use.
export EVENTCODER_GAZETTEER="${EVENTCODER_GAZETTEER:-$PWD/.cache/gazetteer.sqlite}"
# The real PostgreSQL server of this machine, for the store tests that need one.
export EVENTCODER_TEST_POSTGRES="${EVENTCODER_TEST_POSTGRES:-postgresql://postgres@127.0.0.1:5432/postgres}"
.venv/bin/python -m pytest "$@"
