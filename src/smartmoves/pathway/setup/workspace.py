"""Create a workspace and keep its operational store's schema current."""

from __future__ import annotations

from pathlib import Path

from smartmoves.data.store import db
from smartmoves.data.workspace import create_workspace, require_workspace
from smartmoves.pathway._store import forget
from smartmoves.settings import Settings, get_settings

__all__ = ["init_workspace", "store_status", "upgrade_store"]


def init_workspace(folder: Path, *, min_group_size: int = 5) -> Path:
    """Create the workspace files in ``folder`` and its store's schema."""
    path = create_workspace(folder, min_group_size=min_group_size)
    upgrade_store(get_settings(path))
    return path


def upgrade_store(settings: Settings) -> str | None:
    require_workspace(settings)
    engine = db.connect(settings.sqlalchemy_url)
    try:
        return db.upgrade(engine)
    finally:
        forget(settings)
        engine.dispose()


def store_status(settings: Settings) -> tuple[str | None, str | None]:
    require_workspace(settings)
    engine = db.connect(settings.sqlalchemy_url)
    try:
        return db.current_revision(engine), db.head_revision()
    finally:
        engine.dispose()
