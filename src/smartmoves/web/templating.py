"""Jinja2 templates with what every page needs: the account, navigation, CSRF token."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from smartmoves import __version__
from smartmoves.web.navigation import ADMIN_LINKS, navigation_for
from smartmoves.web.session import csrf_token

__all__ = ["render", "templates"]

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def _number(value: Any, digits: int = 0) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def _percent(value: Any) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def _chart_json(spec: dict[str, Any]) -> Markup:
    # Escape "<" so a label can never close the <script> element the spec sits in.
    return Markup(json.dumps(spec).replace("<", "\\u003c"))


templates.env.filters["number"] = _number
templates.env.filters["percent"] = _percent
templates.env.filters["chart_json"] = _chart_json
templates.env.globals["version"] = __version__


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    account = context.get("account") if context else None
    base: dict[str, Any] = {
        "csrf": csrf_token(request),
        "account": account,
        "nav": navigation_for(account) if account else [],
        "admin_links": ADMIN_LINKS if account is not None and account.is_admin else (),
    }
    base.update(context or {})
    return templates.TemplateResponse(request, name, base, status_code=status_code)
