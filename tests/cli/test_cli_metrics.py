"""``smartmoves metrics drivers`` in process: from two files or a workspace's imports,
as JSON with stable keys or a table; a bad file is one line with file, row and column,
and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartmoves.cli.main import app
from smartmoves.data.synth import synthesize_bank
from smartmoves.pathway.setup.imports import find_table_files, import_files

from services import new_workspace

runner = CliRunner()
KEYS = {
    "metric_id", "parent_id", "lag", "coefficient", "ci_low", "ci_high", "standardized",
    "leading", "n_weeks", "p_value", "r_squared",
}  # fmt: skip


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("metrics-bank")
    synthesize_bank(folder, people=150, weeks=20, seed=4, events=2000)
    return folder


def _files(bank: Path) -> list[str]:
    return ["--metrics", str(bank / "metrics.csv"), "--values", str(bank / "metric_values.csv")]


def test_drivers_from_files_as_json(bank: Path) -> None:
    result = runner.invoke(app, ["metrics", "drivers", *_files(bank), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    truth = json.loads((bank / "truth.json").read_text())["metric_drivers"]
    found = {(d["metric_id"], d["parent_id"]) for d in data["drivers"] if d["lag"] == 0}
    assert found == {(t["metric_id"], t["parent_id"]) for t in truth}
    assert all(set(d) == KEYS for d in data["drivers"])
    assert all(d["ci_low"] <= d["coefficient"] <= d["ci_high"] for d in data["drivers"])
    assert all(d["n_weeks"] == 20 - d["lag"] for d in data["drivers"])
    # 20 weeks hold F-REV's four children at lag 0, and beside them lags of 1-2 weeks only.
    assert {d["lag"] for d in data["drivers"] if d["parent_id"] == "F-REV"} == {0, 1, 2}
    assert (
        "F-REV: lags from 3 weeks need at least 21 weeks of history; there are 20"
        in (data["warnings"])
    )


def test_drivers_from_a_workspace_match_the_files(bank: Path, tmp_path: Path) -> None:
    settings = new_workspace(tmp_path / "ws", None)
    import_files(settings, find_table_files(bank))
    from_files = runner.invoke(app, ["metrics", "drivers", *_files(bank), "--format", "json"])
    from_ws = runner.invoke(
        app, ["metrics", "drivers", "--workspace", str(tmp_path / "ws"), "--format", "json"]
    )
    assert from_ws.exit_code == 0, from_ws.output
    one, two = json.loads(from_files.stdout), json.loads(from_ws.stdout)
    assert len(one["drivers"]) == len(two["drivers"]) > 0
    for a, b in zip(one["drivers"], two["drivers"], strict=True):
        assert (a["metric_id"], a["parent_id"], a["lag"]) == (
            b["metric_id"], b["parent_id"], b["lag"],
        )  # fmt: skip
        assert a["coefficient"] == pytest.approx(b["coefficient"], rel=1e-9)
    table = runner.invoke(app, ["metrics", "drivers", "--workspace", str(tmp_path / "ws")])
    assert table.exit_code == 0 and "O-CSAT" in table.stdout
    assert "note: F-REV: lags from 3 weeks" in table.stdout


def test_bad_input_is_one_line_and_exit_code_2(bank: Path, tmp_path: Path) -> None:
    lines = (bank / "metric_values.csv").read_text().splitlines()
    header = lines[0].split(",")
    row = lines[5].split(",")
    row[header.index("value")] = "lots"
    bad = tmp_path / "metric_values.csv"
    bad.write_text("\n".join([lines[0], *lines[1:5], ",".join(row), *lines[6:]]) + "\n")
    result = runner.invoke(
        app, ["metrics", "drivers", "--metrics", str(bank / "metrics.csv"), "--values", str(bad)]
    )
    assert result.exit_code == 2
    assert result.stderr == (
        "error: metric_values.csv:6: column value: not a number: 'lots' (expected a number)\n"
    )
    alone = runner.invoke(app, ["metrics", "drivers", "--metrics", str(bank / "metrics.csv")])
    assert alone.exit_code == 2 and "--metrics and --values go together" in alone.stderr
    empty = runner.invoke(app, ["metrics", "drivers", "--workspace", str(tmp_path / "none")])
    assert empty.exit_code == 2
