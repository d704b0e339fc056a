"""Calibration of the pilot's effect (issue 16): on seeded panels of 30 scopes x 52
weeks, 4 treated from week 36 (scope effects, a common random-walk week effect, AR(1)
noise), how often each method's 95% interval covers the planted effect, its bias, and how
often its 5% test rejects when nothing was planted; the naive before/after difference of
the treated scopes is the baseline beside them.

    .venv/bin/python benchmarks/impact_calibration.py [--sims 300] [--effect 2.0] [--jobs 1]

The panels are those of ``tests/engines/impact/impact_panels.py`` (the calibration test
runs fewer of them). Targets: coverage 92-98%, |bias| under 5% of the effect, false
positives at most 8%.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "engines" / "impact"))

from impact_panels import START, WEEK_DATES, simulate

from smartmoves.engines.impact import estimate_effect

METHODS = ("sdid", "synthetic-control", "did")


def _one(job: tuple[int, float, tuple[str, ...]]) -> dict[str, tuple[float, float, float, float]]:
    """Every method's (effect, ci_low, ci_high, p) on one panel, and the naive one's."""
    seed, effect, methods = job
    frame, treated = simulate(seed, effect)
    out = {}
    for method in methods:
        found = estimate_effect(
            frame, treated=treated, start=WEEK_DATES[START], method=method, seed=seed
        )
        out[method] = (found.effect, found.ci_low, found.ci_high, found.p_value)
    naive = found.naive
    out["naive before/after"] = (naive.effect, naive.ci_low, naive.ci_high, naive.p_value)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sims", type=int, default=300)
    parser.add_argument("--effect", type=float, default=2.0)
    parser.add_argument("--jobs", type=int, default=1, help="processes (spawned)")
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    args = parser.parse_args()
    methods = tuple(args.methods)
    began = time.perf_counter()
    jobs = [(seed, args.effect, methods) for seed in range(args.sims)]
    jobs += [(100_000 + seed, 0.0, methods) for seed in range(args.sims)]
    if args.jobs > 1:
        with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
            runs = pool.map(_one, jobs, chunksize=10)
    else:
        runs = [_one(job) for job in jobs]
    planted, null = runs[: args.sims], runs[args.sims :]
    print(
        f"{args.sims} simulations per method, effect {args.effect} "
        f"(AR(1) noise sd 1.15), {time.perf_counter() - began:.0f} s on {args.jobs} process(es)"
    )
    print("| method | coverage | bias (% of effect) | sd of estimate | mean CI width | "
          "false positives (no effect) |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- |")
    for method in (*methods, "naive before/after"):
        runs = np.array([p[method] for p in planted])
        nulls = np.array([p[method] for p in null])
        cover = np.mean((runs[:, 1] <= args.effect) & (args.effect <= runs[:, 2]))
        bias = 100 * (runs[:, 0].mean() - args.effect) / args.effect
        width = np.mean(runs[:, 2] - runs[:, 1])
        false = np.mean(nulls[:, 3] < 0.05)
        print(
            f"| {method} | {cover:.1%} | {bias:+.1f}% | {runs[:, 0].std(ddof=1):.3f} | "
            f"{width:.3f} | {false:.1%} |"
        )


if __name__ == "__main__":
    main()
