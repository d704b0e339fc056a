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
from smartmoves.data.store.models import WorkgroupMember
from smartmoves.errors import ConfigError, Conflict, Forbidden, NotFound
from smartmoves.pathway._store import store
from smartmoves.pathway.create import capacity, coaching
from smartmoves.pathway.create.coaching.charters import CharterContent
from smartmoves.pathway.demo import coaching as demo_coaching
from smartmoves.pathway.pilots import create_pilot, set_pilot_status
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.settings import Settings

from orgfiles import write_org
from services import ADMIN, account, new_workspace


@pytest.fixture(scope="module")
def site(module_store_backend: str | None, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("coaching")
    settings = new_workspace(folder / "ws", module_store_backend)
    import_files(settings, find_table_files(write_org(Path(folder) / "org")))
    return settings


def _members(i: int) -> list[str]:
    return [f"P{9 + i:02d}", f"P{12 + i % 2:02d}"][: 2 - i // 2]


def make_pilot(
    site: Settings, groups: int = 3, unit: str = "AR", status: str = "running"
) -> tuple[int, list[int]]:
    """A pilot at ``unit`` with ``groups`` workgroups of two AR people each (P09...)."""
    pilot = create_pilot(site, ADMIN, f"{unit} pilot", unit_id=unit, min_pilot=1).id
    if status != "draft":
        set_pilot_status(site, ADMIN, pilot, status)
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


def test_assigning_a_coach_creates_the_five_part_checklist(site: Settings) -> None:
    pilot, (first, *_) = make_pilot(site)
    coach = coaching.assign_coach(site, account("admin"), pilot, first, "P08")
    assert coach.person_id == "P08" and coach.in_entry_point and coach.done == 0
    assert [w.id for w in coach.workgroups] == [first]
    assert [c.part for c in coach.checklist] == list(coaching.COACH_PARTS)
    assert all(c.status == "todo" and c.prompt for c in coach.checklist)
    assert "relaxed" in coach.checklist[1].prompt
    view = coaching.coaches_view(site, ADMIN, pilot)
    assert [c.person_id for c in view.coaches] == ["P08"]
    assert [c.person_id for c in view.candidates] == ["P08"]  # AR's only supervisor
    assert view.candidates[0].coaching == 1
    assert [w.coach_id for w in view.workgroups] == ["P08", None, None]


def test_a_coach_takes_at_most_two_workgroups(site: Settings) -> None:
    pilot, (a, b, c) = make_pilot(site)
    coaching.assign_coach(site, ADMIN, pilot, a, "P08")
    coaching.assign_coach(site, ADMIN, pilot, b, "P08")
    coaching.assign_coach(site, ADMIN, pilot, a, "P08")  # again on the same group: still two
    with pytest.raises(ConfigError, match=r"already coaches 2 workgroups.*at most 2"):
        coaching.assign_coach(site, ADMIN, pilot, c, "P08")
    # A supervisor from outside the entry point may coach; the view says so.
    other = coaching.assign_coach(site, ADMIN, pilot, c, "P00")
    assert not other.in_entry_point
    # Another pilot does not count against the two.
    second, (d, *_) = make_pilot(site, groups=1)
    assert coaching.assign_coach(site, ADMIN, second, d, "P08").workgroups[0].id == d


def test_removing_a_coach_frees_a_place_and_keeps_the_checklist(site: Settings) -> None:
    pilot, (a, b, c) = make_pilot(site)
    coaching.assign_coach(site, ADMIN, pilot, a, "P08")
    coaching.assign_coach(site, ADMIN, pilot, b, "P08")
    coaching.update_check(
        site, ADMIN, pilot, "P08", "expectations", status="done", notes="Shared the why"
    )
    group = coaching.remove_coach(site, account("admin"), pilot, a)
    assert group.id == a and group.coach_id is None
    assert coaching.remove_coach(site, ADMIN, pilot, a).coach_id is None  # twice: no change
    view = coaching.coaches_view(site, ADMIN, pilot)
    assert [w.coach_id for w in view.workgroups] == [None, "P08", None]
    assert view.candidates[0].coaching == 1
    # Room again for a second workgroup, and the checklist is as it was left.
    again = coaching.assign_coach(site, ADMIN, pilot, c, "P08")
    kept = next(part for part in again.checklist if part.part == "expectations")
    assert kept.status == "done" and kept.notes == "Shared the why"
    coaching.remove_coach(site, ADMIN, pilot, b)
    coaching.remove_coach(site, ADMIN, pilot, c)
    assert coaching.coaches_view(site, ADMIN, pilot).coaches == []
    with pytest.raises(NotFound, match="P08 coaches no workgroup"):
        coaching.coach_of(site, ADMIN, pilot, "P08")
    other, _ = make_pilot(site, groups=1)
    with pytest.raises(NotFound, match=f"no workgroup {a} in pilot {other}"):
        coaching.remove_coach(site, ADMIN, other, a)


def test_only_frontline_supervisors_coach(site: Settings) -> None:
    pilot, (a, *_) = make_pilot(site)
    with pytest.raises(ConfigError, match="P09 is not a frontline supervisor"):
        coaching.assign_coach(site, ADMIN, pilot, a, "P09")
    with pytest.raises(NotFound, match="no person 'P99'"):
        coaching.assign_coach(site, ADMIN, pilot, a, "P99")
    other, _ = make_pilot(site, groups=1)
    with pytest.raises(NotFound, match=f"no workgroup {a} in pilot {other}"):
        coaching.assign_coach(site, ADMIN, other, a, "P08")
    assert coaching.coaches_view(site, ADMIN, pilot).coaches == []


def test_checklist_updates_keep_status_and_notes(site: Settings) -> None:
    pilot, (a, b, _) = make_pilot(site)
    coaching.assign_coach(site, ADMIN, pilot, a, "P08")
    view = coaching.update_check(
        site,
        ADMIN,
        pilot,
        "P08",
        "performance",
        status="in_progress",
        notes=" Handling time relaxed ",
    )
    part = next(c for c in view.checklist if c.part == "performance")
    assert part.status == "in_progress" and part.notes == "Handling time relaxed"
    view = coaching.update_check(site, ADMIN, pilot, "P08", "performance", status="done")
    part = next(c for c in view.checklist if c.part == "performance")
    assert part.notes == "Handling time relaxed" and view.done == 1
    # A second workgroup keeps the checklist the coach already worked on.
    again = coaching.assign_coach(site, ADMIN, pilot, b, "P08")
    assert again.done == 1 and len(again.checklist) == 5
    with pytest.raises(ConfigError, match="unknown status 'finished'"):
        coaching.update_check(site, ADMIN, pilot, "P08", "focus", status="finished")
    with pytest.raises(ConfigError, match="unknown part"):
        coaching.update_check(site, ADMIN, pilot, "P08", "vision", status="done")
    with pytest.raises(NotFound, match="P00 coaches no workgroup"):
        coaching.update_check(site, ADMIN, pilot, "P00", "focus", status="done")


def _charter(**changes: object) -> CharterContent:
    base = CharterContent(
        objective="Customers stay after a collection event",
        starting_problem="Customers in hardship do not know a payment plan is possible",
    )
    return base.model_copy(update=changes)


def test_every_save_adds_a_version_and_sets_the_focus(site: Settings) -> None:
    pilot, (a, *_) = make_pilot(site)
    first = coaching.save_charter(
        site, account("admin", email="coach@x"), a, _charter(), pilot_id=pilot
    )
    assert first.current is not None and first.current.version == 1
    assert first.current.created_by == "coach@x"
    assert {c.field for c in first.current.changes} == {"objective", "starting_problem"}
    champion = account("champion", email="champion@x")
    second = coaching.save_charter(
        site,
        champion,
        a,
        _charter(starting_problem="First call after a missed payment", may_touch="Early arrears"),
    )
    assert second.versions[0].created_by == "champion@x"
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
    again = coaching.save_charter(site, champion, a, same)
    assert [v.version for v in again.versions] == [2, 1]
    page = coaching.workgroup_view(site, ADMIN, pilot, a)
    assert page.focus == "First call after a missed payment"
    assert page.connect_href == f"/pilots/{pilot}/workgroups/{a}/connect"
    assert [m.person_id for m in page.members] == ["P09", "P12"]


def test_a_charter_needs_an_objective_and_a_starting_problem(site: Settings) -> None:
    _, (a, *_) = make_pilot(site)
    with pytest.raises(ConfigError, match=r"missing: objective, starting problem"):
        coaching.save_charter(site, ADMIN, a, CharterContent(objective="  ", shared_outcome="x"))
    with pytest.raises(ConfigError, match=r"missing: starting problem"):
        coaching.save_charter(site, ADMIN, a, CharterContent(objective="New value"))
    with pytest.raises(ConfigError, match="longer than 4000"):
        coaching.save_charter(site, ADMIN, a, _charter(support="x" * 4001))
    assert coaching.charter_view(site, ADMIN, a).versions == []


def test_relaxed_metrics_come_from_the_capacity_decisions(site: Settings) -> None:
    pilot, (a, *_) = make_pilot(site)
    capacity.save_decisions(
        site,
        ADMIN,
        pilot,
        [
            capacity.DecisionIn(activity_id="A-CALLS", decision="relax-metric", note="no AHT"),
            capacity.DecisionIn(activity_id="A-RECON", decision="automate"),
        ],
    )
    draft = coaching.charter_view(site, ADMIN, a).draft
    assert draft.relaxed_metrics == ["Answer customer calls (A-CALLS): no AHT"]
    assert "good-faith" in draft.performance
    assert coaching.coaches_view(site, ADMIN, pilot).relaxed_metrics == draft.relaxed_metrics


def test_who_reads_and_edits_a_workgroup(site: Settings) -> None:
    pilot, (a, b, _) = make_pilot(site)
    coaching.assign_coach(site, ADMIN, pilot, a, "P08")
    assert coaching.workgroup_view(site, account("champion"), pilot, a).can_edit
    assert coaching.workgroup_view(site, account("supervisor", "P08"), pilot, a).can_edit
    assert not coaching.workgroup_view(site, account("supervisor", "P00"), pilot, a).can_edit
    member = account("member", "P09")  # in group 1
    assert not coaching.workgroup_view(site, member, pilot, a).can_edit
    with pytest.raises(Forbidden, match="their own workgroup only"):
        coaching.workgroup_view(site, member, pilot, b)
    with pytest.raises(Forbidden, match="their own workgroup only"):
        coaching.charter_view(site, member, b)
    with pytest.raises(Forbidden, match="workgroup's coach edit its charter"):
        coaching.save_charter(site, member, a, _charter())
    with pytest.raises(Forbidden, match="workgroup's coach edit its charter"):
        coaching.save_charter(site, account("supervisor", "P00"), a, _charter())
    saved = coaching.save_charter(site, account("supervisor", "P08"), a, _charter())
    assert saved.current is not None and saved.current.created_by == "supervisor@bank.example"
    assert coaching.charter_view(site, member, a).current == saved.current


def test_the_connect_link_is_for_those_who_may_open_it(site: Settings) -> None:
    pilot, (a, *_) = make_pilot(site)
    coaching.assign_coach(site, ADMIN, pilot, a, "P08")
    link = f"/pilots/{pilot}/workgroups/{a}/connect"
    for who in (account("champion"), account("supervisor", "P08"), account("member", "P09")):
        assert coaching.workgroup_view(site, who, pilot, a).connect_href == link
    # A supervisor who does not coach it reads the page, without a link they cannot open.
    assert (
        coaching.workgroup_view(site, account("supervisor", "P00"), pilot, a).connect_href is None
    )


def test_a_draft_pilot_s_workgroups_do_not_exist_for_members(site: Settings) -> None:
    pilot, (a, *_) = make_pilot(site, status="draft")
    with pytest.raises(NotFound, match=f"no pilot {pilot}"):
        coaching.workgroup_view(site, account("member", "P09"), pilot, a)
    with pytest.raises(NotFound, match=f"no pilot {pilot}"):
        coaching.charter_view(site, account("member", "P09"), a)
    assert coaching.workgroup_view(site, account("supervisor"), pilot, a).members


def test_a_save_from_an_older_version_overwrites_nothing(site: Settings) -> None:
    pilot, (a, *_) = make_pilot(site)
    coach = account("supervisor", "P08")
    coaching.assign_coach(site, ADMIN, pilot, a, "P08")
    opened = coaching.charter_view(site, coach, a)  # both open the empty form: version 0
    assert opened.version == 0
    champion = account("champion")
    first = coaching.save_charter(site, champion, a, _charter(), base_version=opened.version)
    assert first.version == 1
    late = _charter(shared_outcome="The coach's text")
    with pytest.raises(Conflict) as refused:
        coaching.save_charter(site, coach, a, late, base_version=opened.version)
    message = refused.value.message
    assert "someone saved version 1 of this charter meanwhile" in message
    assert "champion@bank.example" in message and "nothing was overwritten" in message
    assert [v.version for v in coaching.charter_view(site, ADMIN, a).versions] == [1]
    # Saved on top of version 1, it is version 2; the same text as the current adds nothing.
    assert coaching.save_charter(site, coach, a, late, base_version=1).version == 2
    assert coaching.save_charter(site, coach, a, late, base_version=0).version == 2
    with pytest.raises(ConfigError, match=r"base_version must be a version of this charter"):
        coaching.save_charter(site, coach, a, _charter(support="x"), base_version=7)
    # Without a base version (the command line reads and saves at once) it is saved.
    assert coaching.save_charter(site, ADMIN, a, _charter(support="y")).version == 3


def test_the_policy_decides_who_assigns_coaches_and_updates_checklists(site: Settings) -> None:
    pilot, (a, *_) = make_pilot(site)
    for who in (account("supervisor", "P08"), account("member", "P09")):
        with pytest.raises(Forbidden, match="admins and champions assign coaches"):
            coaching.assign_coach(site, who, pilot, a, "P08")
    coaching.assign_coach(site, account("champion"), pilot, a, "P08")
    with pytest.raises(Forbidden, match="admins and champions assign coaches"):
        coaching.remove_coach(site, account("supervisor", "P08"), pilot, a)
    with pytest.raises(Forbidden, match="the coaches' page is for"):
        coaching.coaches_view(site, account("member", "P09"), pilot)
    assert coaching.coaches_view(site, account("supervisor", "P00"), pilot).coaches
    for who in (account("supervisor", "P00"), account("supervisor"), account("member", "P09")):
        with pytest.raises(Forbidden, match="the coach themself update a checklist"):
            coaching.update_check(site, who, pilot, "P08", "focus", status="done")
    for who in (account("champion"), account("admin"), account("supervisor", "P08")):
        coaching.update_check(site, who, pilot, "P08", "focus", status="in_progress")
    assert coaching.coach_of(site, ADMIN, pilot, "P08").checklist[3].status == "in_progress"


def test_demo_step_coaches_and_charters_every_workgroup(site: Settings) -> None:
    pilot, groups = make_pilot(site, groups=2, unit="CC")
    demo_coaching.step(site, {"best_entry_point": {"unit_id": "CC"}})
    view = coaching.coaches_view(site, ADMIN, pilot)
    assert [w.coach_id for w in view.workgroups] == ["P00", "P00"]  # CC's one supervisor
    (coach,) = view.coaches
    assert {c.status for c in coach.checklist} == {"done", "in_progress", "todo"}
    focuses = [w.focus or "" for w in view.workgroups]
    assert "payment plan" in focuses[0] and "missed payment" in focuses[1]
    assert all(coaching.charter_view(site, ADMIN, g).current for g in groups)
    # No pilot at the entry point, or no workgroups: nothing happens.
    demo_coaching.step(site, {"best_entry_point": {"unit_id": "NOWHERE"}})


def test_the_kept_coaches_page_follows_every_change(site: Settings) -> None:
    # The page is kept between views: each change below must show on the next one.
    pilot, (a, b, _) = make_pilot(site)
    first = coaching.coaches_view(site, ADMIN, pilot)
    assert first.coaches == [] and first.relaxed_metrics == []
    coaching.assign_coach(site, ADMIN, pilot, a, "P08")
    assigned = coaching.coaches_view(site, ADMIN, pilot)
    assert [c.person_id for c in assigned.coaches] == ["P08"] and "P08" in assigned.who
    coaching.update_check(site, ADMIN, pilot, "P08", "focus", status="done")
    assert coaching.coaches_view(site, ADMIN, pilot).coaches[0].done == 1
    with db.transaction(store(site)) as session:
        group = coaching_store.get_workgroup(session, b)
        assert group is not None
        group.focus = "Fewer broken payment plans"
        session.add(WorkgroupMember(pilot_id=pilot, workgroup_id=b, person_id="P14"))
    changed = {w.id: w for w in coaching.coaches_view(site, ADMIN, pilot).workgroups}
    assert changed[b].focus == "Fewer broken payment plans" and changed[b].members == 3
    capacity.save_decisions(
        site, ADMIN, pilot, [capacity.DecisionIn(activity_id="A-CALLS", decision="relax-metric")]
    )
    assert coaching.coaches_view(site, ADMIN, pilot).relaxed_metrics
    # Who each person is stays the reader's own: a supervisor is asked under the policy.
    assert coaching.coaches_view(site, account("supervisor", "P00"), pilot).who.keys() == (
        coaching.coaches_view(site, ADMIN, pilot).who.keys()
    )
