"""Insight flags at scale: 10,000 weekly series of two years scanned, beside a plain loop.

    python benchmarks/insights_scan.py                      # 10,000 series, 2 workers
    python benchmarks/insights_scan.py --series 2000 --workers 1 --sample 200

The series are seeded: a yearly season of random size, white noise, and in one series
of ten a level shift of 1.5 to 3 noise SDs (most metrics, most weeks, do not change).
Three runs are timed, each from the frame to the flags:

- ``scan`` with ``--workers`` processes (the product's call);
- ``scan`` with one process;
- a plain loop: every series in turn through ``ruptures``' own PELT with the l2 cost
  (pure Python) and the same penalty, no season, no prefilter, no second process. It is
  timed on ``--sample`` series and scaled up to all of them (said in its line).

The planted shifts give precision and recall within two weeks for the scan beside it.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import pandas as pd

from smartmoves.engines.insights import scan

WEEKS = 104


def series(count: int, seed: int) -> tuple[pd.DataFrame, dict[str, int]]:
    rng = np.random.default_rng(seed)
    t = np.arange(WEEKS)
    values = 100 + rng.normal(0, 1, (count, WEEKS))
    size = rng.uniform(0, 3, (count, 1))
    values += size * np.sin(2 * np.pi * t / 52.18 + rng.uniform(0, 2 * np.pi, (count, 1)))
    truth: dict[str, int] = {}
    for i in np.flatnonzero(rng.random(count) < 0.1):
        at = int(rng.integers(12, WEEKS - 12))
        values[i, at:] += rng.uniform(1.5, 3) * rng.choice([-1, 1])
        truth[f"s{i}"] = at
    dates = pd.date_range("2024-01-01", periods=WEEKS, freq="7D")
    frame = pd.DataFrame(
        {
            "metric_id": "m",
            "scope": "unit",
            "scope_id": np.repeat([f"s{i}" for i in range(count)], WEEKS),
            "date": np.tile(dates, count),
            "value": values.ravel(),
        }
    )
    return frame, truth


def plain_loop(frame: pd.DataFrame) -> int:
    """ruptures' PELT (l2), series by series, penalty from the same noise estimate."""
    import ruptures as rpt

    flags = 0
    for _, group in frame.groupby("scope_id", sort=False):
        y = group["value"].to_numpy()
        sigma = 1.4826 * np.median(np.abs(np.diff(y) - np.median(np.diff(y)))) / np.sqrt(2)
        pen = 2 * 1.25 * np.log(len(y)) * sigma**2
        flags += len(rpt.Pelt(model="l2", min_size=5, jump=1).fit(y).predict(pen=pen)) - 1
    return flags


def quality(found: object, truth: dict[str, int]) -> tuple[float, float]:
    weeks = {
        d.date().isoformat(): i
        for i, d in enumerate(pd.date_range("2024-01-01", periods=WEEKS, freq="7D"))
    }
    shifts = [(f.scope_id, weeks[f.date]) for f in found.flags if f.kind == "level_shift"]  # type: ignore[attr-defined]
    hits = [sid in truth and abs(w - truth[sid]) <= 2 for sid, w in shifts]
    found_ids = {sid for (sid, _), hit in zip(shifts, hits, strict=True) if hit}
    return sum(hits) / max(len(shifts), 1), len(found_ids) / max(len(truth), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    frame, truth = series(args.series, args.seed)
    print(f"{args.series} series x {WEEKS} weeks, {len(truth)} with a planted shift, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    runs = [("scan", args.workers), ("scan", 1)] if args.workers > 1 else [("scan", 1)]
    for name, workers in runs:
        start, cpu = time.perf_counter(), time.process_time()
        found = scan(frame, workers=workers)
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
        precision, recall = quality(found, truth)
        # A busy machine stretches the wall time; one process' CPU time says what the
        # scan itself costs (with workers, the children's CPU is not counted here).
        print(f"{name}, {workers} worker(s): {took:6.1f} s ({cpu:.1f} s CPU in this process), "
              f"{len(found.flags)} flags, level shifts precision {precision:.3f} "
              f"recall {recall:.3f}")  # fmt: skip
    ids = frame["scope_id"].unique()[: args.sample]
    sample = frame[frame["scope_id"].isin(ids)]
    start, cpu = time.perf_counter(), time.process_time()
    plain_loop(sample)
    scale = args.series / len(ids)
    took, cpu = (time.perf_counter() - start) * scale, (time.process_time() - cpu) * scale
    print(f"plain loop (ruptures Pelt l2, 1 process): {took:6.1f} s ({cpu:.1f} s CPU; "
          f"timed on {len(ids)} series, scaled to {args.series})")  # fmt: skip


if __name__ == "__main__":
    main()
