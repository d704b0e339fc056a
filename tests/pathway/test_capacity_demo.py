"""The demo pilot accepts the suggestions and keeps a plan that frees its volunteers."""

from __future__ import annotations

import json
from pathlib import Path

from smartmoves.pathway import capacity, capacity_plan
from smartmoves.pathway.demo import build_demo
from smartmoves.pathway.pilots import list_pilots
from smartmoves.settings import get_settings


def test_the_demo_pilot_has_decisions_and_a_plan(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    build_demo(folder, people=300, weeks=4, seed=0)
    settings = get_settings(folder)
    truth = json.loads((folder / "source" / "truth.json").read_text(encoding="utf-8"))
    (pilot,) = list_pilots(settings)
    view = capacity.capacity_view(settings, pilot.id, person_level=True)
    decided = {d.activity_id: d.decision for d in view.decisions}
    relaxed = [a for a in view.activities if decided.get(a.activity_id) == "relax-metric"]
    assert len(relaxed) == 1 and relaxed[0].suggested == "keep"
    assert relaxed[0].category == "relationship"
    for a in view.activities:
        if a not in relaxed:
            assert decided.get(a.activity_id, "keep") == a.suggested
        if a.eliminable:
            assert decided[a.activity_id] == "stop"
        elif a.automation_share is not None and a.automation_share >= 0.7:
            assert decided[a.activity_id] == "automate"
    assert view.plan is not None and view.plan.status in ("optimal", "feasible")
    assert pilot.min_pilot <= (view.plan.freed_count or 0) <= pilot.max_pilot
    saved = capacity_plan.read_current_plan(settings, pilot.id)
    assert saved is not None and saved.created_by == "demo"
    # Every planted volunteer applied, and the bank is built so that they can be freed.
    freed = {r["person_id"] for r in saved.result["freed"]}
    assert set(truth["best_entry_point"]["volunteers"]["person_ids"]) <= freed
    assert all(r["load_share_after"] <= 1.0 for r in saved.result["receivers"])
