"""Who may form, move and read the teams (the policy, in the use cases), the bounds the
forms show (refused with the same words), and a formation that finds the selection or
the workgroups changed while it was computed (refused, nothing replaced).

On the small organization of ``orgfiles``: the pilot at BANK selects P00-P11.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from smartmoves.data.store import db
from smartmoves.data.store.models import AuditEntry, Selection
from smartmoves.errors import ConfigError, Conflict, Forbidden, NotFound
from smartmoves.pathway._store import store
from smartmoves.pathway.create import teams
from smartmoves.pathway.create.teams import workgroups as formation
from smartmoves.pathway.pilots import create_pilot, set_pilot_status
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.settings import Settings

from orgfiles import write_org
from services import ADMIN, account, new_workspace

SELECTED = [f"P{i:02d}" for i in range(12)]


@pytest.fixture(scope="module")
def site(module_store_backend: str | None, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """One workspace for the module: every test makes a pilot of its own."""
    folder = tmp_path_factory.mktemp("teams-rules")
    settings = new_workspace(folder / "ws", module_store_backend)
    import_files(settings, find_table_files(write_org(folder / "org")))
    return settings


def _pilot(site: Settings, *, status: str = "recruiting") -> int:
    pilot = create_pilot(site, ADMIN, "Bank pilot", unit_id="BANK", min_pilot=1).id
    with db.transaction(store(site)) as session:
        session.add_all(Selection(pilot_id=pilot, person_id=p, status="selected") for p in SELECTED)
    if status != "draft":
        set_pilot_status(site, ADMIN, pilot, status)
    return pilot


def _actors(site: Settings, action: str, pilot: int) -> list[str]:
    with db.transaction(store(site)) as session:
        rows = session.scalars(
            select(AuditEntry.actor).where(
                AuditEntry.action == action, AuditEntry.target == str(pilot)
            )
        )
        return list(rows)


def test_only_admins_form_move_and_form_cells(site: Settings) -> None:
    pilot = _pilot(site)
    for role in ("champion", "supervisor", "member"):
        who = account(role, "P03")
        with pytest.raises(Forbidden, match="admins form the workgroups"):
            teams.form_for_pilot(site, who, pilot, groups=3)
        with pytest.raises(Forbidden, match="admins form the workgroups"):
            teams.form_for_pilot(site, who, pilot, groups=3, save=False)  # a dry run too
    assert teams.workgroups_view(site, ADMIN, pilot).workgroups == []
    teams.form_for_pilot(site, account("admin"), pilot, groups=3)
    assert _actors(site, "form workgroups", pilot) == ["admin@bank.example"]
    one, two, _ = teams.workgroups_view(site, ADMIN, pilot).workgroups
    person = one.members[0].person_id
    for role in ("champion", "supervisor", "member"):
        with pytest.raises(Forbidden, match="admins move people"):
            teams.move_person(site, account(role, person), pilot, person, two.id)
        with pytest.raises(Forbidden, match="admins form the cells"):
            teams.form_cells_for_pilot(site, account(role), pilot, min_size=5, max_size=6)
    assert teams.workgroups_view(site, ADMIN, pilot).moves == 0
    assert teams.cells_view(site, ADMIN, pilot).cells == []
    teams.form_cells_for_pilot(site, account("admin"), pilot, min_size=5, max_size=6)
    assert _actors(site, "form cells", pilot) == ["admin@bank.example"]


def test_staff_read_everything_a_member_only_their_own(site: Settings) -> None:
    pilot = _pilot(site)
    teams.form_for_pilot(site, ADMIN, pilot, groups=3)
    teams.form_cells_for_pilot(site, ADMIN, pilot, min_size=5, max_size=6)
    for role in ("champion", "supervisor"):
        view = teams.workgroups_view(site, account(role), pilot)
        assert not view.own_only and len(view.workgroups) == 3 and view.figures is not None
        assert len(teams.cells_view(site, account(role), pilot).cells) == 2
    member = account("member", "P05")
    view = teams.workgroups_view(site, member, pilot)
    assert view.own_only and [m.person_id for m in view.workgroups[0].members].count("P05") == 1
    cells = teams.cells_view(site, member, pilot)
    assert cells.own_only and len(cells.cells) == 1 and cells.members == 0


def test_a_draft_pilot_does_not_exist_for_members(site: Settings) -> None:
    pilot = _pilot(site, status="draft")
    teams.form_for_pilot(site, ADMIN, pilot, groups=3)
    with pytest.raises(NotFound, match=f"no pilot {pilot}"):
        teams.workgroups_view(site, account("member", "P03"), pilot)
    with pytest.raises(NotFound, match=f"no pilot {pilot}"):
        teams.cells_view(site, account("member", "P03"), pilot)
    assert len(teams.workgroups_view(site, account("supervisor"), pilot).workgroups) == 3


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"groups": 13},
            "groups must be a whole number from 1 to 12 (12 people cannot fill more "
            "workgroups), not 13",
        ),
        ({"groups": 0}, "groups must be a whole number from 1 to 12"),
        ({"groups": None, "size": 0}, "size must be a whole number >= 1, not 0"),
        ({"min_size": 0}, "min_size must be a whole number >= 1, not 0"),
        ({"max_size": -2}, "max_size must be a whole number >= 1, not -2"),
        ({"min_size": 6, "max_size": 5}, "min_size (6) is larger than max_size (5)"),
        ({"seed": -1}, "seed must be a whole number >= 0, not -1"),
        ({"seed": 2**31}, "seed must be at most 2147483647 (the solvers' limit), not 2147483648"),
    ],
)
def test_the_formation_bounds_are_the_forms_words(
    site: Settings, options: dict[str, Any], message: str
) -> None:
    pilot = _pilot(site)
    bounds = teams.workgroups_view(site, ADMIN, pilot).bounds
    with pytest.raises(ConfigError) as refused:
        teams.form_for_pilot(site, ADMIN, pilot, **{"groups": 3, **options})
    assert refused.value.message.startswith(message)
    field = list(options)[-1]
    if "larger than" in message:  # the engine's words for min_size above max_size
        assert "larger than max_size" in bounds["order"]
    elif "at most" in message:
        assert bounds["seed_max"] in message
    else:
        assert f"{field} must be {bounds[field]}, not " in refused.value.message
    assert teams.workgroups_view(site, ADMIN, pilot).workgroups == []


def test_the_cells_bounds_are_the_forms_words(site: Settings) -> None:
    pilot = _pilot(site)
    teams.form_for_pilot(site, ADMIN, pilot, groups=3)
    bounds = teams.cells_view(site, ADMIN, pilot).bounds
    for sizes in ((0, 15), (7, 6)):
        with pytest.raises(ConfigError) as refused:
            teams.form_cells_for_pilot(site, ADMIN, pilot, min_size=sizes[0], max_size=sizes[1])
        expected = f"cell sizes need {bounds['min_size']}, not {sizes[0]}..{sizes[1]}"
        assert refused.value.message == expected
    with pytest.raises(ConfigError, match=f"seed must be {bounds['seed']}, not -3"):
        teams.form_cells_for_pilot(site, ADMIN, pilot, seed=-3)
    assert teams.cells_view(site, ADMIN, pilot).cells == []


def _meanwhile(monkeypatch: pytest.MonkeyPatch, what: Any) -> None:
    """The next formation's search runs, then ``what`` saves before it does (once)."""
    engine = formation.form_workgroups

    def slow(*args: Any, **kwargs: Any) -> Any:
        result = engine(*args, **kwargs)
        monkeypatch.setattr(formation, "form_workgroups", engine)  # others are quick
        what()
        return result

    monkeypatch.setattr(formation, "form_workgroups", slow)


