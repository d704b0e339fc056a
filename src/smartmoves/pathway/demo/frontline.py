"""The demo's frontline step: the pilot runs from the week the synthetic bank planted its
effect, and each of its frontline metrics gets a target (its baseline plus the lift the
organization thinks a pilot could make, twelve weeks after the start)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from smartmoves.data.store import db
from smartmoves.data.store.models import Metric
from smartmoves.pathway._store import store
from smartmoves.pathway.act.frontline import frontline_view, set_target
from smartmoves.pathway.demo._pilot import DEMO, demo_pilot
from smartmoves.pathway.pilots import set_pilot_status
from smartmoves.settings import Settings

__all__ = ["TARGET_WEEKS", "step"]

TARGET_WEEKS = 12


def step(settings: Settings, truth: dict[str, Any]) -> None:
    """Start the demo pilot on the planted date and give its metrics targets."""
    pilot = demo_pilot(settings, truth)
    start = truth.get("pilot_effect", {}).get("start_date")
    if pilot is None or not start:
        return
    started = dt.date.fromisoformat(start)
    set_pilot_status(settings, DEMO, pilot.id, "running", started_on=started)
    view = frontline_view(settings, DEMO, pilot.id)
    with db.transaction(store(settings)) as session:
        lifts = {
            m.metric_id: (m.attributes or {}).get("lift")
            for m in session.query(Metric).filter(Metric.level == "frontline")
        }
    for panel in view.metrics:
        lift = lifts.get(panel.metric_id)
        if panel.baseline is None or not isinstance(lift, int | float):
            continue
        set_target(
            settings,
            DEMO,
            pilot.id,
            metric_id=panel.metric_id,
            value=round(panel.baseline + float(lift), 2),
            by=started + dt.timedelta(weeks=TARGET_WEEKS),
        )
