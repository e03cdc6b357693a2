"""The ASGI guard (request size limits, security headers) and the Content-Security-Policy."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from eventcoder.api.limits import MAX_BODY_BYTES, MAX_QUERY_BYTES
from eventcoder.api.responses import error_response


class Guard:
    """ASGI middleware: bounded query strings and bodies, and security headers on every response."""

    def __init__(self, app: Any, csp: str):
        self.app = app
        self.headers = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        ]

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in self.headers if h[0] not in names]
            await send(message)

        if len(scope.get("query_string", b"")) > MAX_QUERY_BYTES:
            await error_response(414, f"query string longer than {MAX_QUERY_BYTES} bytes")(
                scope, receive, send_with_headers)
            return
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            await error_response(413, f"request body larger than {MAX_BODY_BYTES} bytes")(
                scope, receive, send_with_headers)
            return
        if scope["method"] in ("POST", "PUT", "PATCH"):
            # Read the body up to the limit (a chunked body has no content-length), then replay it.
            chunks, size, more = [], 0, True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    await error_response(413, f"request body larger than {MAX_BODY_BYTES} bytes")(
                        scope, receive, send_with_headers)
                    return
                chunks.append(chunk)
                more = message.get("more_body", False)
            body = b"".join(chunks)
            sent = False

            async def replay() -> dict:
                nonlocal sent
                if not sent:
                    sent = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            await self.app(scope, replay, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)



def content_security_policy(tiles: str | None) -> str:
    """The CSP: our own origin only, plus the tile server's origin for images when one is set."""
    img = "'self' data:"
    if tiles:
        parts = urlsplit(tiles.replace("{s}", "a"))
        if parts.scheme in ("http", "https") and parts.netloc:
            host = parts.netloc
            if "{s}" in tiles:
                host = "*." + host.split(".", 1)[1] if "." in host else host
            img += f" {parts.scheme}://{host}"
    return ("default-src 'none'; script-src 'self'; style-src 'self'; "
            f"img-src {img}; connect-src 'self'; font-src 'self'; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'none'")
