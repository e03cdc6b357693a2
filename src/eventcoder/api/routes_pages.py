"""The dashboard page, its static files and vendored npm assets, and the page's config endpoint."""
from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, Response

from eventcoder import __version__
from eventcoder.api import models
from eventcoder.api.responses import error_response, json_response

WEB_DIR = Path(__file__).resolve().parent.parent / "web"

# Browser assets from npm packages: URL name -> path inside node_modules (a fixed list: no path from a request).
VENDOR_FILES: dict[str, str] = {
    "leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet.css": "leaflet/dist/leaflet.css",
    "images/layers.png": "leaflet/dist/images/layers.png",
    "images/layers-2x.png": "leaflet/dist/images/layers-2x.png",
    "images/marker-icon.png": "leaflet/dist/images/marker-icon.png",
    "images/marker-icon-2x.png": "leaflet/dist/images/marker-icon-2x.png",
    "images/marker-shadow.png": "leaflet/dist/images/marker-shadow.png",
    "topojson-client.min.js": "topojson-client/dist/topojson-client.min.js",
    "countries-110m.json": "world-atlas/countries-110m.json",
    "countries-50m.json": "world-atlas/countries-50m.json",
}
_MEDIA = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".json": "application/json", ".png": "image/png", ".html": "text/html; charset=utf-8",
          ".svg": "image/svg+xml"}


def node_modules_dir() -> Path | None:
    """Where the npm packages are: $EVENTCODER_NODE_MODULES, the repository's node_modules, or ./node_modules."""
    candidates = []
    if os.environ.get("EVENTCODER_NODE_MODULES"):
        candidates.append(Path(os.environ["EVENTCODER_NODE_MODULES"]))
    candidates += [Path(__file__).resolve().parents[3] / "node_modules", Path.cwd() / "node_modules"]
    for path in candidates:
        if (path / "leaflet" / "dist" / "leaflet.js").is_file():
            return path
    return None


def add_page_routes(app: FastAPI, *, token: str | None, tiles: str | None) -> None:
    """Register /api/config, the page at /, /favicon.ico, /static/* and /vendor/*."""
    vendor_root = node_modules_dir()

    @app.get("/api/config", tags=["page"], response_model=models.Config)
    def config() -> Response:
        """Settings the page needs: tile URL, whether writing is on, whether the basemap is installed."""
        return json_response({"tiles": tiles, "write_enabled": bool(token), "version": __version__,
                              "basemap": vendor_root is not None})

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        """The dashboard page."""
        return FileResponse(WEB_DIR / "index.html", media_type=_MEDIA[".html"],
                            headers={"cache-control": "no-cache"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        """No favicon: an empty answer instead of a 404."""
        return Response(status_code=204)

    web_files = {p.name for p in WEB_DIR.iterdir() if p.suffix in (".js", ".css", ".svg")}

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        """One of the page's own scripts, stylesheets or images."""
        if name not in web_files:
            return error_response(404, f"no such file: {name}")
        path = WEB_DIR / name
        return FileResponse(path, media_type=_MEDIA[path.suffix], headers={"cache-control": "no-cache"})

    @app.get("/vendor/{name:path}", include_in_schema=False)
    def vendor(name: str) -> Response:
        """A browser asset from the npm packages (a fixed list)."""
        rel = VENDOR_FILES.get(name)
        if rel is None:
            return error_response(404, f"no such file: {name}")
        if vendor_root is None:
            return error_response(404, f"{name} is not installed: run `npm ci` in the repository root")
        path = vendor_root / rel
        return FileResponse(path, media_type=_MEDIA[path.suffix],
                            headers={"cache-control": "public, max-age=86400"})
