"""Grouped cross-validation of the exposure model beside the baseline and GPT-4."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartmoves.engines.capacity.exposure import ExposureEvaluation, evaluate_exposure
from smartmoves.engines.capacity.exposure._train import cohen_kappa
from smartmoves.errors import ConfigError, DataError


@pytest.fixture(scope="module")
def labels(shared_dir: Path) -> pd.DataFrame:
    """Every 25th occupation in SOC order (about 30)."""
    frame = pd.read_csv(shared_dir / "data/onet-exposure/tasks_train.tsv", sep="\t")
    keep = set(sorted(frame["soc_code"].unique())[::25])
    return frame[frame["soc_code"].isin(keep)].reset_index(drop=True)


@pytest.fixture(scope="module")
def evaluation(labels: pd.DataFrame) -> ExposureEvaluation:
    return evaluate_exposure(labels, folds=3, seed=0)


def test_every_task_and_occupation_is_held_out_exactly_once(
    labels: pd.DataFrame, evaluation: ExposureEvaluation
) -> None:
    for method in ("model", "baseline", "gpt4"):
        folds = [f for f in evaluation.folds if f.method == method]
        assert [f.fold for f in folds] == [1, 2, 3]
        assert sum(f.tasks for f in folds) == len(labels)
        # Occupations add up only if no occupation was split across folds.
        assert sum(f.occupations for f in folds) == labels["soc_code"].nunique()


def test_gpt4_scores_are_its_agreement_with_people(
    labels: pd.DataFrame, evaluation: ExposureEvaluation
) -> None:
    from sklearn.metrics import cohen_kappa_score
    from sklearn.model_selection import StratifiedGroupKFold

    splitter = StratifiedGroupKFold(n_splits=3, shuffle=True, random_state=0)
    truth = labels["human_exposure"].to_numpy()
    gpt4 = labels["gpt4_exposure"].to_numpy()
    scores = [f for f in evaluation.folds if f.method == "gpt4"]
    for score, (_, test) in zip(
        scores, splitter.split(labels, truth, labels["soc_code"]), strict=True
    ):
        assert score.kappa == pytest.approx(cohen_kappa_score(truth[test], gpt4[test]))
        assert score.accuracy == pytest.approx(np.mean(truth[test] == gpt4[test]))


def test_the_model_learns_something_about_unseen_occupations(
    evaluation: ExposureEvaluation,
) -> None:
    # About 450 training tasks per fold here (the full file reaches 0.55): well above
    # chance, which is kappa 0.
    assert evaluation.mean("model") > 0.2
    assert evaluation.mean("baseline") > 0.1
    for f in evaluation.folds:
        assert 0 <= f.accuracy <= 1 and 0 <= f.macro_f1 <= 1 and -1 <= f.kappa <= 1


def test_table_and_json_twins(evaluation: ExposureEvaluation) -> None:
    frame = evaluation.to_frame()
    assert list(frame.columns) == [
        "method",
        "fold",
        "tasks",
        "occupations",
        "accuracy",
        "macro_f1",
        "kappa",
    ]
    means = frame[frame["fold"] == "mean"].set_index("method")["kappa"]
    assert means["model"] == pytest.approx(evaluation.mean("model"))
    assert len(evaluation.to_dict()["folds"]) == 9


def test_same_seed_same_evaluation(labels: pd.DataFrame, evaluation: ExposureEvaluation) -> None:
    assert evaluate_exposure(labels, folds=3, seed=0) == evaluation


def test_without_gpt4_labels_only_model_and_baseline(labels: pd.DataFrame) -> None:
    few = labels[labels["soc_code"].isin(labels["soc_code"].unique()[:12])]
    result = evaluate_exposure(few.drop(columns="gpt4_exposure"), folds=2)
    assert {f.method for f in result.folds} == {"model", "baseline"}
    with pytest.raises(ConfigError, match="gpt4"):
        result.mean("gpt4")


def test_bad_gpt4_label_is_a_data_error(labels: pd.DataFrame) -> None:
    broken = labels.copy()
    broken.loc[0, "gpt4_exposure"] = "T2"
    with pytest.raises(DataError) as caught:
        evaluate_exposure(broken, folds=3)
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "gpt4_exposure")]


@pytest.mark.parametrize("folds", [1, 10_000])
def test_impossible_fold_counts_are_config_errors(labels: pd.DataFrame, folds: int) -> None:
    with pytest.raises(ConfigError, match="folds"):
        evaluate_exposure(labels, folds=folds)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.UndefinedMetricWarning")
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=1, max_size=50))
def test_kappa_matches_scikit_learn(pairs: list[tuple[int, int]]) -> None:
    from sklearn.metrics import cohen_kappa_score

    truth, guess = (np.array(x) for x in zip(*pairs, strict=True))
    expected = cohen_kappa_score(truth, guess, labels=[0, 1, 2])
    ours = cohen_kappa(truth, guess)
    assert ours == pytest.approx(0.0 if np.isnan(expected) else expected, abs=1e-12)
