"""What no import file may hold, in every format: a column named twice in the header,
or a cell longer than the limit. Each is one clear line naming the file, the row and
the column, never a renamed column or a cut cell."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from smartmoves.data.readers import CELL_LIMIT, read_text_table
from smartmoves.errors import DataError


def _excel(path: Path, rows: list[list[str]]) -> Path:
    """A workbook of ``rows``. openpyxl cuts what it writes to Excel's 32,767 characters
    a cell, but other tools write longer cells and it reads them whole: a longer cell is
    written as a mark, then put in the sheet's XML as it is."""
    import zipfile

    from openpyxl import Workbook

    long = {
        f"LONG{i}": cell for i, cell in enumerate(c for r in rows for c in r if len(c) > 32_767)
    }
    marks = {cell: mark for mark, cell in long.items()}
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([marks.get(c, c) for c in row])
    book.save(path)
    if long:
        parts = {}
        with zipfile.ZipFile(path) as book_file:
            for name in book_file.namelist():
                parts[name] = book_file.read(name)
        for mark, cell in long.items():
            sheet_xml = parts["xl/worksheets/sheet1.xml"]
            parts["xl/worksheets/sheet1.xml"] = sheet_xml.replace(mark.encode(), cell.encode())
        with zipfile.ZipFile(path, "w") as book_file:
            for name, data in parts.items():
                book_file.writestr(name, data)
    return path


def test_a_name_twice_in_an_excel_header_is_an_error_like_in_a_csv(tmp_path: Path) -> None:
    csv = tmp_path / "units.csv"
    csv.write_text("unit_id,name,name\nU1,Ops,Other\n", encoding="utf-8")
    xlsx = _excel(tmp_path / "units.xlsx", [["unit_id", "name", "name "], ["U1", "Ops", "Other"]])
    for path in (csv, xlsx):
        with pytest.raises(DataError) as caught:
            read_text_table(path)
        [problem] = caught.value.problems
        assert str(problem) == (
            f"{path.name}:1: column name: column named twice in the header "
            "(expected each name once)"
        )


def test_a_name_twice_in_a_parquet_file_is_an_error(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        [pa.array(["U1"]), pa.array(["Ops"]), pa.array(["Other"])],
        names=["unit_id", "name", "name"],
    )
    pq.write_table(table, tmp_path / "units.parquet")
    with pytest.raises(DataError, match=r"units.parquet: column name: column named twice"):
        read_text_table(tmp_path / "units.parquet")


def test_distinct_names_in_an_excel_header_are_read(tmp_path: Path) -> None:
    xlsx = _excel(tmp_path / "units.xlsx", [["unit_id", "name"], ["007", "Ops"]])
    table = read_text_table(xlsx)
    assert table.frame.to_dict("records") == [{"unit_id": "007", "name": "Ops"}]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_a_cell_beyond_the_limit_is_an_error_naming_row_and_column(
    tmp_path: Path, fmt: str
) -> None:
    long = "x" * (CELL_LIMIT + 1)
    rows = [["U1", "Ops", "fine"], ["U2", long, "fine"], ["U3", "At", "x" * CELL_LIMIT]]
    path = tmp_path / f"units.{fmt}"
    frame = pd.DataFrame(rows, columns=["unit_id", "name", "notes"])
    if fmt == "csv":
        frame.to_csv(path, index=False)
    elif fmt == "xlsx":
        _excel(path, [list(frame.columns), *rows])
    else:
        frame.to_parquet(path, index=False)
    with pytest.raises(DataError) as caught:
        read_text_table(path)
    [problem] = caught.value.problems  # a cell of exactly the limit is fine
    row = 2 if fmt == "parquet" else 3  # Parquet has no header row
    assert (problem.file, problem.row, problem.column) == (path.name, row, "name")
    assert str(problem) == (
        f"{path.name}:{row}: column name: a cell of {CELL_LIMIT + 1:,} characters "
        f"(expected at most {CELL_LIMIT:,} characters in a cell)"
    )


def test_an_unclosed_quote_is_named_by_its_row_and_column(tmp_path: Path) -> None:
    """The export that broke: one quote left open swallows the rest into one cell."""
    rest = "".join(f"U{i},Unit {i}\n" for i in range(3, 20_000))
    path = tmp_path / "units.csv"
    path.write_text(f'unit_id,name\nU1,Ops\nU2,"Collections\n{rest}', encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_text_table(path)
    assert any((p.row, p.column) == (3, "name") for p in caught.value.problems), [
        str(p) for p in caught.value.problems
    ]
