"""The demo's capacity step: decisions taken, and the plan that frees the volunteers."""

from __future__ import annotations

from typing import Any

from smartmoves.pathway.create.capacity.decisions import DecisionIn, save_decisions
from smartmoves.pathway.create.capacity.hours import capacity_view
from smartmoves.pathway.create.capacity.plan import plan_for_pilot
from smartmoves.pathway.demo._pilot import DEMO, demo_pilot
from smartmoves.settings import Settings

__all__ = ["DEMO_TIME_LIMIT", "plan_demo", "step"]

# The demo's plan search: long enough to prove the most volunteers freed and the lightest
# load on the synthetic bank, short enough for `make demo`.
DEMO_TIME_LIMIT = 5.0


def plan_demo(settings: Settings, pilot_id: int) -> None:
    """Compute the demo pilot's plan and keep it as its current plan."""
    plan_for_pilot(settings, DEMO, pilot_id, time_limit=DEMO_TIME_LIMIT)


def step(settings: Settings, truth: dict[str, Any]) -> None:
    """The demo pilot accepts every suggestion (stop the eliminable, automate the highly
    automatable), relaxes the metric of one relationship activity it keeps, and keeps the
    plan that frees its volunteers."""
    pilot = demo_pilot(settings, truth)
    if pilot is None:
        return
    view = capacity_view(settings, DEMO, pilot.id)
    accepted = [
        DecisionIn(activity_id=a.activity_id, decision=a.suggested)
        for a in view.activities
        if a.suggested != "keep"
    ]
    # The judgement work the volunteers keep is no longer counted against the usual
    # throughput metric: the charters show it as a relaxed metric.
    kept = [a for a in view.activities if a.suggested == "keep" and a.category == "relationship"]
    accepted += [
        DecisionIn(
            activity_id=a.activity_id,
            decision="relax-metric",
            note="conversations per hour are not counted for pilot volunteers",
        )
        for a in kept[:1]
    ]
    save_decisions(settings, DEMO, pilot.id, accepted)
    plan_demo(settings, pilot.id)
