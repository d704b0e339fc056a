"""Open an input file (CSV, Parquet or Excel) as a table of text cells.

Every value is read as text so that validation, not the reader, decides what a cell
means: ``007`` stays an id, and a bad number is reported with its row instead of
turning a whole column into floats. Files must be UTF-8 (a byte-order mark is fine).
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from smartmoves.errors import DataError, Problem

__all__ = [
    "CELL_LIMIT",
    "FileFormat",
    "TextTable",
    "check_csv_header",
    "check_utf8",
    "file_format",
    "read_text_table",
]

FileFormat = Literal["csv", "parquet", "excel"]

# Characters in one cell: a long description fits many times over, and a cell beyond it
# is a broken export (an unclosed quote swallows the rest of the file into one cell).
# The csv module stops at this length too, but without saying where; so it may read
# longer cells and the check below names the row and the column.
CELL_LIMIT = 131_072
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))

_SUFFIXES: dict[str, FileFormat] = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".xlsx": "excel",
    ".xlsm": "excel",
}


@dataclass(frozen=True)
class TextTable:
    """A file's records as text cells.

    ``first_row`` is the row number of ``frame``'s first record as a user would count
    it: 2 in a CSV or a spreadsheet (row 1 is the header), 1 in Parquet (no header row).
    """

    label: str
    path: Path
    format: FileFormat
    frame: pd.DataFrame
    first_row: int

    def row_number(self, position: int) -> int:
        return self.first_row + position


def file_format(path: Path) -> FileFormat:
    """The format a file's name says it has."""
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise DataError(
            [
                Problem(
                    path.name,
                    None,
                    None,
                    f"unknown file type {path.suffix or '(none)'!r}",
                    "a .csv, .parquet or .xlsx file",
                )
            ]
        )
    return fmt


def check_utf8(path: Path, label: str | None = None, *, chunk_size: int = 1 << 20) -> None:
    """Fail with one clear line unless ``path`` is UTF-8 text.

    Reads in chunks so that a file of many gigabytes costs no memory.
    """
    label = label or path.name
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_size):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                guess = _guess_encoding(path)
                hint = f" (it looks like {guess})" if guess else ""
                raise DataError(
                    [
                        Problem(
                            label,
                            None,
                            None,
                            f"not UTF-8 text at byte {offset + exc.start}{hint}",
                            "a file saved as UTF-8",
                        )
                    ]
                ) from None
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise DataError(
                [Problem(label, None, None, "ends inside a UTF-8 character", "a UTF-8 file")]
            ) from None


def _guess_encoding(path: Path) -> str | None:
    from charset_normalizer import from_bytes

    with path.open("rb") as handle:
        sample = handle.read(1 << 16)
    best = from_bytes(sample).best()
    return best.encoding if best is not None else None


def _duplicates(header: list[str], label: str, row: int | None = 1) -> list[Problem]:
    """A name given twice in a header (row 1; Parquet has no header row: ``None``)."""
    seen: set[str] = set()
    problems = []
    for name in (str(h).strip() for h in header):
        if name in seen:
            problems.append(
                Problem(label, row, name, "column named twice in the header", "each name once")
            )
        seen.add(name)
    return problems


def _check_excel_header(path: Path, label: str) -> None:
    """The header row of a workbook's first sheet names each column once: pandas would
    rename the second one (``name.1``), as with a CSV file."""
    header = pd.read_excel(path, header=None, nrows=1, dtype=str, engine="openpyxl")
    names = ["" if pd.isna(v) else v for v in header.iloc[0]] if len(header) else []
    if problems := _duplicates([n for n in names if str(n).strip()], label):
        raise DataError(problems)


def _check_cells(table: TextTable) -> None:
    """No cell longer than :data:`CELL_LIMIT` characters, named by row and column (a CSV
    file's records were checked as they were read)."""
    problems = []
    for column in table.frame.columns:
        lengths = table.frame[column].str.len()
        for position in lengths.index[lengths > CELL_LIMIT][:_MAX_ROW_PROBLEMS]:
            row = table.row_number(int(position))
            problems.append(_long_cell(table.label, row, str(column), int(lengths[position])))
    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.column or ""))
        raise DataError(problems[:_MAX_ROW_PROBLEMS])


