"""The base of every view a use case returns: a frozen pydantic model.

Pages render views and the API returns them as its response models, so one class gives
both the same fields, the same validation and an OpenAPI schema.

A moment in a view is a :data:`UtcTime`: the store keeps times in UTC, but SQLite hands
them back without their zone, and a time without a zone is no ``date-time`` in the API's
schema (RFC 3339) nor unambiguous to anyone reading it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

__all__ = ["UtcTime", "View", "in_utc"]


def in_utc(value: dt.datetime) -> dt.datetime:
    """``value`` as an aware time in UTC; a time without a zone is taken as UTC (the store's).

    >>> in_utc(dt.datetime(2026, 1, 2, 3, 4)).isoformat()
    '2026-01-02T03:04:00+00:00'
    """
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


UtcTime = Annotated[dt.datetime, AfterValidator(in_utc)]


class View(BaseModel):
    """A read-only answer of a use case (frozen: interfaces never change what they show)."""

    model_config = ConfigDict(frozen=True)
