"""Flags on the teams a workgroup's members come from (scope ``workgroup``, the team's
id, as the Frontline metrics page tracks them), their words, and a pilot's flags for
each workgroup the account may read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from frontlinefiles import frontline_org
from smartmoves.data.store import db
from smartmoves.data.store.models import Workgroup, WorkgroupMember
from smartmoves.errors import NotFound
from smartmoves.pathway._store import store
from smartmoves.pathway.act.insights import pilot_flags, warm, workgroup_flags
from smartmoves.pathway.pilots import create_pilot, set_pilot_status
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.settings import Settings

from services import ADMIN, account, new_workspace

WEEK0 = dt.date(2024, 1, 1)


def _values() -> str:
    rng = np.random.default_rng(3)
    rows = ["metric_id,scope,scope_id,date,value"]
    for team, step in (("T1", 0.0), ("T2", 6.0)):
        level = 30 + np.where(np.arange(60) >= 25, step, 0.0) + rng.normal(0, 1, 60)
        rows += [
            f"OUT,workgroup,{team},{WEEK0 + dt.timedelta(weeks=i)},{level[i]:.3f}"
            for i in range(60)
        ]
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, int, int, int]:
    folder = Path(tmp_path_factory.mktemp("pilot-flags"))
    settings = new_workspace(folder / "ws", None)
    org = frontline_org(folder / "org")
    (org / "metric_values.csv").write_text(_values(), encoding="utf-8")
    import_files(settings, find_table_files(org))
    pilot = create_pilot(settings, ADMIN, "Outreach", unit_id="CC").id
    set_pilot_status(settings, ADMIN, pilot, "running", started_on=WEEK0)
    with db.transaction(store(settings)) as session:
        alpha = Workgroup(pilot_id=pilot, name="Alpha", coach_id="P00")
        beta = Workgroup(pilot_id=pilot, name="Beta")
        session.add_all([alpha, beta])
        session.flush()
        for group, person in ((alpha, "P01"), (beta, "P04")):
            session.add(WorkgroupMember(pilot_id=pilot, workgroup_id=group.id, person_id=person))
        ids = alpha.id, beta.id
    return settings, pilot, *ids


def test_a_shift_on_a_member_team_is_the_workgroup_with_its_words(
    site: tuple[Settings, int, int, int],
) -> None:
    settings, _pilot, alpha, beta = site
    warm(settings)  # computes the scan ahead; the use case then reads it
    assert not [f for f in workgroup_flags(settings, ADMIN, alpha).flags if f.kind == "level_shift"]
    (flag,) = [f for f in workgroup_flags(settings, ADMIN, beta).flags if f.kind == "level_shift"]
    assert (flag.scope, flag.scope_id, flag.why) == (
        "workgroup",
        "T2",
        "a team its members come from",
    )
    assert flag.metric_name == "Proactive outreach calls" and flag.scope_words == "team T2"
    assert flag.kind_words == "a level shift" and flag.size.endswith("noise SD)")
    assert " calls " in flag.size


def test_a_pilot_flags_are_those_of_the_workgroups_the_account_may_read(
    site: tuple[Settings, int, int, int],
) -> None:
    settings, pilot, alpha, beta = site
    assert [g.workgroup_id for g in pilot_flags(settings, ADMIN, pilot).workgroups] == [alpha, beta]
    mine = pilot_flags(settings, account("member", "P04"), pilot).workgroups
    assert [g.workgroup_id for g in mine] == [beta] and mine[0].flags
    coach = pilot_flags(settings, account("member", "P00"), pilot).workgroups
    assert [g.workgroup_id for g in coach] == [alpha]
    assert pilot_flags(settings, account("member", "P10"), pilot).workgroups == []
    with pytest.raises(NotFound):
        pilot_flags(settings, ADMIN, 999)
