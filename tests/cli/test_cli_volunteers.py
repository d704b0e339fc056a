"""``smartmoves volunteers`` in process on a workspace's pilot: the call, the applicants
and the selection. In the small organization of ``orgfiles`` P09 (AR) applied."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartmoves.cli.main import app
from smartmoves.pathway.create import volunteers
from smartmoves.settings import get_settings

from orgfiles import write_org
from services import ADMIN

runner = CliRunner()


@pytest.fixture
def ws(tmp_path: Path, store_backend: str | None, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    if store_backend:
        monkeypatch.setenv("SMARTMOVES_DATABASE_URL", store_backend)
    folder = tmp_path / "ws"
    org = write_org(tmp_path / "org")
    for args in (
        ["init", str(folder)],
        ["import", "all", str(org), "-w", str(folder)],
        [
            "pilot",
            "create",
            "AR pilot",
            "--unit",
            "AR",
            "--opportunity",
            "Disputes",
            "-w",
            str(folder),
        ],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    return ["-w", str(folder)]


def test_call_prints_the_default_then_sets_and_opens_it(ws: list[str]) -> None:
    shown = runner.invoke(app, ["volunteers", "call", "--pilot", "1", *ws])
    assert shown.exit_code == 0 and "Disputes" in shown.stdout
    assert "Nobody is penalized" in shown.stdout and shown.stderr == ""
    set_ = runner.invoke(
        app, ["volunteers", "call", "--pilot", "1", "--text", "Join!", "--open", *ws]
    )
    assert set_.exit_code == 0 and set_.stdout.strip() == "Join!"
    assert "warning: The call does not say that nobody is penalized" in set_.stderr
    assert "status recruiting" in set_.stderr
    assert volunteers.call_view(get_settings(Path(ws[1])), ADMIN, 1).text == "Join!"
    back = runner.invoke(app, ["volunteers", "call", "--pilot", "1", "--default", *ws])
    assert back.exit_code == 0 and "Nobody is penalized" in back.stdout
    assert volunteers.call_view(get_settings(Path(ws[1])), ADMIN, 1).is_default
    both = runner.invoke(
        app, ["volunteers", "call", "--pilot", "1", "--default", "--text", "Hi", *ws]
    )
    assert both.exit_code == 2 and "not both" in both.stderr


def test_list_and_select(ws: list[str]) -> None:
    listed = runner.invoke(app, ["volunteers", "list", "--pilot", "1", "--format", "json", *ws])
    assert listed.exit_code == 0, listed.output
    view = json.loads(listed.stdout)
    assert [r["person_id"] for r in view["rows"]] == ["P09"] and view["rows"][0][
        "plan"
    ] == "not_in_plan"
    chosen = runner.invoke(app, ["volunteers", "select", "--pilot", "1", "P09", *ws])
    assert chosen.exit_code == 0 and "1 selected" in chosen.stdout
    table = runner.invoke(app, ["volunteers", "list", "--pilot", "1", *ws])
    assert table.exit_code == 0 and "P09" in table.stdout and "selected" in table.stdout
    assert (
        "15 selected" not in table.stdout and "14 more needed for the minimum of 15" in table.stdout
    )
    dropped = runner.invoke(app, ["volunteers", "select", "--pilot", "1", "P09", "--unselect", *ws])
    assert dropped.exit_code == 0 and "not_selected" in dropped.stdout
    none = runner.invoke(
        app,
        [
            "volunteers",
            "list",
            "--pilot",
            "1",
            "--filter",
            "selection=selected",
            "--format",
            "json",
            *ws,
        ],
    )
    assert json.loads(none.stdout)["rows"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["select", "--pilot", "1", "P12"], "P12 did not apply to this pilot"),
        (["list", "--pilot", "9"], "no pilot 9"),
        (["list", "--pilot", "1", "--filter", "salary"], "expected COLUMN=VALUE"),
        (["list", "--pilot", "1", "--filter", "salary=high"], "unknown filter salary"),
        (["call", "--pilot", "1", "--text", " "], "the call is empty"),
    ],
)
def test_errors_exit_2_with_one_line(ws: list[str], args: list[str], message: str) -> None:
    result = runner.invoke(app, ["volunteers", *args, *ws])
    assert result.exit_code == 2 and message in result.stderr
    assert len(result.stderr.splitlines()) == 1
