"""The demo pilot's steps: decisions and a plan, the call and the selection."""

from __future__ import annotations

from smartmoves.pathway.create import capacity, volunteers
from smartmoves.pathway.demo.volunteers import DEMO_SELECTED
from smartmoves.pathway.pilots import list_pilots

from demoworkspace import Demo
from services import ADMIN


def test_the_demo_pilot_has_decisions_and_a_plan(demo: Demo) -> None:
    settings, truth = demo.settings, demo.truth
    (pilot,) = list_pilots(settings, ADMIN)
    view = capacity.capacity_view(settings, ADMIN, pilot.id)
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
    saved = capacity.read_current_plan(settings, pilot.id)
    assert saved is not None and saved.created_by == "demo"
    # Every planted volunteer applied, and the bank is built so that they can be freed.
    freed = {r["person_id"] for r in saved.result["freed"]}
    assert set(truth["best_entry_point"]["volunteers"]["person_ids"]) <= freed
    assert all(r["load_share_after"] <= 1.0 for r in saved.result["receivers"])


def test_the_demo_pilot_opens_its_call_and_selects_freed_volunteers(demo: Demo) -> None:
    settings, truth = demo.settings, demo.truth
    (pilot,) = list_pilots(settings, ADMIN)
    # The demo's call is the default one, which states that nobody is penalized.
    call = volunteers.call_view(settings, ADMIN, pilot.id)
    # It has run since the week the bank planted its effect (the frontline step).
    assert pilot.status == "running" and call.is_default
    assert pilot.started_on is not None
    assert pilot.started_on.isoformat() == truth["pilot_effect"]["start_date"]
    assert "Nobody is penalized" in call.text and call.warnings == []
    view = volunteers.volunteers_view(settings, ADMIN, pilot.id)
    selected = [r for r in view.rows or [] if r.selection == "selected"]
    planted = set(truth["best_entry_point"]["volunteers"]["person_ids"])
    # The small bank has fewer than 40 freed applicants: every one of them is selected.
    assert planted <= {r.person_id for r in selected} and len(selected) <= DEMO_SELECTED
    assert all(r.plan == "freed" and r.decided_by == "demo" for r in selected)
    saved = capacity.read_current_plan(settings, pilot.id)
    assert saved is not None and saved.created_by == "demo"
    assert saved.parameters["volunteers_source"] == "selected"
    assert len(saved.result["freed"]) == len(selected) and not saved.result["not_freed"]
