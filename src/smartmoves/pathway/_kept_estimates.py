"""The exposure model's estimates kept in the workspace, so a new process need not run it.

Predicting reads the activities' meaning with sentence-transformers: importing torch and
embedding the activities is most of a cold ``smartmoves entry-points`` or report, while
the figures only change with the model file or the activities' words. So the estimates
are kept in ``models/exposure-estimates.json``, one entry per activity text (the name and
description as the model reads them), for one model: the file names the SHA-256 of the
model file it came from, and a retrained model finds no figures there to reuse. An
activity whose words change is a new text, estimated afresh. The file is written beside
and renamed into place, so a reader never sees half of it; a damaged file is ignored and
written again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smartmoves.engines.capacity.exposure import ActivityExposure, SimilarTask

__all__ = [
    "ESTIMATES_FILE",
    "MAX_TEXTS",
    "KeptEstimates",
    "decoded",
    "encoded",
    "model_digest",
    "read_kept",
    "write_kept",
]

ESTIMATES_FILE = Path("models") / "exposure-estimates.json"
FORMAT = "smartmoves-exposure-estimates"
VERSION = 1
# More texts than any catalog holds: past it the file starts again from what was asked.
MAX_TEXTS = 200_000
# Digests per model file version: hashing 15 MB is tens of milliseconds, once a process.
_DIGESTS: dict[tuple[str, int, int, int], str] = {}


@dataclass
class KeptEstimates:
    """What the file holds for one model: its summary (``embeddings``, ``fine_tuned``,
    what :func:`~smartmoves.pathway.exposure_model.model_reads` needs) and the encoded
    estimate of each text."""

    model: str
    summary: dict[str, Any] | None = None
    texts: dict[str, list[Any]] = field(default_factory=dict)


def model_digest(path: Path) -> str:
    """SHA-256 of the model file (memoized per inode, size and modification time)."""
    info = path.stat()
    key = (str(path), info.st_ino, info.st_size, info.st_mtime_ns)
    if key not in _DIGESTS:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        _DIGESTS[key] = digest.hexdigest()
    return _DIGESTS[key]


def read_kept(path: Path, model: str) -> KeptEstimates:
    """The estimates kept in ``path`` for the model of digest ``model``; none when the
    file is missing, damaged, of another format, or of another model."""
    empty = KeptEstimates(model)
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return empty
    if not isinstance(stored, dict) or stored.get("format") != FORMAT:
        return empty
    if stored.get("version") != VERSION or stored.get("model") != model:
        return empty
    summary, texts = stored.get("summary"), stored.get("texts")
    if not isinstance(summary, dict) or not isinstance(texts, dict):
        return empty
    return KeptEstimates(model, summary, texts)


def write_kept(path: Path, kept: KeptEstimates) -> None:
    """Write ``kept`` to ``path`` in one step (a partial file never replaces a good one);
    a workspace that cannot be written to just keeps nothing."""
    text = json.dumps(
        {
            "format": FORMAT,
            "version": VERSION,
            "model": kept.model,
            "summary": kept.summary,
            "texts": kept.texts,
        },
        ensure_ascii=False,
        separators=(",", ":"),
        allow_nan=False,
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def encoded(activity: ActivityExposure) -> list[Any]:
    """An activity's estimate as plain JSON (every figure exactly: JSON keeps a float's
    shortest round-tripping digits), without its id (the text is the key)."""
    similar = [[s.task_id, s.task, s.occupation, s.label, s.similarity] for s in activity.similar]
    return [
        activity.p_e0,
        activity.p_e1,
        activity.p_e2,
        activity.alpha,
        activity.beta,
        activity.gamma,
        activity.label,
        similar,
    ]


def decoded(activity_id: Any, row: list[Any]) -> ActivityExposure:
    """The estimate :func:`encoded` wrote, for ``activity_id``.

    Raises
    ------
    ValueError
        When ``row`` is not what :func:`encoded` writes (a damaged file).
    """
    try:
        p0, p1, p2, alpha, beta, gamma, label, similar = row
        figures = (p0, p1, p2, alpha, beta, gamma)
        if any(isinstance(x, bool) or not isinstance(x, int | float) for x in figures):
            raise TypeError("a figure is not a number")
        if not isinstance(label, str) or not isinstance(similar, list):
            raise TypeError("no label or similar tasks")
        tasks = tuple(
            SimilarTask(task_id, str(task), str(occupation), str(task_label), float(score))
            for task_id, task, occupation, task_label, score in similar
        )
    except (TypeError, ValueError) as exc:
        raise ValueError(f"not a kept estimate: {exc}") from exc
    return ActivityExposure(
        activity_id=activity_id,
        p_e0=float(p0),
        p_e1=float(p1),
        p_e2=float(p2),
        alpha=float(alpha),
        beta=float(beta),
        gamma=float(gamma),
        label=label,
        similar=tasks,
    )
