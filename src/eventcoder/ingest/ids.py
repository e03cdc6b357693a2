"""Stable article ids: the same report ingested twice gets the same id."""
from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit

# Query parameters that track the reader, not the page; they must not change the id.
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid|ocid)$", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def normalise_url(url: str) -> str:
    """Reduce a URL to the form two fetches of the same page share."""
    url = url.strip()
    parts = urlsplit(url)
    if not parts.netloc:
        return url  # not an absolute URL: hash it as written
    host = (parts.hostname or "").lower().removeprefix("www.")
    # A non-default port names a different server; http/https and the
    # fragment do not name a different page.
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/") or "/"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not _TRACKING.match(k))
    return f"{host}{path}" + (f"?{urlencode(query)}" if query else "")


def normalise_text(text: str) -> str:
    """Casefold and collapse whitespace so trivial re-wrapping keeps the id."""
    return _SPACE.sub(" ", text.casefold()).strip()


def article_id(url: str | None, text: str, publisher: str | None = None) -> str:
    """First 16 hex chars of sha1 of the normalised URL, else of the publisher and normalised text
    (the same wire story printed by two outlets is two reports, one outlet's copy twice is one)."""
    if url and url.strip():
        key = normalise_url(url)
    else:
        key = normalise_text(text)
        if publisher and publisher.strip():
            key = normalise_text(publisher) + "\n" + key
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
