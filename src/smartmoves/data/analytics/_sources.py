"""Resolve what a user names as an analytics source into files of one format.

A source is a Parquet or CSV file, a glob (``events/*.parquet``), or a directory of
such files (searched recursively). Both backends read the same resolved list, so they
see exactly the same rows.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from smartmoves.errors import DataError, Problem

__all__ = ["TableSource", "resolve_source"]

SourceFormat = Literal["parquet", "csv"]
_SUFFIXES: dict[str, SourceFormat] = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv"}


@dataclass(frozen=True)
class TableSource:
    """Files holding one table, all in ``format``; ``label`` names it in errors."""

    files: tuple[str, ...]
    format: SourceFormat
    label: str


def _format_of(path: Path, label: str) -> SourceFormat:
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise DataError(
            [
                Problem(
                    label,
                    None,
                    None,
                    f"unknown file type {path.suffix or '(none)'!r}",
                    "a .parquet or .csv file",
                )
            ]
        )
    return fmt


def resolve_source(source: str | Path) -> TableSource:
    """The files ``source`` names, all of one format.

    Raises
    ------
    DataError
        Nothing matches, the files mix formats, or a file type is unknown.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "week1.csv").write_text("timestamp,sender_id,recipient_ids\\n")
    >>> resolve_source(folder).format
    'csv'
    """
    label = str(source)
    path = Path(source).expanduser()
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in _SUFFIXES)
        empty = "no .parquet or .csv files in this folder"
    elif any(ch in label for ch in "*?["):
        found = sorted(Path(p) for p in glob.glob(str(path), recursive=True) if Path(p).is_file())
        empty = "no file matches this pattern"
    elif path.is_file():
        found = [path]
        empty = ""
    else:
        raise DataError([Problem(label, None, None, "no such file or folder", "an existing path")])
    if not found:
        raise DataError([Problem(label, None, None, empty, "at least one .parquet or .csv file")])
    formats = {_format_of(p, label) for p in found}
    if len(formats) > 1:
        raise DataError(
            [Problem(label, None, None, "mixes Parquet and CSV files", "files of one format")]
        )
    return TableSource(tuple(str(p.resolve()) for p in found), formats.pop(), label)
