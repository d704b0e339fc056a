"""The operational store of a workspace, as the use cases open it, and its pilots."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from smartmoves.data.store import db, pilots
from smartmoves.data.store.models import Pilot
from smartmoves.data.workspace import (
    remove_stale_restores,
    remove_stale_staging,
    require_workspace,
)
from smartmoves.errors import NotFound
from smartmoves.pathway.policy import Account, Subject, may
from smartmoves.settings import Settings

_checked: set[str] = set()


def store(settings: Settings) -> Engine:
    """The shared engine of the workspace's store, its schema checked once per process."""
    require_workspace(settings)
    url = settings.sqlalchemy_url
    engine = db.engine_for(url)
    if url not in _checked:
        db.require_current(engine)
        # Opening the workspace clears what an import, a restore or a backup killed
        # halfway left behind.
        remove_stale_staging(settings.analytics_dir)
        remove_stale_restores(settings.workspace)
        _checked.add(url)
    return engine


def forget(settings: Settings) -> None:
    """Check the schema again next time (after an upgrade)."""
    _checked.discard(settings.sqlalchemy_url)


def existing_pilot(session: Session, pilot_id: int) -> Pilot:
    """The pilot ``pilot_id``; :class:`NotFound` (a 404 on the web) when there is none."""
    pilot = pilots.get_pilot(session, pilot_id)
    if pilot is None:
        raise NotFound(f"no pilot {pilot_id}")
    return pilot


def pilot_for(session: Session, account: Account, pilot_id: int) -> Pilot:
    """The pilot ``pilot_id`` as ``account`` may see it: a draft pilot does not exist for
    those who may not read drafts (members), so nothing reveals that it is being planned."""
    pilot = existing_pilot(session, pilot_id)
    if not may_read_pilot(account, pilot):
        raise NotFound(f"no pilot {pilot_id}")
    return pilot


def may_read_pilot(account: Account, pilot: Pilot) -> bool:
    """Whether ``account`` may know of ``pilot`` at all (members never of a draft)."""
    return may(account, "pilot.read", Subject(draft=pilot.status == "draft"))
