"""Validate and stage the analytics tables (interactions, metric values) with DuckDB.

These tables can hold hundreds of millions of rows, so they never pass through pandas:
DuckDB reads the file as text, parses every column in SQL, lists the bad rows, and
copies the good table to a staging Parquet file that the import later renames into
place. Memory stays bounded by DuckDB's streaming execution.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smartmoves.data._duckdb import connect
from smartmoves.data.contracts import Column, Contract
from smartmoves.data.engine_words import engine_reason
from smartmoves.data.readers import check_csv_header, check_utf8, file_format, read_text_table
from smartmoves.data.validate import MAX_PROBLEMS
from smartmoves.data.values import bad_cell
from smartmoves.errors import DataError, Problem

__all__ = ["MEMORY_LIMIT", "StagedEvents", "stage_events"]

MEMORY_LIMIT = "4GB"


@dataclass(frozen=True)
class StagedEvents:
    """A validated analytics table written to ``path`` (a staging Parquet file)."""

    table: str
    label: str
    path: Path
    rows: int
    summary: dict[str, Any] = field(default_factory=dict)


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _parse_sql(column: Column) -> tuple[str, str]:
    """(parsed value expression, "is bad" expression) for one text column ``c``."""
    c = f"nullif(trim(CAST({_ident(column.name)} AS VARCHAR)), '')"
    if column.kind == "number":
        value = f"TRY_CAST({c} AS DOUBLE)"
        bad = [f"({c} IS NOT NULL AND {value} IS NULL)"]
        if column.minimum is not None:
            bad.append(f"{value} < {column.minimum}")
        if column.maximum is not None:
            bad.append(f"{value} > {column.maximum}")
        return value, " OR ".join(bad)
    if column.kind == "datetime":
        value = f"(TRY_CAST({c} AS TIMESTAMPTZ) AT TIME ZONE 'UTC')"
        return value, f"({c} IS NOT NULL AND {value} IS NULL)"
    if column.kind == "date":
        value = f"TRY_CAST({c} AS DATE)"
        return value, f"({c} IS NOT NULL AND ({value} IS NULL OR length({c}) > 10))"
    if column.kind == "choice":
        choices = ", ".join(f"'{x}'" for x in column.choices)
        value = f"lower({c})"
        return value, f"({c} IS NOT NULL AND lower({c}) NOT IN ({choices}))"
    if column.kind == "id_list":
        # Normalize "a; b;;c" to "a;b;c": the network queries split on ';'.
        value = (
            f"nullif(array_to_string(list_filter(list_transform(string_split({c}, ';'), "
            f"lambda x: trim(x)), lambda x: x <> ''), ';'), '')"
        )
        return value, f"({c} IS NOT NULL AND {value} IS NULL)"
    return c, "false"


def _source(con: Any, path: Path, label: str, first_row: int) -> tuple[str, list[str]]:
    """Register the file as view ``src`` with a ``_row`` column; return its columns."""
    fmt = file_format(path)
    if fmt == "csv":
        check_utf8(path, label)
        tsv = path.suffix.lower() == ".tsv"
        check_csv_header(path, label, "\t" if tsv else ",")
        delim = "\\t" if tsv else ","
        # A row with too few or too many cells is set aside in reject_errors (never
        # padded with NULLs) and reported by _shape_problems.
        relation = (
            f"read_csv({_quote(path)}, all_varchar=true, header=true, delim='{delim}', "
            "quote='\"', escape='\"', strict_mode=true, null_padding=false, "
            f"store_rejects=true, rejects_limit={MAX_PROBLEMS})"
        )
        row = f"row_number() OVER () + {first_row - 1}"
    elif fmt == "parquet":
        relation = f"read_parquet({_quote(path)}, file_row_number=true)"
        row = "file_row_number + 1"
    else:
        text = read_text_table(path, label=label)
        con.register("excel_src", text.frame)
        relation = "excel_src"
        row = f"row_number() OVER () + {text.first_row - 1}"
    import duckdb

    try:
        con.execute(f"CREATE TEMP VIEW raw AS SELECT * FROM {relation}")
        columns = [r[0] for r in con.execute("DESCRIBE raw").fetchall()]
        con.execute(f"CREATE TEMP VIEW src AS SELECT *, {row} AS _row FROM raw")
    except duckdb.Error as exc:
        message = str(exc).splitlines()[0]
        raise DataError(
            [Problem(label, None, None, f"not a readable {fmt} file: {message}", fmt)]
        ) from None
    return relation, [c for c in columns if c != "file_row_number"]


def stage_events(
    contract: Contract,
    path: str | Path,
    staging: Path,
    *,
    label: str | None = None,
    known: Mapping[str, Iterable[str]] | None = None,
) -> StagedEvents:
    """Validate ``path`` against an analytics ``contract`` and write it to ``staging``.

    Raises
    ------
    DataError
        Listing every bad row (up to a thousand, then a count of the rest).
    """
    import duckdb

    path = Path(path)
    label = label or path.name
    if not path.is_file():
        raise DataError([Problem(label, None, None, "no such file", "an existing file")])
    if path.stat().st_size == 0:
        raise DataError([Problem(label, None, None, "file is empty", "a header and records")])
    first_row = 1 if file_format(path) == "parquet" else 2
    con = connect()
    try:
        con.execute("SET TimeZone='UTC'")
        # Parse once into a table that spills to disk beside the staging file, so a
        # file of hundreds of millions of events fits in bounded memory.
        con.execute(f"SET temp_directory={_quote(staging.parent / '.duckdb-tmp')}")
        con.execute(f"SET memory_limit='{MEMORY_LIMIT}'")
        con.execute("SET preserve_insertion_order=true")
        _, columns = _source(con, path, label, first_row)
        missing = [c for c in contract.required if c not in columns]
        if missing:
            raise DataError(
                [
                    Problem(label, 1, c, "missing required column", f"a column named {c}")
                    for c in missing
                ]
            )
        present = [c for c in contract.columns if c.name in columns]
        selects, checks = ["_row"], []
        for col in contract.columns:
            if col.name not in columns:
                default = "NULL" if col.default is None else f"'{col.default}'"
                selects.append(f"{default} AS {_ident(col.name)}")
                continue
            value, bad = _parse_sql(col)
            if col.default is not None:
                value = f"coalesce({value}, '{col.default}')"
            selects.append(f"{value} AS {_ident(col.name)}")
            raw = f"nullif(trim(CAST({_ident(col.name)} AS VARCHAR)), '')"
            if col.required:
                bad = f"({bad}) OR {raw} IS NULL"
            checks.append(
                f"CASE WHEN {bad} THEN coalesce({raw}, '') END AS {_ident('bad_' + col.name)}"
            )
        con.execute(
            f"CREATE TEMP TABLE parsed AS SELECT {', '.join(selects)}, {', '.join(checks)} FROM src"
        )
        if problems := _shape_problems(con, path, label):
            _raise(problems, label)  # the rows after a rejected one have shifted numbers
        problems = _cell_problems(con, present, label)
        problems += _reference_problems(con, contract, label, known or {})
        problems += _key_problems(con, contract, label)
        if problems:
            _raise(problems, label)
        summary = _summary(con, contract, known or {})
        names = ", ".join(_ident(c.name) for c in contract.columns)
        con.execute(
            f"COPY (SELECT {names} FROM parsed) TO {_quote(staging)} "
            "(FORMAT parquet, COMPRESSION zstd)"
        )
        rows = int(con.execute("SELECT count(*) FROM parsed").fetchone()[0])  # type: ignore[index]
        if rows == 0:
            raise DataError([Problem(label, None, None, "file is empty", "at least one record")])
        return StagedEvents(contract.name, label, staging, rows, summary)
    except duckdb.Error as exc:
        message = engine_reason(exc)
        raise DataError([Problem(label, None, None, f"cannot read the file: {message}")]) from None
    finally:
        con.close()
        shutil.rmtree(staging.parent / ".duckdb-tmp", ignore_errors=True)


def _shape_problems(con: Any, path: Path, label: str) -> list[Problem]:
    """The rows DuckDB could not split into the header's columns."""
    if file_format(path) != "csv":
        return []
    rows = con.execute(
        "SELECT DISTINCT line, column_name, error_type, error_message FROM reject_errors "
        f"ORDER BY line LIMIT {MAX_PROBLEMS}"
    ).fetchall()
    problems = []
    for line, column, kind, message in rows:
        counts = re.search(r"Columns: (\d+) Found: (\d+)", message or "")
        what = f"the row has {counts[2]} cells, the header {counts[1]}" if counts else message
        if kind == "MISSING COLUMNS":
            problems.append(Problem(label, int(line), column, f"missing cell: {what}", _EVERY_CELL))
        else:
            problems.append(Problem(label, int(line), None, what, "one cell per column"))
    return problems


