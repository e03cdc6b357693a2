"""The OpenAPI document: validation errors documented as 400 with our Error body, not FastAPI's 422."""
from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from eventcoder.api import models


def install_openapi(app: FastAPI) -> None:
    """Replace ``app.openapi`` with the generator of the adjusted document."""
    def openapi() -> dict[str, Any]:
        """The app's OpenAPI document, built once."""
        # Validation errors come back as 400 with our Error body, not FastAPI's 422.
        if app.openapi_schema:
            return app.openapi_schema
        doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        for path in doc.get("paths", {}).values():
            for op in path.values():
                responses = op.get("responses", {})
                responses.pop("422", None)
                responses.setdefault("400", {"description": "Invalid parameters", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        schemas.setdefault("Error", models.Error.model_json_schema(ref_template="#/components/schemas/{model}")
                           .get("$defs", {}).get("Error") or models.Error.model_json_schema())
        app.openapi_schema = doc
        return doc

    app.openapi = openapi  # type: ignore[method-assign]
