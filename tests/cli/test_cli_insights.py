"""``smartmoves insights scan`` in process: a file's flags as JSON with stable keys or a
table; a bad file is one line with file, row and column, and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from smartmoves.cli.main import app

runner = CliRunner()
KEYS = {
    "metric_id", "scope", "scope_id", "date", "kind", "magnitude", "magnitude_sd", "before",
    "after", "confidence", "explanation",
}  # fmt: skip


def _values(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    weeks = pd.date_range("2025-01-06", periods=60, freq="7D").strftime("%Y-%m-%d")
    shifted = 40 + rng.normal(0, 1, 60) + np.where(np.arange(60) >= 30, 5.0, 0.0)
    frame = pd.concat(
        [
            pd.DataFrame({"metric_id": "orders", "scope": "unit", "scope_id": "U1",
                          "date": weeks, "value": shifted.round(2)}),
            pd.DataFrame({"metric_id": "index", "scope": "market", "scope_id": "EU",
                          "date": weeks, "value": (100 + rng.normal(0, 1, 60)).round(2)}),
        ]
    )  # fmt: skip
    path = tmp_path / "metric_values.csv"
    frame.to_csv(path, index=False)
    return path


def test_scan_as_json(tmp_path: Path) -> None:
    result = runner.invoke(app, ["insights", "scan", "--values", str(_values(tmp_path)),
                                 "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["series"] == 2
    (flag,) = data["flags"]
    assert set(flag) == KEYS
    assert (flag["metric_id"], flag["kind"]) == ("orders", "level_shift")
    assert flag["date"] == "2025-08-04"


def test_scan_as_a_table(tmp_path: Path) -> None:
    result = runner.invoke(app, ["insights", "scan", "--values", str(_values(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "level" in result.stdout and "orders" in result.stdout


def test_a_bad_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "metric_values.csv"
    path.write_text("metric_id,scope,scope_id,date,value\norders,unit,U1,2025-01-06,many\n")
    result = runner.invoke(app, ["insights", "scan", "--values", str(path)])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "value" in lines[0] and lines[0].startswith("error:")
    missing = runner.invoke(app, ["insights", "scan", "--values", str(tmp_path / "none.csv")])
    assert missing.exit_code == 2 and "no such file" in missing.stderr
