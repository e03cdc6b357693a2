#!/usr/bin/env bash
# Create .venv and install eventcoder with everything it needs (pinned in pyproject.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"
# Browser assets of the dashboard (leaflet, world borders), pinned in package-lock.json.
if command -v npm >/dev/null 2>&1; then
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
else
  echo "warning: npm not found; the dashboard's map assets are not installed" >&2
fi
