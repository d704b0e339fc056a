"""Jinja2 templates with what every page needs: the account, navigation, CSRF token, and
``may(action, ...)``, the policy's answer for the logged-in account.

A template never decides who may do what: it asks ``may("charter.edit", coach_id=...,
members=...)`` (the facts a rule's relations need) and shows or hides accordingly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from smartmoves import __version__
from smartmoves.pathway.fields import field_label, field_value
from smartmoves.pathway.policy import Account, Subject, may
from smartmoves.web.chart_table import chart_table
from smartmoves.web.lists import page_links
from smartmoves.web.navigation import account_links, navigation_for
from smartmoves.web.session import csrf_token, remember_login_token

__all__ = ["render", "templates"]

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def _number(value: Any, digits: int = 0) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def _sentence(value: Any) -> str:
    """The first letter up, the rest as written (``capitalize`` would lower "A-REPORT")."""
    text = str(value or "")
    return text[:1].upper() + text[1:]


def _bullet(value: Any) -> str:
    """A line of a list without the "  - " the command line puts before it."""
    text = str(value).strip()
    return text[2:] if text.startswith("- ") else text


def _percent(value: Any) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def _chart_json(spec: dict[str, Any]) -> Markup:
    # Escape "<" so a label can never close the <script> element the spec sits in.
    return Markup(json.dumps(spec).replace("<", "\\u003c"))


templates.env.filters["number"] = _number
templates.env.filters["percent"] = _percent
templates.env.filters["sentence"] = _sentence
templates.env.filters["bullet"] = _bullet
templates.env.filters["chart_json"] = _chart_json
templates.env.globals["chart_table"] = chart_table
templates.env.globals["page_links"] = page_links
templates.env.filters["field_label"] = field_label
templates.env.filters["field_value"] = field_value
templates.env.globals["version"] = __version__


def _may_for(account: Account | None) -> Any:
    def may_do(
        action: str, *, coach_id: str | None = None, members: Any = (), **facts: Any
    ) -> bool:
        if account is None:
            return False
        subject = Subject(coach_id=coach_id, members=frozenset(members), **facts)
        return may(account, action, subject)

    return may_do


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
        "account_links": account_links(account) if account else [],
        "may": _may_for(account),
    }
    base.update(context or {})
    response = templates.TemplateResponse(request, name, base, status_code=status_code)
    remember_login_token(request, response)
    return response
