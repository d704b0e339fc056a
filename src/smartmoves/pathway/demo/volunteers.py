"""The demo's volunteers step: the call goes out and the admin selects 40 freed applicants."""

from __future__ import annotations

from typing import Any

from smartmoves.pathway.create.capacity.plan_read import read_current_plan
from smartmoves.pathway.create.volunteers.call import save_call
from smartmoves.pathway.create.volunteers.selection import SelectionIn, decide
from smartmoves.pathway.demo._pilot import DEMO, demo_pilot
from smartmoves.pathway.demo.capacity import plan_demo
from smartmoves.settings import Settings

__all__ = ["DEMO_SELECTED", "step"]

DEMO_SELECTED = 40  # the demo pilot's volunteers: 4 workgroups of 10


def step(settings: Settings, truth: dict[str, Any]) -> None:
    """The demo pilot's call goes out, and the admin selects exactly ``DEMO_SELECTED``
    applicants whom the capacity plan frees (the planted volunteers first); the plan is
    then computed again for the selected."""
    pilot = demo_pilot(settings, truth)
    if pilot is None:
        return
    save_call(settings, DEMO, pilot.id, None, open_call=True)
    plan = read_current_plan(settings, pilot.id)
    freed = [] if plan is None else sorted(r["person_id"] for r in plan.result["freed"])
    planted = set(truth["best_entry_point"]["volunteers"]["person_ids"])
    ranked = sorted(freed, key=lambda p: (p not in planted, p))[:DEMO_SELECTED]
    if not ranked:
        return
    chosen = [SelectionIn(person_id=p, status="selected") for p in ranked]
    decide(settings, DEMO, pilot.id, chosen)
    plan_demo(settings, pilot.id)
