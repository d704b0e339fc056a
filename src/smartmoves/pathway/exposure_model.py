"""The workspace's exposure model, read once: its estimates for a set of activities.

Creating capacity reads it for a pilot's scope; Recognize for every unit when it scores
entry points; so it lives here, shared by the phases, rather than in either. The model is
a file ``models/exposure.npz`` in the workspace (see ``pathway/create/capacity``). Its
estimates are kept beside it (``models/exposure-estimates.json``, see ``_kept_estimates``):
a new process reads them rather than load sentence-transformers and embed the activities
again, which was most of a cold ``smartmoves entry-points``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from smartmoves.pathway._kept_estimates import (
    ESTIMATES_FILE,
    MAX_TEXTS,
    KeptEstimates,
    decoded,
    encoded,
    model_digest,
    read_kept,
    write_kept,
)
from smartmoves.settings import Settings

__all__ = [
    "ESTIMATES_FILE",
    "MODEL_FILE",
    "estimates",
    "exposure_model_path",
    "keep_workspace_estimates",
    "model_reads",
]

MODEL_FILE = Path("models") / "exposure.npz"
# Loaded models and their predictions, for one model file version (by digest): predicting
# reads the 15,000 labelled tasks, seconds of work a page should not repeat on every view.
# A new process reads the predictions kept in the workspace instead (``_kept_estimates``).
_MODELS: dict[str, Any] = {}
_PREDICTIONS: dict[tuple[Any, ...], tuple[Any, dict[str, Any]]] = {}


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
    file name and what it reads; ``(None, None, None)`` without a model.

    Raises
    ------
    DataError
        An activity with an empty name or a repeated id (as the model would).
    """
    path = exposure_model_path(settings)
    if not path.is_file():
        return None, None, None
    digest = model_digest(path)
    if digest not in _MODELS:  # a new model: nothing remembered holds for it
        _MODELS.clear()
        _PREDICTIONS.clear()
        _MODELS[digest] = None  # loaded only when a text is not kept
    chosen = activities[activities["activity_id"].isin(wanted)]
    frame = chosen[["activity_id", "name", "description"]].reset_index(drop=True)
    asked = (str(path), digest, *(tuple(r) for r in frame.itertuples(index=False, name=None)))
    if asked not in _PREDICTIONS:
        _PREDICTIONS[asked] = _predicted(settings, path, digest, frame)
    prediction, summary = _PREDICTIONS[asked]
    return prediction, path.name, model_reads(summary)


def keep_workspace_estimates(settings: Settings) -> int:
    """Estimate every activity of the workspace's catalog now and keep the figures (after
    a training, while its libraries are loaded), so the next process only reads them;
    how many activities that was (0 without a model or activities)."""
    from smartmoves.data.store import capacity as store_capacity
    from smartmoves.data.store import db
    from smartmoves.pathway._store import store

    with db.transaction(store(settings)) as session:
        activities = store_capacity.activities(session)
    if activities.empty:
        return 0
    found = estimates(settings, activities, set(activities["activity_id"]))[0]
    return 0 if found is None else len(found.activities)


def _model(path: Path, digest: str) -> Any:
    from smartmoves.engines.capacity.exposure import load_exposure_model

    if _MODELS.get(digest) is None:
        _MODELS[digest] = load_exposure_model(path)
    return _MODELS[digest]


def _summary(model: Any) -> dict[str, Any]:
    found = model.to_dict()
    return {"embeddings": found["embeddings"], "fine_tuned": found["fine_tuned"]}


def _predicted(
    settings: Settings, path: Path, digest: str, frame: pd.DataFrame
) -> tuple[Any, dict[str, Any]]:
    """The prediction for ``frame`` and the model's summary: from the kept file where it
    has every text, the model predicting the others (and the file then keeping them)."""
    from smartmoves.engines.capacity.exposure import ExposurePrediction, read_activities

    kept_file = settings.workspace / ESTIMATES_FILE
    kept = read_kept(kept_file, digest)
    ids, texts = read_activities(frame) if not frame.empty else ([], [])
    found: dict[int, Any] = {}
    try:
        for i, text in enumerate(texts):
            if text in kept.texts:
                found[i] = decoded(ids[i], kept.texts[text])
    except ValueError:  # a damaged file: estimate everything, and write it again
        kept, found = KeptEstimates(digest), {}
    missing = [i for i in range(len(ids)) if i not in found]
    if kept.summary is None or missing:
        model = _model(path, digest)
        kept.summary = _summary(model)
        if missing:
            fresh = model.predict(frame.iloc[missing].reset_index(drop=True)).activities
            found.update(zip(missing, fresh, strict=True))
            if len(kept.texts) + len(missing) > MAX_TEXTS:
                kept.texts = {}
            kept.texts.update((texts[i], encoded(found[i])) for i in missing)
        write_kept(kept_file, kept)
    if not ids:
        return None, kept.summary
    return ExposurePrediction(activities=tuple(found[i] for i in range(len(ids)))), kept.summary
