"""Ids in a path that no row can have.

The store keeps ids as signed 64-bit integers, so a longer number in a path (``/pilots/
1180591620717411303424``) names nothing: it is answered "not found" here, once for
every route, instead of overflowing in the database driver as a 500.
"""

from __future__ import annotations

from fastapi import Request

from smartmoves.data.store.db import LARGEST_INTEGER as LARGEST_ID
from smartmoves.errors import NotFound

__all__ = ["ids_that_can_exist"]


def _beyond_any_id(text: str) -> bool:
    digits = text.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()):
        return False  # not a number: the route's own check answers
    significant = digits.lstrip("0")
    # Compared by length first: int() refuses numbers of more than 4,300 digits.
    return len(significant) > len(str(LARGEST_ID)) or int(significant or "0") > LARGEST_ID


async def ids_that_can_exist(request: Request) -> None:
    """Refuse a path whose ``..._id`` part is a number beyond any stored id (404)."""
    for name, value in request.path_params.items():
        text = str(value).strip()
        if name.endswith("_id") and _beyond_any_id(text):
            thing = name.removesuffix("_id").replace("_", " ")
            raise NotFound(f"no {thing} {text[:24]}{'…' if len(text) > 24 else ''}")
