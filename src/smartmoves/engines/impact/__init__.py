"""The pilot's effect: treated scopes against a counterfactual built from the others.

Three methods (``docs/impact.md``): synthetic difference-in-differences (Arkhangelsky
et al. 2021) with placebo variance, synthetic control (Abadie et al. 2010) with in-space
placebos, and two-way fixed-effects difference-in-differences with cluster-robust errors
or, when few scopes are treated, randomization inference.

>>> import pandas as pd
>>> weeks = pd.date_range("2026-01-05", periods=8, freq="7D")
>>> frame = pd.DataFrame([(s, w, 10.0 + i + k + (3 if s == "a" and k >= 5 else 0))
...                       for i, s in enumerate("abcdef") for k, w in enumerate(weeks)],
...                      columns=["scope_id", "date", "value"])
>>> found = estimate_effect(frame, treated=["a"], start=weeks[5], method="did")
>>> round(found.effect, 6), round(found.naive.effect, 1)
(3.0, 7.0)
"""

from smartmoves.engines.impact._estimate import METHODS, estimate_effect
from smartmoves.engines.impact._result import (
    EffectEstimate,
    NaiveDifference,
    Period,
    PreTrend,
)

__all__ = ["METHODS", "EffectEstimate", "NaiveDifference", "Period", "PreTrend", "estimate_effect"]
