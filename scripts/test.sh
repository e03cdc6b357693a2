#!/usr/bin/env bash
# Set up, then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The end-to-end dashboard tests drive Debian's chromium (skipped with a reason when absent).
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "warning: could not install chromium; browser tests will be skipped" >&2
fi
# One gazetteer for the whole run, built on first use.
FINGERPRINT="$(.venv/bin/python -c 'from eventcoder.resolve.gazetteer import data_fingerprint; print(data_fingerprint())')"
export EVENTCODER_GAZETTEER="${EVENTCODER_GAZETTEER:-$PWD/.cache/gazetteer-$FINGERPRINT.sqlite}"
# The real PostgreSQL server of this machine, for the store tests that need one.
export EVENTCODER_TEST_POSTGRES="${EVENTCODER_TEST_POSTGRES:-postgresql://postgres@127.0.0.1:5432/postgres}"
.venv/bin/python -m pytest "$@"
