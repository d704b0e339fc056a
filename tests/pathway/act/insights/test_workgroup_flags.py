"""Flags posted to a workgroup: those on its pilot's unit and on the organization's and
markets' series of the metrics its focus names; never another unit's; and who may read
them (staff and the workgroup's members)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from smartmoves.data.store import coaching as coaching_store
from smartmoves.data.store import db
from smartmoves.errors import Forbidden, NotFound
from smartmoves.pathway._store import store
from smartmoves.pathway.act.insights import workgroup_flags
from smartmoves.pathway.pilots import create_pilot, set_pilot_status
from smartmoves.pathway.recognize.metric_edits import change_metric
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.settings import Settings

from orgfiles import write_org
from services import ADMIN, account, new_workspace


def _values() -> str:
    weeks = pd.date_range("2024-01-01", periods=60, freq="7D").strftime("%Y-%m-%d")
    rng = np.random.default_rng(0)
    step = np.where(np.arange(60) >= 30, 6.0, 0.0)
    rows = []
    for metric, scope, scope_id in [("RET", "unit", "AR"), ("OUT", "unit", "CC"),
                                    ("REV", "org", "BANK"), ("REV", "market", "peers"),
                                    ("OUT", "org", "BANK")]:  # fmt: skip
        values = 50 + rng.normal(0, 1, 60) + step
        rows += [
            f"{metric},{scope},{scope_id},{w},{v:.3f}" for w, v in zip(weeks, values, strict=True)
        ]
    return "metric_id,scope,scope_id,date,value\n" + "\n".join(rows) + "\n"


def _site(folder: Path) -> tuple[Settings, int]:
    settings = new_workspace(folder / "ws", None)
    import_files(
        settings, find_table_files(write_org(Path(folder) / "org", metric_values=_values()))
    )
    pilot = create_pilot(settings, ADMIN, "AR pilot", unit_id="AR", min_pilot=1).id
    set_pilot_status(settings, ADMIN, pilot, "running")
    with db.transaction(store(settings)) as session:
        group = coaching_store.add_workgroup(session, pilot, "Group 1", ["P09", "P12"])
        group.focus = "Lift revenue from existing customers"
        workgroup = group.id
    return settings, workgroup


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, int]:
    return _site(tmp_path_factory.mktemp("insights"))


def test_flags_touch_the_unit_and_the_metrics_the_focus_names(site: tuple[Settings, int]) -> None:
    settings, workgroup = site
    found = workgroup_flags(settings, ADMIN, workgroup)
    touched = {(f.metric_id, f.scope, f.scope_id) for f in found.flags if f.kind == "level_shift"}
    assert touched == {("RET", "unit", "AR"), ("REV", "org", "BANK"), ("REV", "market", "peers")}
    assert all(f.why for f in found.flags)


def test_members_and_staff_read_them_others_do_not(site: tuple[Settings, int]) -> None:
    settings, workgroup = site
    assert workgroup_flags(settings, account("member", "P09"), workgroup).flags
    assert workgroup_flags(settings, account("supervisor", "P08"), workgroup).flags
    with pytest.raises(Forbidden):
        workgroup_flags(settings, account("member", "P03"), workgroup)
    with pytest.raises(NotFound):
        workgroup_flags(settings, ADMIN, 999)


def test_a_page_seen_again_shows_a_new_focus_and_a_renamed_metric(tmp_path: Path) -> None:
    # The rows are kept between pages: a change of what decides them must show at once.
    settings, workgroup = _site(tmp_path)
    before = workgroup_flags(settings, ADMIN, workgroup)
    assert not any(f.metric_id == "OUT" for f in before.flags)
    with db.transaction(store(settings)) as session:
        group = coaching_store.get_workgroup(session, workgroup)
        assert group is not None
        group.focus = "More proactive outreach calls"
    after = workgroup_flags(settings, ADMIN, workgroup)
    assert {(f.metric_id, f.scope) for f in after.flags if f.metric_id == "OUT"} == {("OUT", "org")}
    change_metric(
        settings, ADMIN, "RET", name="Customers kept", parent_id="REV", direction="up", unit="%"
    )
    renamed = workgroup_flags(settings, ADMIN, workgroup)
    assert {f.metric_name for f in renamed.flags if f.metric_id == "RET"} == {"Customers kept"}
