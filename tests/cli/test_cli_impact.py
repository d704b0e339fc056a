"""``smartmoves impact estimate`` in process: the synthetic bank's planted pilot effect is
found from its metric_values file; bad input is one line and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from smartmoves.cli.main import app
from smartmoves.data.synth import synthesize_bank

from demoworkspace import Demo, small_demo

runner = CliRunner()


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("impact-bank")
    synthesize_bank(folder, people=2000, weeks=26, seed=0, events=2000)
    return folder


@pytest.fixture
def small(tmp_path: Path) -> Path:
    noise = np.random.default_rng(0).normal(0, 0.3, (8, 12))
    weeks = pd.date_range("2026-01-05", periods=12, freq="7D").strftime("%Y-%m-%d")
    rows = [
        ("M1", "workgroup", f"W{i}", w, round(10 + i + noise[i, k] + 2 * (i < 2 < 8 <= k), 2))
        for i in range(8)
        for k, w in enumerate(weeks)
    ] + [("M1", "unit", "U1", w, 99.0) for w in weeks]  # fmt: skip
    path = tmp_path / "metric_values.csv"
    pd.DataFrame(rows, columns=["metric_id", "scope", "scope_id", "date", "value"]).to_csv(
        path, index=False
    )
    return path


def _estimate(values: Path, *extra: str) -> list[str]:
    return ["impact", "estimate", "--values", str(values), *extra]


def test_the_planted_effect_is_found(bank: Path) -> None:
    truth = json.loads((bank / "truth.json").read_text())["pilot_effect"]
    assert truth["planted"]
    for planted in truth["effects"]:
        result = runner.invoke(
            app,
            _estimate(
                bank / "metric_values.csv",
                "--metric", planted["metric_id"],
                "--treated", ",".join(truth["scope_ids"]),
                "--start", truth["start_date"],
                "--format", "json",
            ),
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        found = json.loads(result.stdout)
        assert found["method"] == "sdid"
        assert found["ci_low"] < planted["effect"] < found["ci_high"]
        assert abs(found["effect"] - planted["effect"]) < 0.1 * planted["effect"]
        assert found["n_controls"] == len(truth["comparison_scope_ids"])


def test_a_table_for_people(small: Path) -> None:
    result = runner.invoke(
        app, _estimate(small, "--metric", "M1", "--treated", "W0,W1", "--start", "2026-03-02")
    )
    assert result.exit_code == 0, result.output
    assert "effect on M1 (sdid)" in result.stdout and "naive before/after" in result.stdout
    assert "6 controls" in result.stdout  # the unit scope is no control for workgroups


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--metric", "M9", "--treated", "W0", "--start", "2026-03-02"], "no values of metric M9"),
        (["--metric", "M1", "--treated", "W9", "--start", "2026-03-02"], "W9 have no values"),
        (["--metric", "M1", "--treated", "W0", "--start", "2027-01-01"], "must fall after"),
        (["--metric", "M1", "--treated", "W0", "--start", "soon"], "is not a date"),
        (["--metric", "M1", "--treated", ",", "--start", "2026-03-02"], "at least one"),
        (["--metric", "M1", "--treated", "W0", "--start", "2026-03-02", "--method", "x"], "one of"),
        (["--metric", "M1", "--treated", "W0,U1", "--start", "2026-03-02"], "several kinds"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(small: Path, extra: list[str], message: str) -> None:
    result = runner.invoke(app, _estimate(small, *extra))
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]


def test_a_missing_file_is_one_line(tmp_path: Path) -> None:
    args = ["--metric", "M1", "--treated", "W0", "--start", "2026-03-02"]
    result = runner.invoke(app, _estimate(tmp_path / "none.csv", *args))
    assert result.exit_code == 2
    assert len([ln for ln in result.stderr.splitlines() if ln.strip()]) == 1


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    # The report tests' small demo (the first module to ask builds it).
    return small_demo(tmp_path_factory.getbasetemp() / "report-demo")


def test_a_workspace_pilot_is_measured_on_its_teams(demo: Demo) -> None:
    """--pilot takes the teams of the pilot's workgroups, the other teams as controls
    and the start the store recorded: the planted effects lie in their intervals."""
    for planted in demo.truth["pilot_effect"]["effects"]:
        args = ["impact", "estimate", "--pilot", "1", "--metric", planted["metric_id"]]
        result = runner.invoke(app, [*args, "--workspace", str(demo.folder), "--format", "json"])
        assert result.exit_code == 0, result.output
        found = json.loads(result.output)
        assert found["ci_low"] <= planted["effect"] <= found["ci_high"], found
        assert found["n_treated"] >= 1 and found["n_controls"] >= 1


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["--pilot", "1", "--start", "2024-01-01"], "leave out --values, --treated and --start"),
        ([], "give --values, --treated and --start, or --pilot ID"),
        (["--pilot", "999"], "999"),
    ],
)
def test_a_pilot_asked_wrongly_is_one_line(demo: Demo, extra: list[str], said: str) -> None:
    args = ["impact", "estimate", "--metric", "FL-PTP", "--workspace", str(demo.folder)]
    result = runner.invoke(app, [*args, *extra])
    assert result.exit_code == 2, result.output
    assert said in result.output and "Traceback" not in result.output


def test_a_metric_no_team_tracks_is_one_line(demo: Demo) -> None:
    args = ["impact", "estimate", "--pilot", "1", "--metric", "F-REV"]
    result = runner.invoke(app, [*args, "--workspace", str(demo.folder)])
    assert result.exit_code == 2 and "no team has imported values of metric F-REV" in result.output
