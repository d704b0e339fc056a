"""The base of every view a use case returns: a frozen pydantic model.

Pages render views and the API returns them as its response models, so one class gives
both the same fields, the same validation and an OpenAPI schema.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["View"]


class View(BaseModel):
    """A read-only answer of a use case (frozen: interfaces never change what they show)."""

    model_config = ConfigDict(frozen=True)
