"""Diversity figures of a given partition, against hand counts and brute force."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from teamcheck import diversity_of, partitions

from smartmoves.engines.teams import diversity_figures
from smartmoves.engines.teams._attributes import dissimilarity, read_attributes
from smartmoves.errors import DataError


@pytest.fixture
def people() -> pd.DataFrame:
    # One numeric feature with mean 0: a z-score is the value over the population SD.
    return pd.DataFrame(
        {"person_id": ["a", "b", "c", "d", "e", "f"], "score": [-1.5, -0.5, -0.5, 0.5, 0.5, 1.5]}
    )


def test_each_figure_matches_a_hand_count(people: pd.DataFrame) -> None:
    sd = np.std(people.score)
    figures = diversity_figures(people, [1, 1, 1, 2, 2, 2], features=["score"])
    g1, g2 = figures.groups
    assert (g1.group, g1.members) == (1, ("a", "b", "c"))
    # group 1 values -1.5, -0.5, -0.5 (in SD units): distances 1, 1, 0
    assert g1.diversity == pytest.approx(2 / sd)
    assert g2.diversity == pytest.approx(2 / sd)
    assert figures.diversity == pytest.approx(4 / sd)
    assert figures.dispersion == pytest.approx(0.0)
    # group means -2.5/3 and 2.5/3 against an overall mean of 0
    assert figures.max_mean_deviation_sd == pytest.approx(2.5 / 3 / sd)


def test_vs_random_is_the_exact_mean_over_every_partition_of_those_sizes() -> None:
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"x": rng.normal(size=7), "y": rng.normal(size=7)})
    labels = ["A", "A", "A", "B", "B", "C", "C"]
    figures = diversity_figures(frame, labels, features=["x", "y"])
    d = dissimilarity(frame, read_attributes(frame, ["x", "y"], None))
    every = partitions(7, 3)
    sizes = np.sort(np.stack([(every == g).sum(axis=1) for g in range(3)], axis=1), axis=1)
    same_sizes = every[(sizes == [2, 2, 3]).all(axis=1)]
    assert len(same_sizes) == 105  # 7! / (3! 2! 2!) / 2 orderings of the two pairs
    mean = diversity_of(d, same_sizes).mean()
    assert figures.vs_random == pytest.approx(figures.diversity / mean)


def test_labels_are_ordered_numbers_first_and_normalized(people: pd.DataFrame) -> None:
    figures = diversity_figures(people, ["x", "2", 10, 2.0, "x", 10], features=["score"])
    assert [g.group for g in figures.groups] == [2, 10, "x"]
    assert figures.groups[0].members == ("b", "d")


def test_members_are_row_positions_without_person_id(people: pd.DataFrame) -> None:
    figures = diversity_figures(
        people.drop(columns="person_id"), [1, 2, 1, 2, 1, 2], features=["score"]
    )
    assert figures.groups[0].members == (0, 2, 4)


def test_categorical_features_only_give_no_mean_deviation() -> None:
    frame = pd.DataFrame({"site": ["a", "b", "a", "b"]})
    figures = diversity_figures(frame, [1, 1, 2, 2], features=["site"])
    assert figures.diversity == 2.0 and figures.dispersion == 1.0
    assert np.isnan(figures.max_mean_deviation_sd)
    assert figures.to_dict()["max_mean_deviation_sd"] is None


def test_single_member_groups_give_no_dispersion() -> None:
    frame = pd.DataFrame({"x": [1.0, 2.0]})
    figures = diversity_figures(frame, [1, 2], features=["x"])
    assert figures.diversity == 0.0 and np.isnan(figures.dispersion)


def test_to_frame_has_one_row_per_workgroup(people: pd.DataFrame) -> None:
    table = diversity_figures(people, [1, 1, 2, 2, 3, 3], features=["score"]).to_frame()
    assert list(table.columns) == ["workgroup", "size", "diversity", "members"]
    assert table["size"].tolist() == [2, 2, 2]
    assert table["members"].iloc[2] == ["e", "f"]


def test_bad_labels_are_refused(people: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="6 people"):
        diversity_figures(people, [1, 2], features=["score"])
    with pytest.raises(DataError, match="every person"):
        diversity_figures(people, [1, 1, 1, 2, 2, None], features=["score"])
    twice = people.assign(person_id=["a", "a", "b", "c", "d", "e"])
    with pytest.raises(DataError, match="repeats"):
        diversity_figures(twice, [1, 1, 1, 2, 2, 2], features=["score"])
