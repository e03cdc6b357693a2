"""The HTTP API and dashboard: ``create_app`` builds the FastAPI app that ``eventcoder serve`` runs."""
from eventcoder.api.app import create_app

__all__ = ["create_app"]
