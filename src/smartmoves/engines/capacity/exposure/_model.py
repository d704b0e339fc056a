"""A trained exposure model and what it says about activities."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from smartmoves.engines._common import EngineResult, json_ready, require_columns
from smartmoves.engines.capacity.exposure._text import TextFeatures, activity_text
from smartmoves.engines.capacity.exposure._votes import neighbour_votes
from smartmoves.errors import DataError, Problem

if TYPE_CHECKING:
    from smartmoves.engines.capacity.exposure._reader import Reader

__all__ = [
    "LABELS",
    "ActivityExposure",
    "ExposureModel",
    "ExposurePrediction",
    "SimilarTask",
    "read_activities",
]

LABELS = ("E0", "E1", "E2")
SIMILAR = 3
_CHUNK = 512  # activities compared with the labelled tasks at once (bounds memory)


@dataclass(frozen=True)
class SimilarTask:
    """A labelled task close in wording (or meaning) to an activity: the explanation."""

    task_id: Any
    task: str
    occupation: str
    label: str
    similarity: float


@dataclass(frozen=True)
class ActivityExposure:
    """One activity's exposure: probabilities, the three potentials and the label.

    ``alpha`` = P(E1) counts only direct exposure; ``beta`` = P(E1) + 0.5 P(E2) gives
    half credit to exposure that needs extra software; ``gamma`` = P(E1) + P(E2) counts
    any exposure, so ``alpha <= beta <= gamma`` always.
    """

    activity_id: Any
    p_e0: float
    p_e1: float
    p_e2: float
    alpha: float
    beta: float
    gamma: float
    label: str
    similar: tuple[SimilarTask, ...]


@dataclass(frozen=True)
class ExposurePrediction(EngineResult):
    """Exposure of every activity given to :meth:`ExposureModel.predict`, in input order."""

    activities: tuple[ActivityExposure, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per activity; ``similar`` lists the closest task statements."""
        rows = [
            {
                "activity_id": a.activity_id,
                "label": a.label,
                "p_e0": a.p_e0,
                "p_e1": a.p_e1,
                "p_e2": a.p_e2,
                "alpha": a.alpha,
                "beta": a.beta,
                "gamma": a.gamma,
                "similar": " | ".join(f"{s.task} ({s.label})" for s in a.similar),
            }
            for a in self.activities
        ]
        columns = ["activity_id", "label", "p_e0", "p_e1", "p_e2", "alpha", "beta", "gamma"]
        return pd.DataFrame(rows, columns=[*columns, "similar"])


def read_activities(activities: pd.DataFrame) -> tuple[list[Any], list[str]]:
    """Activity ids and texts (name, then description) from an activities frame.

    Raises
    ------
    DataError
        When ``activity_id`` or ``name`` is missing, a name is empty or an id repeats.
    """
    require_columns(activities, ["activity_id", "name"], what="activities")
    ids = activities["activity_id"].tolist()
    names = activities["name"].tolist()
    descriptions = (
        activities["description"].tolist() if "description" in activities else [None] * len(ids)
    )
    problems: list[Problem] = []
    seen: set[Any] = set()
    texts = []
    for row, (activity_id, name, description) in enumerate(
        zip(ids, names, descriptions, strict=True), 2
    ):
        if pd.isna(activity_id):
            problems.append(Problem("activities", row, "activity_id", "is empty"))
        elif activity_id in seen:
            problems.append(Problem("activities", row, "activity_id", f"{activity_id!r} repeats"))
        seen.add(activity_id)
        if not activity_text(name):
            problems.append(Problem("activities", row, "name", "is empty"))
        texts.append(activity_text(name, description))
    if problems:
        raise DataError(problems)
    return ids, texts


