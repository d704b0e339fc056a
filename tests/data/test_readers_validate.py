"""Reading files as text and validating them against contracts (no store involved)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartmoves.data.contracts import CONTRACTS, Column
from smartmoves.data.readers import read_text_table
from smartmoves.data.validate import parse_column, validate_table
from smartmoves.errors import DataError, Problem


def _table(tmp_path: Path, text: str, name: str = "t.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_text_table(path)


def test_ids_stay_text_and_bom_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_bytes("\ufeffunit_id,name\n007,Bond unit\n".encode())
    valid = validate_table(read_text_table(path), CONTRACTS["units"])
    assert valid.frame["unit_id"].tolist() == ["007"]


def test_unknown_file_type_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "units.json").write_text("{}", encoding="utf-8")
    with pytest.raises(DataError, match=r"units.json: unknown file type '.json'"):
        read_text_table(tmp_path / "units.json")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"nope\.csv: no such file"):
        read_text_table(tmp_path / "nope.csv")


def test_choices_are_case_insensitive_and_normalized(tmp_path: Path) -> None:
    table = _table(tmp_path, "unit_id,name,kind,position\nU,U,Business_Unit,EDGE\n")
    valid = validate_table(table, CONTRACTS["units"])
    assert valid.frame.loc[0, "kind"] == "business_unit"
    assert valid.frame.loc[0, "position"] == "edge"


def test_defaults_apply_to_missing_and_empty_cells(tmp_path: Path) -> None:
    table = _table(tmp_path, "person_id,unit_id,contracted_hours\nP1,U,\nP2,U,32\n")
    valid = validate_table(table, CONTRACTS["people"], known={"units": {"U"}})
    assert valid.frame["contracted_hours"].tolist() == [40.0, 32.0]
    assert valid.frame["is_supervisor"].tolist() == [False, False]


def test_a_short_row_is_an_error_not_defaults(tmp_path: Path) -> None:
    with pytest.raises(DataError) as caught:
        _table(tmp_path, "person_id,unit_id,contracted_hours\nP1,U,\nP2,U\n")
    assert caught.value.lines() == [
        "t.csv:3: column contracted_hours: missing cell: the row has 2 cells, the header 3 "
        "(expected a cell for every column, empty ones too)"
    ]


def test_a_name_twice_in_the_header_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataError) as caught:
        _table(tmp_path, "unit_id\tname\tname\nU1\tA\tB\n", name="units.tsv")
    assert caught.value.lines() == [
        "units.tsv:1: column name: column named twice in the header (expected each name once)"
    ]


def test_required_cell_empty(tmp_path: Path) -> None:
    table = _table(tmp_path, "unit_id,name\nU1,\n")
    with pytest.raises(DataError) as caught:
        validate_table(table, CONTRACTS["units"])
    assert caught.value.lines() == ["t.csv:2: column name: empty (expected a non-empty value)"]


def test_problem_format() -> None:
    problem = Problem("people.csv", 7, "hire_date", "not a date: 'x'", "a date YYYY-MM-DD")
    assert (
        str(problem)
        == "people.csv:7: column hire_date: not a date: 'x' (expected a date YYYY-MM-DD)"
    )
    assert str(Problem("people.csv", None, None, "file is empty")) == "people.csv: file is empty"


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, width=32), min_size=1))
def test_numbers_round_trip_through_text(values: list[float]) -> None:
    import pandas as pd

    column = Column("x", "number")
    parsed, bad = parse_column(pd.Series([repr(v) for v in values]), column)
    assert not bad.any()
    assert parsed.tolist() == [float(repr(v)) for v in values]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12))
def test_any_text_in_a_number_column_is_number_or_reported(cell: str) -> None:
    import pandas as pd

    column = Column("x", "number", minimum=0.0)
    parsed, bad = parse_column(pd.Series([cell]), column)
    # Every cell is either empty, a valid number, or flagged: never silently dropped.
    assert (cell.strip() == "") or bool(bad.iloc[0]) or parsed.iloc[0] >= 0


def test_people_names_and_emails_are_optional_and_kept(tmp_path: Path) -> None:
    without = _table(tmp_path, "person_id,unit_id,team\nP1,U1,north\n", "people.csv")
    valid = validate_table(without, CONTRACTS["people"], known={"units": {"U1"}})
    assert valid.frame["name"].tolist() == [None] and valid.frame["email"].tolist() == [None]
    assert valid.frame["attributes"].tolist() == [{"team": "north"}]  # other columns kept
    named = _table(
        tmp_path, "person_id,unit_id,name,email\nP1,U1,Ana Silva,ana@bank.example\nP2,U1,,\n"
    )
    frame = validate_table(named, CONTRACTS["people"], known={"units": {"U1"}}).frame
    assert frame["name"].iat[0] == "Ana Silva" and frame["email"].iat[0] == "ana@bank.example"
    assert frame[["name", "email"]].iloc[1].isna().all()  # empty: the page shows the id


@pytest.mark.parametrize("cell", ["Ana Silva", "ana@bank", "ana silva@bank.example", "a@@b.c"])
def test_an_email_that_is_no_address_is_one_line_with_file_row_and_column(
    tmp_path: Path, cell: str
) -> None:
    text = f'person_id,unit_id,email\nP1,U1,ok@bank.example\nP2,U1,"{cell}"\n'
    with pytest.raises(DataError) as caught:
        validate_table(
            _table(tmp_path, text, "people.csv"), CONTRACTS["people"], known={"units": {"U1"}}
        )
    assert [str(p) for p in caught.value.problems] == [
        f"people.csv:3: column email: not an email address: {cell!r} "
        "(expected an email address such as ana.silva@example.org)"
    ]
