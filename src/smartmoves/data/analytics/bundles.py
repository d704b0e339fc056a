"""A bundle: named frames and one JSON document, kept together in a folder of the
analytics store (Parquet files and ``meta.json``).

Computed results that pages read again and again (a network analysis) are kept as
bundles: written to a new folder that replaces the old one in one rename, so a reader
sees the old bundle or the new one, never half of one; read back with pyarrow and
``json``, so nothing is ever unpickled, whoever put the files there.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from smartmoves.data.workspace import private_dir, private_file

__all__ = ["BUNDLE_META", "read_bundle", "write_bundle"]

BUNDLE_META = "meta.json"


def write_bundle(folder: Path, frames: Mapping[str, pd.DataFrame], meta: Mapping[str, Any]) -> Path:
    """Write ``frames`` (as ``NAME.parquet``) and ``meta`` into ``folder``, replacing
    what was there at once. Returns ``folder``."""
    private_dir(folder.parent)
    staged = private_dir(folder.parent / f".{folder.name}.{uuid.uuid4().hex}.tmp")
    try:
        for name, frame in frames.items():
            frame.to_parquet(staged / f"{name}.parquet", index=False)
            private_file(staged / f"{name}.parquet")
        document = {"frames": sorted(frames), "meta": dict(meta)}
        (staged / BUNDLE_META).write_text(json.dumps(document, default=str), encoding="utf-8")
        private_file(staged / BUNDLE_META)
        old = folder.parent / f".{folder.name}.{uuid.uuid4().hex}.old"
        if folder.exists():
            folder.rename(old)
        staged.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return folder


def _lists(frame: pd.DataFrame) -> pd.DataFrame:
    # Parquet gives list cells back as arrays: make them the lists that were written.
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = [v.tolist() if hasattr(v, "tolist") else v for v in frame[column]]
    return frame


def read_bundle(folder: Path) -> tuple[dict[str, pd.DataFrame], dict[str, Any]] | None:
    """The frames and meta of the bundle in ``folder``; ``None`` when there is none or it
    cannot be read (a damaged or partial folder is recomputed, never trusted)."""
    try:
        document = json.loads((folder / BUNDLE_META).read_text(encoding="utf-8"))
        frames = {
            name: _lists(pd.read_parquet(folder / f"{name}.parquet")) for name in document["frames"]
        }
    except (OSError, ValueError, KeyError, TypeError):
        return None
    meta = document.get("meta")
    return (frames, meta) if isinstance(meta, dict) else None
