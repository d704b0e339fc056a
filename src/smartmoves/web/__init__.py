"""The web workspace: server-rendered pages (Jinja2 + HTMX) for every role."""

from smartmoves.web.app import create_app

__all__ = ["create_app"]