def test_a_formation_never_replaces_a_move_saved_meanwhile(
    site: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    pilot = _pilot(site)
    teams.form_for_pilot(site, ADMIN, pilot, groups=3, min_size=3, max_size=5)
    one, two, _ = teams.workgroups_view(site, ADMIN, pilot).workgroups
    person = one.members[0].person_id
    _meanwhile(monkeypatch, lambda: teams.move_person(site, ADMIN, pilot, person, two.id))
    with pytest.raises(Conflict, match=r"a move was saved meanwhile.*nothing was replaced"):
        teams.form_for_pilot(site, ADMIN, pilot, groups=2)
    after = teams.workgroups_view(site, ADMIN, pilot)
    assert [g.size for g in after.workgroups] == [3, 5, 4] and after.moves == 1  # the move
    assert _actors(site, "form workgroups", pilot) == ["cli"]  # the first formation only


def test_a_formation_never_replaces_another_saved_meanwhile(
    site: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    pilot = _pilot(site)
    _meanwhile(monkeypatch, lambda: teams.form_for_pilot(site, account("admin"), pilot, groups=4))
    with pytest.raises(Conflict, match="another formation"):
        teams.form_for_pilot(site, ADMIN, pilot, groups=2)
    assert len(teams.workgroups_view(site, ADMIN, pilot).workgroups) == 4


def test_a_formation_is_refused_when_the_selection_changed_meanwhile(
    site: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    pilot = _pilot(site)

    def select_one_more() -> None:
        with db.transaction(store(site)) as session:
            session.add(Selection(pilot_id=pilot, person_id="P12", status="selected"))

    _meanwhile(monkeypatch, select_one_more)
    with pytest.raises(Conflict, match=r"selected volunteers of pilot \d+ changed"):
        teams.form_for_pilot(site, ADMIN, pilot, groups=3)
    assert teams.workgroups_view(site, ADMIN, pilot).workgroups == []
    formed = teams.form_for_pilot(site, ADMIN, pilot, groups=3)  # again: all 13
    assert sum(len(g.members) for g in formed.groups) == 13


def test_a_dry_run_is_not_refused_by_a_change_meanwhile(
    site: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    pilot = _pilot(site)
    _meanwhile(monkeypatch, lambda: teams.form_for_pilot(site, ADMIN, pilot, groups=4))
    assert not teams.form_for_pilot(site, ADMIN, pilot, groups=3, save=False).saved


def test_files_refuse_a_negative_seed_with_the_same_words(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("person_id,f\na,1\nb,2\nc,1\nd,2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="seed must be a whole number >= 0, not -1"):
        teams.form_from_files(people, features=["f"], groups=2, seed=-1)
    cells = tmp_path / "workgroups.csv"
    cells.write_text("person_id,workgroup\na,1\nb,2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="seed must be a whole number >= 0, not -1"):
        teams.form_cells_from_file(cells, min_size=1, max_size=2, seed=-1)
