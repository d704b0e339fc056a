"""One yes/no parser and one bad-cell message for every reader of imported files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartmoves.data.contracts import CONTRACTS, Column
from smartmoves.data.imports.events import stage_events
from smartmoves.data.imports.viva import read_viva_people
from smartmoves.data.readers import read_text_table
from smartmoves.data.validate import parse_column, validate_table
from smartmoves.data.values import FALSE_WORDS, TRUE_WORDS, bad_cell, parse_bool
from smartmoves.errors import DataError

WORDS = sorted(TRUE_WORDS | FALSE_WORDS)


@pytest.mark.parametrize("word", WORDS)
def test_yes_no_words_read_in_any_case_and_padding(word: str) -> None:
    expected = word in TRUE_WORDS
    for spelling in (word, word.upper(), f"  {word.title()} "):
        assert parse_bool(spelling) is expected


@given(st.text(max_size=8))
def test_anything_else_reads_as_neither(text: str) -> None:
    if text.strip().lower() not in TRUE_WORDS | FALSE_WORDS:
        assert parse_bool(text) is None


def test_empty_cells_read_as_neither() -> None:
    assert [parse_bool(v) for v in ("", "  ", None, float("nan"))] == [None] * 4


def test_a_bool_column_reads_the_same_words() -> None:
    cells = pd.Series([*WORDS, "", "maybe"])
    values, bad = parse_column(cells, Column("eliminable", "bool"))
    assert values.tolist() == [parse_bool(w) for w in WORDS] + [None, None]
    assert bad.tolist() == [False] * len(WORDS) + [False, True]


def test_viva_supervisors_are_the_yes_words_and_the_role(tmp_path: Path) -> None:
    indicators = [*WORDS, "Manager", "mgr", "Individual Contributor", ""]
    rows = [f"P{i},2024-01-07,Sales,{v},10" for i, v in enumerate(indicators)]
    path = tmp_path / "viva.csv"
    path.write_text(
        "PersonId,MetricDate,Organization,SupervisorIndicator,Collaboration_hours\n"
        + "\n".join(rows)
        + "\n",
        encoding="utf-8",
    )
    people = read_viva_people(path, unit_column="Organization").people.frame
    said = dict(zip(people["person_id"], people["is_supervisor"], strict=True))
    expected = [w in TRUE_WORDS for w in WORDS] + [True, True, False, False]
    assert [said[f"P{i}"] == "true" for i in range(len(indicators))] == expected


def test_the_bad_cell_line() -> None:
    hours = Column("hours_per_week", "number", required=True, minimum=0.0)
    assert [str(bad_cell("allocations.csv", 9, hours, c)) for c in ("ten", "-3", "")] == [
        "allocations.csv:9: column hours_per_week: not a number: 'ten' (expected a number >= 0)",
        "allocations.csv:9: column hours_per_week: out of range: -3 (expected a number >= 0)",
        "allocations.csv:9: column hours_per_week: empty (expected a number >= 0)",
    ]
    flag = Column("is_supervisor", "bool")
    assert str(bad_cell("people.csv", 3, flag, "maybe")) == (
        "people.csv:3: column is_supervisor: not a yes/no value: 'maybe' "
        "(expected true/false, yes/no or 1/0)"
    )


BAD_INTERACTIONS = """timestamp,sender_id,recipient_ids,channel,duration_minutes
2024-01-08T09:00,P01,P02,email,5
yesterday,P01,P02,email,5
2024-01-08T10:00,,P02;P03,fax,ten
2024-01-08T11:00,P02,;;,chat,-3
"""


def test_pandas_and_duckdb_report_a_bad_file_in_the_same_lines(tmp_path: Path) -> None:
    path = tmp_path / "interactions.csv"
    path.write_text(BAD_INTERACTIONS, encoding="utf-8")
    contract = CONTRACTS["interactions"]
    with pytest.raises(DataError) as by_pandas:
        validate_table(read_text_table(path), contract)
    with pytest.raises(DataError) as by_duckdb:
        stage_events(contract, path, tmp_path / "staged.parquet")
    assert (
        by_duckdb.value.lines()
        == by_pandas.value.lines()
        == [
            "interactions.csv:3: column timestamp: not a date-time: 'yesterday' "
            "(expected a date-time YYYY-MM-DDTHH:MM[:SS])",
            "interactions.csv:4: column channel: not an allowed value: 'fax' "
            "(expected one of email, chat, meeting, call, other)",
            "interactions.csv:4: column duration_minutes: not a number: 'ten' "
            "(expected a number >= 0)",
            "interactions.csv:4: column sender_id: empty (expected a non-empty value)",
            "interactions.csv:5: column duration_minutes: out of range: -3 "
            "(expected a number >= 0)",
            "interactions.csv:5: column recipient_ids: not a list of ids: ';;' "
            "(expected ids separated by ';')",
        ]
    )
