"""A pilot's workgroups and cells in the store, on SQLite and PostgreSQL: formation from
the selected volunteers, moves with figures recomputed, and cells across teams.

The small organization of ``orgfiles`` has 16 people P00-P15 in three units (CC, AR,
ADV) with levels L0-L2 and a tenure; the pilot at BANK selects P00-P11.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from smartmoves.data.store import db
from smartmoves.data.store.models import Charter, Selection, Workgroup
from smartmoves.engines.teams import diversity_figures
from smartmoves.errors import ConfigError, DataError, InfeasibleError, NotFound
from smartmoves.pathway._store import store
from smartmoves.pathway.create import teams
from smartmoves.pathway.demo import teams as demo_teams
from smartmoves.pathway.pilots import create_pilot, set_pilot_status
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.settings import Settings

from orgfiles import write_org
from services import ADMIN, account, new_workspace

SELECTED = [f"P{i:02d}" for i in range(12)]


@pytest.fixture
def site(store_backend: str | None, tmp_path: Path) -> Settings:
    settings = new_workspace(tmp_path / "ws", store_backend)
    import_files(settings, find_table_files(write_org(tmp_path / "org")))
    return settings


def _pilot(site: Settings, selected: list[str] = SELECTED) -> int:
    pilot = create_pilot(site, ADMIN, "Bank pilot", unit_id="BANK", min_pilot=1).id
    with db.transaction(store(site)) as session:
        for person in selected:
            session.add(Selection(pilot_id=pilot, person_id=person, status="selected"))
        session.add(Selection(pilot_id=pilot, person_id="P12", status="not_selected"))
    set_pilot_status(site, ADMIN, pilot, "running")  # members see no draft pilot
    return pilot


def test_formation_is_saved_with_its_figures_and_replaced_whole(site: Settings) -> None:
    pilot = _pilot(site)
    formed = teams.form_for_pilot(site, ADMIN, pilot, groups=3, min_size=3, max_size=5)
    assert formed.saved and [g.group for g in formed.groups] == [
        "Workgroup 1",
        "Workgroup 2",
        "Workgroup 3",
    ]
    assert formed.parameters["features"] == ["unit_id", "level", "tenure_years"]  # defaults
    view = teams.workgroups_view(site, ADMIN, pilot)
    assert [g.size for g in view.workgroups] == [4, 4, 4]
    assert sorted(m.person_id for g in view.workgroups for m in g.members) == SELECTED
    assert view.figures is not None and view.figures.vs_random == pytest.approx(formed.vs_random)
    assert view.figures.random_mean == pytest.approx(formed.diversity / formed.vs_random)
    assert view.features == ["unit_id", "level", "tenure_years"] and view.volunteers == 12
    assert {"unit_id", "level", "tenure_years"} <= set(view.available_features)
    assert "role" not in view.available_features  # everyone is an agent
    teams.form_cells_for_pilot(site, ADMIN, pilot, min_size=5, max_size=6)

    again = teams.form_for_pilot(site, ADMIN, pilot, groups=2, features=["level"], seed=3)
    view = teams.workgroups_view(site, ADMIN, pilot)
    assert [g.name for g in view.workgroups] == ["Workgroup 1", "Workgroup 2"]
    assert [g.size for g in view.workgroups] == [6, 6]  # the old ones are gone
    assert view.features == ["level"] and again.parameters["seed"] == 3
    assert teams.cells_view(site, ADMIN, pilot).cells == []  # cells of the old workgroups went too


def test_a_dry_run_saves_nothing_and_errors_are_clear(site: Settings) -> None:
    pilot = _pilot(site)
    formed = teams.form_for_pilot(site, ADMIN, pilot, groups=3, save=False)
    assert not formed.saved and teams.workgroups_view(site, ADMIN, pilot).workgroups == []
    with pytest.raises(DataError, match="column bogus: no such column"):
        teams.form_for_pilot(site, ADMIN, pilot, groups=3, features=["level", "bogus"])
    with pytest.raises(InfeasibleError) as refused:
        teams.form_for_pilot(site, ADMIN, pilot, groups=2, max_size=5)
    assert "(2 x 5 < 12)" in refused.value.reasons[0]
    assert teams.workgroups_view(site, ADMIN, pilot).workgroups == []
    empty = create_pilot(site, ADMIN, "Nobody yet", unit_id="AR").id
    with pytest.raises(ConfigError, match="no selected volunteers"):
        teams.form_for_pilot(site, ADMIN, empty, groups=2)
    with pytest.raises(NotFound):
        teams.form_for_pilot(site, ADMIN, 9999, groups=2)


def test_a_move_recomputes_the_figures_and_keeps_sizes_in_bounds(site: Settings) -> None:
    pilot = _pilot(site)
    teams.form_for_pilot(site, ADMIN, pilot, groups=3, min_size=3, max_size=5)
    before = teams.workgroups_view(site, ADMIN, pilot)
    one, two, three = before.workgroups
    person = one.members[0].person_id
    teams.move_person(site, account("admin"), pilot, person, two.id)
    after = teams.workgroups_view(site, ADMIN, pilot)
    assert [g.size for g in after.workgroups] == [3, 5, 4] and after.moves == 1
    assert person in {m.person_id for m in after.workgroups[1].members}
    # The figures are those of the new partition, computed from scratch.
    with db.transaction(store(site)) as session:
        from smartmoves.data.store import teams as store_teams

        members = store_teams.workgroup_members(session, pilot)
        frame = store_teams.people_by_id(session, list(members))
    from smartmoves.pathway.create.teams.files import typed

    labels = [members[p] for p in frame["person_id"]]
    expected = diversity_figures(typed(frame), labels, features=before.features)
    assert after.figures is not None
    assert after.figures.diversity == pytest.approx(expected.diversity)
    assert after.figures.vs_random == pytest.approx(expected.vs_random)
    assert after.workgroups[1].diversity == pytest.approx(expected.groups[1].diversity)

    with pytest.raises(InfeasibleError) as too_big:  # Workgroup 2 holds 5 = max
        teams.move_person(site, ADMIN, pilot, three.members[0].person_id, two.id)
    assert "Workgroup 2 would have 6, above 5" in too_big.value.message
    with pytest.raises(InfeasibleError, match="cannot move"):  # Workgroup 1 holds 3 = min
        teams.move_person(site, ADMIN, pilot, after.workgroups[0].members[0].person_id, three.id)
    assert teams.workgroups_view(site, ADMIN, pilot) == after  # nothing changed
    with pytest.raises(NotFound):
        teams.move_person(site, ADMIN, pilot, "P15", two.id)  # not a member
    with pytest.raises(NotFound):
        teams.move_person(site, ADMIN, pilot, person, 99999)


def test_a_charter_or_a_coach_stops_a_new_formation(site: Settings) -> None:
    pilot = _pilot(site)
    teams.form_for_pilot(site, ADMIN, pilot, groups=3)
    with db.transaction(store(site)) as session:
        group = session.query(Workgroup).filter_by(pilot_id=pilot).first()
        assert group is not None
        session.add(Charter(workgroup_id=group.id, version=1, content={"objective": "x"}))
    assert teams.workgroups_view(site, ADMIN, pilot).locked
    with pytest.raises(ConfigError, match="charters or coaches"):
        teams.form_for_pilot(site, ADMIN, pilot, groups=2)
    assert len(teams.workgroups_view(site, ADMIN, pilot).workgroups) == 3
    teams.form_for_pilot(site, ADMIN, pilot, groups=2, save=False)  # a dry run still works


def test_members_see_only_their_own_workgroup_and_cell(site: Settings) -> None:
    pilot = _pilot(site)
    teams.form_for_pilot(site, ADMIN, pilot, groups=3)
    teams.form_cells_for_pilot(site, ADMIN, pilot, min_size=5, max_size=6)
    member = account("member", "P03")
    view = teams.workgroups_view(site, member, pilot)
    assert view.own_only and len(view.workgroups) == 1 and view.figures is None
    assert "P03" in {m.person_id for m in view.workgroups[0].members}
    assert view.available_features == [] and view.workgroups[0].diversity is None
    mine = teams.cells_view(site, member, pilot)
    assert len(mine.cells) == 1 and "P03" in {m.person_id for m in mine.cells[0].members}
    outsider = account("member", "P15")
    assert teams.workgroups_view(site, outsider, pilot).workgroups == []
    supervisor = account("supervisor")
    assert len(teams.workgroups_view(site, supervisor, pilot).workgroups) == 3


def test_cells_draw_every_member_across_the_workgroups(site: Settings) -> None:
    pilot = _pilot(site)
    with pytest.raises(ConfigError, match="no workgroups yet"):
        teams.form_cells_for_pilot(site, ADMIN, pilot)
    teams.form_for_pilot(site, ADMIN, pilot, groups=3)
    result = teams.form_cells_for_pilot(site, ADMIN, pilot, min_size=5, max_size=6)
    assert result.uneven_cells == 0
    view = teams.cells_view(site, ADMIN, pilot)
    assert [c.name for c in view.cells] == ["Cell 1", "Cell 2"] and view.uncelled == 0
    assert sorted(m.person_id for c in view.cells for m in c.members) == SELECTED
    for cell in view.cells:
        assert 5 <= cell.size <= 6 and not cell.uneven
        assert cell.workgroups == ["Workgroup 1", "Workgroup 2", "Workgroup 3"]
        counts = pd.Series([m.workgroup for m in cell.members]).value_counts()
        assert counts.max() - counts.min() <= 1
    with pytest.raises(InfeasibleError):
        teams.form_cells_for_pilot(site, ADMIN, pilot, min_size=13, max_size=15)
    assert len(teams.cells_view(site, ADMIN, pilot).cells) == 2  # kept


def test_a_cell_with_two_of_one_workgroup_and_none_of_another_is_shown_uneven(
    site: Settings,
) -> None:
    from smartmoves.data.store import teams as stored

    pilot = _pilot(site)
    teams.form_for_pilot(site, ADMIN, pilot, groups=3)
    view = teams.workgroups_view(site, ADMIN, pilot)
    first, second, third = ([m.person_id for m in w.members] for w in view.workgroups)
    with db.transaction(store(site)) as session:  # cells saved by hand, as a file could
        stored.replace_cells(
            session,
            pilot,
            [("Cell 1", first[:2] + second[:1]), ("Cell 2", first[2:] + second[1:] + third)],
        )
    cells = teams.cells_view(site, ADMIN, pilot)
    lopsided, whole = cells.cells
    assert lopsided.uneven and lopsided.workgroups == ["Workgroup 1", "Workgroup 2"]
    assert [m.person_id for m in lopsided.members] == sorted(first[:2] + second[:1])
    assert not whole.uneven and whole.workgroups == ["Workgroup 1", "Workgroup 2", "Workgroup 3"]
    assert cells.uneven_cells == 1 and cells.uncelled == 0


def test_demo_step_without_selected_volunteers_does_nothing(site: Settings) -> None:
    pilot = create_pilot(site, ADMIN, "Demo", unit_id="AR").id
    demo_teams.step(site, {"best_entry_point": {"unit_id": "AR"}})
    assert teams.workgroups_view(site, ADMIN, pilot).workgroups == []
