"""``estimate_effect``: pick a method, fit it, make its interval, say what to doubt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from smartmoves.engines._common import check_seed
from smartmoves.engines.impact._did import (
    FEW_TREATED,
    cluster_se,
    did_fit,
    permuted_effects,
    t_interval,
)
from smartmoves.engines.impact._panel import Panel, build_panel
from smartmoves.engines.impact._result import (
    EffectEstimate,
    Period,
    naive_difference,
    pre_trend,
)
from smartmoves.engines.impact._sdid import Fit, placebo_se, sdid_fit
from smartmoves.engines.impact._synth import rmspe_ratio, synth_fit, synth_placebos
from smartmoves.errors import ConfigError, DataError

__all__ = ["METHODS", "estimate_effect"]

METHODS = ("auto", "sdid", "synthetic-control", "did")
# did's randomization inference draws at least this many assignments.
PERMUTATIONS = 2000


def _check(method: object, alpha: object, placebos: object) -> None:
    if method not in METHODS:
        raise ConfigError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not 0 < alpha < 0.5:
        raise ConfigError(f"alpha must be a number between 0 and 0.5, not {alpha!r}")
    if isinstance(placebos, bool) or not isinstance(placebos, int) or placebos < 20:
        raise ConfigError(f"placebos must be a whole number >= 20, not {placebos!r}")


def _choose(method: str, panel: Panel) -> tuple[str, str]:
    n0, n1, t0 = panel.n0, panel.n1, panel.t0
    weighable = n0 > n1 and t0 >= 2
    if method == "auto":
        if weighable:
            return "sdid", (
                f"sdid: {n0} controls for {n1} treated scope(s), enough to weight controls "
                "and dates to match the treated before the start and to draw placebos"
            )
        return "did", (
            f"did: {n0} controls for {n1} treated scope(s) and {t0} date(s) before the "
            "start are too few to weight, so every control counts alike"
        )
    if method in ("sdid", "synthetic-control") and not weighable:
        raise DataError(
            f"{method} needs more controls than treated scopes and two dates before the "
            f"start (there are {n0} controls, {n1} treated, {t0} dates): try --method did"
        )
    return method, f"{method}: asked for"


def _quantile_interval(effect: float, placebo: np.ndarray, alpha: float) -> tuple[float, float]:
    """The effect minus the placebo effects' upper and lower quantiles."""
    high, low = np.quantile(placebo, [1 - alpha / 2, alpha / 2])
    return effect - float(high), effect - float(low)


def _infer(
    method: str, panel: Panel, fit: Fit, alpha: float, seed: int, placebos: int
) -> tuple[float, float, float, str]:
    y, n0, t0, n1 = panel.y, panel.n0, panel.t0, panel.n1
    if method == "sdid":
        se = placebo_se(y, n0, t0, placebos, seed)
        z = float(stats.norm.ppf(1 - alpha / 2))
        p = float(2 * stats.norm.sf(abs(fit.effect) / se)) if se > 0 else float("nan")
        how = f"placebo variance (Algorithm 4, {placebos} draws), normal interval"
        return fit.effect - z * se, fit.effect + z * se, p, how
    if method == "synthetic-control":
        effects, ratios = synth_placebos(y, n0, t0, placebos, seed)
        low, high = _quantile_interval(fit.effect, effects, alpha)
        ratio = rmspe_ratio(y, fit, n0, t0)
        by_ratio = (1 + int((ratios >= ratio).sum())) / (1 + len(ratios))
        # Abadie's rank of the post/pre RMSPE ratio over-rejects here (11% at 5% with no
        # effect, benchmarks/impact_calibration.py): the treated fit has more donors than
        # any placebo's, so a smaller pre-period error. The effect's rank does not (6%),
        # and agrees with the interval.
        extreme = int((np.abs(effects) >= abs(fit.effect) - 1e-12).sum())
        p = (1 + extreme) / (1 + len(effects))
        how = (
            f"in-space placebos ({len(ratios)}): p from the rank of the effect among theirs "
            f"(by Abadie's post/pre RMSPE ratio it would be {by_ratio:.3g})"
        )
        return low, high, p, how
    if n1 < FEW_TREATED and n0 > n1:
        # A permutation costs a few sums, and an interval's ends are tail quantiles:
        # take plenty of them.
        draws = max(placebos, PERMUTATIONS)
        everyone, every = permuted_effects(y, n1, t0, draws, seed)
        among_controls, _ = permuted_effects(y[:n0], n1, t0, draws, seed)
        low, high = _quantile_interval(fit.effect, among_controls, alpha)
        extreme = int((np.abs(everyone) >= abs(fit.effect) - 1e-12).sum())
        # Every assignment includes the actual one; drawn ones count it once more.
        p = extreme / len(everyone) if every else (1 + extreme) / (1 + len(everyone))
        how = f"randomization inference ({len(everyone)} assignments of the treated scopes)"
        return low, high, p, how
    se, df = cluster_se(y, n0, t0, fit.effect)
    low, high, p = t_interval(fit.effect, se, df, alpha)
    return low, high, p, f"cluster-robust (by scope) errors, t with {df} degrees of freedom"


