"""The report's flags to discuss are the workspace's flags (the scan the Frontline page
lists, kept per import) on the pilot's own series of its frontline metrics: its teams'
and its unit's, most confident first. Another team's, another unit's, the whole
organization's (which a charter naming the metric brings to the Frontline page) and an
operating metric's stay out of it: they are what a scan of the pilot's series alone
(the report's way before) leaves out too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from frontlinefiles import frontline_org
from smartmoves.data.store import db
from smartmoves.data.store.models import Workgroup, WorkgroupMember
from smartmoves.engines.insights import scan
from smartmoves.pathway._store import store
from smartmoves.pathway.act.insights import pilot_flags
from smartmoves.pathway.act.report import MAX_FLAGS, pilot_report
from smartmoves.pathway.pilots import create_pilot, set_pilot_status
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.settings import Settings

from services import ADMIN, new_workspace

WEEK0 = dt.date(2024, 1, 1)
WEEKS = 60
# (metric, scope, scope_id, the week its level moves, by how much): the pilot is in unit
# CC with teams T1 and T2; T3, AR and the organization are not its own.
SERIES = [
    ("OUT", "workgroup", "T1", None, 0.0),
    ("OUT", "workgroup", "T2", 25, 6.0),
    ("OUT", "workgroup", "T3", 30, 6.0),
    ("OUT", "unit", "CC", 35, 8.0),
    ("OUT", "unit", "AR", 20, 8.0),
    ("OUT", "org", "BANK", 40, 8.0),
    ("RET", "unit", "CC", 30, 8.0),
]


def _values() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    rows = []
    for metric, scope, scope_id, at, step in SERIES:
        level = 30 + rng.normal(0, 1, WEEKS)
        if at is not None:
            level += np.where(np.arange(WEEKS) >= at, step, 0.0)
        rows += [
            (metric, scope, scope_id, (WEEK0 + dt.timedelta(weeks=i)).isoformat(), round(v, 3))
            for i, v in enumerate(level)
        ]
    return pd.DataFrame(rows, columns=["metric_id", "scope", "scope_id", "date", "value"])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, int, pd.DataFrame]:
    folder = Path(tmp_path_factory.mktemp("report-flags"))
    settings = new_workspace(folder / "ws", None)
    org = frontline_org(folder / "org")
    values = _values()
    values.to_csv(org / "metric_values.csv", index=False)
    import_files(settings, find_table_files(org))
    pilot = create_pilot(settings, ADMIN, "Outreach", unit_id="CC").id
    set_pilot_status(settings, ADMIN, pilot, "running", started_on=WEEK0)
    with db.transaction(store(settings)) as session:
        # Alpha's focus names OUT: the organization's OUT is Alpha's to discuss.
        alpha = Workgroup(pilot_id=pilot, name="Alpha", focus="More proactive outreach calls")
        beta = Workgroup(pilot_id=pilot, name="Beta")
        session.add_all([alpha, beta])
        session.flush()
        for group, person in ((alpha, "P01"), (beta, "P04"), (beta, "P05")):
            session.add(WorkgroupMember(pilot_id=pilot, workgroup_id=group.id, person_id=person))
    return settings, pilot, values


def _key(f: object) -> tuple[object, ...]:
    return tuple(getattr(f, k) for k in ("metric_id", "scope_id", "date", "kind"))


def test_the_report_flags_are_the_pilot_series_flags_of_the_workspace_scan(
    site: tuple[Settings, int, pd.DataFrame],
) -> None:
    settings, pilot, values = site
    found = pilot_report(settings, ADMIN, pilot).flags
    # A scan of the pilot's own frontline series alone: its teams and its unit.
    own = values[
        (values["metric_id"] == "OUT")
        & (
            ((values["scope"] == "workgroup") & values["scope_id"].isin(["T1", "T2"]))
            | ((values["scope"] == "unit") & (values["scope_id"] == "CC"))
        )
    ]
    alone = sorted(scan(own).flags, key=lambda f: (-f.confidence, f.date, f.scope_id))
    assert [_key(f) for f in found] == [_key(f) for f in alone[:MAX_FLAGS]]
    assert [f.confidence for f in found] == [round(f.confidence, 2) for f in alone[:MAX_FLAGS]]
    shifts = {(f.scope_id, f.date) for f in found if f.kind == "level_shift"}
    assert ("T2", (WEEK0 + dt.timedelta(weeks=25)).isoformat()) in shifts
    assert ("CC", (WEEK0 + dt.timedelta(weeks=35)).isoformat()) in shifts
    assert all(f.metric_name == "Proactive outreach calls" for f in found)
    # The Frontline page lists more: the organization's OUT, for Alpha's focus.
    listed = {(f.scope, f.scope_id) for g in pilot_flags(settings, ADMIN, pilot).workgroups
              for f in g.flags}  # fmt: skip
    assert ("org", "BANK") in listed
    assert {f.scope_id for f in found} <= {"T1", "T2", "CC"}
