"""Synthetic bank at scale: time, throughput, peak memory and file sizes, beside a baseline.

Ours: :func:`smartmoves.data.synth.synthesize_bank` (vectorized NumPy per chunk of a
million events, Parquet row groups, bounded memory). Baseline: the same event model
drawn row by row in plain Python and written with the csv module, run on a small slice
and extrapolated to the full event count.

    python benchmarks/synth_scale.py                      # 100,000 people, 100 M events
    python benchmarks/synth_scale.py --events 10000000    # 10 M events
    python benchmarks/synth_scale.py --people 2000 --events 1300000 --keep out/

Peak memory is sampled from /proc/self/status (VmRSS) every 50 ms while ours runs, and
read from getrusage (max RSS of the process) before the baseline starts.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import resource
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from smartmoves.data.synth import synthesize_bank
from smartmoves.data.synth.activities import draw_allocations
from smartmoves.data.synth.events_model import EventModel, build_event_model, plant_brokers
from smartmoves.data.synth.org import build_org
from smartmoves.data.synth.pilot import plan_pilot


class RssSampler(threading.Thread):
    """Highest resident set size seen while running (MB)."""

    def __init__(self, every: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.every, self.peak, self.done = every, 0.0, threading.Event()

    @staticmethod
    def rss_mb() -> float:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, self.rss_mb())
            self.done.wait(self.every)

    def stop(self) -> float:
        self.done.set()
        self.join()
        return max(self.peak, self.rss_mb())


def progress_printer() -> Callable[[str, int, int], None]:
    """Print a line when a stage starts or ends, and every 5% of the events."""
    shown: dict[str, float] = {}

    def report(stage: str, done: int, total: int) -> None:
        share = done / total if total else 1.0
        if share - shown.get(stage, -1.0) < 0.05 and done != total:
            return
        shown[stage] = share
        print(f"  {stage:<13} {done:>13,} / {total:,}", file=sys.stderr, flush=True)

    return report


def run_ours(out: Path, people: int, weeks: int, events: int, seed: int) -> dict[str, float]:
    report = progress_printer()
    sampler = RssSampler()
    before = sampler.rss_mb()
    sampler.start()
    start = time.perf_counter()
    summary = synthesize_bank(
        out, people=people, weeks=weeks, seed=seed, events=events, progress=report
    )
    seconds = time.perf_counter() - start
    peak = sampler.stop()
    sizes = {p.name: p.stat().st_size for p in sorted(out.iterdir())}
    print(f"\nours: {summary.people:,} people, {summary.events:,} events, {weeks} weeks")
    print(f"  time            {seconds:10.1f} s")
    print(f"  events/s        {summary.events / seconds:12,.0f}")
    print(f"  peak RSS        {peak:10.0f} MB (sampled; {before:.0f} MB before starting)")
    for name, size in sizes.items():
        print(f"  {name:<22}{size / 1e6:12.1f} MB")
    print(f"  {'total':<22}{sum(sizes.values()) / 1e6:12.1f} MB")
    return {"seconds": seconds, "events": float(summary.events), "peak_mb": peak}


def baseline_rows(model: EventModel, path: Path, events: int, seed: int) -> None:
    """The same model, one event at a time: Python's random and the csv module."""
    rnd = random.Random(seed)
    cum_weights = model.sender_cum.tolist()  # precomputed, so each draw is a bisection
    people = list(range(model.n_people))
    ids = model.ids.to_pylist()
    topics = model.topics.to_pylist()
    scopes = model.scope_flat.reshape(-1, 5) - np.arange(len(model.scope_flat) // 5)[:, None]
    partners = model.partner_flat.reshape(-1, len(model.unit_size))
    partners = partners - np.arange(len(partners))[:, None]
    channels = ("email", "chat", "meeting", "call")
    start = dt.datetime(2024, 1, 1, 7)
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(
            ["timestamp", "sender_id", "recipient_ids", "channel", "duration_minutes", "topic"]
        )
        for _ in range(events):
            s = rnd.choices(people, cum_weights=cum_weights)[0]
            unit = int(model.unit_of[s])
            channel = rnd.choices(range(4), (0.45, 0.35, 0.12, 0.08))[0]
            k = 1 + min(int(rnd.expovariate(1.0)), 6)
            recipients: set[int] = set()
            for _ in range(k):
                scope = int(np.searchsorted(scopes[model.profile[s]], rnd.random(), "right"))
                if scope == 0:
                    r = int(model.team_start[s]) + rnd.randrange(int(model.team_size[s]))
                elif scope == 2:
                    u = int(np.searchsorted(partners[model.profile[s]], rnd.random(), "right"))
                    r = int(model.unit_start[u]) + rnd.randrange(int(model.unit_size[u]))
                elif scope == 4 and model.ext_len[unit]:
                    r = (
                        model.n_people
                        + int(model.ext_start[unit])
                        + rnd.randrange(int(model.ext_len[unit]))
                    )
                else:
                    r = int(model.unit_start[unit]) + rnd.randrange(int(model.unit_size[unit]))
                if r != s:
                    recipients.add(r)
            stamp = start + dt.timedelta(days=rnd.randrange(5), seconds=rnd.randrange(43200))
            out.writerow(
                [
                    stamp.isoformat(),
                    ids[s],
                    ";".join(ids[r] for r in sorted(recipients)),
                    channels[channel],
                    rnd.randint(1, 60),
                    topics[rnd.randrange(len(topics))],
                ]
            )


def run_baseline(people: int, events: int, slice_events: int, seed: int, folder: Path) -> float:
    org = build_org(people, np.random.default_rng([seed, 1]))
    inventory = draw_allocations(org, np.random.default_rng([seed, 2]))
    pilot = plan_pilot(org, inventory, 26, np.random.default_rng([seed, 3]))
    model = build_event_model(org, plant_brokers(org, np.random.default_rng(4), pilot.volunteers))
    start = time.perf_counter()
    baseline_rows(model, folder / "baseline.csv", slice_events, seed)
    seconds = time.perf_counter() - start
    rate = slice_events / seconds
    print(f"\nbaseline (row by row, pure Python + csv): {slice_events:,} events in {seconds:.1f} s")
    print(f"  events/s        {rate:12,.0f}")
    print(f"  extrapolated    {events / rate:10.0f} s for {events:,} events")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=100_000_000)
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--baseline-events", type=int, default=100_000)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--keep", type=Path, help="write here and keep the files")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="synth_scale_"))
    out = args.keep or folder / "bank"
    try:
        ours = run_ours(out, args.people, args.weeks, args.events, args.seed)
        rusage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  max RSS (getrusage) {rusage:6.0f} MB")
        if not args.no_baseline:
            rate = run_baseline(args.people, args.events, args.baseline_events, args.seed, folder)
            ratio = (ours["events"] / ours["seconds"]) / rate
            print(f"\nours / baseline throughput: {ratio:,.0f}x")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
