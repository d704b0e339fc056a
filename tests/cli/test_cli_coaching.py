"""``smartmoves coaches`` and ``smartmoves charter`` in process, on a workspace with a pilot
at accounts receivable (AR) and two workgroups made directly in the store. P08 is AR's
supervisor; P09 is not a supervisor."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from smartmoves.cli.main import app
from smartmoves.data.store import coaching as coaching_store
from smartmoves.data.store import db
from smartmoves.pathway._store import store
from smartmoves.pathway.pilots import create_pilot
from smartmoves.pathway.setup.imports import find_table_files, import_files

from orgfiles import write_org
from services import ADMIN, new_workspace

runner = CliRunner()


@pytest.fixture
def ws(tmp_path: Path) -> list[str]:
    settings = new_workspace(tmp_path / "ws", None)
    import_files(settings, find_table_files(write_org(tmp_path / "org")))
    pilot = create_pilot(settings, ADMIN, "AR pilot", unit_id="AR", min_pilot=1).id
    with db.transaction(store(settings)) as session:
        for i, members in enumerate((["P09", "P10"], ["P11"], ["P12"])):
            coaching_store.add_workgroup(session, pilot, f"Group {i + 1}", members)
    return ["-w", str(settings.workspace)]


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_assign_and_list_coaches(ws: list[str]) -> None:
    out = run("coaches", "assign", "--pilot", "1", "--workgroup", "1", "--coach", "P08", *ws)
    assert "P08 coaches Group 1 in pilot 1" in out
    run("coaches", "assign", "--pilot", "1", "--workgroup", "2", "--coach", "P08", *ws)
    third = runner.invoke(
        app, ["coaches", "assign", "--pilot", "1", "--workgroup", "3", "--coach", "P08", *ws]
    )
    assert third.exit_code == 2 and "already coaches 2 workgroups" in third.stderr
    assert len(third.stderr.splitlines()) == 1
    removed = run("coaches", "remove", "--pilot", "1", "--workgroup", "2", *ws)
    assert "Group 2 has no coach now, in pilot 1" in removed
    run("coaches", "assign", "--pilot", "1", "--workgroup", "2", "--coach", "P08", *ws)
    unknown = runner.invoke(app, ["coaches", "remove", "--pilot", "1", "--workgroup", "99", *ws])
    assert unknown.exit_code == 2 and "no workgroup 99 in pilot 1" in unknown.stderr
    not_supervisor = runner.invoke(
        app, ["coaches", "assign", "--pilot", "1", "--workgroup", "3", "--coach", "P09", *ws]
    )
    assert not_supervisor.exit_code == 2
    assert not_supervisor.stderr.strip() == (
        "error: P09 is not a frontline supervisor (people.is_supervisor): "
        "only supervisors coach workgroups"
    )
    run(
        "coaches",
        "check",
        "--pilot",
        "1",
        "--coach",
        "P08",
        "--part",
        "focus",
        "--status",
        "done",
        *ws,
    )
    listed = json.loads(run("coaches", "list", "--pilot", "1", "--format", "json", *ws))
    assert [w["coach_id"] for w in listed["workgroups"]] == ["P08", "P08", None]
    (coach,) = listed["coaches"]
    assert [c["status"] for c in coach["checklist"]] == ["todo", "todo", "todo", "done", "todo"]
    assert "the shift, coach by coach" in run("coaches", "list", "--pilot", "1", *ws)


def test_charter_set_from_a_file_and_options_then_show(ws: list[str], tmp_path: Path) -> None:
    toml = tmp_path / "charter.toml"
    toml.write_text(
        'objective = "Customers stay after a collection event"\n'
        'starting_problem = "Hardship plans come too late"\n'
        'relaxed_metrics = ["Handling time"]\n',
        encoding="utf-8",
    )
    out = run("charter", "set", "--workgroup", "1", "--file", str(toml), *ws)
    assert "charter version 1" in out
    out = run("charter", "set", "--workgroup", "1", "--starting-problem", "Payment plans", *ws)
    assert "charter version 2 (starting problem)" in out
    shown = json.loads(run("charter", "show", "--workgroup", "1", "--format", "json", *ws))
    assert [v["version"] for v in shown["versions"]] == [2, 1]
    current = shown["current"]["content"]
    assert current["objective"] == "Customers stay after a collection event"
    assert current["starting_problem"] == "Payment plans"
    assert current["relaxed_metrics"] == ["Handling time"]
    table = run("charter", "show", "--workgroup", "1", *ws)
    assert "version 2" in table and "Payment plans" in table


def test_charter_errors_are_one_line_and_exit_code_2(ws: list[str], tmp_path: Path) -> None:
    missing = runner.invoke(app, ["charter", "set", "--workgroup", "2", "--objective", "x", *ws])
    assert missing.exit_code == 2
    assert missing.stderr.strip() == (
        "error: a charter needs an objective and a starting problem (missing: starting problem)"
    )
    bad = tmp_path / "charter.json"
    bad.write_text('{"objective": "x", "guardrails": "y"}', encoding="utf-8")
    unknown = runner.invoke(app, ["charter", "set", "--workgroup", "2", "--file", str(bad), *ws])
    assert unknown.exit_code == 2 and "unknown field guardrails" in unknown.stderr
    nowhere = runner.invoke(app, ["charter", "show", "--workgroup", "99", *ws])
    assert nowhere.exit_code == 2 and "no workgroup 99" in nowhere.stderr
    empty = run("charter", "show", "--workgroup", "2", *ws)
    assert "no charter yet" in empty


def test_the_help_names_every_part_and_status_of_the_store() -> None:
    from smartmoves.cli import coaching as cli_coaching
    from smartmoves.data.store.models.pilot import CHECK_STATUSES, COACH_PARTS

    assert ", ".join(COACH_PARTS) == cli_coaching.PARTS_HELP
    assert ", ".join(CHECK_STATUSES) == cli_coaching.STATUSES_HELP


def test_charter_set_refuses_a_version_saved_between_its_read_and_its_save(
    ws: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from smartmoves.cli import coaching as cli_coaching
    from smartmoves.pathway.create import coaching
    from smartmoves.settings import get_settings

    from services import ADMIN

    settings = get_settings(Path(ws[1]))
    read = coaching.charter_view

    def read_then_someone_saves(*args: Any, **kwargs: Any) -> Any:
        view = read(*args, **kwargs)
        content = coaching.CharterContent(objective="Theirs", starting_problem="Theirs too")
        coaching.save_charter(settings, ADMIN, 1, content)
        return view

    monkeypatch.setattr(cli_coaching.coaching, "charter_view", read_then_someone_saves)
    args = ["--objective", "Mine", "--starting-problem", "Mine too"]
    late = runner.invoke(app, ["charter", "set", "--workgroup", "1", *args, *ws])
    assert (
        late.exit_code == 2 and "someone saved version 1 of this charter meanwhile" in late.stderr
    )
    shown = json.loads(run("charter", "show", "--workgroup", "1", "--format", "json", *ws))
    assert shown["current"]["content"]["objective"] == "Theirs"
