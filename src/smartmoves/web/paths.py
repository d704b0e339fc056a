"""Numbers in a path or a form that no row can hold.

The store keeps integers as signed 64 bits, so a longer number in a path (``/pilots/
1180591620717411303424``) names nothing: it is answered "not found" here, once for
every route, instead of overflowing in the database driver as a 500. A form's integer
field beyond it is a 422 naming the field, where the user posted it (the API's JSON
bodies have the same bound in their models, ``api/bodies.py``).
"""

from __future__ import annotations

import typing

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from starlette.convertors import Convertor, register_url_convertor

from smartmoves.data.store.db import LARGEST_INTEGER
from smartmoves.errors import NotFound

__all__ = ["ids_that_can_exist", "numbers_that_fit"]

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class _IdConvertor(Convertor[int]):
    """``{name:id}``: an id of up to 19 digits. Starlette's ``:int`` converts any number
    of digits while routing, and int() refuses more than 4,300 of them: a 500 before
    any route runs. A longer number matches no route (404)."""

    regex = "[0-9]{1,19}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(int(value))


# Registered when this module is first imported; the route modules that write ``:id``
# import it first.
register_url_convertor("id", _IdConvertor())


def _beyond_any_id(text: str) -> bool:
    digits = text.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()):
        return False  # not a number: the route's own check answers
    significant = digits.lstrip("0")
    # Compared by length first: int() refuses numbers of more than 4,300 digits.
    return len(significant) > len(str(LARGEST_INTEGER)) or int(significant or "0") > LARGEST_INTEGER


async def ids_that_can_exist(request: Request) -> None:
    """Refuse a path whose ``..._id`` part is a number beyond any stored id (404)."""
    for name, value in request.path_params.items():
        text = str(value).strip()
        if name.endswith("_id") and _beyond_any_id(text):
            thing = name.removesuffix("_id").replace("_", " ")
            raise NotFound(f"no {thing} {text[:24]}{'…' if len(text) > 24 else ''}")


def _integer_fields(request: Request) -> list[str]:
    """The form fields the matched route reads as integers."""
    dependant = getattr(request.scope.get("route"), "dependant", None)
    names = []
    for param in getattr(dependant, "body_params", ()):
        kinds = {param.field_info.annotation, *typing.get_args(param.field_info.annotation)}
        if int in kinds:
            names.append(param.alias)
    return names


async def numbers_that_fit(request: Request) -> None:
    """Refuse a form whose integer field is beyond what the store holds (422)."""
    if not request.headers.get("content-type", "").startswith(FORM_TYPES):
        return
    names = _integer_fields(request)
    if not names:
        return
    form = await request.form()
    too_big = [
        n
        for n in names
        if isinstance(form.get(n), str) and _beyond_any_id(str(form.get(n)).strip())
    ]
    if too_big:
        message = f"must be within ±{LARGEST_INTEGER:,} (64 bits)"
        raise RequestValidationError(
            [{"loc": ("body", n), "msg": message, "type": "int_too_big"} for n in too_big]
        )
