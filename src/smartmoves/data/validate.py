"""Check a table of text cells against its contract and parse it into typed values.

Validation reports *every* problem (file, row, column, what is wrong, what was
expected) so a user fixes a file in one pass; it never writes anything. References to
other tables are checked against the ids the caller knows (stored rows, or rows of the
same import batch).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from smartmoves.data.contracts import Column, Contract
from smartmoves.data.readers import TextTable
from smartmoves.data.values import bad_cell, parse_bool
from smartmoves.errors import DataError, Problem

__all__ = ["ValidTable", "parse_column", "validate_table"]

# Over this many problems the report stops growing: a user fixing a broken export
# needs the pattern, not a million lines.
MAX_PROBLEMS = 1000

# An email address checked lightly: one @, no spaces, a dot in the domain. Catches a
# shifted column or a name in the wrong place; whether the mailbox exists is not ours to say.
_EMAIL = r"[^@\s]+@[^@\s]+\.[^@\s.]+"


@dataclass(frozen=True)
class ValidTable:
    """A validated table: typed contract columns plus an ``attributes`` dict per row."""

    contract: Contract
    label: str
    frame: pd.DataFrame
    attribute_columns: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.frame)

    def ids(self, column: str) -> set[str]:
        return set(self.frame[column].dropna().astype(str))


class _Report:
    def __init__(self, table: TextTable) -> None:
        self.table = table
        self.problems: list[Problem] = []
        self.truncated = 0

    def _keep(self, problem: Problem) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.truncated += 1
        else:
            self.problems.append(problem)

    def add(self, position: int | None, column: str | None, message: str, expected: str | None):
        row = None if position is None else self.table.row_number(position)
        self._keep(Problem(self.table.label, row, column, message, expected))

    def bad_cell(self, position: int, column: Column, cell: str) -> None:
        """A cell of ``column`` that does not read, or is empty where it may not be."""
        self._keep(bad_cell(self.table.label, self.table.row_number(position), column, cell))

    def header(self, column: str, message: str, expected: str) -> None:
        self.problems.append(Problem(self.table.label, 1, column, message, expected))

    def raise_if_any(self) -> None:
        if not self.problems:
            return
        problems = sorted(self.problems, key=lambda p: (p.row or 0, p.column or ""))
        if self.truncated:
            problems.append(
                Problem(self.table.label, None, None, f"{self.truncated} more problems not shown")
            )
        raise DataError(problems)


def _cells(series: pd.Series) -> pd.Series:
    return series.astype(object).map(lambda v: "" if v is None else str(v).strip())


def parse_column(raw: pd.Series, column: Column) -> tuple[pd.Series, pd.Series]:
    """Parse text cells for ``column``: (values, bad) where ``bad`` marks cells that are
    non-empty but unreadable. Empty cells become missing values (``None``/NaN/NaT)."""
    text = _cells(raw)
    empty = text == ""
    kind = column.kind
    if kind == "number":
        values = pd.to_numeric(text.where(~empty), errors="coerce").astype(float)
        bad = ~empty & values.isna()
        if column.minimum is not None:
            bad |= values < column.minimum
        if column.maximum is not None:
            bad |= values > column.maximum
        return values, bad
    if kind == "bool":
        values = text.map(parse_bool).astype(object)
        bad = ~empty & values.isna()
        return values.where(~empty, None), bad
    if kind in ("date", "datetime"):
        parsed = pd.to_datetime(text.where(~empty), errors="coerce", format="ISO8601", utc=True)
        bad = ~empty & parsed.isna()
        if kind == "date":
            # A date with a time of day is a sign of a wrong column, not a date.
            bad |= ~empty & text.str.contains(r"[T ]\d", regex=True) & ~bad
            values = parsed.dt.tz_convert(None).dt.normalize()
        else:
            values = parsed.dt.tz_convert(None)
        return values, bad
    if kind == "choice":
        low = text.str.lower()
        bad = ~empty & ~low.isin(column.choices)
        return low.where(~empty & ~bad, None), bad
    if kind == "id_list":
        values = text.map(lambda v: [p.strip() for p in v.split(";") if p.strip()] or None)
        bad = ~empty & values.isna()
        return values, bad
    if kind == "email":
        bad = ~empty & ~text.str.fullmatch(_EMAIL)
        return text.where(~empty, None), bad
    return text.where(~empty, None), pd.Series(False, index=text.index)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _attribute_values(series: pd.Series) -> pd.Series:
    """Extra columns keep their text, or numbers when every non-empty cell is one."""
    text = _cells(series)
    empty = text == ""
    numbers = pd.to_numeric(text.where(~empty), errors="coerce")
    if (numbers.notna() | empty).all() and (~empty).any():
        return numbers.astype(object).where(~empty, None)
    return text.where(~empty, None)


def validate_table(
    table: TextTable,
    contract: Contract,
    *,
    known: Mapping[str, Iterable[str]] | None = None,
) -> ValidTable:
    """Validate ``table`` against ``contract``.

    Parameters
    ----------
    table
        Text cells from :func:`smartmoves.data.readers.read_text_table`.
    contract
        The table's contract.
    known
        Ids per referenced table (``{"units": {...}}``) to resolve references against.
        A table that references itself (units' parent_id) resolves against its own rows.

    Raises
    ------
    DataError
        With one :class:`Problem` per bad cell, duplicate or dangling reference.
    """
    report = _Report(table)
    raw = table.frame
    for col in contract.required:
        if col not in raw.columns:
            report.header(col, "missing required column", f"a column named {col}")
    duplicated_headers = raw.columns[raw.columns.duplicated()]
    for col in duplicated_headers:
        report.header(col, "column appears twice", "each column name once")
    report.raise_if_any()

    out: dict[str, pd.Series] = {}
    for column in contract.columns:
        if column.name not in raw.columns:
            out[column.name] = pd.Series([column.default] * len(raw), dtype=object)
            continue
        values, bad = parse_column(raw[column.name], column)
        cells = _cells(raw[column.name])
        for pos in np.flatnonzero(bad.to_numpy()):
            report.bad_cell(int(pos), column, cells.iat[pos])
        if column.required:
            for pos in np.flatnonzero((cells == "").to_numpy()):
                report.bad_cell(int(pos), column, "")
        if column.default is not None:
            values = values.astype(object).where(values.notna(), column.default)
        out[column.name] = values
    frame = pd.DataFrame(out)

    extra = tuple(c for c in raw.columns if c not in contract.names)
    if contract.extra_as_attributes:
        attrs = pd.DataFrame({c: _attribute_values(raw[c]) for c in extra})
        records = attrs.to_dict(orient="records") if extra else [{} for _ in range(len(raw))]
        frame["attributes"] = [{k: v for k, v in r.items() if not _missing(v)} for r in records]

    _check_key(frame, contract, report)
    _check_references(frame, contract, report, known or {})
    report.raise_if_any()
    return ValidTable(contract, table.label, frame, extra if contract.extra_as_attributes else ())


def _check_key(frame: pd.DataFrame, contract: Contract, report: _Report) -> None:
    if not contract.key:
        return
    keys = frame[list(contract.key)]
    complete = keys.notna().all(axis=1)
    dup = keys.duplicated(keep="first") & complete
    if not dup.any():
        return
    first_seen: dict[tuple[object, ...], int] = {}
    for pos, values in enumerate(keys.itertuples(index=False, name=None)):
        if not complete.iat[pos]:
            continue
        if values in first_seen:
            shown = values[0] if len(values) == 1 else values
            name = (
                contract.key[0] if len(contract.key) == 1 else "(" + ", ".join(contract.key) + ")"
            )
            report.add(
                pos,
                contract.key[0],
                f"duplicate {name} {shown!r} (first on row "
                f"{report.table.row_number(first_seen[values])})",
                "each key once",
            )
        else:
            first_seen[values] = pos


def _check_references(
    frame: pd.DataFrame,
    contract: Contract,
    report: _Report,
    known: Mapping[str, Iterable[str]],
) -> None:
    for ref in contract.references:
        if ref.external_ok:
            continue
        if ref.table == contract.name:
            targets = set(frame[ref.target].dropna().astype(str))
        elif ref.table in known:
            targets = set(known[ref.table])
        else:
            targets = set()
        values = frame[ref.column]
        mask = values.notna()
        if ref.when is not None:
            mask &= frame[ref.when[0]] == ref.when[1]
        for pos in np.flatnonzero(mask.to_numpy()):
            value = values.iat[pos]
            items = value if isinstance(value, list) else [value]
            for item in items:
                if str(item) not in targets:
                    report.add(
                        int(pos),
                        ref.column,
                        f"unknown {ref.target} {item!r}",
                        f"a {ref.target} from {ref.table}",
                    )
    if contract.name in ("units", "metrics"):
        _check_cycles(frame, contract, report)


def _check_cycles(frame: pd.DataFrame, contract: Contract, report: _Report) -> None:
    key = contract.key[0]
    parent = dict(zip(frame[key], frame["parent_id"], strict=True))
    position = {k: i for i, k in enumerate(frame[key])}
    reported: set[str] = set()
    for start in parent:
        seen: list[str] = []
        node = start
        while node is not None and node in parent and node not in seen:
            seen.append(node)
            node = parent[node]
        if node is not None and node in seen and node not in reported:
            cycle = seen[seen.index(node) :]
            reported.update(cycle)
            report.add(
                position[node],
                "parent_id",
                "parents form a cycle: " + " -> ".join([*cycle, node]),
                "a tree (no item is its own ancestor)",
            )
