"""``smartmoves catalysts`` and ``smartmoves champion`` in process, on the small
organization of ``orgfiles``: JSON with stable keys, and bad input one line, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartmoves.cli.main import app
from smartmoves.pathway.setup.imports import find_table_files, import_files

from orgfiles import write_org
from services import new_workspace

runner = CliRunner()
VISION = "Within six months our collectors are freed from routine work to learn new skills."


@pytest.fixture
def ws(tmp_path: Path) -> str:
    settings = new_workspace(tmp_path / "ws", None)
    import_files(settings, find_table_files(write_org(tmp_path / "org")))
    return str(tmp_path / "ws")


def _run(ws: str, *args: str) -> object:
    return runner.invoke(app, [*args, "--workspace", ws])


def test_catalysts_add_list_and_show(ws: str) -> None:
    added = _run(
        ws, "catalysts", "add", "--type", "market_pressure", "--title", "Digital lenders",
        "--break-status-quo", "yes", "--urgent-now", "yes", "--beyond-optimization", "yes",
        "--pilot-can-be-freed", "yes", "--evidence", "urgent_now=the board asked",
        "--format", "json",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    row = json.loads(added.stdout)
    assert row["verdict"] == "good" and row["id"] == 1
    assert {a["key"]: a["evidence"] for a in row["answers"]}["urgent_now"] == "the board asked"
    assert sum("without evidence" in w for w in row["warnings"]) == 3
    listed = json.loads(_run(ws, "catalysts", "list", "--format", "json").stdout)
    assert [c["title"] for c in listed] == ["Digital lenders"]
    shown = _run(ws, "catalysts", "show", "1")
    assert shown.exit_code == 0 and "good" in shown.stdout and "the board asked" in shown.stdout
    table = _run(ws, "catalysts", "list")
    assert table.exit_code == 0 and "Digital lenders" in table.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["catalysts", "add", "--type", "hunch", "--title", "x"], "type is one of"),
        (["catalysts", "add", "--type", "other", "--title", "x", "--urgent-now", "maybe"],
         "yes, no or unsure"),
        (["catalysts", "add", "--type", "other", "--title", "x", "--evidence", "fun=yes"],
         "--evidence takes QUESTION=NOTE"),
        (["catalysts", "show", "7"], "no catalyst 7"),
        (["champion", "set", "--person", "P99"], "no person 'P99'"),
        (["champion", "set", "--person", "P08", "--area", "NOWHERE"], "no unit 'NOWHERE'"),
        (["champion", "set", "--person", "P08", "--level", "king"], "level is one of"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_code_2(ws: str, args: list[str], words: str) -> None:
    result = _run(ws, *args)
    assert result.exit_code == 2, result.output
    assert words in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert json.loads(_run(ws, "catalysts", "list", "--format", "json").stdout) == []


def test_champion_set_changes_only_what_is_given(ws: str) -> None:
    assert "no champion yet" in _run(ws, "champion", "show").stdout
    first = _run(
        ws, "champion", "set", "--person", "P08", "--level", "c_level", "--conviction", "yes",
        "--communicates", "yes", "--air-cover", "yes", "--area", "BANK", "--vision", VISION,
        "--format", "json",
    )  # fmt: skip
    assert first.exit_code == 0, first.output
    champion = json.loads(first.stdout)
    assert champion["ready"] and champion["area_units"] == 4 and champion["version"] == 1
    second = _run(ws, "champion", "set", "--level", "manager", "--format", "json")
    changed = json.loads(second.stdout)
    assert changed["person_id"] == "P08" and changed["vision"] == VISION
    assert changed["version"] == 2 and any("not at C-level" in w for w in changed["warnings"])
    shown = _run(ws, "champion", "show")
    assert shown.exit_code == 0 and "not at C-level" in shown.stdout
