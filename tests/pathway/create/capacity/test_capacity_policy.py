"""Create capacity through the policy, on SQLite and PostgreSQL: who may read, decide and
plan (in the use case, whatever the interface); the plan's bounds in the form's words;
and a slow plan that never overwrites a newer save.

The small organization of ``orgfiles``: accounts receivable (AR), P08-P13, P09 applied.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from smartmoves.data.store import db
from smartmoves.data.store.models import Selection
from smartmoves.engines.capacity import Consolidation
from smartmoves.errors import ConfigError, Conflict, Forbidden, NotFound
from smartmoves.pathway._store import store
from smartmoves.pathway.create import capacity
from smartmoves.pathway.create.capacity.decisions import DecisionIn
from smartmoves.pathway.pilots import create_pilot
from smartmoves.pathway.policy import Account
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.settings import Settings

from orgfiles import write_org
from services import ADMIN, account, new_workspace

ACCEPTED = [
    DecisionIn(activity_id="A-RECON", decision="automate"),
    DecisionIn(activity_id="A-REPORT", decision="stop"),
]
CHAMPION = account("champion", "P01")
SUPERVISOR = account("supervisor", "P08")
MEMBER = account("member", "P09")
LOAD = "most load per receiver: 0.1 to 1.5 times their contracted hours (1.0 is a full week)"


@pytest.fixture(scope="module")
def site(module_store_backend: str | None, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder: Path = tmp_path_factory.mktemp("capacity-policy")
    settings = new_workspace(folder / "ws", module_store_backend)
    import_files(settings, find_table_files(write_org(folder / "org")))
    return settings


def _pilot(site: Settings) -> int:
    return create_pilot(site, ADMIN, "AR pilot", unit_id="AR", min_pilot=1).id


def test_champions_and_supervisors_read_aggregates_members_nothing(site: Settings) -> None:
    pilot = _pilot(site)
    capacity.save_decisions(site, ADMIN, pilot, ACCEPTED)
    capacity.plan_for_pilot(site, ADMIN, pilot, time_limit=5)
    admin = capacity.capacity_view(site, ADMIN, pilot)
    assert admin.person_level and admin.activities[0].person_ids
    for reader in (CHAMPION, SUPERVISOR):
        view = capacity.capacity_view(site, reader, pilot)
        assert not view.person_level and all(a.person_ids is None for a in view.activities)
        plan = capacity.current_plan_view(site, reader, pilot)
        assert plan.freed is plan.receivers is None and plan.receivers_count == 5
    with pytest.raises(Forbidden, match="capacity is for admins, champions and supervisors"):
        capacity.capacity_view(site, MEMBER, pilot)
    with pytest.raises(Forbidden):
        capacity.current_plan_view(site, MEMBER, pilot)


@pytest.mark.parametrize("who", [CHAMPION, SUPERVISOR, MEMBER], ids=lambda a: a.role)
def test_only_admins_decide_plan_and_see_who_does_what(site: Settings, who: Account) -> None:
    pilot = _pilot(site)
    with pytest.raises(Forbidden, match="admins decide what to automate, stop or keep"):
        capacity.save_decisions(site, who, pilot, ACCEPTED)
    with pytest.raises(Forbidden, match="admins compute the capacity plan"):
        capacity.plan_for_pilot(site, who, pilot, time_limit=5)
    with pytest.raises(Forbidden):
        capacity.suggest_for_pilot(site, who, pilot)
    assert capacity.capacity_view(site, ADMIN, pilot).decisions == []
    assert capacity.read_current_plan(site, pilot) is None


def test_the_admin_is_the_audit_actor(site: Settings) -> None:
    pilot = _pilot(site)
    capacity.save_decisions(site, account("admin"), pilot, ACCEPTED)
    saved = capacity.plan_for_pilot(site, account("admin"), pilot, time_limit=5)
    assert saved.created_by == "admin@bank.example"
    with pytest.raises(NotFound):
        capacity.capacity_view(site, ADMIN, 9999)


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"max_load": 5}, [f"{LOAD}, not 5"]),
        ({"max_load": 0.05}, [f"{LOAD}, not 0.05"]),
        ({"max_load": float("nan")}, [f"{LOAD}, not nan"]),
        (
            {"time_limit": 1000},
            [
                "search seconds: 1 to 60, not 1000 "
                "(longer searches: smartmoves capacity plan --time-limit)"
            ],
        ),
        ({"time_limit": 0.5}, ["search seconds: 1 to 60, not 0.5"]),
        ({"time_limit": float("inf")}, ["search seconds: 1 to 60, not inf"]),
        ({"max_load": 5, "time_limit": 1000}, [f"{LOAD}, not 5", "search seconds: 1 to 60"]),
    ],
)
def test_the_forms_bounds_are_refused_in_its_words(
    site: Settings, options: dict[str, Any], words: list[str]
) -> None:
    pilot = _pilot(site)
    with pytest.raises(ConfigError) as refused:
        capacity.plan_for_pilot(site, ADMIN, pilot, **options)
    for said in words:
        assert said in refused.value.message
    assert capacity.read_current_plan(site, pilot) is None  # nothing was planned or saved
    # The form shows these very words.
    assert capacity.load_bound() == LOAD
    assert capacity.time_bound() == "search seconds: 1 to 60"


def test_the_command_line_may_search_longer_when_it_says_so(site: Settings) -> None:
    pilot = _pilot(site)
    capacity.save_decisions(site, ADMIN, pilot, ACCEPTED)
    longer = capacity.plan_for_pilot(
        site,
        ADMIN,
        pilot,
        time_limit=120,
        max_time_limit=capacity.MAX_CLI_TIME_LIMIT,
        save=False,
    )  # the search ends by proof long before
    assert longer.status == "optimal" and longer.parameters["time_limit"] == 120
    with pytest.raises(ConfigError, match=r"^search seconds: 1 to 3600, not 5000$"):
        capacity.plan_for_pilot(
            site, ADMIN, pilot, time_limit=5000, max_time_limit=capacity.MAX_CLI_TIME_LIMIT
        )
    # The edges are inside.
    capacity.check_bounds(0.1, 1)
    capacity.check_bounds(1.5, 60)


def _meanwhile(monkeypatch: pytest.MonkeyPatch, change: Callable[[], object]) -> None:
    """Run ``change`` while the (first) plan's search runs: between reading the scope
    and saving the plan, as a second admin's request would."""
    original = Consolidation.plan
    searched: list[bool] = []

    def plan(self: Consolidation, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)
        if not searched:
            searched.append(True)
            change()
        return result

    monkeypatch.setattr(Consolidation, "plan", plan)


