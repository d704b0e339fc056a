"""The dissimilarity between two people, worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smartmoves.engines.teams._attributes import dissimilarity, read_attributes
from smartmoves.errors import ConfigError, DataError


def distances(frame: pd.DataFrame, features: list[str], weights=None) -> np.ndarray:
    return dissimilarity(frame, read_attributes(frame, features, weights))


def test_numeric_attributes_are_z_scored_before_the_euclidean_distance() -> None:
    # tenure has mean 4 and population SD 2; age has mean 40 and SD 10.
    people = pd.DataFrame({"tenure": [2.0, 6.0], "age": [30, 50]})
    d = distances(people, ["tenure", "age"])
    # z-scores (-1, -1) and (1, 1): distance sqrt(2^2 + 2^2)
    assert d[0, 1] == pytest.approx(np.sqrt(8))
    assert d[1, 0] == d[0, 1] and d[0, 0] == 0.0


def test_a_differing_category_adds_one_to_the_squared_distance() -> None:
    people = pd.DataFrame({"function": ["ops", "ops", "it"], "site": ["a", "b", "b"]})
    d = distances(people, ["function", "site"])
    assert d[0, 1] == pytest.approx(1.0)  # site differs
    assert d[0, 2] == pytest.approx(np.sqrt(2))  # both differ
    assert d[1, 2] == pytest.approx(1.0)  # function differs


def test_skills_contribute_their_jaccard_distance() -> None:
    people = pd.DataFrame({"skills": ["python;sql", "sql; excel", "python;sql", "design"]})
    d = distances(people, ["skills"])
    # {python, sql} vs {sql, excel}: 1 shared of 3 -> Jaccard distance 2/3
    assert d[0, 1] == pytest.approx(np.sqrt(2 / 3))
    assert d[0, 2] == 0.0
    assert d[0, 3] == pytest.approx(1.0)


def test_weights_scale_each_contribution() -> None:
    people = pd.DataFrame({"function": ["ops", "it"], "site": ["a", "b"]})
    d = distances(people, ["function", "site"], {"function": 3.0, "site": 0.0})
    assert d[0, 1] == pytest.approx(np.sqrt(3))


def test_a_missing_value_contributes_the_mean_contribution_of_known_pairs() -> None:
    people = pd.DataFrame({"site": ["a", "a", "b", None]})
    d = distances(people, ["site"])
    # known pairs: (0,1) same, (0,2) and (1,2) differ -> mean contribution 2/3
    assert d[0, 3] == pytest.approx(np.sqrt(2 / 3))
    assert d[2, 3] == pytest.approx(np.sqrt(2 / 3))
    assert d[0, 1] == 0.0 and d[0, 2] == 1.0


def test_missing_numbers_and_skills_do_not_raise() -> None:
    people = pd.DataFrame({"tenure": [1.0, np.nan, 3.0, np.nan], "skills": ["a;b", None, "", "b"]})
    d = distances(people, ["tenure", "skills"])
    assert np.isfinite(d).all()
    # tenure known pair (0,2): z -1 and 1 -> contribution 4 for every pair missing one.
    # skills known pairs: (0,3) only, Jaccard 1/2 -> mean 1/2 for the others.
    assert d[1, 3] == pytest.approx(np.sqrt(4 + 0.5))
    assert d[0, 3] == pytest.approx(np.sqrt(4 + 0.5))


def test_a_constant_column_adds_nothing() -> None:
    people = pd.DataFrame({"level": [3, 3, 3], "site": ["a", "b", "a"]})
    d = distances(people, ["level", "site"])
    assert d[0, 2] == 0.0 and d[0, 1] == 1.0


def test_booleans_are_categories() -> None:
    people = pd.DataFrame({"remote": [True, False, True]})
    assert distances(people, ["remote"])[0, 1] == 1.0


def test_bad_features_and_weights_are_refused() -> None:
    people = pd.DataFrame({"site": ["a", "b"]})
    with pytest.raises(DataError, match="lacks column"):
        distances(people, ["nope"])
    with pytest.raises(ConfigError):
        distances(people, [])
    with pytest.raises(ConfigError, match="not features"):
        distances(people, ["site"], {"other": 1.0})
    with pytest.raises(ConfigError, match=">= 0"):
        distances(people, ["site"], {"site": -1.0})