_EVERY_CELL = "a cell for every column, empty ones too"


def _cell_problems(con: Any, columns: list[Column], label: str) -> list[Problem]:
    if not columns:
        return []
    any_bad = " OR ".join(f"{_ident('bad_' + c.name)} IS NOT NULL" for c in columns)
    rows = con.execute(
        f"SELECT _row, {', '.join(_ident('bad_' + c.name) for c in columns)} FROM parsed "
        f"WHERE {any_bad} ORDER BY _row LIMIT {MAX_PROBLEMS}"
    ).fetchall()
    problems = []
    for row in rows:
        for col, cell in zip(columns, row[1:], strict=True):
            if cell is None:
                continue
            problems.append(bad_cell(label, int(row[0]), col, cell))
    return problems


def _reference_problems(
    con: Any, contract: Contract, label: str, known: Mapping[str, Iterable[str]]
) -> list[Problem]:
    problems: list[Problem] = []
    for ref in contract.references:
        if ref.external_ok:
            continue
        _register_ids(con, "known_ids", known.get(ref.table, ()))
        where = f"{_ident(ref.column)} IS NOT NULL"
        if ref.when is not None:
            where += f" AND {_ident(ref.when[0])} = '{ref.when[1]}'"
        rows = con.execute(
            f"SELECT _row, {_ident(ref.column)} FROM parsed WHERE {where} AND "
            f"{_ident(ref.column)} NOT IN (SELECT id FROM known_ids) ORDER BY _row "
            f"LIMIT {MAX_PROBLEMS}"
        ).fetchall()
        problems += [
            Problem(
                label,
                int(r),
                ref.column,
                f"unknown {ref.target} {v!r}",
                f"a {ref.target} from {ref.table}",
            )
            for r, v in rows
        ]
    return problems


