"""Properties every scan keeps, whatever the series: a constant has nothing to flag, the
units of a metric do not change what is flagged, and neither does where it starts.

Values are whole numbers and scales powers of two, so that shifting and scaling are
exact in floating point and the flags must agree exactly, not nearly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from smartmoves.engines.insights import scan

WEEKS = pd.date_range("2025-01-06", periods=110, freq="7D")


def frame(values: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"metric_id": "m", "scope": "org", "scope_id": "ORG",
                         "date": WEEKS[: len(values)], "value": values})  # fmt: skip


@st.composite
def series(draw: st.DrawFn) -> np.ndarray:
    """A whole-number series: noise, maybe a step, maybe a spike."""
    n = draw(st.integers(8, 110))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    values = np.rint(rng.normal(0, draw(st.integers(1, 20)), n))
    if draw(st.booleans()):
        values[draw(st.integers(0, n - 1)) :] += draw(st.integers(-60, 60))
    if draw(st.booleans()):
        values[draw(st.integers(0, n - 1))] += draw(st.integers(-100, 100))
    return values


def shape(values: np.ndarray) -> list[tuple[str, str]]:
    return [(f.kind, f.date) for f in scan(frame(values)).flags]


@settings(max_examples=25, deadline=None)
@given(st.integers(-(10**6), 10**6), st.integers(8, 110))
def test_a_constant_series_has_no_flags(level: int, n: int) -> None:
    assert scan(frame(np.full(n, float(level)))).flags == ()


@settings(max_examples=30, deadline=None)
@given(series(), st.sampled_from([0.25, 0.5, 2.0, 8.0, -1.0]))
def test_scaling_scales_magnitudes_and_keeps_dates(values: np.ndarray, factor: float) -> None:
    plain = scan(frame(values)).flags
    scaled = scan(frame(values * factor)).flags
    assert [(f.kind, f.date) for f in scaled] == [(f.kind, f.date) for f in plain]
    for a, b in zip(plain, scaled, strict=True):
        assert np.isclose(b.magnitude, a.magnitude * factor, rtol=1e-9, atol=1e-9)
        assert np.isclose(b.magnitude_sd, a.magnitude_sd * np.sign(factor), rtol=1e-9)
        assert np.isclose(b.confidence, a.confidence, atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(series(), st.integers(-(10**5), 10**5))
def test_adding_a_constant_changes_nothing_but_the_levels(values: np.ndarray, offset: int) -> None:
    plain = scan(frame(values)).flags
    moved = scan(frame(values + offset)).flags
    assert shape(values + offset) == [(f.kind, f.date) for f in plain]
    for a, b in zip(plain, moved, strict=True):
        assert np.isclose(b.magnitude, a.magnitude, rtol=1e-9, atol=1e-9)
        moves = 0 if a.kind == "trend_change" else offset  # a slope does not move
        assert np.isclose(b.before, a.before + moves, rtol=1e-9, atol=1e-6)
