"""The operational store of a workspace, as the use cases open it."""

from __future__ import annotations

from sqlalchemy import Engine

from smartmoves.data.store import db
from smartmoves.data.workspace import require_workspace
from smartmoves.settings import Settings

_checked: set[str] = set()


def store(settings: Settings) -> Engine:
    """The shared engine of the workspace's store, its schema checked once per process."""
    require_workspace(settings)
    url = settings.sqlalchemy_url
    engine = db.engine_for(url)
    if url not in _checked:
        db.require_current(engine)
        _checked.add(url)
    return engine


def forget(settings: Settings) -> None:
    """Check the schema again next time (after an upgrade)."""
    _checked.discard(settings.sqlalchemy_url)
