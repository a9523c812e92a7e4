"""The web studio: a FastAPI app rendering Jinja2 templates from `frontend/`, with a JSON API under `/api`."""

from .app import create_app

__all__ = ["create_app"]