def _warnings(panel: Panel, gap: np.ndarray, trend_p: float, alpha: float) -> list[str]:
    out = list(panel.warnings)
    rmse = float(np.sqrt(np.mean(gap[: panel.t0] ** 2)))
    spread = float(panel.treated_mean()[: panel.t0].std(ddof=1)) if panel.t0 > 1 else 0.0
    if spread > 0 and rmse > spread:
        out.append(
            f"poor pre-period fit: the counterfactual misses the treated mean by {rmse:.3g} "
            f"before the start, more than the treated mean varies ({spread:.3g})"
        )
    if trend_p < alpha:
        out.append(f"pre-trend: the gap drifted before the start (p = {trend_p:.3g})")
    return out


def _periods(panel: Panel, treated: np.ndarray, counterfactual: np.ndarray) -> tuple[Period, ...]:
    return tuple(
        Period(d, k >= panel.t0, float(treated[k]), float(counterfactual[k]),
               float(treated[k] - counterfactual[k]))
        for k, d in enumerate(panel.dates)
    )  # fmt: skip


def estimate_effect(
    frame: pd.DataFrame,
    *,
    treated: Sequence[str],
    start: str | dt.date,
    method: str = "auto",
    alpha: float = 0.05,
    seed: int = 0,
    placebos: int = 200,
) -> EffectEstimate:
    """The pilot's effect on one metric: treated scopes against a counterfactual.

    Parameters
    ----------
    frame : pandas.DataFrame
        One metric's values: ``scope_id``, ``date``, ``value`` (one per scope and date).
    treated : sequence of str
        The pilot's scope_ids; every other scope is a control.
    start : str or datetime.date
        The first date of the pilot (dates before it are the pre-period).
    method : {"auto", "sdid", "synthetic-control", "did"}
        ``auto`` takes sdid when there are more controls than treated scopes, else did.
    alpha : float
        The interval is ``1 - alpha``; between 0 and 0.5.
    seed : int
        Seeds the placebo draws and permutations.
    placebos : int
        Placebo draws (sdid, synthetic control) or permutations (did, at least 2,000);
        at least 20.

    Returns
    -------
    EffectEstimate

    Raises
    ------
    ConfigError
        An unknown method, an alpha outside (0, 0.5), too few placebos, a bad seed.
    DataError
        No treated scope in the frame, a start outside the data, a scope with two
        values on one date, a method the panel cannot support.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> weeks = pd.date_range("2026-01-05", periods=20, freq="7D")
    >>> rows = [(f"s{i}", w, 10 + i + 0.1 * k + rng.normal(0, 0.3) + 2 * (i in (5, 6) and k > 13))
    ...         for i in range(12) for k, w in enumerate(weeks)]
    >>> frame = pd.DataFrame(rows, columns=["scope_id", "date", "value"])
    >>> found = estimate_effect(frame, treated=["s5", "s6"], start=weeks[14], placebos=50)
    >>> found.method, round(found.effect), found.ci_low < 2 < found.ci_high
    ('sdid', 2, True)
    """
    _check(method, alpha, placebos)
    seed = check_seed(seed)
    panel = build_panel(frame, treated, start)
    chosen, why = _choose(method, panel)
    fitter = {"sdid": sdid_fit, "synthetic-control": synth_fit, "did": did_fit}[chosen]
    fit = fitter(panel.y, panel.n0, panel.t0)
    low, high, p, how = _infer(chosen, panel, fit, float(alpha), seed, placebos)
    treated_mean = panel.treated_mean()
    gap = treated_mean - fit.counterfactual
    trend = pre_trend(gap[: panel.t0])
    controls = panel.scopes[: panel.n0]
    omega = [float(w) for w in fit.omega]
    pre_dates = [d.isoformat() for d in panel.dates[: panel.t0]]
    lam = [] if fit.lam is None else [float(w) for w in fit.lam]
    return EffectEstimate(
        method=chosen,
        why=why,
        effect=fit.effect,
        ci_low=low,
        ci_high=high,
        p_value=p,
        alpha=float(alpha),
        inference=how,
        n_treated=panel.n1,
        n_controls=panel.n0,
        n_pre=panel.t0,
        n_post=panel.t1,
        pre_fit_rmse=float(np.sqrt(np.mean(gap[: panel.t0] ** 2))),
        pre_trend=trend,
        naive=naive_difference(treated_mean, panel.t0, float(alpha)),
        periods=_periods(panel, treated_mean, fit.counterfactual),
        unit_weights={} if chosen == "did" else dict(zip(controls, omega, strict=True)),
        time_weights={} if fit.lam is None else dict(zip(pre_dates, lam, strict=True)),
        warnings=tuple(_warnings(panel, gap, trend.p_value, float(alpha))),
    )