@dataclass(frozen=True)
class ExposureModel(EngineResult):
    """A linear exposure classifier with calibrated probabilities and its labelled tasks.

    Built by :func:`train_exposure_model` or :func:`load_exposure_model`. Scores are
    ``features @ weights.T + bias``, then, with the ``embeddings`` extra, either the
    labels of the nearest labelled tasks in meaning (``votes``, see ``_votes.py``) or a
    fine-tuned ``reader``'s three scores beside them; a small
    multinomial model on those scores (``calibration``) turns them into probabilities;
    ``label_offsets`` are added to the
    log-probabilities before the label is chosen, tuned on out-of-fold predictions to
    maximize Cohen's kappa (all zero would be the plain most-probable label).
    """

    features: TextFeatures = field(repr=False)
    weights: np.ndarray = field(repr=False)
    bias: np.ndarray = field(repr=False)
    calibration_weights: np.ndarray = field(repr=False)
    calibration_bias: np.ndarray = field(repr=False)
    label_offsets: np.ndarray
    task_ids: tuple[Any, ...] = field(repr=False)
    tasks: tuple[str, ...] = field(repr=False)
    occupations: tuple[str, ...] = field(repr=False)
    labels: tuple[str, ...] = field(repr=False)
    task_embeddings: np.ndarray | None = field(repr=False, default=None)
    seed: int = 0
    reader: Reader | None = field(repr=False, default=None)
    votes: bool = False

    @property
    def embeddings(self) -> bool:
        """Whether the model reads sentence embeddings (the ``embeddings`` extra)."""
        return self.task_embeddings is not None

    def to_dict(self) -> dict[str, Any]:
        """What the model learnt from: ``tasks``, ``occupations`` (distinct names),
        ``labels`` (tasks per label), ``label_offsets``, ``embeddings``, ``fine_tuned``,
        ``votes`` and ``seed``. The weights themselves go to a model file (:meth:`save`)."""
        counts = Counter(self.labels)
        return {
            "tasks": len(self.tasks),
            "occupations": len(set(self.occupations)),
            "labels": {label: counts.get(label, 0) for label in LABELS},
            "label_offsets": json_ready(self.label_offsets),
            "embeddings": self.embeddings,
            "fine_tuned": self.reader is not None,
            "votes": self.votes,
            "seed": self.seed,
        }

    def to_frame(self) -> pd.DataFrame:
        """The labelled tasks it learnt from: ``task_id, task, occupation, label``."""
        return pd.DataFrame(
            {
                "task_id": list(self.task_ids),
                "task": list(self.tasks),
                "occupation": list(self.occupations),
                "label": list(self.labels),
            }
        )

    def vectors(self, texts: list[str]) -> sp.csr_matrix:
        """The rows the model scores: tf-idf bags, then embeddings if the model uses them."""
        matrix = self.features.transform(texts)
        if self.task_embeddings is None:
            return matrix
        from smartmoves.engines._sentences import embed_texts

        dense = embed_texts(texts).astype(np.float32).astype(np.float64)
        return sp.hstack([matrix, sp.csr_matrix(dense)], format="csr")

    @cached_property
    def _codes(self) -> np.ndarray:
        return np.array([LABELS.index(label) for label in self.labels], dtype=np.int64)

    @cached_property
    def _task_vectors(self) -> sp.csr_matrix:
        matrix = self.features.transform(list(self.tasks))
        if self.task_embeddings is not None:
            matrix = sp.hstack([matrix, sp.csr_matrix(self.task_embeddings)], format="csr")
        return _unit_rows(matrix)

    def probabilities(self, texts: list[str], vectors: sp.csr_matrix) -> np.ndarray:
        """P(E0), P(E1), P(E2) of ``texts``, whose rows :meth:`vectors` made."""
        scores = np.asarray(vectors @ self.weights.T) + self.bias
        if self.votes and self.task_embeddings is not None:
            dense = vectors[:, self.features.width :].toarray()
            scores = np.hstack([scores, neighbour_votes(dense, self.task_embeddings, self._codes)])
        if self.reader is not None:
            scores = np.hstack([scores, self.reader.scores(texts)])
        return calibrated(scores, self.calibration_weights, self.calibration_bias)

    def predict(self, activities: pd.DataFrame) -> ExposurePrediction:
        """Exposure of each activity from its ``name`` and optional ``description``.

        Parameters
        ----------
        activities : DataFrame
            ``activity_id``, ``name``; ``description`` optional (empty is fine).

        Returns
        -------
        ExposurePrediction
            Per activity: probabilities, alpha/beta/gamma, label and the (at most three)
            most similar labelled tasks. An activity that shares no word with any
            labelled task gets no similar tasks rather than arbitrary ones.

        Raises
        ------
        DataError
            When ``activity_id`` or ``name`` is missing or empty, or an id repeats.

        Examples
        --------
        >>> import pandas as pd
        >>> from smartmoves.engines.capacity.exposure import train_exposure_model
        >>> rows = [("Draft reports", "E1"), ("Lift boxes", "E0"), ("Code a database", "E2")]
        >>> labels = pd.DataFrame(
        ...     [(f"{o}-0", f"Job {o}", f"{o}{i}", t, lab)
        ...      for o in "abcdef" for i, (t, lab) in enumerate(rows)],
        ...     columns=["soc_code", "occupation", "task_id", "task", "human_exposure"])
        >>> model = train_exposure_model(labels)
        >>> frame = pd.DataFrame({"activity_id": ["x"], "name": ["Lift heavy boxes"],
        ...                       "description": ["in the warehouse"]})
        >>> (activity,) = model.predict(frame).activities
        >>> activity.label, activity.alpha <= activity.beta <= activity.gamma
        ('E0', True)
        >>> [s.task for s in activity.similar][:1]
        ['Lift boxes']
        """
        ids, texts = read_activities(activities)
        if not ids:
            return ExposurePrediction(activities=())
        vectors = self.vectors(texts)
        probs = self.probabilities(texts, vectors)
        chosen = np.argmax(np.log(np.clip(probs, 1e-300, None)) + self.label_offsets, axis=1)
        neighbours = self._nearest(_unit_rows(vectors))
        out = []
        for i, activity_id in enumerate(ids):
            p0, p1, p2 = (float(p) for p in probs[i])
            out.append(
                ActivityExposure(
                    activity_id=activity_id,
                    p_e0=p0,
                    p_e1=p1,
                    p_e2=p2,
                    alpha=p1,
                    beta=p1 + 0.5 * p2,
                    gamma=p1 + p2,
                    label=LABELS[int(chosen[i])],
                    similar=neighbours[i],
                )
            )
        return ExposurePrediction(activities=tuple(out))

    def _nearest(self, unit: sp.csr_matrix) -> list[tuple[SimilarTask, ...]]:
        found: list[tuple[SimilarTask, ...]] = []
        task_vectors = self._task_vectors
        for start in range(0, unit.shape[0], _CHUNK):
            sims = np.asarray((unit[start : start + _CHUNK] @ task_vectors.T).todense())
            for row in sims:
                # Highest similarity first; equal similarities in labelled-file order.
                order = np.lexsort((np.arange(row.size), -row))[:SIMILAR]
                found.append(tuple(self._similar(j, row[j]) for j in order if row[j] > 1e-12))
        return found

    def _similar(self, j: int, similarity: float) -> SimilarTask:
        return SimilarTask(
            task_id=self.task_ids[j],
            task=self.tasks[j],
            occupation=self.occupations[j],
            label=self.labels[j],
            similarity=round(float(min(similarity, 1.0)), 6),
        )

    def save(self, path: str | Path) -> Path:
        """Write the model to one ``.npz`` file that loads without running any code.

        See :func:`load_exposure_model`.
        """
        from smartmoves.engines.capacity.exposure._store import save_model

        return save_model(self, Path(path))


def calibrated(scores: np.ndarray, weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """Softmax of the calibration model applied to the classifier's three scores."""
    z = scores @ weights.T + bias
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    probs: np.ndarray = e / e.sum(axis=1, keepdims=True)
    return probs


def _unit_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)
