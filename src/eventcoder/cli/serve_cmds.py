"""`eventcoder serve`: the web API and dashboard (issue 6)."""
from __future__ import annotations
