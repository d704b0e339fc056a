"""The exposure model on files: train it on labelled tasks, predict activities, evaluate it.

The labels file (the layout of O*NET's ``tasks_train.tsv``: soc_code, occupation, task_id,
task, human_exposure, optional gpt4_exposure) is read from wherever the user keeps it; a
model is one ``.npz`` file of plain arrays. Neither belongs in a source repository: the
labels carry their own licence, and a model holds the labelled task statements.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from smartmoves.data.contracts import CONTRACTS
from smartmoves.data.readers import read_text_table
from smartmoves.data.validate import validate_table

__all__ = ["evaluate_labels", "predict_file", "read_activities_file", "train_model"]


def _labels(path: Path) -> pd.DataFrame:
    return read_text_table(path, label=Path(path).name).frame


def train_model(
    labels: Path, out: Path, *, seed: int = 0, embeddings: bool = False
) -> dict[str, Any]:
    """Train on ``labels`` and write the model to ``out``; returns what it learnt from.

    Raises
    ------
    DataError
        A missing column, an empty task or an unknown label (every bad row), or too few
        occupations or labels to learn from.
    """
    from smartmoves.engines.capacity.exposure import train_exposure_model

    frame = _labels(labels)
    model = train_exposure_model(frame, seed=seed, embeddings=embeddings)
    path = model.save(out)
    counts = Counter(model.labels)
    return {
        "model": str(path),
        "tasks": len(model.tasks),
        "occupations": len(set(frame["soc_code"])),
        "labels": {label: counts.get(label, 0) for label in ("E0", "E1", "E2")},
        "embeddings": model.embeddings,
        "fine_tuned": model.reader is not None,
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
    labels: Path, *, folds: int = 5, seed: int = 0, embeddings: bool = False
) -> Any:
    """Cross-validation grouped by occupation: the model, a baseline and GPT-4's labels
    (an ``ExposureEvaluation``)."""
    from smartmoves.engines.capacity.exposure import evaluate_exposure

    return evaluate_exposure(_labels(labels), folds=folds, seed=seed, embeddings=embeddings)
