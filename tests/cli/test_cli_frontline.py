"""``smartmoves metrics enter``, ``target`` and ``targets`` in process, on the small
organization of the frontline tests: they act for the user named by ``--by`` through
the web's use cases, so the policy refuses what it refuses there, the audit log names
that user, and a refusal is one line on stderr, exit code 2, nothing written."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from frontlinefiles import START, frontline_org
from smartmoves.cli.main import app
from smartmoves.data.store import db
from smartmoves.data.store import frontline as stored
from smartmoves.data.store.models import AuditEntry, MetricTarget, Workgroup, WorkgroupMember
from smartmoves.pathway._store import store
from smartmoves.pathway.act.frontline import frontline_view
from smartmoves.pathway.pilots import create_pilot, set_pilot_status
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.pathway.setup.users import add_account, deactivate_account
from smartmoves.settings import Settings

from services import ADMIN, new_workspace, quick_password_hashes

runner = CliRunner()
PASSWORD = "a long enough password"
WEEK = "2024-02-07"  # a Wednesday: kept as Monday 2024-02-05


@pytest.fixture
def site(tmp_path: Path) -> tuple[Settings, int]:
    """Pilot Outreach, running: Alpha (coach P00; P01, P02: team T1) and Beta (P03: T1,
    P04: T2). Users: a champion, a supervisor, Alpha's member P02, Beta's member P04,
    and a deactivated champion."""
    settings = new_workspace(tmp_path / "ws", None)
    import_files(settings, find_table_files(frontline_org(tmp_path / "org")))
    pilot = create_pilot(settings, ADMIN, "Outreach", unit_id="CC")
    set_pilot_status(settings, ADMIN, pilot.id, "running", started_on=START)
    with db.transaction(store(settings)) as session:
        alpha = Workgroup(pilot_id=pilot.id, name="Alpha", coach_id="P00")
        beta = Workgroup(pilot_id=pilot.id, name="Beta")
        session.add_all([alpha, beta])
        session.flush()
        for group, person in ((alpha, "P01"), (alpha, "P02"), (beta, "P03"), (beta, "P04")):
            session.add(WorkgroupMember(pilot_id=pilot.id, workgroup_id=group.id, person_id=person))
    with quick_password_hashes():
        for email, role, person in (
            ("champ@bank.example", "champion", None),
            ("coach@bank.example", "supervisor", "P00"),
            ("alpha@bank.example", "member", "P02"),
            ("beta@bank.example", "member", "P04"),
            ("gone@bank.example", "champion", None),
        ):
            add_account(settings, email, role, PASSWORD, person_id=person)
        deactivate_account(settings, ADMIN, "gone@bank.example")
    return settings, pilot.id


def _ws(settings: Settings) -> list[str]:
    return ["--workspace", str(settings.workspace)]


def _enter(settings: Settings, pilot: int, **change: str) -> list[str]:
    fields = {"metric": "OUT", "team": "T1", "week": WEEK, "value": "12.5",
              "by": "alpha@bank.example", **change}  # fmt: skip
    args = [f"--{k}={v}" for k, v in fields.items()]
    return ["metrics", "enter", *_ws(settings), "--pilot", str(pilot), *args]


def _target(settings: Settings, pilot: int, **change: str) -> list[str]:
    fields = {"metric": "OUT", "value": "30", "date": "2024-06-03",
              "by": "champ@bank.example", **change}  # fmt: skip
    args = [f"--{k}={v}" for k, v in fields.items()]
    return ["metrics", "target", *_ws(settings), "--pilot", str(pilot), *args]


def _written(settings: Settings) -> tuple[int, int, int]:
    with db.transaction(store(settings)) as session:
        return (
            stored.entry_count(session),
            session.query(MetricTarget).count(),
            session.query(AuditEntry).count(),
        )


def _audit(settings: Settings, action: str) -> list[AuditEntry]:
    with db.transaction(store(settings)) as session:
        found = session.query(AuditEntry).filter(AuditEntry.action == action).all()
        session.expunge_all()
        return found


def test_a_member_enters_a_week_for_their_team(site: tuple[Settings, int]) -> None:
    settings, pilot = site
    result = runner.invoke(app, [*_enter(settings, pilot), "--format", "json"])
    assert result.exit_code == 0, result.output
    entry = json.loads(result.stdout)
    assert (entry["scope_id"], entry["week"], entry["value"]) == ("T1", "2024-02-05", 12.5)
    assert entry["entered_by"] == "alpha@bank.example"
    # The page shows it: the entered week outranks the imported 15 of T1 that week.
    (panel,) = frontline_view(settings, ADMIN, pilot).metrics
    t1 = next(s for s in panel.series if s.scope_id == "T1")
    week = next(p for p in t1.points if p.week == dt.date(2024, 2, 5))
    assert week.value == 12.5
    (logged,) = _audit(settings, "metric entry")
    assert logged.actor == "alpha@bank.example" and logged.target == str(pilot)
    assert logged.detail["scope_id"] == "T1" and logged.detail["value"] == 12.5
    table = runner.invoke(app, _enter(settings, pilot, value="-3", team="T2",
                                      by="coach@bank.example"))  # fmt: skip
    assert table.exit_code == 0, table.output
    assert "entered OUT = -3 for team T2, week of 2024-02-05" in table.stdout
    assert "(by coach@bank.example)" in table.stdout


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"week": "2999-01-06"}, "has not begun"),
        ({"week": "next week"}, "is not a date"),
        ({"value": "inf"}, "finite number"),
        ({"value": "nan"}, "finite number"),
        ({"value": "lots"}, "is not a number"),
        ({"metric": "RET"}, "not frontline"),
        ({"metric": "NOPE"}, "no metric"),
        ({"team": "T3"}, "not one of this pilot's workgroups"),
        ({"team": "T2"}, "only admins, champions, supervisors"),  # Alpha is T1 only
        ({"by": "nobody@bank.example"}, "no user nobody@bank.example"),
        ({"by": "gone@bank.example"}, "is deactivated"),
    ],
)
def test_a_refused_week_is_one_line_exit_2_and_nothing_written(
    site: tuple[Settings, int], change: dict[str, str], words: str
) -> None:
    settings, pilot = site
    before = _written(settings)
    result = runner.invoke(app, _enter(settings, pilot, **change))
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], lines
    assert result.stdout == ""
    assert _written(settings) == before


def test_a_stranger_pilot_is_refused(site: tuple[Settings, int]) -> None:
    settings, pilot = site
    before = _written(settings)
    result = runner.invoke(app, _enter(settings, pilot + 99))
    assert result.exit_code == 2 and result.stderr.startswith("error: "), result.output
    assert _written(settings) == before


def test_a_champion_sets_targets_and_the_newest_is_listed(site: tuple[Settings, int]) -> None:
    settings, pilot = site
    first = runner.invoke(app, _target(settings, pilot))
    assert first.exit_code == 0, first.output
    assert f"target of OUT for pilot {pilot}: 30 by 2024-06-03" in first.stdout
    again = runner.invoke(app, [*_target(settings, pilot, value="27.5", date="2024-07-01"),
                                "--format", "json"])  # fmt: skip
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["value"] == 27.5
    listed = runner.invoke(
        app, ["metrics", "targets", *_ws(settings), "--pilot", str(pilot), "--format", "json"]
    )
    assert listed.exit_code == 0, listed.output
    (only,) = json.loads(listed.stdout)["targets"]
    assert (only["metric_id"], only["value"], only["by"]) == ("OUT", 27.5, "2024-07-01")
    assert only["set_by"] == "champ@bank.example"
    # The page reads the same target, and the audit log names the champion twice.
    (panel,) = frontline_view(settings, ADMIN, pilot).metrics
    assert panel.target is not None and panel.target.value == 27.5
    assert [e.actor for e in _audit(settings, "metric target")] == ["champ@bank.example"] * 2
    # A member of the pilot reads the targets; a table for people.
    table = runner.invoke(app, ["metrics", "targets", *_ws(settings), "--pilot", str(pilot),
                                "--by", "beta@bank.example"])  # fmt: skip
    assert table.exit_code == 0, table.output
    assert "OUT" in table.stdout and "2024-07-01" in table.stdout


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"by": "coach@bank.example"}, "admins and champions set a pilot's targets"),
        ({"by": "alpha@bank.example"}, "admins and champions set a pilot's targets"),
        ({"date": "soon"}, "is not a date"),
        ({"value": "-inf"}, "finite number"),
        ({"metric": "RET"}, "not frontline"),
    ],
)
def test_a_refused_target_is_one_line_exit_2_and_nothing_written(
    site: tuple[Settings, int], change: dict[str, str], words: str
) -> None:
    settings, pilot = site
    before = _written(settings)
    result = runner.invoke(app, _target(settings, pilot, **change))
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], lines
    assert _written(settings) == before


def test_a_member_outside_the_pilot_may_not_read_its_targets(site: tuple[Settings, int]) -> None:
    settings, pilot = site
    with quick_password_hashes():
        add_account(settings, "out@bank.example", "member", PASSWORD, person_id="P10")
    result = runner.invoke(app, ["metrics", "targets", *_ws(settings), "--pilot", str(pilot),
                                 "--by", "out@bank.example"])  # fmt: skip
    assert result.exit_code == 2 and "frontline metrics are for staff" in result.stderr
