"""What every JSON body of the API shares: texts and integers the store can keep.

A name of a million characters helps no one and fills the store: every text of a body
is within the limit of its kind (``pathway/texts.py``, the table the page's forms use
too: a name at most 200 characters, any other text at most :data:`TEXT_LIMIT`), and
holds no NUL character (PostgreSQL cannot store one). An integer beyond 64 bits (JSON
has no limit) overflows the database driver: every integer is within the store's signed
64 bits. All are refused with a 422 naming the field. (A lone surrogate, which JSON can
spell as ``"\\ud800"`` and no store can write, is refused by pydantic itself; the 422
does not echo it back.)
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from smartmoves.data.store.db import LARGEST_INTEGER
from smartmoves.pathway import texts

__all__ = ["TEXT_LIMIT", "Body"]

# Characters in any one text of a body: room for a call or a vision of several pages.
TEXT_LIMIT = texts.TEXT


class Body(BaseModel):
    """The base of the API's request bodies."""

    model_config = ConfigDict(str_max_length=TEXT_LIMIT)

    @field_validator("*", mode="after")
    @classmethod
    def _fits_the_store(cls, value: Any, info: ValidationInfo) -> Any:
        values = value if isinstance(value, list | tuple | set) else [value]
        for item in values:
            integer = isinstance(item, int) and not isinstance(item, bool)
            if integer and abs(item) > LARGEST_INTEGER:
                raise ValueError(f"must be within ±{LARGEST_INTEGER:,} (64 bits)")
            problem = (
                texts.text_problem(info.field_name or "", item) if isinstance(item, str) else None
            )
            if problem is not None:
                raise PydanticCustomError(*problem)
        return value
