"""Every text a form posts is within its limit (``pathway/texts.py``): a name of a million
characters, or a NUL character PostgreSQL cannot store, is a 422 naming the field, shown
where the user posted it, before any use case runs; nothing is stored.

It runs on every router, like the CSRF check, so a new form cannot forget it; it reads
every field the form sent, including those a route reads from the form itself (the
charter's).
"""

from __future__ import annotations

from fastapi import Request
from fastapi.exceptions import RequestValidationError

from smartmoves.pathway.texts import text_problem
from smartmoves.web.paths import FORM_TYPES

__all__ = ["texts_that_fit"]


async def texts_that_fit(request: Request) -> None:
    """Refuse a form whose text field is too long for its kind or holds a NUL (422)."""
    if not request.headers.get("content-type", "").startswith(FORM_TYPES):
        return
    form = await request.form()
    problems: dict[str, tuple[str, str]] = {}
    for field, value in form.multi_items():
        if not isinstance(value, str) or field in problems:
            continue  # a file is an import's to check, row by row
        problem = text_problem(field, value)
        if problem is not None:
            problems[field] = problem
    if problems:
        raise RequestValidationError(
            [
                {"loc": ("body", field), "msg": message, "type": kind}
                for field, (kind, message) in problems.items()
            ]
        )
