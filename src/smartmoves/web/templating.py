"""Jinja2 templates with what every page needs: the account, navigation, CSRF token, and
``may(action, ...)``, the policy's answer for the logged-in account.

A template never decides who may do what: it asks ``may("charter.edit", coach_id=...,
members=...)`` (the facts a rule's relations need) and shows or hides accordingly.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from smartmoves import __version__
from smartmoves.pathway.fields import field_label, field_value
from smartmoves.pathway.policy import Account, Subject, may
from smartmoves.web.bodies import CSRF_PLACEHOLDER, Bodies, page_key
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


# Rendered pages, by everything their templates read (see web/bodies.py).
_PAGES: Bodies[bytes] = Bodies(512, 128_000_000, len)


def _base(request: Request, account: Account | None, csrf: str) -> dict[str, Any]:
    return {
        "request": request,
        "csrf": csrf,
        "account": account,
        "nav": navigation_for(account) if account else [],
        "account_links": account_links(account) if account else [],
        "may": _may_for(account),
    }


def _page_key(request: Request, name: str, status: int, context: dict[str, Any]) -> str | None:
    account = context.get("account")
    if not isinstance(account, Account) or _session_csrf(request) is None:
        return None  # before logging in: the login form's token is the page's own
    headers = request.headers
    place = (
        request.url.path,
        request.url.query,
        headers.get("hx-request") or "",
        headers.get("hx-current-url") or "",
    )
    who = replace(account, address=None)  # the address is the audit's, no page shows it
    others = {k: v for k, v in context.items() if k != "account"}
    return page_key(name, status, who, place, others)


def _session_csrf(request: Request) -> str | None:
    found = getattr(request.state, "login", None)
    token = getattr(found, "csrf", None)
    return token if isinstance(token, str) else None


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """The page ``name`` for this request. A logged-in page already rendered from the
    same content is answered from memory, with this session's CSRF token put in."""
    context = context or {}
    account = context.get("account")
    key = _page_key(request, name, status_code, context)
    if key is None:
        page = templates.get_template(name).render(
            {**_base(request, account, csrf_token(request)), **context}
        )
        response = HTMLResponse(page, status_code=status_code)
        remember_login_token(request, response)
        return response
    body = _PAGES.get(key)
    if body is None:
        page = templates.get_template(name).render(
            {**_base(request, account, CSRF_PLACEHOLDER), **context}
        )
        body = page.encode()
        _PAGES.put(key, body)
    token = _session_csrf(request) or ""
    return HTMLResponse(body.replace(CSRF_PLACEHOLDER.encode(), token.encode()), status_code)
