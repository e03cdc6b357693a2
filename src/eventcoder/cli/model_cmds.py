"""`eventcoder train`: retrain the event-type model (issue 4)."""
from __future__ import annotations
