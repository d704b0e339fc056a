"""What people chose about the collaboration network: who asked not to be suggested."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, func
from sqlalchemy.orm import Mapped, mapped_column

from smartmoves.data.store.models.base import Base
from smartmoves.data.store.models.org import ID


class SuggestionOptOut(Base):
    """A person who asked never to be suggested to anyone (whom to meet, who can help,
    who faces a similar challenge). Keyed by the person, not the login: a person with
    two logins, or none any more, stays out. Deleting the row opts them back in."""

    __tablename__ = "suggestion_opt_outs"

    person_id: Mapped[str] = mapped_column(ID, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
