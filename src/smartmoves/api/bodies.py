"""What every JSON body of the API shares: texts and integers the store can keep.

A name of a million characters helps no one and fills the store: every text of a body
is at most :data:`TEXT_LIMIT` characters. An integer beyond 64 bits (JSON has no limit)
overflows the database driver: every integer is within the store's signed 64 bits.
Both are refused with a 422 naming the field. (A lone surrogate, which JSON can spell as
``"\\ud800"`` and no store can write, is refused by pydantic itself; the 422 does not echo
it back.)
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from smartmoves.data.store.db import LARGEST_INTEGER

__all__ = ["TEXT_LIMIT", "Body"]

# Characters in any one text of a body: room for a call or a vision of several pages.
TEXT_LIMIT = 20_000


class Body(BaseModel):
    """The base of the API's request bodies."""

    model_config = ConfigDict(str_max_length=TEXT_LIMIT)

    @field_validator("*", mode="after")
    @classmethod
    def _fits_the_store(cls, value: Any) -> Any:
        values = value if isinstance(value, list | tuple | set) else [value]
        for item in values:
            integer = isinstance(item, int) and not isinstance(item, bool)
            if integer and abs(item) > LARGEST_INTEGER:
                raise ValueError(f"must be within ±{LARGEST_INTEGER:,} (64 bits)")
        return value
