"""What every JSON body of the API shares: texts of a bounded length.

A name of a million characters helps no one and fills the store: every text of a body
is at most :data:`TEXT_LIMIT` characters, refused beyond with a 422 naming the field.
(A lone surrogate, which JSON can spell as ``"\\ud800"`` and no store can write, is
refused by pydantic itself; the 422 does not echo it back.)
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["TEXT_LIMIT", "Body"]

# Characters in any one text of a body: room for a call or a vision of several pages.
TEXT_LIMIT = 20_000


class Body(BaseModel):
    """The base of the API's request bodies."""

    model_config = ConfigDict(str_max_length=TEXT_LIMIT)
