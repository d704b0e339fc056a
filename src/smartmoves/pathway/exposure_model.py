"""The workspace's exposure model, read once: its estimates for a set of activities.

Creating capacity reads it for a pilot's scope; Recognize for every unit when it scores
entry points; so it lives here, shared by the phases, rather than in either. The model is
a file ``models/exposure.npz`` in the workspace (see ``pathway/create/capacity``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from smartmoves.settings import Settings

__all__ = ["MODEL_FILE", "estimates", "exposure_model_path", "model_reads"]

MODEL_FILE = Path("models") / "exposure.npz"
# Loaded models and their predictions, per model file version: predicting reads the
# 15,000 labelled tasks, seconds of work a page should not repeat on every view.
_MODELS: dict[tuple[str, float], Any] = {}
_PREDICTIONS: dict[tuple[Any, ...], Any] = {}


def exposure_model_path(settings: Settings) -> Path:
    """Where a workspace keeps its exposure model (it may not exist)."""
    return settings.workspace / MODEL_FILE


def model_reads(summary: dict[str, Any]) -> str:
    """What a model reads, in words, from a training summary (or a model's ``to_dict``).

    >>> model_reads({"embeddings": True, "fine_tuned": False})
    "the activity's words and its meaning, compared with the labelled tasks"
    """
    from smartmoves.engines._sentences import embeddings_installed

    if summary.get("fine_tuned"):
        return "the activity's words and a reader of meaning trained on the labelled tasks"
    if summary.get("embeddings"):
        return "the activity's words and its meaning, compared with the labelled tasks"
    if not embeddings_installed():
        return (
            "the activity's words alone (the embeddings extra, which also reads their "
            "meaning and agrees better with people, is not installed)"
        )
    return (
        "the activity's words alone (trained without the embeddings extra: training it "
        "again also reads their meaning and agrees better with people)"
    )


def estimates(
    settings: Settings, activities: pd.DataFrame, wanted: set[str]
) -> tuple[Any, str | None, str | None]:
    """The model's estimates for the ``wanted`` activities (every one of them, so that a
    decision may choose the model's beta over the activity's own potential), the model's
    file name and what it reads; ``(None, None, None)`` without a model."""
    path = exposure_model_path(settings)
    if not path.is_file():
        return None, None, None
    from smartmoves.engines.capacity.exposure import load_exposure_model

    key = (str(path), path.stat().st_mtime)
    if key not in _MODELS:
        _MODELS.clear()
        _PREDICTIONS.clear()
        _MODELS[key] = load_exposure_model(path)
    reads = model_reads(_MODELS[key].to_dict())
    chosen = activities[activities["activity_id"].isin(wanted)]
    if chosen.empty:
        return None, path.name, reads
    frame = chosen[["activity_id", "name", "description"]].reset_index(drop=True)
    asked = (*key, *(tuple(r) for r in frame.itertuples(index=False, name=None)))
    if asked not in _PREDICTIONS:
        _PREDICTIONS[asked] = _MODELS[key].predict(frame)
    return _PREDICTIONS[asked], path.name, reads
