"""Driver estimates: planted coefficients of the synthetic bank fall inside their 95%
intervals, a planted lag makes a leading indicator, an identity is named rather than
estimated, and a short history says how many weeks it would need."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from smartmoves.data.synth.activities import draw_allocations
from smartmoves.data.synth.metrics import metric_history, metrics_frame
from smartmoves.data.synth.org import build_org
from smartmoves.data.synth.pilot import plan_pilot
from smartmoves.engines.metrics import estimate_drivers

TREE = pd.DataFrame(
    {
        "metric_id": ["OP", "A", "B"],
        "parent_id": ["", "OP", "OP"],
        "level": ["operating", "frontline", "frontline"],
    }
)


def _values(series: dict[str, np.ndarray]) -> pd.DataFrame:
    weeks = len(next(iter(series.values())))
    dates = pd.date_range("2025-01-06", periods=weeks, freq="7D").strftime("%Y-%m-%d")
    return pd.concat(
        pd.DataFrame({"metric_id": m, "scope": "org", "scope_id": "ORG", "date": dates, "value": v})
        for m, v in series.items()
    )


def _panel(seed: int, weeks: int, lag_effect: float = 0.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    a = 50 + np.cumsum(rng.normal(0, 1, weeks + 4)) * 0.3 + rng.normal(0, 2, weeks + 4)
    b = 20 + rng.normal(0, 1.5, weeks + 4)
    noise = rng.normal(0, 1.0, weeks)
    op = 100 + 2.0 * a[4:] - 1.0 * b[4:] + lag_effect * a[2:-2] + noise
    return _values({"A": a[4:], "B": b[4:], "OP": op})


def test_planted_coefficients_fall_inside_their_intervals_on_the_synthetic_bank() -> None:
    inside = right_sign = total = 0
    for seed in range(20):
        org = build_org(300, np.random.default_rng([seed, 1]))
        pilot = plan_pilot(
            org,
            draw_allocations(org, np.random.default_rng([seed, 2])),
            26,
            np.random.default_rng([seed, 3]),
        )
        history = metric_history(org, pilot, 26, np.random.default_rng([seed, 5]))
        found = estimate_drivers(metrics_frame(), history.values)
        at_lag0 = {(d.metric_id, d.parent_id): d for d in found.drivers if d.lag == 0}
        for planted in history.drivers:
            d = at_lag0[(planted["metric_id"], planted["parent_id"])]
            total += 1
            inside += d.ci_low <= planted["coefficient"] <= d.ci_high
            right_sign += np.sign(d.coefficient) == np.sign(planted["coefficient"])
    assert total == 20 * 18
    assert inside / total >= 0.90, inside / total
    assert right_sign / total >= 0.95, right_sign / total


def test_a_lagged_effect_makes_a_leading_indicator() -> None:
    found = estimate_drivers(TREE, _panel(3, 60, lag_effect=1.5))
    lag2 = next(d for d in found.drivers if d.metric_id == "A" and d.lag == 2)
    assert lag2.ci_low <= 1.5 <= lag2.ci_high and lag2.leading
    assert not any(d.leading for d in found.drivers if d.metric_id == "B")
    none = estimate_drivers(TREE, _panel(3, 60))
    assert not any(d.leading for d in none.drivers)


def test_an_identity_is_named_not_estimated() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.normal(10, 2, 30), rng.normal(5, 1, 30)
    found = estimate_drivers(TREE, _values({"A": a, "B": b, "OP": a + b}))
    assert found.drivers == []
    assert found.identities == {"OP": {"A": 1.0, "B": 1.0}}
    assert any("arithmetic identity" in w for w in found.warnings)


def test_a_short_history_says_what_it_would_need() -> None:
    found = estimate_drivers(TREE, _panel(1, 8))
    assert found.drivers == []
    assert found.warnings == [
        "OP: 8 weeks in common with its 2 children are too few to estimate their effects; "
        "at least 10 are needed"
    ]
    lags = estimate_drivers(TREE, _panel(1, 14))
    assert {d.lag for d in lags.drivers} == {0, 1, 2}
    assert "OP: lags from 3 weeks need at least 15 weeks of history; there are 14" in (
        lags.warnings
    )


def test_a_metric_without_history_is_left_out_with_a_warning() -> None:
    values = _panel(2, 30)
    found = estimate_drivers(TREE, values[values["metric_id"] != "B"])
    assert {d.metric_id for d in found.drivers} == {"A"}
    assert "OP: no history for B; left out" in found.warnings


@settings(max_examples=25, deadline=None)
@given(
    scale=st.floats(0.1, 100.0),
    shift=st.floats(-1e3, 1e3),
    seed=st.integers(0, 10_000),
)
def test_units_change_coefficients_not_standardized_effects(
    scale: float, shift: float, seed: int
) -> None:
    """Measuring a child in other units divides its coefficient by the factor; moving the
    parent's level changes nothing; the standardized effect and R² stay put."""
    base = _panel(seed, 30)
    moved = base.copy()
    moved.loc[moved["metric_id"] == "A", "value"] *= scale
    moved.loc[moved["metric_id"] == "OP", "value"] += shift
    one = {(d.metric_id, d.lag): d for d in estimate_drivers(TREE, base).drivers}
    two = {(d.metric_id, d.lag): d for d in estimate_drivers(TREE, moved).drivers}
    assert one.keys() == two.keys()
    for key, d in one.items():
        factor = scale if key[0] == "A" else 1.0
        assert np.isclose(two[key].coefficient * factor, d.coefficient, rtol=1e-6, atol=1e-9)
        assert np.isclose(two[key].standardized, d.standardized, rtol=1e-6, atol=1e-9)
        assert np.isclose(two[key].r_squared, d.r_squared, rtol=1e-6, atol=1e-9)