def check_csv_header(path: Path, label: str, sep: str = ",") -> list[str]:
    """The header of a CSV file; a name given twice is an error, never renamed.

    Readers would otherwise rename the second one (``name.1``), and an import would then
    quietly keep one of two different columns.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle, delimiter=sep), [])
    if problems := _duplicates(header, label):
        raise DataError(problems)
    return header


def _check_csv_rows(path: Path, label: str, sep: str) -> None:
    """Every record has a cell for every column of the header, and no more.

    A short row would otherwise be read with its missing cells empty, so defaults would
    fill in what a broken export lost. Rows count the way the validation counts them
    (header 1, blank lines skipped), so every problem of a file names the same rows.
    """
    header = check_csv_header(path, label, sep)
    problems: list[Problem] = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            records = (r for r in csv.reader(handle, delimiter=sep) if r)
            next(records, None)
            for number, record in enumerate(records, start=2):
                if len(record) != len(header):
                    problems.append(_row_problem(label, number, record, header))
                elif max(map(len, record)) > CELL_LIMIT:
                    problems += _long_cells(label, number, record, header)
                if len(problems) >= _MAX_ROW_PROBLEMS:
                    break
    except csv.Error as exc:
        raise DataError(
            [Problem(label, None, None, f"not a readable CSV file: {exc}", "CSV")]
        ) from None
    if problems:
        raise DataError(problems)


def _long_cell(label: str, row: int, column: str, length: int) -> Problem:
    cell = f"a cell of {length:,} characters"
    return Problem(label, row, column, cell, f"at most {CELL_LIMIT:,} characters in a cell")


def _long_cells(label: str, number: int, record: list[str], header: list[str]) -> list[Problem]:
    return [
        _long_cell(label, number, name.strip(), len(cell))
        for name, cell in zip(header, record, strict=True)
        if len(cell) > CELL_LIMIT
    ]


def _row_problem(label: str, number: int, record: list[str], header: list[str]) -> Problem:
    counts = f"the row has {len(record)} cells, the header {len(header)}"
    if len(record) > len(header):
        return Problem(label, number, None, counts, "one cell per column")
    missing = header[len(record)].strip()
    expected = "a cell for every column, empty ones too"
    return Problem(label, number, missing, f"missing cell: {counts}", expected)


# A file broken in every row needs its first rows shown, not all of them.
_MAX_ROW_PROBLEMS = 100


def _empty(label: str) -> DataError:
    return DataError(
        [Problem(label, None, None, "file is empty", "a header row and at least one record")]
    )


def read_text_table(path: str | Path, *, label: str | None = None) -> TextTable:
    """Read ``path`` into a frame of text cells (missing cells are ``""``).

    Raises
    ------
    DataError
        The file is missing, of an unknown type, empty, not UTF-8, or unreadable; a
        column is named twice in its header; a cell is longer than :data:`CELL_LIMIT`.
    """
    path = Path(path)
    label = label or path.name
    if not path.is_file():
        raise DataError([Problem(label, None, None, "no such file", "an existing file")])
    fmt = file_format(path)
    if path.stat().st_size == 0:
        raise _empty(label)
    if fmt == "csv":
        check_utf8(path, label)
        sep = "\t" if path.suffix.lower() == ".tsv" else ","
        _check_csv_rows(path, label, sep)
        try:
            frame = pd.read_csv(
                path,
                dtype=str,
                keep_default_na=False,
                sep=sep,
                encoding="utf-8-sig",
                skipinitialspace=False,
            )
        except pd.errors.EmptyDataError:
            raise _empty(label) from None
        except pd.errors.ParserError as exc:
            raise DataError(
                [Problem(label, None, None, f"not a readable CSV file: {exc}", "CSV")]
            ) from None
        first_row = 2
    elif fmt == "parquet":
        frame = _read_parquet_as_text(path, label)
        first_row = 1
    else:
        try:
            _check_excel_header(path, label)
            frame = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
        except DataError:
            raise
        except Exception as exc:  # openpyxl raises many types for a damaged workbook
            raise DataError(
                [Problem(label, None, None, f"not a readable Excel file: {exc}", ".xlsx")]
            ) from None
        first_row = 2
    if frame.empty:
        raise _empty(label)
    frame.columns = [str(c).strip() for c in frame.columns]
    table = TextTable(label, path, fmt, frame.reset_index(drop=True), first_row)
    if fmt != "csv":
        _check_cells(table)
    return table


def _read_parquet_as_text(path: Path, label: str) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        names = pq.read_schema(path).names
        if problems := _duplicates(names, label, row=None):
            raise DataError(problems)  # pyarrow's own refusal says nothing a user can act on
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise DataError(
            [Problem(label, None, None, f"not a readable Parquet file: {exc}", "Parquet")]
        ) from None
    columns = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        series = column.to_pandas()
        if pa.types.is_timestamp(column.type) or pa.types.is_date(column.type):
            text = pd.Series([v.isoformat() if pd.notna(v) else "" for v in series], dtype=object)
        elif pa.types.is_floating(column.type):
            text = series.map(lambda v: "" if pd.isna(v) else repr(float(v)))
        else:
            text = series.map(lambda v: "" if v is None or v is pd.NA or v != v else str(v))
        columns[str(name)] = text.astype(object)
    return pd.DataFrame(columns)
