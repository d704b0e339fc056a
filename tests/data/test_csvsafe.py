"""Every CSV the product writes shows a would-be formula as text, and numbers as numbers."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from smartmoves.data.analytics.exports import write_tables
from smartmoves.data.csvsafe import safe_cell, safe_frame


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_text_cell_that_would_run_gets_a_quote(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["ok", "a-b", "", None, -3, -2.5, 0])
def test_anything_else_is_unchanged(value: object) -> None:
    assert safe_cell(value) == value


def test_only_text_columns_are_defused() -> None:
    frame = pd.DataFrame({"name": ["=cmd", "-x", "ok"], "delta": [-1, 2, -3]})
    safe = safe_frame(frame)
    assert safe["name"].tolist() == ["'=cmd", "'-x", "ok"]
    assert safe["delta"].tolist() == [-1, 2, -3] and safe["delta"].dtype == frame["delta"].dtype
    assert frame["name"].tolist() == ["=cmd", "-x", "ok"]  # the caller's frame is untouched


def test_exported_tables_defuse_text_and_keep_negative_numbers(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"person_id": ["@p1", "p2"], "topics": [["=HYPERLINK(1)", "ok"], []], "z": [-0.5, 1.0]}
    )
    write_tables(tmp_path, {"people": frame}, {})
    rows = list(csv.DictReader((tmp_path / "people.csv").open(encoding="utf-8")))
    assert [r["person_id"] for r in rows] == ["'@p1", "p2"]
    assert rows[0]["topics"] == "'=HYPERLINK(1);ok"
    assert [r["z"] for r in rows] == ["-0.5", "1.0"]
    # The Parquet copy keeps the data as it is: only a spreadsheet needs the quote.
    assert pd.read_parquet(tmp_path / "people.parquet")["person_id"].tolist() == ["@p1", "p2"]
