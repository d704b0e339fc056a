"""Coaches and charters, on SQLite and PostgreSQL, on the small organization of
``orgfiles``: supervisors are P00 (CC), P08 (AR) and P14 (ADV); everyone else is not.

Workgroups are made directly in the store here, so these tests do not depend on how
workgroups are formed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmoves.data.store import coaching as coaching_store
from smartmoves.data.store import db
from smartmoves.errors import ConfigError, Forbidden, NotFound
from smartmoves.pathway import capacity, charters, coaching
from smartmoves.pathway._store import store
from smartmoves.pathway.access import Account
from smartmoves.pathway.charters import CharterContent
from smartmoves.pathway.imports import find_table_files, import_files
from smartmoves.pathway.pilots import create_pilot
from smartmoves.settings import Settings

from orgfiles import write_org
from services import new_workspace


@pytest.fixture(scope="module")
def site(module_store_backend: str | None, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("coaching")
    settings = new_workspace(folder / "ws", module_store_backend)
    import_files(settings, find_table_files(write_org(Path(folder) / "org")))
    return settings


def _members(i: int) -> list[str]:
    return [f"P{9 + i:02d}", f"P{12 + i % 2:02d}"][: 2 - i // 2]


def make_pilot(site: Settings, groups: int = 3, unit: str = "AR") -> tuple[int, list[int]]:
    """A pilot at ``unit`` with ``groups`` workgroups of two AR people each (P09...)."""
    pilot = create_pilot(site, f"{unit} pilot", unit_id=unit, min_pilot=1).id
    with db.transaction(store(site)) as session:
        ids = [
            coaching_store.add_workgroup(
                session,
                pilot,
                f"Group {i + 1}",
                [f"P{9 + i:02d}", f"P{12 + i % 2:02d}"][: 2 - i // 2],
            ).id
            for i in range(groups)
        ]
    return pilot, ids


def account(role: str, person_id: str | None = None) -> Account:
    return Account(1, f"{role}@bank.example", role, person_id, None)


def test_assigning_a_coach_creates_the_five_part_checklist(site: Settings) -> None:
    pilot, (first, *_) = make_pilot(site)
    coach = coaching.assign_coach(site, pilot, first, "P08", actor="admin@bank.example")
    assert coach.person_id == "P08" and coach.in_entry_point and coach.done == 0
    assert [w.id for w in coach.workgroups] == [first]
    assert [c.part for c in coach.checklist] == list(coaching.COACH_PARTS)
    assert all(c.status == "todo" and c.prompt for c in coach.checklist)
    assert "relaxed" in coach.checklist[1].prompt
    view = coaching.coaches_view(site, pilot)
    assert [c.person_id for c in view.coaches] == ["P08"]
    assert [c.person_id for c in view.candidates] == ["P08"]  # AR's only supervisor
    assert view.candidates[0].coaching == 1
    assert [w.coach_id for w in view.workgroups] == ["P08", None, None]


def test_a_coach_takes_at_most_two_workgroups(site: Settings) -> None:
    pilot, (a, b, c) = make_pilot(site)
    coaching.assign_coach(site, pilot, a, "P08")
    coaching.assign_coach(site, pilot, b, "P08")
    coaching.assign_coach(site, pilot, a, "P08")  # again on the same group: still two
    with pytest.raises(ConfigError, match=r"already coaches 2 workgroups.*at most 2"):
        coaching.assign_coach(site, pilot, c, "P08")
    # A supervisor from outside the entry point may coach; the view says so.
    other = coaching.assign_coach(site, pilot, c, "P00")
    assert not other.in_entry_point
    # Another pilot does not count against the two.
    second, (d, *_) = make_pilot(site, groups=1)
    assert coaching.assign_coach(site, second, d, "P08").workgroups[0].id == d


def test_removing_a_coach_frees_a_place_and_keeps_the_checklist(site: Settings) -> None:
    pilot, (a, b, c) = make_pilot(site)
    coaching.assign_coach(site, pilot, a, "P08")
    coaching.assign_coach(site, pilot, b, "P08")
    coaching.update_check(site, pilot, "P08", "expectations", status="done", notes="Shared the why")
    group = coaching.remove_coach(site, pilot, a, actor="admin@bank.example")
    assert group.id == a and group.coach_id is None
    assert coaching.remove_coach(site, pilot, a).coach_id is None  # twice: no change
    view = coaching.coaches_view(site, pilot)
    assert [w.coach_id for w in view.workgroups] == [None, "P08", None]
    assert view.candidates[0].coaching == 1
    # Room again for a second workgroup, and the checklist is as it was left.
    again = coaching.assign_coach(site, pilot, c, "P08")
    kept = next(part for part in again.checklist if part.part == "expectations")
    assert kept.status == "done" and kept.notes == "Shared the why"
    coaching.remove_coach(site, pilot, b)
    coaching.remove_coach(site, pilot, c)
    assert coaching.coaches_view(site, pilot).coaches == []
    with pytest.raises(NotFound, match="P08 coaches no workgroup"):
        coaching.coach_of(site, pilot, "P08")
    other, _ = make_pilot(site, groups=1)
    with pytest.raises(NotFound, match=f"no workgroup {a} in pilot {other}"):
        coaching.remove_coach(site, other, a)


def test_only_frontline_supervisors_coach(site: Settings) -> None:
    pilot, (a, *_) = make_pilot(site)
    with pytest.raises(ConfigError, match="P09 is not a frontline supervisor"):
        coaching.assign_coach(site, pilot, a, "P09")
    with pytest.raises(NotFound, match="no person 'P99'"):
        coaching.assign_coach(site, pilot, a, "P99")
    other, _ = make_pilot(site, groups=1)
    with pytest.raises(NotFound, match=f"no workgroup {a} in pilot {other}"):
        coaching.assign_coach(site, other, a, "P08")
    assert coaching.coaches_view(site, pilot).coaches == []


def test_checklist_updates_keep_status_and_notes(site: Settings) -> None:
    pilot, (a, b, _) = make_pilot(site)
    coaching.assign_coach(site, pilot, a, "P08")
    view = coaching.update_check(
        site, pilot, "P08", "performance", status="in_progress", notes=" Handling time relaxed "
    )
    part = next(c for c in view.checklist if c.part == "performance")
    assert part.status == "in_progress" and part.notes == "Handling time relaxed"
    view = coaching.update_check(site, pilot, "P08", "performance", status="done")
    part = next(c for c in view.checklist if c.part == "performance")
    assert part.notes == "Handling time relaxed" and view.done == 1
    # A second workgroup keeps the checklist the coach already worked on.
    again = coaching.assign_coach(site, pilot, b, "P08")
    assert again.done == 1 and len(again.checklist) == 5
    with pytest.raises(ConfigError, match="unknown status 'finished'"):
        coaching.update_check(site, pilot, "P08", "focus", status="finished")
    with pytest.raises(ConfigError, match="unknown part"):
        coaching.update_check(site, pilot, "P08", "vision", status="done")
    with pytest.raises(NotFound, match="P00 coaches no workgroup"):
        coaching.update_check(site, pilot, "P00", "focus", status="done")


def test_checklist_access_is_the_coach_or_a_sponsor() -> None:
    assert coaching.may_update_checklist(account("admin"), "P08")
    assert coaching.may_update_checklist(account("champion"), "P08")
    assert coaching.may_update_checklist(account("supervisor", "P08"), "P08")
    assert not coaching.may_update_checklist(account("supervisor", "P00"), "P08")
    assert not coaching.may_update_checklist(account("supervisor"), "P08")
    assert not coaching.may_update_checklist(account("member", "P08"), "P08")


def _charter(**changes: object) -> CharterContent:
    base = CharterContent(
        objective="Customers stay after a collection event",
        starting_problem="Customers in hardship do not know a payment plan is possible",
    )
    return base.model_copy(update=changes)


def test_every_save_adds_a_version_and_sets_the_focus(site: Settings) -> None:
    pilot, (a, *_) = make_pilot(site)
    first = charters.save_charter(site, a, _charter(), pilot_id=pilot, actor="coach@x")
    assert first.current is not None and first.current.version == 1
    assert first.current.created_by == "coach@x"
    assert {c.field for c in first.current.changes} == {"objective", "starting_problem"}
    second = charters.save_charter(
        site,
        a,
        _charter(starting_problem="First call after a missed payment", may_touch="Early arrears"),
        actor="champion@x",
    )
    assert [v.version for v in second.versions] == [2, 1]
    changes = {c.field: (c.before, c.after) for c in second.versions[0].changes}
    assert changes == {
        "starting_problem": (
            "Customers in hardship do not know a payment plan is possible",
            "First call after a missed payment",
        ),
        "may_touch": ("", "Early arrears"),
    }
    # Version 1 is kept as it was.
    assert second.versions[1].content.starting_problem.startswith("Customers in hardship")
    # Saving what version 2 already says (spaces aside) adds no version.
    same = _charter(
        starting_problem=" First call after a missed payment ", may_touch="Early arrears"
    )
    again = charters.save_charter(site, a, same, actor="champion@x")
    assert [v.version for v in again.versions] == [2, 1]
    page = charters.workgroup_view(site, pilot, a)
    assert page.focus == "First call after a missed payment"
    assert page.connect_href == f"/pilots/{pilot}/workgroups/{a}/connect"
    assert [m.person_id for m in page.members] == ["P09", "P12"]


def test_a_charter_needs_an_objective_and_a_starting_problem(site: Settings) -> None:
    _, (a, *_) = make_pilot(site)
    with pytest.raises(ConfigError, match=r"missing: objective, starting problem"):
        charters.save_charter(site, a, CharterContent(objective="  ", shared_outcome="x"))
    with pytest.raises(ConfigError, match=r"missing: starting problem"):
        charters.save_charter(site, a, CharterContent(objective="New value"))
    with pytest.raises(ConfigError, match="longer than 4000"):
        charters.save_charter(site, a, _charter(support="x" * 4001))
    assert charters.charter_view(site, a).versions == []


def test_relaxed_metrics_come_from_the_capacity_decisions(site: Settings) -> None:
    pilot, (a, *_) = make_pilot(site)
    capacity.save_decisions(
        site,
        pilot,
        [
            capacity.DecisionIn(activity_id="A-CALLS", decision="relax-metric", note="no AHT"),
            capacity.DecisionIn(activity_id="A-RECON", decision="automate"),
        ],
    )
    draft = charters.charter_view(site, a).draft
    assert draft.relaxed_metrics == ["Answer customer calls (A-CALLS): no AHT"]
    assert "good-faith" in draft.performance
    assert coaching.coaches_view(site, pilot).relaxed_metrics == draft.relaxed_metrics


def test_who_reads_and_edits_a_workgroup(site: Settings) -> None:
    pilot, (a, b, _) = make_pilot(site)
    coaching.assign_coach(site, pilot, a, "P08")
    assert charters.workgroup_view(site, pilot, a, account=account("champion")).can_edit
    assert charters.workgroup_view(site, pilot, a, account=account("supervisor", "P08")).can_edit
    assert not charters.workgroup_view(
        site, pilot, a, account=account("supervisor", "P00")
    ).can_edit
    member = account("member", "P09")  # in group 1
    assert not charters.workgroup_view(site, pilot, a, account=member).can_edit
    with pytest.raises(Forbidden):
        charters.workgroup_view(site, pilot, b, account=member)
    with pytest.raises(Forbidden):
        charters.save_charter(site, a, _charter(), account=member)
    with pytest.raises(Forbidden):
        charters.save_charter(site, a, _charter(), account=account("supervisor", "P00"))
    saved = charters.save_charter(site, a, _charter(), account=account("supervisor", "P08"))
    assert saved.current is not None
    assert charters.charter_view(site, a, account=member).current == saved.current


def test_demo_step_coaches_and_charters_every_workgroup(site: Settings) -> None:
    pilot, groups = make_pilot(site, groups=2, unit="CC")
    coaching.demo_step(site, {"best_entry_point": {"unit_id": "CC"}})
    view = coaching.coaches_view(site, pilot)
    assert [w.coach_id for w in view.workgroups] == ["P00", "P00"]  # CC's one supervisor
    (coach,) = view.coaches
    assert {c.status for c in coach.checklist} == {"done", "in_progress", "todo"}
    focuses = [w.focus or "" for w in view.workgroups]
    assert "payment plan" in focuses[0] and "missed payment" in focuses[1]
    assert all(charters.charter_view(site, g).current for g in groups)
    # No pilot at the entry point, or no workgroups: nothing happens.
    coaching.demo_step(site, {"best_entry_point": {"unit_id": "NOWHERE"}})
