"""The metric tree and its weekly history, with known drivers and a planted pilot effect.

Frontline metrics are tracked per unit (and, in the entry point, per team); each is
``base + scope offset + trend + seasonality + a shared weekly shock + noise``. The org
value of a frontline metric is the headcount-weighted mean of its units. Each operating
metric is ``base + sum(coefficient * (child - child base)) + noise`` over its children's
org values, and each financial metric the same over its operating metrics: the
coefficients are what a driver engine should recover (truth.json ``metric_drivers``).
From the pilot's start week the pilot teams' frontline metrics move by a known amount.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from smartmoves.data.synth.org import Org
from smartmoves.data.synth.pilot import Pilot
from smartmoves.data.synth.spec import START, UNITS

__all__ = ["METRICS", "MetricHistory", "MetricSpec", "metric_history", "metrics_frame"]


@dataclass(frozen=True)
class MetricSpec:
    """One metric. ``tracked_by`` names unit families (frontline only); ``coefficient``
    is its effect on its parent per unit of this metric; ``lift`` a plausible change a
    pilot could make; ``effect`` the change planted in the pilot teams (0 = none)."""

    metric_id: str
    name: str
    level: str
    parent_id: str
    direction: str
    unit: str
    base: float
    noise: float
    coefficient: float = 0.0
    tracked_by: tuple[str, ...] = ()
    spread: float = 0.0
    weekly: float = 0.0
    trend: float = 0.0
    season: float = 0.0
    lift: float = 0.0
    effect: float = 0.0


def _load() -> tuple[MetricSpec, ...]:
    text = resources.files(__package__).joinpath("metrics.json").read_text("utf-8")
    rows = json.loads(text)["metrics"]
    return tuple(
        MetricSpec(**{**r, "tracked_by": (r["tracked_by"],) if "tracked_by" in r else ()})
        for r in rows
    )


METRICS = _load()

# Financial figures grow with the bank: 2,000 people earn the base values above.
SCALE_PEOPLE = 2000


def metrics_frame() -> pd.DataFrame:
    """metrics.csv: the tree, with a plausible lift per frontline metric (what the
    organization thinks a pilot could change it by; an attribute column)."""
    return pd.DataFrame(
        {
            "metric_id": [m.metric_id for m in METRICS],
            "name": [m.name for m in METRICS],
            "level": [m.level for m in METRICS],
            "parent_id": [m.parent_id for m in METRICS],
            "direction": [m.direction for m in METRICS],
            "unit": [m.unit for m in METRICS],
            "lift": [m.lift if m.level == "frontline" else None for m in METRICS],
        }
    )


@dataclass
class MetricHistory:
    """metric_values.csv plus what truth.json says about it."""

    values: pd.DataFrame
    drivers: list[dict[str, Any]]
    scale: float


def _week_dates(weeks: int) -> list[str]:
    return [(START + dt.timedelta(weeks=t)).isoformat() for t in range(weeks)]


def _ar1(rng: np.random.Generator, sd: float, weeks: int, phi: float = 0.6) -> np.ndarray:
    """A stationary AR(1) path with standard deviation ``sd``."""
    out = np.empty(weeks)
    level = rng.normal(0.0, sd)
    for t in range(weeks):
        out[t] = level
        level = phi * level + rng.normal(0.0, sd * np.sqrt(1 - phi**2))
    return out


def metric_history(org: Org, pilot: Pilot, weeks: int, rng: np.random.Generator) -> MetricHistory:
    """Draw the weekly values of every metric at unit, team and org scope."""
    t = np.arange(weeks, dtype=float)
    series: list[tuple[str, str, np.ndarray, np.ndarray]] = []
    org_value: dict[str, np.ndarray] = {}
    by_family = {f: [u for u in UNITS if u.family == f] for f in {u.family for u in UNITS}}
    teams = org.teams[org.teams["unit_id"] == pilot.unit_id]
    team_ids = teams["team_id"].to_numpy().astype(str)
    team_size = teams["size"].to_numpy(dtype=float)
    in_pilot = np.isin(team_ids, pilot.teams)
    after = t >= pilot.start_week if pilot.start_week is not None else np.zeros(weeks, bool)

    def emit(metric: str, scope: str, ids: np.ndarray, values: np.ndarray, digits: int) -> None:
        series.append((metric, scope, ids, np.round(values.reshape(len(ids), weeks), digits)))

    for m in (x for x in METRICS if x.level == "frontline"):
        shared = (
            _ar1(rng, m.weekly, weeks)
            + m.trend * t
            + m.season * np.sin(2 * np.pi * (t + rng.uniform(0, 52)) / 52)
        )
        total, weight = np.zeros(weeks), 0.0
        for spec in by_family[m.tracked_by[0]]:
            size = float(org.unit_size[org.unit_index(spec.unit_id)])
            if spec.unit_id == pilot.unit_id:
                # Tracked per team: the pilot's effect shows against the other teams.
                k = len(team_ids)
                v = m.base + rng.normal(0, m.spread, (k, 1)) + shared
                v = v + rng.normal(0, m.noise, (k, weeks))
                v[in_pilot] += m.effect * after
                emit(m.metric_id, "workgroup", team_ids, v, 2)
                unit_values = team_size @ v / size
            else:
                unit_values = m.base + rng.normal(0, m.spread) + shared
                unit_values = unit_values + rng.normal(0, m.noise, weeks)
            emit(m.metric_id, "unit", np.array([spec.unit_id]), unit_values, 2)
            total += unit_values * size
            weight += size
        org_value[m.metric_id] = total / weight
        emit(m.metric_id, "org", np.array(["U-BANK"]), org_value[m.metric_id], 2)

    scale = org.n / SCALE_PEOPLE
    drivers: list[dict[str, Any]] = []
    for level, digits in (("operating", 2), ("financial", 1)):
        for m in (x for x in METRICS if x.level == level):
            mult = scale if level == "financial" else 1.0
            value = np.full(weeks, m.base * mult) + _ar1(rng, m.noise * mult, weeks, phi=0.3)
            intercept = m.base * mult
            for child in (c for c in METRICS if c.parent_id == m.metric_id):
                coef = child.coefficient * mult
                value += coef * (org_value[child.metric_id] - child.base)
                intercept -= coef * child.base
                drivers.append(
                    {
                        "metric_id": child.metric_id,
                        "parent_id": m.metric_id,
                        "coefficient": round(coef, 6),
                        "scope": "org",
                    }
                )
            org_value[m.metric_id] = value
            emit(m.metric_id, "org", np.array(["U-BANK"]), value, digits)
            for d in drivers:
                if d["parent_id"] == m.metric_id:
                    d["parent_intercept"] = round(intercept, 6)
                    d["parent_noise_sd"] = round(m.noise * mult, 6)
    counts = [len(ids) * weeks for _, _, ids, _ in series]
    values = pd.DataFrame(
        {
            "metric_id": np.repeat([m for m, *_ in series], counts),
            "scope": np.repeat([s for _, s, *_ in series], counts),
            "scope_id": np.concatenate([np.repeat(ids, weeks) for _, _, ids, _ in series]),
            "date": np.tile(_week_dates(weeks), sum(counts) // weeks),
            "value": np.concatenate([v.ravel() for *_, v in series]),
        }
    )
    return MetricHistory(values, drivers, scale)
