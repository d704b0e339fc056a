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

from demoworkspace import Demo
from services import ADMIN


def test_demo_has_a_login_per_role_and_an_overview(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    logins = build_demo(folder, people=300, weeks=4, seed=3)
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
    assert build_demo(folder, people=300, weeks=4, seed=3) == logins


def test_demo_refuses_a_workspace_that_is_not_a_demo(tmp_path: Path) -> None:
    from smartmoves.data.workspace import create_workspace

    create_workspace(tmp_path / "mine")
    with pytest.raises(ConfigError, match="not a demo"):
        build_demo(tmp_path / "mine", people=300, weeks=4)


def test_demo_has_a_pilot_at_the_planted_entry_point(demo: Demo) -> None:
    (pilot,) = list_pilots(demo.settings, ADMIN)
    assert pilot.unit_id == demo.truth["best_entry_point"]["unit_id"]
