"""The demo's teams step: the 40 selected volunteers in 4 workgroups, and cells across them."""

from __future__ import annotations

from typing import Any

from smartmoves.data.store import db
from smartmoves.data.store.capacity import selected_volunteers
from smartmoves.pathway._store import store
from smartmoves.pathway.create.teams.cells import form_cells_for_pilot
from smartmoves.pathway.create.teams.workgroups import form_for_pilot
from smartmoves.pathway.demo._pilot import DEMO, demo_pilot
from smartmoves.settings import Settings

__all__ = ["DEMO_WORKGROUPS", "step"]

DEMO_WORKGROUPS = 4


def step(settings: Settings, truth: dict[str, Any]) -> None:
    """Form the demo pilot's workgroups and cells (nothing without selected volunteers)."""
    pilot = demo_pilot(settings, truth)
    if pilot is None:
        return
    with db.transaction(store(settings)) as session:
        if not selected_volunteers(session, pilot.id):
            return  # no volunteers selected: the demo builds without workgroups
    form_for_pilot(settings, DEMO, pilot.id, groups=DEMO_WORKGROUPS)
    form_cells_for_pilot(settings, DEMO, pilot.id)
