"""Learning exposure from task statements with human labels.

What we measured (grouped 5-fold cross-validation by occupation on the 15,493 O*NET
tasks; ``benchmarks/exposure_quality.py``): a class-balanced linear SVM on two bags of
word 1-3 grams (written and stemmed) plus a one-hot of the leading word (the task's verb,
see ``_text.py``) reaches kappa 0.559 against 0.536 for TF-IDF + logistic regression and
0.441 for GPT-4 (0.547 without the leading word). Logistic regression, ridge, naive
Bayes, char n-grams, nearest-neighbour votes on the words, verb-word pairs, hierarchical
E0-vs-exposed models, Crammer-Singer SVMs, other class weights and stacks of them all
landed within half a point of kappa of it. Meaning is what was missing: with the
``embeddings`` extra, the labels of the tasks nearest in MiniLM sentence vectors
(``_votes.py``) stacked beside the SVM's scores reach 0.586 (folds 0.575-0.598) on float32
vectors and 0.583 (folds 0.570-0.595) on the int8 vectors shipped for the labelled
tasks, in seconds. The same vectors read by the SVM itself reach 0.570, a logistic
regression on them stacked 0.570, both votes and it 0.585; a reader fine-tuned on the
labels (``_reader.py``) stacked with the SVM 0.582, for minutes of training. The SVM's
scores (and the votes) become probabilities through a small multinomial model fitted on
out-of-fold scores (so alpha/beta/gamma are calibrated, not margins), and the label
offsets that maximize kappa are tuned on those same out-of-fold predictions: no step ever
sees the occupations it is judged on. Choosing the SVM's C the same way, per training,
among 0.05 to 0.3 (nested in the grouped cross-validation) reached 0.558 against 0.559 for
C fixed at 0.3, so one candidate is kept (``SVM_CS``); stacking an SVM trained on GPT-4's
labels, a ridge on GPT-4's automation level or on the occupation's label shares gained
nothing either.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from smartmoves.engines._common import check_seed, json_ready, require_columns
from smartmoves.engines.capacity.exposure._model import LABELS, ExposureModel, calibrated
from smartmoves.engines.capacity.exposure._reader import fine_tune_reader
from smartmoves.engines.capacity.exposure._text import TextFeatures, analyse
from smartmoves.engines.capacity.exposure._votes import VOTES, neighbour_votes
from smartmoves.errors import ConfigError, DataError, Problem

__all__ = ["LabelledTasks", "cohen_kappa", "label_codes", "read_labels", "train_exposure_model"]

LABEL_COLUMNS = ("soc_code", "occupation", "task_id", "task", "human_exposure")
# The SVM's C, chosen per training by the inner folds' kappa (see ``_best_c``).
SVM_CS = (0.3,)
_OFFSET_GRID = np.round(np.arange(-1.0, 1.51, 0.1), 2)


@dataclass(frozen=True)
class LabelledTasks:
    """Validated labelled tasks: texts, label codes (0, 1, 2) and occupations."""

    texts: tuple[str, ...]
    codes: np.ndarray
    occupations: np.ndarray
    occupation_names: tuple[str, ...]
    task_ids: tuple[Any, ...]


def read_labels(labels: pd.DataFrame) -> LabelledTasks:
    """Check a labels frame (the ``tasks_train.tsv`` layout) and pull what training needs.

    Raises
    ------
    DataError
        Naming the missing column, or every row with an empty task or a label other than
        E0, E1 or E2 (rows counted as in a spreadsheet: the header is row 1).
    """
    require_columns(labels, LABEL_COLUMNS, what="exposure labels")
    texts = ["" if pd.isna(task) else str(task).strip() for task in labels["task"]]
    problems = [
        Problem("exposure labels", row, "task", "is empty")
        for row, text in enumerate(texts, 2)
        if not text
    ]
    codes, bad_labels = label_codes(labels, "human_exposure")
    problems = sorted([*problems, *bad_labels], key=lambda p: p.row or 0)
    if problems:
        raise DataError(problems)
    return LabelledTasks(
        texts=tuple(texts),
        codes=codes,
        occupations=labels["soc_code"].astype(str).to_numpy(),
        occupation_names=tuple(labels["occupation"].astype(str).tolist()),
        task_ids=tuple(json_ready(labels["task_id"].tolist())),
    )


def label_codes(labels: pd.DataFrame, column: str) -> tuple[np.ndarray, list[Problem]]:
    """The codes (0, 1, 2; -1 when unreadable) of a column of E0/E1/E2 labels, and a
    problem for every row whose label is none of them.

    >>> codes, problems = label_codes(pd.DataFrame({"x": ["e1", "E2", "E3"]}), "x")
    >>> codes.tolist(), [str(p) for p in problems]
    ([1, 2, -1], ["exposure labels:4: column x: unknown label 'E3' (expected E0, E1 or E2)"])
    """
    codes, problems = [], []
    for row, label in enumerate(labels[column], 2):
        value = "" if pd.isna(label) else str(label).strip().upper()
        if value in LABELS:
            codes.append(LABELS.index(value))
            continue
        codes.append(-1)
        problems.append(
            Problem(
                "exposure labels", row, column, f"unknown label {label!r}", expected="E0, E1 or E2"
            )
        )
    return np.asarray(codes, dtype=np.int64), problems


def cohen_kappa(truth: np.ndarray, guess: np.ndarray) -> float:
    """Cohen's kappa of two label-code arrays (0, 1, 2); 0 when chance explains all.

    >>> cohen_kappa(np.array([0, 1, 2, 2]), np.array([0, 1, 2, 2]))
    1.0
    """
    table = np.bincount(truth * 3 + guess, minlength=9).reshape(3, 3).astype(float)
    n = table.sum()
    observed = np.trace(table) / n
    chance = float(table.sum(axis=1) @ table.sum(axis=0)) / n**2
    return 0.0 if chance >= 1.0 else float((observed - chance) / (1.0 - chance))


def train_exposure_model(
    labels: pd.DataFrame,
    *,
    seed: int = 0,
    embeddings: bool = False,
    fine_tune: bool | None = None,
    inner_folds: int = 3,
) -> ExposureModel:
    """Learn the exposure (E0/E1/E2) of an activity from its wording.

    Parameters
    ----------
    labels : DataFrame
        One labelled task per row: ``soc_code``, ``occupation``, ``task_id``, ``task``,
        ``human_exposure`` (E0, E1 or E2). Other columns (``gpt4_*``, ``task_type``) are
        ignored: an activity has only its name and description when it is predicted.
    seed : int
        Fixes the out-of-fold split (grouped by occupation) and the solver's order.
    embeddings : bool
        Also read all-MiniLM-L6-v2 sentence embeddings (the ``embeddings`` extra): they
        choose the similar tasks, and the labels of the tasks nearest in meaning are
        stacked with the SVM's scores (``_votes.py``).
    fine_tune : bool, optional
        Instead of the neighbours' votes, fine-tune a reader (MiniLM's top layers, see
        ``_reader.py``) and stack its scores with the SVM's: minutes rather than seconds,
        for no better agreement. Defaults to False; it needs ``embeddings``. The reader
        learns from all but one inner fold, and its scores on that fold calibrate the
        stack.
    inner_folds : int
        Occupation-grouped folds used to calibrate probabilities and tune the labels.

    Returns
    -------
    ExposureModel

    Raises
    ------
    DataError
        A required column is missing, a row has an empty task or an unknown label, or
        there are too few occupations or labels to learn from.
    ConfigError
        ``embeddings=True`` without the extra installed, ``fine_tune=True`` without
        ``embeddings=True``, ``inner_folds`` not a whole number >= 2, or ``seed`` not a
        whole number >= 0.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = [("Draft reports", "E1"), ("Lift boxes", "E0"), ("Code a database", "E2")]
    >>> labels = pd.DataFrame(
    ...     [(f"{o}-0", f"Job {o}", f"{o}{i}", t, lab)
    ...      for o in "abcdef" for i, (t, lab) in enumerate(rows)],
    ...     columns=["soc_code", "occupation", "task_id", "task", "human_exposure"])
    >>> model = train_exposure_model(labels)
    >>> result = model.predict(pd.DataFrame({"activity_id": [1], "name": ["Draft reports"]}))
    >>> result.activities[0].label
    'E1'
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedGroupKFold

    seed = check_seed(seed)
    if isinstance(inner_folds, bool) or not isinstance(inner_folds, Integral) or inner_folds < 2:
        raise ConfigError(f"inner_folds must be a whole number >= 2, got {inner_folds!r}")
    fine_tune = bool(fine_tune)
    if fine_tune and not embeddings:
        raise ConfigError("fine_tune=True needs embeddings=True (the 'embeddings' extra)")
    data = read_labels(labels)
    _check_enough(data, inner_folds)
    task_embeddings = _embed(data.texts) if embeddings else None
    votes = task_embeddings is not None and not fine_tune
    # The SVM reads the words alone: the votes or the reader bring the meaning, and the
    # sentence vectors in the SVM as well did worse (0.578 against 0.582 beside the
    # reader). The vectors also choose the similar tasks.

    # Read once: every inner fold and the final fit read the same tasks.
    analysed = analyse(data.texts)
    by_c = {c: np.zeros((len(data.texts), 3)) for c in SVM_CS}
    voted = np.zeros((len(data.texts), VOTES if votes else 0))
    splitter = StratifiedGroupKFold(n_splits=inner_folds, shuffle=True, random_state=seed)
    splits = list(splitter.split(np.zeros(len(data.codes)), data.codes, data.occupations))
    for train, test in splits:
        if len(np.unique(data.codes[train])) < 3:
            raise DataError("exposure labels: too few occupations carry each of E0, E1, E2")
        features = TextFeatures.fit([analysed[i] for i in train])
        x_train = features.transform([analysed[i] for i in train])
        x_test = features.transform([analysed[i] for i in test])
        for c, scores in by_c.items():
            w, b = _fit_svm(x_train, data.codes[train], seed, c)
            scores[test] = np.asarray(x_test @ w.T) + b
        if votes and task_embeddings is not None:
            voted[test] = neighbour_votes(
                task_embeddings[test], task_embeddings[train], data.codes[train]
            )
    svm_c = _best_c(by_c, data.codes)
    scores = np.hstack([by_c[svm_c], voted]) if votes else by_c[svm_c]

    reader = None
    judged = np.arange(len(data.texts))
    if fine_tune:
        learn, judged = splits[0]
        # The reader kept is the one whose scores on the held-out fold set the weights.
        # Keeping instead one retrained on every task (as the SVM is) gained nothing
        # (0.578 both ways, measured when the SVM also read the sentence vectors) for
        # twice the training time.
        reader = fine_tune_reader([data.texts[i] for i in learn], data.codes[learn], seed=seed)
        scores = np.hstack([scores[judged], reader.scores([data.texts[i] for i in judged])])
    calibration = LogisticRegression(C=1.0, max_iter=1000).fit(scores, data.codes[judged])
    out_of_fold = calibrated(scores, calibration.coef_, calibration.intercept_)
    offsets = _tune_offsets(out_of_fold, data.codes[judged])

    features = TextFeatures.fit(analysed)
    w, b = _fit_svm(features.transform(analysed), data.codes, seed, svm_c)
    if task_embeddings is not None:
        # The model scores the rows it also compares (bags, then vectors): the vectors'
        # columns get zero weight, so the scores are exactly the words-only SVM's.
        w = np.hstack([w, np.zeros((w.shape[0], task_embeddings.shape[1]))])
    return ExposureModel(
        features=features,
        weights=_frozen(w),
        bias=_frozen(b),
        calibration_weights=_frozen(calibration.coef_),
        calibration_bias=_frozen(calibration.intercept_),
        label_offsets=_frozen(offsets),
        task_ids=data.task_ids,
        tasks=data.texts,
        occupations=data.occupation_names,
        labels=tuple(LABELS[c] for c in data.codes),
        task_embeddings=None if task_embeddings is None else _frozen(task_embeddings),
        seed=seed,
        reader=reader,
        votes=votes,
    )


