"""The CLI, in process: workspace, import, users; errors are one line and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartmoves.cli.main import app
from smartmoves.data.store import db

from orgfiles import allocations_csv, write_org

runner = CliRunner()


@pytest.fixture
def cli_workspace(tmp_path: Path, store_backend: str | None, monkeypatch: pytest.MonkeyPatch):
    """A workspace made by `smartmoves init`, its store SQLite or PostgreSQL."""
    if store_backend:
        monkeypatch.setenv("SMARTMOVES_DATABASE_URL", store_backend)
    folder = tmp_path / "ws"
    result = runner.invoke(app, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def test_init_creates_a_workspace(cli_workspace: Path) -> None:
    assert (cli_workspace / "smartmoves.toml").is_file()
    assert (cli_workspace / "analytics").is_dir()
    result = runner.invoke(app, ["db", "status", "-w", str(cli_workspace)])
    head = db.head_revision()
    assert result.exit_code == 0 and f"store: {head}; this version: {head}" in result.output


def test_init_refuses_an_existing_workspace(cli_workspace: Path) -> None:
    result = runner.invoke(app, ["init", str(cli_workspace)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {cli_workspace} is already a workspace"


def test_import_all_then_json_report(cli_workspace: Path, tmp_path: Path) -> None:
    folder = write_org(tmp_path / "org")
    result = runner.invoke(app, ["import", "all", str(folder), "-w", str(cli_workspace)])
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["import", "all", str(folder), "-w", str(cli_workspace), "--json"])
    report = json.loads(again.stdout)
    assert {t["status"] for t in report["tables"]} == {"unchanged"}
    interactions = next(t for t in report["tables"] if t["table"] == "interactions")
    assert interactions["external_contacts"] == 2


def test_bad_file_prints_one_line_per_problem_and_exits_2(
    cli_workspace: Path, tmp_path: Path
) -> None:
    folder = write_org(tmp_path / "org")
    runner.invoke(app, ["import", "all", str(folder), "-w", str(cli_workspace)])
    bad = tmp_path / "allocations.csv"
    bad.write_text(
        allocations_csv()
        .replace("P02,A-RECON,10", "P02,A-RECON,ten")
        .replace("P04,A-CALLS,25", "P04,A-CALLS,-2"),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["import", "allocations", str(bad), "-w", str(cli_workspace)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: allocations.csv:9: column hours_per_week: not a number: 'ten' "
        "(expected a number >= 0)",
        "error: allocations.csv:14: column hours_per_week: out of range: -2 "
        "(expected a number >= 0)",
    ]
    assert "Traceback" not in result.output


def test_a_short_row_is_one_line_exit_2_and_nothing_is_stored(
    cli_workspace: Path, tmp_path: Path
) -> None:
    short = allocations_csv().replace("P02,A-RECON,10", "P02,A-RECON")
    folder = write_org(tmp_path / "org", allocations=short)
    result = runner.invoke(app, ["import", "all", str(folder), "-w", str(cli_workspace)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: allocations.csv:9: column hours_per_week: missing cell: the row has 2 cells, "
        "the header 3 (expected a cell for every column, empty ones too)"
    ]
    assert "Traceback" not in result.output
    good = runner.invoke(
        app,
        ["import", "all", str(write_org(tmp_path / "good")), "--json", "-w", str(cli_workspace)],
    )
    assert {t["status"] for t in json.loads(good.stdout)["tables"]} == {"imported"}


def test_check_validates_without_writing(cli_workspace: Path, tmp_path: Path) -> None:
    folder = write_org(tmp_path / "org")
    result = runner.invoke(
        app, ["import", "all", str(folder), "--check", "--json", "-w", str(cli_workspace)]
    )
    assert result.exit_code == 0
    assert {t["status"] for t in json.loads(result.stdout)["tables"]} == {"valid"}
    listed = runner.invoke(app, ["users", "list", "--format", "json", "-w", str(cli_workspace)])
    assert json.loads(listed.stdout) == []


def test_unknown_table_and_missing_workspace_are_clear(tmp_path: Path) -> None:
    result = runner.invoke(app, ["import", "staff", "x.csv", "-w", str(tmp_path)])
    assert result.exit_code == 2
    assert "is not a smartmoves workspace" in result.stderr
    folder = tmp_path / "ws"
    runner.invoke(app, ["init", str(folder)])
    result = runner.invoke(app, ["import", "staff", str(tmp_path / "x.csv"), "-w", str(folder)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: unknown table 'staff' (expected one of units,")


def test_users_add_and_list(cli_workspace: Path) -> None:
    result = runner.invoke(
        app, ["users", "add", "Ana@Bank.example", "--role", "champion", "-w", str(cli_workspace)]
    )
    assert result.exit_code == 0, result.output
    assert "added ana@bank.example as champion" in result.stdout
    assert len(result.stdout.split("password: ")[1].strip()) >= 10
    dup = runner.invoke(
        app, ["users", "add", "ana@bank.example", "--role", "member", "-w", str(cli_workspace)]
    )
    assert dup.exit_code == 2 and "exists already" in dup.stderr
    bad_role = runner.invoke(
        app, ["users", "add", "bo@bank.example", "--role", "boss", "-w", str(cli_workspace)]
    )
    assert bad_role.exit_code == 2 and "unknown role 'boss'" in bad_role.stderr
    listed = runner.invoke(app, ["users", "list", "--format", "json", "-w", str(cli_workspace)])
    assert json.loads(listed.stdout) == [
        {"email": "ana@bank.example", "role": "champion", "person_id": None, "active": True}
    ]


def test_python_dash_m_runs_the_cli() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "smartmoves", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.startswith("smartmoves ")
