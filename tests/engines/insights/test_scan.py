"""Insight flags on known series: a step, a trend, a turn, a spike, and what is refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smartmoves.engines.insights import InsightScan, scan
from smartmoves.errors import ConfigError, DataError

WEEKS = pd.date_range("2025-01-06", periods=104, freq="7D")


def frame(
    values: np.ndarray, *, dates: pd.DatetimeIndex = WEEKS, scope_id: str = "U1"
) -> pd.DataFrame:
    return pd.DataFrame(
        {"metric_id": "orders", "scope": "unit", "scope_id": scope_id,
         "date": dates[: len(values)], "value": values}
    )  # fmt: skip


def noisy(seed: int, n: int = 104) -> np.ndarray:
    t = np.arange(n)
    rng = np.random.default_rng(seed)
    return 100 + 3 * np.sin(2 * np.pi * t / 52.18) + rng.normal(0, 1, n)


def test_a_shift_is_flagged_at_its_week_with_its_size() -> None:
    values = noisy(1)
    values[60:] += 3.0
    found = scan(frame(values))
    shifts = [f for f in found.flags if f.kind == "level_shift"]
    assert len(shifts) == 1
    (shift,) = shifts
    assert abs((pd.Timestamp(shift.date) - WEEKS[60]).days) <= 14
    assert shift.magnitude == pytest.approx(3.0, abs=0.8)
    assert 2 < shift.magnitude_sd < 4.5
    assert shift.confidence > 0.9
    assert "moved up" in shift.explanation and shift.date in shift.explanation


def test_a_quiet_seasonal_series_has_no_flags() -> None:
    # The season (3 noise SDs either way) is not a change.
    assert scan(frame(noisy(2))).flags == ()


def test_a_steady_trend_is_not_a_shift() -> None:
    t = np.arange(80)
    values = 50 + 0.05 * t + np.random.default_rng(3).normal(0, 1, 80)
    assert not [f for f in scan(frame(values)).flags if f.kind == "level_shift"]


def test_a_turn_in_the_trend_is_a_trend_change() -> None:
    t = np.arange(80)
    values = 50 + 0.25 * np.maximum(t - 40, 0) + np.random.default_rng(4).normal(0, 1, 80)
    found = scan(frame(values), kinds=["trend_change"])
    assert [f.kind for f in found.flags] == ["trend_change"]
    (turn,) = found.flags
    # A turn shows slowly (a slope needs weeks to tell), so it is placed less sharply.
    assert abs((pd.Timestamp(turn.date) - WEEKS[40]).days) <= 8 * 7
    assert turn.after - turn.before == pytest.approx(0.25, abs=0.1)
    assert "a week" in turn.explanation


def test_a_spike_is_an_anomaly_not_two_shifts() -> None:
    values = noisy(5)
    values[30] += 8.0
    found = scan(frame(values))
    assert [(f.kind, f.date) for f in found.flags] == [("anomaly", WEEKS[30].date().isoformat())]
    assert found.flags[0].after == pytest.approx(values[30])
    assert found.flags[0].magnitude_sd > 5


def test_any_regular_step_works_monthly_and_yearly() -> None:
    months = pd.date_range("2015-01-01", periods=96, freq="MS")
    t = np.arange(96)
    values = 20 + 2 * np.cos(2 * np.pi * t / 12) + np.random.default_rng(6).normal(0, 0.5, 96)
    values[50:] -= 1.5
    found = scan(frame(values, dates=months))
    assert [f.date for f in found.flags] == [months[50].date().isoformat()]
    years = pd.date_range("1950-01-01", periods=60, freq="YS")
    yearly = np.random.default_rng(7).normal(0, 1, 60) + np.where(np.arange(60) >= 25, 3, 0)
    assert [f.date for f in scan(frame(yearly, dates=years)).flags] == ["1975-01-01"]


def test_a_gap_is_bridged_and_never_flagged() -> None:
    values = noisy(8)
    data = frame(values).drop(index=range(40, 44))
    found = scan(data)
    assert found.flags == ()
    assert found.series == 1


def test_series_are_scanned_apart_and_short_ones_said() -> None:
    shifted = noisy(9)
    shifted[50:] -= 4
    data = pd.concat([frame(noisy(10), scope_id="A"), frame(shifted, scope_id="B"),
                      frame(np.arange(5.0), scope_id="C")])  # fmt: skip
    found = scan(data)
    assert isinstance(found, InsightScan)
    assert {f.scope_id for f in found.flags} == {"B"}
    assert (found.series, found.too_short) == (3, 1)
    assert "fewer than 8" in found.warnings[0]
    assert list(found.to_frame().columns)[:5] == ["metric_id", "scope", "scope_id", "date", "kind"]


def test_workers_give_the_same_flags() -> None:
    many = pd.concat([frame(noisy(s) + (s % 3) * (np.arange(104) >= 50), scope_id=f"s{s}")
                      for s in range(40)])  # fmt: skip
    one = scan(many)
    from smartmoves.engines.insights import _scan

    original = _scan._PARALLEL_FROM
    _scan._PARALLEL_FROM = 10
    try:
        two = scan(many, workers=2)
    finally:
        _scan._PARALLEL_FROM = original
    assert one.to_dict() == two.to_dict()


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"min_confidence": 1.5}, "min_confidence"),
        ({"min_confidence": "high"}, "min_confidence"),
        ({"kinds": ["shift"]}, "kinds"),
        ({"kinds": "anomaly"}, "kinds"),
        ({"kinds": []}, "kinds"),
        ({"workers": 0}, "workers"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_options_are_refused(options: dict[str, object], words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        scan(frame(noisy(0)), **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda f: f.drop(columns="value"), "lacks column"),
        (lambda f: f.assign(date=["soon", *f["date"].iloc[1:]]), "not a date"),
        (lambda f: f.assign(value=["many", *f["value"].iloc[1:]]), "not a number"),
        (lambda f: pd.concat([f, f.iloc[:1]]), "two values"),
    ],
)
def test_bad_frames_say_what_is_wrong(change: object, words: str) -> None:
    with pytest.raises(DataError, match=words):
        scan(change(frame(noisy(0))))  # type: ignore[operator]
