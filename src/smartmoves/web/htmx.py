"""HTMX in one place: is a request HTMX, and how a form's post is answered.

A page's forms post with HTMX (a fragment swapped in) or, without JavaScript, as plain
forms (a redirect back to the page). :func:`act` runs the use case and answers both ways:

- done: HTMX gets the fragment, a plain form a redirect (303) to the page;
- refused (any :class:`SmartMovesError`): HTMX gets the ``_problem.html`` fragment with
  the error's own status (422 for a wrong field, 403, 404, 409...), which
  ``smartmoves.js`` shows at the form the user posted; a plain form gets the page again
  with the message and what the user typed;
- not logged in (or the login expired): HTMX is sent to the login page with
  ``HX-Redirect`` (never the login page swapped into a fragment).

The app's exception handlers use :func:`problem` and :func:`to_login` too, so a request
that fails before its route runs (a form field that does not parse) answers the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlparse

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from smartmoves.errors import SmartMovesError, Unauthorized

__all__ = ["act", "is_htmx", "problem", "to_login"]

PROBLEM = "_problem.html"


def is_htmx(request: Request) -> bool:
    """A request HTMX sent (it swaps the answer into the page)."""
    return request.headers.get("hx-request") == "true"


def _page_path(request: Request) -> str:
    """The page the user is on: for HTMX the page that sent the request, not its URL."""
    current = request.headers.get("hx-current-url") if is_htmx(request) else None
    if current:
        parsed = urlparse(current)
        return parsed.path + (f"?{parsed.query}" if parsed.query else "")
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def to_login(request: Request) -> Response:
    """Send the user to the login page, coming back to where they were afterwards."""
    back = _page_path(request)
    target = "/login" if back.startswith("/login") else f"/login?next={quote(back)}"
    if is_htmx(request):
        return Response(status_code=401, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def problem(request: Request, message: str, lines: list[str], status: int) -> Response:
    """The fragment that tells what went wrong, with the error's status."""
    from smartmoves.web.templating import render

    return render(request, PROBLEM, {"message": message, "lines": lines}, status_code=status)


def act(
    request: Request,
    use_case: Callable[[], Any],
    *,
    done: str | Callable[[Any], str],
    fragment: Callable[[], Response] | None = None,
    answer: Callable[[Any], Response] | None = None,
    page: Callable[[SmartMovesError], Response] | None = None,
) -> Response:
    """Run ``use_case`` and answer the form that asked for it.

    ``done`` is the page a plain form goes back to (or a function of the use case's
    result that names it: the pilot just created); ``fragment`` renders what HTMX swaps
    in after success, or ``answer`` renders it from the use case's result (which may say
    what else changed, as unselecting a workgroup member does); ``page`` renders the
    page again with the error (its status is the error's), for plain forms. Without
    ``page`` the error goes to the app's error page.
    """
    try:
        result = use_case()
    except Unauthorized:
        raise
    except SmartMovesError as exc:
        if is_htmx(request):
            return problem(request, exc.message, exc.lines(), exc.http_status)
        if page is None:
            raise
        return page(exc)
    if answer is not None and is_htmx(request):
        return answer(result)
    if fragment is not None and is_htmx(request):
        return fragment()
    return RedirectResponse(done if isinstance(done, str) else done(result), status_code=303)