def test_a_plan_saved_meanwhile_is_never_overwritten(
    site: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    pilot = _pilot(site)
    capacity.save_decisions(site, ADMIN, pilot, ACCEPTED)
    other = account("admin", email="other@bank.example")
    _meanwhile(monkeypatch, lambda: capacity.plan_for_pilot(site, other, pilot, time_limit=5))
    with pytest.raises(Conflict) as stale:
        capacity.plan_for_pilot(site, account("admin"), pilot, time_limit=5)
    assert stale.value.http_status == 409
    assert stale.value.message == (
        "while this plan was computed, another plan was saved for this pilot by "
        "other@bank.example: this plan was not kept and nothing was overwritten; plan "
        "again to use what is saved now"
    )
    current = capacity.read_current_plan(site, pilot)
    assert current is not None and current.created_by == "other@bank.example"
    assert capacity.current_plan_view(site, ADMIN, pilot).plans == 1


def test_decisions_changed_meanwhile_keep_the_earlier_plan(
    site: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    pilot = _pilot(site)
    capacity.save_decisions(site, ADMIN, pilot, ACCEPTED)
    first = capacity.plan_for_pilot(site, ADMIN, pilot, time_limit=5)
    keep_calls = [DecisionIn(activity_id="A-CALLS", decision="relax-metric")]
    _meanwhile(
        monkeypatch,
        lambda: capacity.save_decisions(site, ADMIN, pilot, keep_calls, replace=False),
    )
    with pytest.raises(Conflict, match="the pilot's decisions changed: this plan was not kept"):
        capacity.plan_for_pilot(site, ADMIN, pilot, time_limit=5, max_load=0.9)
    assert capacity.read_current_plan(site, pilot) == first
    # Computing without saving never conflicts: nothing is written.
    unsaved = capacity.plan_for_pilot(site, ADMIN, pilot, time_limit=5, save=False)
    assert unsaved.id is None


def test_volunteers_selected_meanwhile_are_a_conflict_too(
    site: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    pilot = _pilot(site)
    capacity.save_decisions(site, ADMIN, pilot, ACCEPTED)

    def select() -> None:
        with db.transaction(store(site)) as session:
            session.add(Selection(pilot_id=pilot, person_id="P09", status="selected"))

    _meanwhile(monkeypatch, select)
    with pytest.raises(Conflict, match="the volunteers selected for the pilot changed"):
        capacity.plan_for_pilot(site, ADMIN, pilot, time_limit=5)
    assert capacity.read_current_plan(site, pilot) is None
    # Given volunteers do not depend on the selection: selecting meanwhile changes nothing.

    def select_another() -> None:
        with db.transaction(store(site)) as session:
            session.add(Selection(pilot_id=pilot, person_id="P11", status="selected"))

    _meanwhile(monkeypatch, select_another)
    given = capacity.plan_for_pilot(site, ADMIN, pilot, volunteers=["P10"], time_limit=5)
    assert given.is_current and given.parameters["volunteers_source"] == "given"
