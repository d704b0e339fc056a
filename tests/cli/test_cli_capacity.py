"""``smartmoves capacity`` in process, straight on files and on a workspace's pilot.

The files are the small organization of ``orgfiles``: in accounts receivable (AR),
P08-P13 work 40 h each (calls 25, reconciliation 10, report 5); P09 volunteers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartmoves.cli.main import app
from smartmoves.pathway.create import capacity
from smartmoves.settings import get_settings

from orgfiles import allocations_csv, write_org

runner = CliRunner()
PLAN_KEYS = {
    "freed",
    "not_freed",
    "handoffs",
    "receivers",
    "hours",
    "objective",
    "bound",
    "gap",
    "status",
}


@pytest.fixture
def org(tmp_path: Path) -> Path:
    folder = write_org(tmp_path / "org")
    (folder / "volunteers.csv").write_text("person_id,why\nP09,keen\n", encoding="utf-8")
    (folder / "decisions.csv").write_text(
        "activity_id,decision\nA-RECON,automate\nA-REPORT,stop\n", encoding="utf-8"
    )
    return folder


def _files(org: Path) -> list[str]:
    return [
        "--people",
        str(org / "people.csv"),
        "--activities",
        str(org / "activities.csv"),
        "--allocations",
        str(org / "allocations.csv"),
    ]


def test_suggest_on_files(org: Path) -> None:
    result = runner.invoke(app, ["capacity", "suggest", *_files(org), "--format", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert set(found) == {"suggestions", "missing_estimates", "unit_id"}
    rows = [(r["activity_id"], r["decision"], r["hours_freed"]) for r in found["suggestions"]]
    # Everyone: reconciliation 160 h x 0.8, calls 390 h x 0.3, the report 80 h stopped.
    assert rows == [
        ("A-RECON", "automate", 128.0),
        ("A-CALLS", "automate", 117.0),
        ("A-REPORT", "stop", 80.0),
    ]
    assert found["missing_estimates"] == ["A-REPORT"]
    assert found["suggestions"][0]["person_ids"][:2] == ["P00", "P01"]
    unit = runner.invoke(app, ["capacity", "suggest", *_files(org), "--unit", "AR"])
    assert unit.exit_code == 0 and "48.00" in unit.stdout and "128.00" not in unit.stdout
    assert "flagged: no automation potential and no model estimate for A-REPORT" in unit.stderr


def test_plan_on_files_prints_the_issues_keys(org: Path) -> None:
    args = ["capacity", "plan", *_files(org), "--volunteers", str(org / "volunteers.csv")]
    args += ["--decisions", str(org / "decisions.csv"), "--min-pilot", "1", "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert set(plan) >= PLAN_KEYS and plan["status"] == "optimal"
    assert [r["person_id"] for r in plan["freed"]] == ["P09"]
    assert plan["bound"] == 1 and plan["gap"] == 0
    # Receivers come from the whole file: anyone who does calls or reconciliation.
    assert sum(h["hours"] for h in plan["handoffs"]) == plan["hours"]["handed_off"] == 17
    table = runner.invoke(app, args[:-2])
    assert table.exit_code == 0
    assert "status: optimal - 1 of 1 volunteers freed; bound 1, gap 0%" in table.stdout


def test_an_infeasible_plan_is_explained_not_a_crash(org: Path) -> None:
    # Without decisions everybody works a full week: nobody has room for P09's work.
    args = ["capacity", "plan", *_files(org), "--volunteers", str(org / "volunteers.csv")]
    result = runner.invoke(app, [*args, "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    assert "status: infeasible - 0 of 1 volunteers freed" in result.stdout
    assert "no qualified receiver with room" in result.stdout
    as_json = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    assert as_json["status"] == "infeasible" and as_json["not_freed"][0]["cause"] == "no_receiver"


@pytest.mark.parametrize(
    ("change", "line"),
    [
        (
            {"volunteers": "person_id\nP99\n"},
            "error: volunteers not in people: P99",
        ),
        (
            {"volunteers": "who\nP09\n"},
            "error: volunteers.csv:1: column person_id: missing required column "
            "(expected person_id)",
        ),
        (
            {"decisions": "activity_id,decision\nA-RECON,outsource\n"},
            "error: decisions:2: column decision: 'outsource' unknown "
            "(expected automate, stop, keep, relax-metric)",
        ),
        (
            {"allocations": allocations_csv().replace("P02,A-RECON,10", "P02,A-RECON,ten")},
            "error: allocations.csv:9: column hours_per_week: not a number: 'ten' "
            "(expected a number >= 0)",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(
    org: Path, change: dict[str, str], line: str
) -> None:
    for stem, text in change.items():
        (org / f"{stem}.csv").write_text(text, encoding="utf-8")
    args = ["capacity", "plan", *_files(org), "--volunteers", str(org / "volunteers.csv")]
    result = runner.invoke(app, [*args, "--decisions", str(org / "decisions.csv")])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [line]
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["capacity", "suggest"], "on files, give --people, --activities and --allocations"),
        (["capacity", "plan", "--save"], "--save keeps the plan as a pilot's"),
        (
            ["capacity", "plan", "--max-load", "0", "--pilot", "1"],
            "error: most load per receiver: 0.1 to 1.5 times their contracted hours "
            "(1.0 is a full week), not 0",
        ),
        (
            ["capacity", "plan", "--max-load", "5"],  # on files: the same bound
            "most load per receiver: 0.1 to 1.5 times their contracted hours",
        ),
        (
            ["capacity", "plan", "--time-limit", "5000", "--pilot", "1"],
            "error: search seconds: 1 to 3600, not 5000",
        ),
        (["capacity", "plan", "--time-limit", "0.5"], "error: search seconds: 1 to 3600, not 0.5"),
    ],
)
def test_wrong_options_are_one_line(args: list[str], message: str, tmp_path: Path) -> None:
    runner.invoke(app, ["init", str(tmp_path / "ws")])
    result = runner.invoke(app, [*args, "-w", str(tmp_path / "ws")])
    assert result.exit_code == 2 and message in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_help_says_the_bounds() -> None:
    result = runner.invoke(app, ["capacity", "plan", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())  # as wrapped to the terminal's width
    assert "share of contracted: 0.1 to 1.5 (1.0 is a full week)" in text
    assert "Seconds for the solver: 1 to 3600 (the page allows up to 60)" in text


@pytest.fixture
def pilot_workspace(
    tmp_path: Path, org: Path, store_backend: str | None, monkeypatch: pytest.MonkeyPatch
) -> Path:
    if store_backend:
        monkeypatch.setenv("SMARTMOVES_DATABASE_URL", store_backend)
    folder = tmp_path / "ws"
    for args in (
        ["init", str(folder)],
        ["import", "all", str(org), "-w", str(folder)],
        ["pilot", "create", "AR pilot", "--unit", "AR", "--min-pilot", "1", "-w", str(folder)],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    return folder


def test_on_a_workspace_decide_then_plan_and_save(pilot_workspace: Path, org: Path) -> None:
    ws = ["-w", str(pilot_workspace)]
    suggest = runner.invoke(app, ["capacity", "suggest", "--pilot", "1", "--format", "json", *ws])
    assert suggest.exit_code == 0, suggest.output
    rows = json.loads(suggest.stdout)["suggestions"]
    assert [(r["activity_id"], r["hours_freed"]) for r in rows] == [
        ("A-RECON", 48.0),
        ("A-CALLS", 45.0),
        ("A-REPORT", 30.0),
    ]
    decide = runner.invoke(
        app, ["capacity", "decide", str(org / "decisions.csv"), "--pilot", "1", *ws]
    )
    assert decide.exit_code == 0 and "2 decisions saved (1 automate, 1 stop)" in decide.stdout
    # Longer than the page allows (60 s): the command line's bound is 3600 s, and the
    # search ends by proof long before.
    args = ["capacity", "plan", "--pilot", "1", "--save", "--time-limit", "120"]
    plan = runner.invoke(app, [*args, "--format", "json", *ws])
    assert plan.exit_code == 0, plan.output
    result = json.loads(plan.stdout)
    assert set(result) >= PLAN_KEYS and [r["person_id"] for r in result["freed"]] == ["P09"]
    assert plan.stderr.strip() == "saved as plan 1 of pilot 1"
    saved = capacity.read_current_plan(get_settings(pilot_workspace), 1)
    assert saved is not None and saved.result == result
    assert saved.parameters["volunteers_source"] == "applied"
    assert saved.parameters["time_limit"] == 120 and saved.created_by == "cli"

    mixed = runner.invoke(
        app, ["capacity", "plan", "--pilot", "1", "--decisions", str(org / "decisions.csv"), *ws]
    )
    assert mixed.exit_code == 2
    assert "--pilot 1 reads the workspace; --decisions only apply on files" in mixed.stderr
    bad = runner.invoke(
        app, ["capacity", "decide", str(org / "volunteers.csv"), "--pilot", "1", *ws]
    )
    assert bad.exit_code == 2
    assert bad.stderr.splitlines() == [
        "error: volunteers.csv:1: column activity_id: missing required column "
        "(expected activity_id)",
        "error: volunteers.csv:1: column decision: missing required column (expected decision)",
    ]
    missing = runner.invoke(app, ["capacity", "suggest", "--pilot", "7", *ws])
    assert missing.exit_code == 2 and missing.stderr.strip() == "error: no pilot 7"
