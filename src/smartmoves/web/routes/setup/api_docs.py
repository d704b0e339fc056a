"""The API's docs: Swagger UI, vendored (no CDN), for logged-in users.

Its start-up script is a static file (``static/api-docs.js``), since no page allows an
inline script; it sends the session's CSRF token with every request it tries out.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from smartmoves.pathway.policy import require
from smartmoves.web import htmx
from smartmoves.web.permissions import needs
from smartmoves.web.session import account_or_none
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/api/v1/docs", openapi_extra=needs("api.docs"))
def api_docs(request: Request) -> Response:
    # A browser page under /api/: a visitor who is not logged in is sent to the login
    # page (as every page does) rather than answered with the API's JSON 401.
    account = account_or_none(request)
    if account is None:
        return htmx.to_login(request)
    require(account, "api.docs")
    return render(request, "setup/api_docs.html", {"account": account})
