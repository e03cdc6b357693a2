"""Size and paging limits of the web app's requests and answers."""
from __future__ import annotations

MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_QUERY_BYTES = 8 * 1024
ACLED_MAX_LIMIT = 5000
EXPORT_MAX_LIMIT = 100_000
MAX_PAGE = 1_000_000
