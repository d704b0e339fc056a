"""The demo workspace `make demo` serves: a synthetic bank with a login per role."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmoves.errors import ConfigError
from smartmoves.pathway.demo.build import build_demo
from smartmoves.pathway.pilots import list_pilots
from smartmoves.pathway.recognize.organization import overview
from smartmoves.pathway.setup.users import authenticate
from smartmoves.settings import get_settings

from demoworkspace import DEMO_OCCUPATIONS, Demo
from services import ADMIN

BANK = {"people": 300, "weeks": 4, "seed": 3, "exposure_occupations": DEMO_OCCUPATIONS}


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo of this module's own, to which a test may add a pilot."""
    folder = tmp_path_factory.mktemp("bank") / "demo"
    build_demo(folder, **BANK)
    return folder


def test_demo_has_a_login_per_role_and_an_overview(bank: Path) -> None:
    folder = bank
    logins = build_demo(folder, **BANK)
    assert [x.role for x in logins] == ["admin", "champion", "supervisor", "member"]
    settings = get_settings(folder)
    for login in logins:
        account = authenticate(settings, login.email, login.password)
        assert account is not None and account.role == login.role
    assert all(x.person_id for x in logins if x.role != "admin")
    view = overview(settings, ADMIN)
    assert view.headcount == 300
    assert {"U-COL", "U-CC"} <= {u.unit_id for u in view.units}
    assert all(t.rows for t in view.freshness if t.table != "ties")
    # A second build reuses the demo instead of rebuilding it.
    assert build_demo(folder, **BANK) == logins


def test_demo_refuses_a_workspace_that_is_not_a_demo(tmp_path: Path) -> None:
    from smartmoves.data.workspace import create_workspace

    create_workspace(tmp_path / "mine")
    with pytest.raises(ConfigError, match="not a demo"):
        build_demo(tmp_path / "mine", people=300, weeks=4)


def test_demo_has_a_pilot_at_the_planted_entry_point(demo: Demo) -> None:
    (pilot,) = list_pilots(demo.settings, ADMIN)
    assert pilot.unit_id == demo.truth["best_entry_point"]["unit_id"]


def test_every_activity_without_a_potential_gets_an_estimate_and_its_reason(bank: Path) -> None:
    """The demo leaves a model in the workspace; a pilot over the whole bank shows every
    activity with no automation potential estimated by it, three similar tasks as why."""
    import pandas as pd

    from smartmoves.data.store import db, org
    from smartmoves.engines.capacity.exposure import load_exposure_model
    from smartmoves.pathway._store import store
    from smartmoves.pathway.create.capacity import capacity_view, exposure_model_path
    from smartmoves.pathway.pilots import create_pilot

    settings = get_settings(bank)
    model = load_exposure_model(exposure_model_path(settings))
    assert model.to_dict()["occupations"] == DEMO_OCCUPATIONS
    with db.transaction(store(settings)) as session:
        units = org.read_table(session, "units")
        activities = org.read_table(session, "activities")
    missing = set(activities.loc[activities["automation_potential"].isna(), "activity_id"])
    assert len(missing) == 5  # branches, FP&A, IT operations and HR
    root = units.loc[units["parent_id"].isna(), "unit_id"].item()
    pilot = create_pilot(settings, ADMIN, "Whole bank", unit_id=root, min_pilot=1)
    view = capacity_view(settings, ADMIN, pilot.id)
    estimated = {a.activity_id: a for a in view.activities if a.activity_id in missing}
    assert set(estimated) == missing and view.missing_estimates == []
    for a in estimated.values():
        assert a.share_source == "model" and not a.flagged
        assert a.automation_share == pytest.approx(a.model_share)
        assert a.model_label in ("E0", "E1", "E2") and len(a.similar_tasks) == 3
        assert all(t.task and t.occupation and t.similarity > 0 for t in a.similar_tasks)
    # An activity with its own potential keeps it; the model's beta stands beside it.
    given = next(a for a in view.activities if a.activity_id not in missing)
    assert given.share_source == "automation_potential" and given.model_share is not None
    assert pd.notna(given.automation_share)
