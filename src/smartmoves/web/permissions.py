"""Which action of the policy each route serves, declared on the route.

``@router.get(path, openapi_extra=needs("capacity.read"))`` names the action of
:data:`smartmoves.pathway.policy.PERMISSIONS` that the route's use case enforces;
``needs(None)`` marks a public route (the login page). The declaration decides nothing:
the use case calls the policy. It lets the route x role test check every route the app
has against the policy, so that a new route cannot escape it, and the API docs show who
may call each route.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

__all__ = ["ACTION_KEY", "AppRoute", "app_routes", "needs"]

ACTION_KEY = "x-smartmoves-action"
PUBLIC = "public"


def needs(action: str | None) -> dict[str, Any]:
    """The ``openapi_extra`` of a route serving ``action`` (``None``: a public route)."""
    return {ACTION_KEY: action or PUBLIC}


@dataclass(frozen=True)
class AppRoute:
    """A route of the app as its tests and docs see it."""

    path: str  # with its prefix (/api/v1/...)
    methods: frozenset[str]
    action: str | None  # what it declares: an action, "public", or None (nothing)
    body_params: tuple[Any, ...]  # FastAPI's body parameters (form fields, JSON body)


def app_routes(app: FastAPI) -> list[AppRoute]:
    """Every page and API route of ``app`` (not static files), with what it declares."""
    found = []
    for route in iter_route_contexts(app.routes):
        dependant = getattr(route, "dependant", None)
        if dependant is None or not route.path or not route.methods:
            continue
        extra = getattr(route, "openapi_extra", None) or {}
        value = extra.get(ACTION_KEY)
        found.append(
            AppRoute(
                route.path,
                frozenset(route.methods),
                str(value) if value is not None else None,
                tuple(dependant.body_params),
            )
        )
    return found
