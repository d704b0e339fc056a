"""Run the benchmarks, each printing our figures beside its baseline.

    python benchmarks/run.py            # quick: a few minutes, smaller sizes
    python benchmarks/run.py --full     # the sizes the issues name (tens of minutes)
    python benchmarks/run.py network    # one benchmark

Those in FULL_ONLY (over a minute even at their quickest) run with --full or when named.

Benchmarks never run in the test suite: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = HERE.parents[1] / "shared" / "data" / "onet-exposure" / "tasks_train.tsv"

# name -> (quick arguments, full arguments)
BENCHMARKS: dict[str, tuple[list[str], list[str]]] = {
    "synth_scale": (
        ["--people", "20000", "--events", "5000000", "--baseline-events", "200000"],
        ["--people", "100000", "--events", "100000000"],
    ),
    "consolidation": (["--quick"], []),
    "workgroups": (["--quick"], []),
    "network": (
        ["--people", "10000", "--events", "1000000"],
        ["--people", "50000", "--events", "50000000", "--no-baseline"],
    ),
    "network_sizes": (["--sizes", "2000:1300000"], []),
    "exposure_quality": (["--folds", "3", str(LABELS)], [str(LABELS)]),
    "connect_page": (["--repeat", "1"], ["--repeat", "5"]),
    "request_cpu": (["--rounds", "5"], ["--rounds", "20", "--repeat", "3"]),
    "load": (["--duration", "10"], ["--duration", "30"]),
}
# A server started per store, fifty logins, a warm-up and two measured runs per store.
FULL_ONLY = {"load"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"which: {', '.join(BENCHMARKS)}")
    parser.add_argument("--full", action="store_true", help="the issues' sizes")
    args = parser.parse_args()
    names = args.names or [n for n in BENCHMARKS if args.full or n not in FULL_ONLY]
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    failed = []
    for name in names:
        quick, full = BENCHMARKS[name]
        command = [sys.executable, str(HERE / f"{name}.py"), *(full if args.full else quick)]
        print(f"\n=== {name}: {' '.join(command[1:])}", flush=True)
        started = time.perf_counter()
        if subprocess.run(command, check=False).returncode != 0:
            failed.append(name)
        print(f"=== {name}: {time.perf_counter() - started:.0f} s", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
