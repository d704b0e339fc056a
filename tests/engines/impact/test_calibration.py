"""Calibration on seeded panels (issue 16): intervals cover, estimates are unbiased, and
with no effect the tests rarely reject.

Fewer simulations than ``benchmarks/impact_calibration.py`` (300 per method), so the
bands are wider than the benchmark's targets, but each fails an interval of the wrong
width: a half-width interval covers about 67% of the time, a double-width one makes the
width ratio about 2.
"""

from __future__ import annotations

import numpy as np
import pytest
from impact_panels import START, WEEK_DATES, simulate

from smartmoves.engines.impact import estimate_effect

EFFECT = 2.0
RUNS = {"sdid": 60, "synthetic-control": 100, "did": 100}


def _runs(method: str, effect: float, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = []
    for seed in range(n):
        frame, treated = simulate(1000 + seed, effect)
        found = estimate_effect(
            frame, treated=treated, start=WEEK_DATES[START], method=method, placebos=60,
            seed=seed,
        )  # fmt: skip
        rows.append((found.effect, found.ci_low, found.ci_high, found.p_value))
    table = np.array(rows)
    return table[:, 0], table[:, 1:3], table[:, 3]


@pytest.mark.parametrize("method", list(RUNS))
def test_intervals_cover_and_estimates_are_unbiased(method: str) -> None:
    effects, ci, _ = _runs(method, EFFECT, RUNS[method])
    coverage = np.mean((ci[:, 0] <= EFFECT) & (ci[:, 1] >= EFFECT))
    assert coverage >= 0.85
    # The interval's half width against the spread the estimates really have.
    ratio = np.mean(ci[:, 1] - ci[:, 0]) / (2 * 1.96 * effects.std(ddof=1))
    assert 0.75 < ratio < 1.4
    assert abs(effects.mean() - EFFECT) < 0.1 * EFFECT


@pytest.mark.parametrize("method", ["synthetic-control", "did"])
def test_with_no_effect_the_test_rarely_rejects(method: str) -> None:
    # sdid's p-value is its interval's (normal, placebo variance): covered above.
    _, _, p = _runs(method, 0.0, RUNS[method])
    assert np.mean(p < 0.05) <= 0.12


def test_the_naive_difference_is_not_calibrated() -> None:
    # The common random walk moves every scope: before/after alone counts it as effect.
    covered = []
    for seed in range(30):
        frame, treated = simulate(1000 + seed, EFFECT)
        naive = estimate_effect(
            frame, treated=treated, start=WEEK_DATES[START], method="did", placebos=20
        ).naive
        covered.append(naive.ci_low <= EFFECT <= naive.ci_high)
    assert np.mean(covered) < 0.6