def _key_problems(con: Any, contract: Contract, label: str) -> list[Problem]:
    if not contract.key:
        return []
    key = ", ".join(_ident(k) for k in contract.key)
    rows = con.execute(
        f"SELECT _row, first_row FROM (SELECT _row, min(_row) OVER (PARTITION BY {key}) AS "
        f"first_row FROM parsed) WHERE _row <> first_row ORDER BY _row LIMIT {MAX_PROBLEMS}"
    ).fetchall()
    name = "(" + ", ".join(contract.key) + ")"
    return [
        Problem(
            label, int(r), contract.key[0], f"duplicate {name} (first on row {f})", "each key once"
        )
        for r, f in rows
    ]


def _summary(con: Any, contract: Contract, known: Mapping[str, Iterable[str]]) -> dict[str, Any]:
    if contract.name != "interactions":
        return {}
    _register_ids(con, "people_ids", known.get("people", ()))
    external = con.execute(
        """
        WITH ids AS (
            SELECT sender_id AS id FROM parsed
            UNION ALL
            SELECT unnest(string_split(recipient_ids, ';')) FROM parsed
        )
        SELECT count(DISTINCT id), count(*) FROM ids WHERE id NOT IN (SELECT id FROM people_ids)
        """
    ).fetchone()
    first, last = con.execute('SELECT min("timestamp"), max("timestamp") FROM parsed').fetchone()
    return {
        "external_contacts": int(external[0]),
        "external_mentions": int(external[1]),
        "first": None if first is None else first.isoformat(),
        "last": None if last is None else last.isoformat(),
    }


def _register_ids(con: Any, name: str, ids: Iterable[str]) -> None:
    import pyarrow as pa

    table = pa.table({"id": pa.array(sorted({str(i) for i in ids}), type=pa.string())})
    con.register(name, table)


def _raise(problems: list[Problem], label: str) -> None:
    problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    if len(problems) > MAX_PROBLEMS:
        extra = len(problems) - MAX_PROBLEMS
        problems = [*problems[:MAX_PROBLEMS], Problem(label, None, None, f"{extra} more problems")]
    raise DataError(problems)
