"""``smartmoves entry-points`` in process: every unit as JSON with its factors, weights
from a file change the ranking the documented way, and a bad weights file or metric is
one line and exit code 2."""

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
    "unit_id", "name", "capacity", "impact", "likelihood", "overall", "confidence",
    "feasible", "freeable_volunteers", "needs_subset", "factors", "missing_inputs",
    "strong_on", "weak_on", "reasons",
}  # fmt: skip


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("entry-cli")
    synthesize_bank(folder / "bank", people=300, weeks=26, seed=2)
    settings = new_workspace(folder / "ws", None)
    import_files(settings, find_table_files(folder / "bank"))
    return folder / "ws"


def _json(*args: str) -> dict:
    result = runner.invoke(app, ["entry-points", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_unit_with_its_factors_best_first(workspace: Path) -> None:
    data = _json("--workspace", str(workspace))
    assert data["target_id"] == "F-REV"
    ranked = data["entry_points"]
    assert ranked[0]["unit_id"] == "U-COL" and ranked[0]["feasible"] is True
    assert all(set(e) == KEYS for e in ranked)
    factor = ranked[0]["factors"][0]
    assert set(factor) >= {"name", "value", "weight", "source", "effect", "support"}
    feasible = [e["feasible"] for e in ranked]
    assert feasible == sorted(feasible, key=lambda f: {True: 0, None: 1, False: 2}[f])


def test_weights_from_a_file_change_what_counts(workspace: Path, tmp_path: Path) -> None:
    only_likelihood = tmp_path / "weights.toml"
    only_likelihood.write_text("capacity = 0\nimpact = 0\nlikelihood = 1\n")
    data = _json("--workspace", str(workspace), "--weights", str(only_likelihood))
    for e in data["entry_points"]:
        assert e["overall"] == pytest.approx(e["likelihood"])
    table = runner.invoke(app, ["entry-points", "--workspace", str(workspace)])
    assert table.exit_code == 0 and "U-COL" in table.stdout


def test_bad_weights_and_unknown_metrics_are_one_line_and_exit_2(
    workspace: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "weights.json"
    bad.write_text('{"capacity": -1}')
    result = runner.invoke(
        app, ["entry-points", "--workspace", str(workspace), "--weights", str(bad)]
    )
    assert result.exit_code == 2
    assert result.stderr == f"error: {bad}: weight 'capacity' must be a number at least 0, not -1\n"
    broken = tmp_path / "broken.json"
    broken.write_text("{capacity: 1")
    result = runner.invoke(
        app, ["entry-points", "--workspace", str(workspace), "--weights", str(broken)]
    )
    assert result.exit_code == 2 and "not valid json" in result.stderr
    result = runner.invoke(app, ["entry-points", "--workspace", str(workspace), "--target", "X"])
    assert result.exit_code == 2 and "no metric 'X'" in result.stderr


def test_the_workspace_weights_count_unless_a_file_is_given(
    workspace: Path, tmp_path: Path
) -> None:
    from smartmoves.pathway.recognize import save_weights
    from smartmoves.settings import get_settings

    from services import ADMIN

    settings = get_settings(workspace)
    save_weights(settings, ADMIN, {"capacity": 0, "impact": 0})
    try:
        kept = _json("--workspace", str(workspace))
        assert kept["weights"]["capacity"] == 0.0
        for e in kept["entry_points"]:
            assert e["overall"] == pytest.approx(e["likelihood"])
        given = tmp_path / "weights.json"
        given.write_text('{"capacity": 2}')
        assert _json("--workspace", str(workspace), "--weights", str(given))["weights"] == {
            **kept["weights"], "capacity": 2.0, "impact": 1.0,
        }  # fmt: skip
    finally:
        save_weights(settings, ADMIN, {})
