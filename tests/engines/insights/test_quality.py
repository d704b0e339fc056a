"""How well the flags find planted shifts, on seeded synthetic weeks and on a real river.

The synthetic series are made here, not by the product's generator: two years of weeks
with a yearly season of random shape and size (up to 3 noise SDs), white noise, and in
three series of five one level shift of 1.5 to 3 noise SDs, at least 12 weeks from
either end. A flag counts when it falls within two weeks of a planted shift; precision
is the share of flags that do, recall the share of shifts found.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smartmoves.engines.insights import scan

WEEKS = pd.date_range("2024-01-01", periods=104, freq="7D")


def planted(series: int, seed: int) -> tuple[pd.DataFrame, dict[str, int]]:
    rng = np.random.default_rng(seed)
    t = np.arange(len(WEEKS))
    frames, truth = [], {}
    for i in range(series):
        size, phase = rng.uniform(0, 3), rng.uniform(0, 2 * np.pi)
        season = size * np.sin(2 * np.pi * t / 52.18 + phase) + 0.5 * size * np.cos(
            4 * np.pi * t / 52.18 + phase
        )
        values = 100 + season + rng.normal(0, 1, len(t))
        if rng.random() < 0.6:
            at = int(rng.integers(12, len(t) - 12))
            values[at:] += rng.uniform(1.5, 3) * rng.choice([-1, 1])
            truth[f"s{i}"] = at
        frames.append(
            pd.DataFrame({"metric_id": "m", "scope": "unit", "scope_id": f"s{i}",
                          "date": WEEKS, "value": values})
        )  # fmt: skip
    return pd.concat(frames, ignore_index=True), truth


def score(flags: list[tuple[str, int]], truth: dict[str, int]) -> tuple[float, float]:
    """(precision, recall) of (scope_id, week) flags within two weeks."""
    hits = [sid in truth and abs(week - truth[sid]) <= 2 for sid, week in flags]
    found = {sid for (sid, week), hit in zip(flags, hits, strict=True) if hit}
    precision = sum(hits) / len(flags) if flags else 0.0
    return precision, len(found) / len(truth)


@pytest.fixture(scope="module")
def scanned() -> tuple[list[tuple[str, int]], dict[str, int]]:
    data, truth = planted(240, seed=11)
    weeks = {d.date().isoformat(): i for i, d in enumerate(WEEKS)}
    found = scan(data, kinds=["level_shift"])
    return [(f.scope_id, weeks[f.date]) for f in found.flags], truth


@pytest.mark.slow
def test_planted_shifts_are_found_with_precision_and_recall_over_080(
    scanned: tuple[list[tuple[str, int]], dict[str, int]],
) -> None:
    flags, truth = scanned
    precision, recall = score(flags, truth)
    assert precision >= 0.8, precision
    assert recall >= 0.8, recall


@pytest.mark.slow
def test_a_detector_three_weeks_late_or_flagging_everything_fails_the_same_bar(
    scanned: tuple[list[tuple[str, int]], dict[str, int]],
) -> None:
    flags, truth = scanned
    late = [(sid, week + 3) for sid, week in flags]
    assert score(late, truth)[1] < 0.8
    everywhere = [(f"s{i}", 52) for i in range(240)]
    assert score(everywhere, truth)[0] < 0.8


def test_the_nile_falls_in_1898() -> None:
    """The Nile's yearly flow at Aswan, 1871-1970, dropped about 1898 (the Aswan dam's
    first works; Cobb 1978): the classic annotated change point."""
    nile = pytest.importorskip("statsmodels.datasets.nile").load_pandas().data
    data = pd.DataFrame(
        {"metric_id": "flow", "scope": "market", "scope_id": "aswan",
         "date": pd.to_datetime(nile["year"].astype(int).astype(str) + "-01-01"),
         "value": nile["volume"]}
    )  # fmt: skip
    shifts = [f for f in scan(data).flags if f.kind == "level_shift"]
    assert len(shifts) == 1
    assert abs(pd.Timestamp(shifts[0].date).year - 1898) <= 2
    assert shifts[0].magnitude < -200  # about 1,100 before, 850 after
