"""Tables a user takes away: each frame as Parquet and CSV, and a JSON document."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from smartmoves.data.csvsafe import safe_frame

__all__ = ["write_tables"]


def _flat(value: Any) -> Any:
    """Lists as ``a;b`` for CSV (Parquet keeps them as lists)."""
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return value


def write_tables(
    folder: Path,
    frames: Mapping[str, pd.DataFrame],
    document: Mapping[str, Any],
    *,
    document_name: str = "parameters.json",
) -> list[Path]:
    """Write every frame as ``NAME.parquet`` and ``NAME.csv``, and ``document`` as JSON,
    in ``folder``; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in frames.items():
        parquet = folder / f"{name}.parquet"
        frame.to_parquet(parquet, index=False)
        csv = folder / f"{name}.csv"
        flat = frame.apply(lambda column: column.map(_flat))
        safe_frame(flat).to_csv(csv, index=False)
        written += [parquet, csv]
    meta = folder / document_name
    meta.write_text(json.dumps(dict(document), indent=2), encoding="utf-8")
    return [*written, meta]