def _check_enough(data: LabelledTasks, inner_folds: int) -> None:
    occupations = len(set(data.occupations.tolist()))
    if occupations < inner_folds:
        raise DataError(
            f"exposure labels: tasks from at least {inner_folds} occupations are needed "
            f"(soc_code), found {occupations}"
        )
    for code, label in enumerate(LABELS):
        if np.count_nonzero(data.codes == code) < inner_folds:
            raise DataError(
                f"exposure labels: at least {inner_folds} tasks labelled {label} are needed"
            )


def _embed(texts: tuple[str, ...]) -> np.ndarray:
    from smartmoves.engines._sentences import embed_texts, model_path

    # Without the extra this is a ConfigError now, even where remembered vectors would let
    # the training pass: the model could not read an activity afterwards.
    model_path()

    # float32 is what a saved model keeps; rounding here keeps training and loading equal.
    return embed_texts(list(texts)).astype(np.float32).astype(np.float64)


def _best_c(by_c: dict[float, np.ndarray], codes: np.ndarray) -> float:
    """The SVM's C whose out-of-fold scores, calibrated and offset as the model will be,
    agree best with the labels: chosen on the training occupations alone."""
    from sklearn.linear_model import LogisticRegression

    best, best_c = -np.inf, SVM_CS[0]
    for c, scores in by_c.items():
        if len(by_c) == 1:
            return c
        fitted = LogisticRegression(C=1.0, max_iter=1000).fit(scores, codes)
        probs = calibrated(scores, fitted.coef_, fitted.intercept_)
        guess = np.argmax(np.log(np.clip(probs, 1e-300, None)) + _tune_offsets(probs, codes), 1)
        kappa = cohen_kappa(codes, guess)
        if kappa > best + 1e-12:  # among equals the first (smaller) C stays
            best, best_c = kappa, c
    return best_c


def _fit_svm(
    x: sp.csr_matrix, codes: np.ndarray, seed: int, c: float
) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.svm import LinearSVC

    # Balanced classes: E1 is 15% of the tasks and the plain fit nearly never says E1.
    svm = LinearSVC(C=c, class_weight="balanced", random_state=seed, max_iter=5000)
    svm.fit(x, codes)
    return np.asarray(svm.coef_, dtype=np.float64), np.asarray(svm.intercept_, dtype=np.float64)


def _tune_offsets(probs: np.ndarray, codes: np.ndarray) -> np.ndarray:
    logp = np.log(np.clip(probs, 1e-300, None))
    best, best_offsets = -np.inf, np.zeros(3)
    for e1 in _OFFSET_GRID:
        for e2 in _OFFSET_GRID:
            offsets = np.array([0.0, e1, e2])
            kappa = cohen_kappa(codes, np.argmax(logp + offsets, axis=1))
            # Strictly better only: among equals the first (smallest) offsets stay.
            if kappa > best + 1e-12:
                best, best_offsets = kappa, offsets
    return best_offsets


def _frozen(array: np.ndarray) -> np.ndarray:
    out = np.array(array, dtype=np.float64, copy=True)
    out.flags.writeable = False
    return out
