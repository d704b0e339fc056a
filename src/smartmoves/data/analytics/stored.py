"""Small reads of the analytics store's Parquet tables that use cases need (which ids
a stored table still refers to), with DuckDB, so no use case writes SQL."""

from __future__ import annotations

from pathlib import Path

__all__ = ["distinct_values"]


def _identifier(name: str) -> str:
    """A column name as a quoted SQL identifier (names come from table contracts)."""
    return '"' + name.replace('"', '""') + '"'


def distinct_values(path: Path, column: str, *, when: tuple[str, str] | None = None) -> set[str]:
    """The distinct values of ``column`` in the Parquet file ``path`` (only the rows whose
    column ``when[0]`` equals ``when[1]``, if given); an empty set without the file.

    >>> import pandas as pd, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"scope": ["unit", "org", "unit"], "scope_id": ["A", "B", "C"]}).to_parquet(
    ...     folder / "values.parquet")
    >>> sorted(distinct_values(folder / "values.parquet", "scope_id", when=("scope", "unit")))
    ['A', 'C']
    """
    from smartmoves.data._duckdb import connect

    if not path.exists():
        return set()
    query = f"SELECT DISTINCT {_identifier(column)} FROM read_parquet(?)"
    parameters: list[str] = [str(path)]
    if when is not None:
        query += f" WHERE {_identifier(when[0])} = ?"
        parameters.append(when[1])
    with connect() as con:
        return {
            str(row[0]) for row in con.execute(query, parameters).fetchall() if row[0] is not None
        }
