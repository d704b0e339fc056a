"""The exposure model on files: train it on labelled tasks, predict activities, evaluate it.

Without a labels file, the labelled O*NET tasks shipped with smartmoves are used
(:mod:`smartmoves.data.reference`, MIT-licensed, attribution beside the file). A labels
file of the user's own has the same layout (``tasks_train.tsv``: soc_code, occupation,
task_id, task, human_exposure, optional gpt4_exposure); a model is one ``.npz`` file of
plain arrays.

Which model: where the ``embeddings`` extra is installed (``make install`` brings it),
the words and the labels of the tasks nearest in meaning (kappa 0.583 on occupations
never seen); without it, the words alone (0.559). The shipped tasks' sentence vectors
ship beside them, so either trains in seconds.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from smartmoves.data.contracts import CONTRACTS
from smartmoves.data.readers import read_text_table
from smartmoves.data.reference import exposure_labels, exposure_task_vectors
from smartmoves.data.validate import validate_table
from smartmoves.errors import ConfigError
from smartmoves.pathway.exposure_model import model_reads

__all__ = [
    "SHIPPED_LABELS",
    "evaluate_labels",
    "labels_frame",
    "model_reads",
    "predict_file",
    "read_activities_file",
    "train_model",
    "use_embeddings",
]

SHIPPED_LABELS = "the labelled O*NET tasks shipped with smartmoves"


def labels_frame(labels: Path | None = None, *, occupations: int | None = None) -> pd.DataFrame:
    """The labelled tasks of ``labels``, or the shipped ones when it is ``None``;
    ``occupations`` keeps that many occupations spread over the SOC groups.

    Raises
    ------
    ConfigError
        ``occupations`` below 2.
    """
    if occupations is not None and occupations < 2:
        raise ConfigError(f"occupations must be at least 2, got {occupations}")
    if labels is None:
        return exposure_labels(occupations=occupations)
    frame = read_text_table(labels, label=Path(labels).name).frame
    if occupations is None or "soc_code" not in frame:
        return frame
    from smartmoves.data.reference import spread_occupations

    return spread_occupations(frame, occupations)


def use_embeddings(embeddings: bool | None, labels: Path | None) -> bool:
    """Whether to read sentence embeddings: as asked, or (``None``) when the extra is
    installed. With the shipped labels, their shipped vectors stand in for the model's.

    Raises
    ------
    ConfigError
        ``embeddings=True`` without the extra installed.
    """
    from smartmoves.engines._sentences import embeddings_installed, remember_embeddings

    chosen = embeddings_installed() if embeddings is None else embeddings
    if chosen and not embeddings_installed():
        # Checked here: the shipped vectors would let training pass, then predicting fail.
        raise ConfigError(
            "exposure embeddings need the 'embeddings' extra "
            "(pip install 'smartmoves[embeddings]'); train with --words-only otherwise"
        )
    if chosen and labels is None:
        shipped = exposure_task_vectors()
        if shipped is not None:
            remember_embeddings(*shipped)
    return chosen


def train_model(
    labels: Path | None,
    out: Path,
    *,
    seed: int = 0,
    embeddings: bool | None = None,
    fine_tune: bool = False,
    occupations: int | None = None,
) -> dict[str, Any]:
    """Train on ``labels`` (the shipped tasks when ``None``) and write the model to
    ``out``; returns what it learnt from. ``embeddings=None`` reads sentence embeddings
    when the extra is installed (see :func:`use_embeddings`).

    Raises
    ------
    DataError
        A missing column, an empty task or an unknown label (every bad row), or too few
        occupations or labels to learn from.
    """
    from smartmoves.engines.capacity.exposure import train_exposure_model

    frame = labels_frame(labels, occupations=occupations)
    model = train_exposure_model(
        frame, seed=seed, embeddings=use_embeddings(embeddings, labels), fine_tune=fine_tune
    )
    path = model.save(out)
    counts = Counter(model.labels)
    return {
        "model": str(path),
        "labels_file": SHIPPED_LABELS if labels is None else str(labels),
        "tasks": len(model.tasks),
        "occupations": len(set(frame["soc_code"])),
        "labels": {label: counts.get(label, 0) for label in ("E0", "E1", "E2")},
        "embeddings": model.embeddings,
        "fine_tuned": model.reader is not None,
        "reads": model_reads(model.to_dict()),
        "seed": seed,
    }


def read_activities_file(path: Path) -> pd.DataFrame:
    """An activities file checked against its contract (activity_id, name, ...)."""
    contract = dataclasses.replace(CONTRACTS["activities"], references=())
    frame = validate_table(read_text_table(path), contract).frame
    return frame.drop(columns="attributes", errors="ignore")


def predict_file(model: Path, activities: Path) -> Any:
    """The model's exposure of every activity of the file (an ``ExposurePrediction``)."""
    from smartmoves.engines.capacity.exposure import load_exposure_model

    frame = read_activities_file(activities)
    loaded = load_exposure_model(model)
    return loaded.predict(frame[["activity_id", "name", "description"]])


def evaluate_labels(
    labels: Path | None,
    *,
    folds: int = 5,
    seed: int = 0,
    embeddings: bool | None = None,
    fine_tune: bool = False,
) -> Any:
    """Cross-validation grouped by occupation: the model (the default one unless
    ``embeddings`` says), a baseline and GPT-4's labels (an ``ExposureEvaluation``), on
    ``labels`` or the shipped tasks."""
    from smartmoves.engines.capacity.exposure import evaluate_exposure

    return evaluate_exposure(
        labels_frame(labels),
        folds=folds,
        seed=seed,
        embeddings=use_embeddings(embeddings, labels),
        fine_tune=fine_tune,
    )
