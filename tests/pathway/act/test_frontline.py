"""A pilot's frontline metrics: entered weeks outrank imported ones and each other, a
refusal writes nothing, the baseline and the comparison are computed from the real rows,
and the policy decides who reads, enters and sets targets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from frontlinefiles import START, WEEK0, frontline_org
from smartmoves.data.store import db
from smartmoves.data.store import frontline as stored
from smartmoves.data.store.models import AuditEntry, Workgroup, WorkgroupMember
from smartmoves.errors import DataError, Forbidden, NotFound
from smartmoves.pathway._store import store
from smartmoves.pathway.act.frontline import frontline_view, monday, record_week, set_target
from smartmoves.pathway.pilots import create_pilot, set_pilot_status
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.settings import Settings

from services import ADMIN, account


@pytest.fixture
def site(workspace: Settings, tmp_path: Path) -> tuple[Settings, int]:
    import_files(workspace, find_table_files(frontline_org(tmp_path / "org")))
    pilot = create_pilot(workspace, ADMIN, "Outreach", unit_id="CC")
    set_pilot_status(workspace, ADMIN, pilot.id, "running", started_on=START + dt.timedelta(days=3))
    with db.transaction(store(workspace)) as session:
        alpha = Workgroup(pilot_id=pilot.id, name="Alpha", coach_id="P00")
        beta = Workgroup(pilot_id=pilot.id, name="Beta")
        session.add_all([alpha, beta])
        session.flush()
        for group, person in ((alpha, "P01"), (alpha, "P02"), (beta, "P03"), (beta, "P04")):
            session.add(WorkgroupMember(pilot_id=pilot.id, workgroup_id=group.id, person_id=person))
    return workspace, pilot.id


def _panel(settings: Settings, pilot: int, who=ADMIN):  # type: ignore[no-untyped-def]
    (panel,) = frontline_view(settings, who, pilot).metrics
    return panel


def _count(settings: Settings) -> tuple[int, int]:
    with db.transaction(store(settings)) as session:
        return stored.entry_count(session), session.query(AuditEntry).count()


def test_the_pilot_started_once_and_keeps_its_first_start(site: tuple[Settings, int]) -> None:
    settings, pilot = site
    set_pilot_status(settings, ADMIN, pilot, "recruiting")
    again = set_pilot_status(settings, ADMIN, pilot, "running")
    assert again.started_on == START + dt.timedelta(days=3)


def test_series_baseline_and_comparison_from_the_imported_rows(site: tuple[Settings, int]) -> None:
    settings, pilot = site
    panel = _panel(settings, pilot)
    assert panel.metric_id == "OUT"
    assert [s.scope_id for s in panel.series] == ["T1", "T2"]
    assert panel.series[0].workgroups == ["Alpha", "Beta"]  # both draw people from T1
    assert [p.week for p in panel.series[0].points][:2] == [WEEK0, WEEK0 + dt.timedelta(weeks=1)]
    # The 8 weeks before the start (weeks 2-9): mean of (10 + i + 20 + i) / 2 = 20.5.
    assert panel.baseline == pytest.approx(20.5) and panel.baseline_weeks == 8
    assert panel.latest == pytest.approx((21 + 31) / 2)
    # The comparison: T3 and AR (never the pilot's own unit CC), and the five people of
    # week 0 as one group (their mean); the four of week 1 are too few to be shown.
    first, second = panel.comparison[0], panel.comparison[1]
    assert first.scopes == 3 and first.value == pytest.approx((5 + 7 + 1) / 3, abs=1e-4)
    assert second.scopes == 2 and second.value == pytest.approx(6)
    assert all(p.value < 100 for p in panel.comparison)


def test_the_newest_entry_of_a_week_wins_and_every_entry_is_kept(
    site: tuple[Settings, int],
) -> None:
    settings, pilot = site
    week3 = WEEK0 + dt.timedelta(weeks=3)
    record_week(settings, ADMIN, pilot, metric_id="OUT", scope_id="T1", week=week3, value=33)
    later = record_week(
        settings, ADMIN, pilot, metric_id="OUT", scope_id="T1",
        week=(week3 + dt.timedelta(days=4)).isoformat(), value="43",
    )  # fmt: skip
    assert later.week == week3  # a Friday is kept as its Monday
    point = next(p for p in _panel(settings, pilot).series[0].points if p.week == week3)
    assert point.value == 43 and point.entered
    # Week 3 of T1 is 43 instead of 13: the baseline rises by (43 - 13) / 2 / 8.
    assert _panel(settings, pilot).baseline == pytest.approx(20.5 + 30 / 16)
    assert _count(settings)[0] == 2
    with db.transaction(store(settings)) as session:
        entries = stored.newest_entries(session, ["OUT"], "workgroup", ["T1"])
        assert [e.value for e in entries.values()] == [43]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"week": "2999-01-04"}, "has not begun"),
        ({"week": "next week"}, "is not a date"),
        ({"value": "abc"}, "is not a number"),
        ({"value": "inf"}, "finite number"),
        ({"value": float("nan")}, "finite number"),
        ({"metric_id": "RET"}, "not frontline"),
        ({"metric_id": "NOPE"}, "no metric"),
    ],
)
def test_a_refused_week_says_why_and_writes_nothing(
    site: tuple[Settings, int], change: dict[str, object], words: str
) -> None:
    settings, pilot = site
    before = _count(settings)
    fields: dict[str, object] = {"metric_id": "OUT", "scope_id": "T1", "week": "2024-02-05",
                                 "value": "12.5", **change}  # fmt: skip
    with pytest.raises(DataError, match=words):
        record_week(settings, ADMIN, pilot, **fields)  # type: ignore[arg-type]
    assert _count(settings) == before


def test_this_week_may_be_entered_and_a_stranger_scope_may_not(site: tuple[Settings, int]) -> None:
    settings, pilot = site
    today = dt.datetime.now(dt.UTC).date()
    done = record_week(settings, ADMIN, pilot, metric_id="OUT", scope_id="T2", week=today, value=1)
    assert done.week == monday(today)
    with pytest.raises(NotFound, match="not one of this pilot's"):
        record_week(settings, ADMIN, pilot, metric_id="OUT", scope_id="T3", week=today, value=1)


def test_targets_newest_wins_and_only_sponsors_set_them(site: tuple[Settings, int]) -> None:
    settings, pilot = site
    set_target(settings, ADMIN, pilot, metric_id="OUT", value=25, by="2024-06-03")
    set_target(settings, account("champion", "P00"), pilot, metric_id="OUT", value="27.5",
               by=dt.date(2024, 7, 1))  # fmt: skip
    target = _panel(settings, pilot).target
    assert target is not None and (target.value, target.by) == (27.5, dt.date(2024, 7, 1))
    before = _count(settings)
    for role in ("supervisor", "member"):
        with pytest.raises(Forbidden):
            set_target(settings, account(role, "P01"), pilot, metric_id="OUT", value=1, by="x")
    with pytest.raises(DataError, match="not a date"):
        set_target(settings, ADMIN, pilot, metric_id="OUT", value=1, by="soon")
    assert _count(settings) == before


def test_who_reads_and_enters_as_the_policy_says(site: tuple[Settings, int]) -> None:
    settings, pilot = site
    week = "2024-02-05"
    for role in ("champion", "supervisor"):
        assert _panel(settings, pilot, account(role, "P07")).series
    member = account("member", "P04")  # in Beta: T1 and T2
    assert {s.scope_id for s in frontline_view(settings, member, pilot).enter_scopes} == {
        "T1", "T2"}  # fmt: skip
    record_week(settings, member, pilot, metric_id="OUT", scope_id="T2", week=week, value=3)
    alpha = account("member", "P02")  # in Alpha: T1 only
    assert [s.scope_id for s in frontline_view(settings, alpha, pilot).enter_scopes] == ["T1"]
    before = _count(settings)
    with pytest.raises(Forbidden):
        record_week(settings, alpha, pilot, metric_id="OUT", scope_id="T2", week=week, value=3)
    outsider = account("member", "P10")
    with pytest.raises(Forbidden):
        frontline_view(settings, outsider, pilot)
    with pytest.raises(Forbidden):
        record_week(settings, outsider, pilot, metric_id="OUT", scope_id="T1", week=week, value=3)
    assert _count(settings) == before


def test_a_draft_pilot_does_not_exist_for_a_member(site: tuple[Settings, int]) -> None:
    settings, _ = site
    draft = create_pilot(settings, ADMIN, "Draft", unit_id="CC")
    with pytest.raises(NotFound):
        frontline_view(settings, account("member", "P01"), draft.id)
    view = frontline_view(settings, ADMIN, draft.id)
    assert view.metrics == [] and view.note and "no workgroups" in view.note


def test_the_kept_figures_follow_a_new_import_and_a_new_target(
    site: tuple[Settings, int], tmp_path: Path
) -> None:
    settings, pilot = site
    assert _panel(settings, pilot).baseline == pytest.approx(20.5)
    again = tmp_path / "again"
    again.mkdir()
    lines = (tmp_path / "org" / "metric_values.csv").read_text(encoding="utf-8").splitlines()
    shifted = [lines[0]]
    for line in lines[1:]:
        head, value = line.rsplit(",", 1)
        shifted.append(f"{head},{float(value) + 10}" if ",workgroup,T1," in line else line)
    (again / "metric_values.csv").write_text("\n".join(shifted) + "\n", encoding="utf-8")
    import_files(settings, find_table_files(again))
    assert _panel(settings, pilot).baseline == pytest.approx(25.5)  # T1 up by 10: mean +5
    set_target(settings, ADMIN, pilot, metric_id="OUT", value=40, by="2024-06-03")
    target = _panel(settings, pilot).target
    assert target is not None and target.value == 40
