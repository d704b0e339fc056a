"""Seeded panels as issue 16 describes them, for the calibration test and its benchmark:
30 scopes x 52 weeks, 4 treated from week 36, scope effects, a common random-walk week
effect and AR(1) noise."""

from __future__ import annotations

import numpy as np
import pandas as pd

SCOPES, WEEKS, TREATED, START = 30, 52, 4, 35  # START is week 36 counted from 1
WEEK_DATES = pd.date_range("2025-01-06", periods=WEEKS, freq="7D")


def simulate(seed: int, effect: float, *, rho: float = 0.5) -> tuple[pd.DataFrame, list[str]]:
    """One panel (scope_id, date, value) and its treated scopes, drawn at random."""
    rng = np.random.default_rng(seed)
    scope = rng.normal(0, 3, SCOPES)[:, None]
    week = np.cumsum(rng.normal(0, 0.5, WEEKS))[None, :]
    shocks = rng.normal(0, 1, (SCOPES, WEEKS))
    noise = np.empty_like(shocks)
    noise[:, 0] = shocks[:, 0] / np.sqrt(1 - rho**2)
    for t in range(1, WEEKS):
        noise[:, t] = rho * noise[:, t - 1] + shocks[:, t]
    y = 50 + scope + week + noise
    treated = rng.choice(SCOPES, size=TREATED, replace=False)
    y[treated, START:] += effect
    ids = [f"s{i:02d}" for i in range(SCOPES)]
    frame = pd.DataFrame(
        {
            "scope_id": np.repeat(ids, WEEKS),
            "date": np.tile(WEEK_DATES, SCOPES),
            "value": y.ravel(),
        }
    )
    return frame, [ids[i] for i in treated]
