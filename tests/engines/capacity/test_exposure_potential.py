"""Which automation potential the plan uses: given, estimated, or flagged as missing."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartmoves.engines.capacity.exposure import (
    ActivityExposure,
    ExposurePrediction,
    automation_potential_for,
)
from smartmoves.errors import ConfigError, DataError


def exposure(activity_id: object, p0: float, p1: float, p2: float) -> ActivityExposure:
    return ActivityExposure(
        activity_id=activity_id,
        p_e0=p0,
        p_e1=p1,
        p_e2=p2,
        alpha=p1,
        beta=p1 + 0.5 * p2,
        gamma=p1 + p2,
        label="E0",
        similar=(),
    )


PREDICTION = ExposurePrediction(
    activities=(exposure("b", 0.2, 0.5, 0.3), exposure("c", 0.9, 0.0, 0.1), exposure("z", 0, 1, 0))
)
FRAME = pd.DataFrame(
    {
        "activity_id": ["a", "b", "c", "d"],
        "name": ["Invoices", "Emails", "Welding", "Filing"],
        "automation_potential": [0.6, None, "", None],
    }
)


def test_given_wins_then_the_model_then_a_flag() -> None:
    result = automation_potential_for(FRAME, PREDICTION)
    rows = [(a.activity_id, a.automation_potential, a.source, a.flagged) for a in result.activities]
    assert rows == [
        ("a", 0.6, "given", False),
        ("b", pytest.approx(0.65), "model", False),
        ("c", pytest.approx(0.05), "model", False),
        ("d", None, "missing", True),
    ]
    assert result.missing == ("d",)


def test_a_given_zero_is_kept_and_not_flagged() -> None:
    frame = FRAME.assign(automation_potential=[0, 0.0, "0", None])
    result = automation_potential_for(frame)
    assert [a.automation_potential for a in result.activities] == [0.0, 0.0, 0.0, None]
    assert result.missing == ("d",)


def test_without_column_or_model_every_activity_is_flagged_never_zero() -> None:
    result = automation_potential_for(FRAME.drop(columns="automation_potential"))
    assert result.missing == ("a", "b", "c", "d")
    assert all(a.automation_potential is None for a in result.activities)
    frame = result.to_frame()
    assert frame["automation_potential"].isna().all() and frame["flagged"].all()
    assert result.to_dict()["activities"][0]["automation_potential"] is None


@pytest.mark.parametrize(("measure", "expected"), [("alpha", 0.5), ("beta", 0.65), ("gamma", 0.8)])
def test_measure_picks_alpha_beta_or_gamma(measure: str, expected: float) -> None:
    result = automation_potential_for(FRAME, PREDICTION, measure=measure)
    assert result.activities[1].automation_potential == pytest.approx(expected)
    assert result.measure == measure


def test_unknown_measure_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="measure"):
        automation_potential_for(FRAME, PREDICTION, measure="delta")


def test_every_bad_given_figure_is_reported() -> None:
    frame = FRAME.assign(automation_potential=[1.5, "lots", -0.1, 0.3])
    with pytest.raises(DataError) as caught:
        automation_potential_for(frame)
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (2, "automation_potential"),
        (3, "automation_potential"),
        (4, "automation_potential"),
    ]


def test_malformed_activities_are_data_errors() -> None:
    with pytest.raises(DataError, match="name"):
        automation_potential_for(FRAME.drop(columns="name"))


@given(
    st.lists(st.one_of(st.none(), st.floats(min_value=0, max_value=1)), min_size=1, max_size=12),
    st.data(),
)
def test_each_activity_has_a_share_or_a_flag(given_values: list[float | None], data) -> None:
    ids = [f"x{i}" for i in range(len(given_values))]
    modelled = data.draw(st.sets(st.sampled_from(ids)))
    prediction = ExposurePrediction(
        activities=tuple(exposure(i, 0.2, 0.3, 0.5) for i in ids if i in modelled)
    )
    frame = pd.DataFrame({"activity_id": ids, "name": ids, "automation_potential": given_values})
    result = automation_potential_for(frame, prediction)
    for a, value in zip(result.activities, given_values, strict=True):
        if value is not None:
            assert (a.source, a.automation_potential) == ("given", value)
        elif a.activity_id in modelled:
            assert (a.source, a.automation_potential) == ("model", pytest.approx(0.55))
        else:
            assert (a.source, a.automation_potential, a.flagged) == ("missing", None, True)
        assert a.flagged == (a.automation_potential is None)
