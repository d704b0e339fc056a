"""What an effect estimate answers: the effect, its interval, and how far to trust it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from smartmoves.engines._common import EngineResult

__all__ = ["EffectEstimate", "NaiveDifference", "Period", "PreTrend", "naive_difference"]


@dataclass(frozen=True)
class Period(EngineResult):
    """One date: the treated scopes' mean, what it would have been, and their gap."""

    date: dt.date
    post: bool
    treated: float
    counterfactual: float
    effect: float


@dataclass(frozen=True)
class PreTrend(EngineResult):
    """A straight line through the pre-period gaps: a slope far from zero says the
    counterfactual was already drifting away before the start."""

    slope: float
    p_value: float


@dataclass(frozen=True)
class NaiveDifference(EngineResult):
    """The treated scopes' mean after the start minus before it, with a Welch interval
    over the weeks: what a reader would compute without controls."""

    effect: float
    ci_low: float
    ci_high: float
    p_value: float


@dataclass(frozen=True)
class EffectEstimate(EngineResult):
    """The pilot's effect on one metric, in the metric's units per date.

    ``inference`` says how the interval was made; ``unit_weights`` (controls) and
    ``time_weights`` (pre-period dates) are empty where the method has none.
    """

    method: str
    why: str
    effect: float
    ci_low: float
    ci_high: float
    p_value: float
    alpha: float
    inference: str
    n_treated: int
    n_controls: int
    n_pre: int
    n_post: int
    pre_fit_rmse: float
    pre_trend: PreTrend
    naive: NaiveDifference
    periods: tuple[Period, ...]
    unit_weights: dict[str, float]
    time_weights: dict[str, float]
    warnings: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per date: treated mean, counterfactual, gap, and whether it is after."""
        return pd.DataFrame([p.to_dict() for p in self.periods])


def naive_difference(series: np.ndarray, t0: int, alpha: float) -> NaiveDifference:
    """After minus before on one series, Welch's t interval (weeks as if independent)."""
    before, after = series[:t0], series[t0:]
    effect = float(after.mean() - before.mean())
    v0 = before.var(ddof=1) / len(before) if len(before) > 1 else 0.0
    v1 = after.var(ddof=1) / len(after) if len(after) > 1 else 0.0
    se = float(np.sqrt(v0 + v1))
    if se == 0 or len(before) < 2 or len(after) < 2:
        return NaiveDifference(effect, effect, effect, float("nan"))
    df = (v0 + v1) ** 2 / (v0**2 / (len(before) - 1) + v1**2 / (len(after) - 1))
    q = float(stats.t.ppf(1 - alpha / 2, df))
    p = float(2 * stats.t.sf(abs(effect) / se, df))
    return NaiveDifference(effect, effect - q * se, effect + q * se, p)


def pre_trend(gap: np.ndarray) -> PreTrend:
    """OLS slope of the pre-period gaps on the date's index, with its t-test p-value."""
    if len(gap) < 3 or np.ptp(gap) == 0:
        return PreTrend(0.0, float("nan") if len(gap) < 3 else 1.0)
    fit = stats.linregress(np.arange(len(gap), dtype=float), gap)
    return PreTrend(float(fit.slope), float(fit.pvalue))
