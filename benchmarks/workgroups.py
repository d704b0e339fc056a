"""Workgroup formation: smartmoves beside the PyPI package anti-clustering, and the exact gap.

Run from the repository root::

    .venv/bin/python benchmarks/workgroups.py          # all of it (several minutes)
    .venv/bin/python benchmarks/workgroups.py --quick  # fewer exact cases, no N=1000 baseline

anti-clustering is never a dependency of smartmoves: it lives in its own virtualenv,
``benchmarks/.venv-anticlust`` (git-ignored), which this script creates on first run with
``python -m venv`` and ``pip install anti-clustering==0.4.1``. Its methods run in a
subprocess (this same file, in ``--anticlust`` mode, under that venv's Python).

Same objective on both sides. The package min-max scales each numeric column to [0, 1]
and sums Euclidean distances within groups; smartmoves z-scores each numeric column.
Every feature column here is a random permutation of one normal sample, so all columns
share min, max and SD, both scalings are the same affine map on every column, and the two
distance matrices are proportional: the same partitions are best on both sides, and
ratios to random are equal. Both sides' partitions are scored with smartmoves'
``diversity_figures`` on the same data. Timings include distances and search, and are
disturbed by whatever else runs on the machine.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv-anticlust"
PACKAGE = "anti-clustering==0.4.1"
FEATURES = [f"f{i}" for i in range(5)]


def anticlust_mode(method: str, csv: str, groups: int, seed: int) -> None:
    """Run one anti-clustering method (inside the benchmark venv) and print JSON."""
    import anti_clustering
    import pandas as pd

    frame = pd.read_csv(csv)
    solver = getattr(anti_clustering, method)(random_seed=seed)
    start = time.perf_counter()
    out = solver.run(frame, list(frame.columns), None, groups, "group")
    seconds = time.perf_counter() - start
    print(json.dumps({"labels": out["group"].astype(int).tolist(), "seconds": seconds}))


def ensure_venv() -> Path:
    python = VENV / "bin" / "python"
    if python.exists():
        return python
    print(f"creating {VENV} with {PACKAGE} (once) ...", flush=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", PACKAGE], check=True)
    except subprocess.CalledProcessError:
        sys.exit(
            f"could not set up the baseline; by hand: python3 -m venv {VENV} && "
            f"{VENV}/bin/pip install {PACKAGE}"
        )
    return python


def feature_data(n: int, seed: int) -> Any:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    base = rng.standard_normal(n)
    return pd.DataFrame({name: rng.permutation(base) for name in FEATURES})


def run_anticlust(python: Path, method: str, frame: Any, groups: int) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as handle:
        frame.to_csv(handle, index=False)
    cmd = [str(python), __file__, "--anticlust", method, handle.name, str(groups), "0"]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    Path(handle.name).unlink()
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def time_ours(frame: Any, groups: int, max_size: int, repeats: int, **options: Any) -> Any:
    from smartmoves.engines.teams import form_workgroups

    form_workgroups(frame, features=FEATURES, groups=groups, max_size=max_size, **options)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = form_workgroups(
            frame, features=FEATURES, groups=groups, max_size=max_size, **options
        )
        times.append(time.perf_counter() - start)
    return result, sorted(times)[len(times) // 2]


def compare(python: Path, n: int, groups: int, max_size: int, methods: list[str]) -> None:
    from smartmoves.engines.teams import diversity_figures

    frame = feature_data(n, seed=1)
    print(f"\nN={n} into {groups} groups (max_size={max_size}), 5 numeric features")
    print(f"{'method':58} {'seconds':>9} {'diversity':>12} {'vs random':>10}")
    rows = []
    for restarts in (None, 1):
        result, seconds = time_ours(frame, groups, max_size, 5, restarts=restarts)
        label = f"smartmoves exchange ({result.parameters['restarts']} restarts)"
        rows.append((label, seconds, result.diversity, result.vs_random))
    for method in methods:
        out = run_anticlust(python, method, frame, groups)
        figures = diversity_figures(frame, out["labels"], features=FEATURES)
        rows.append(
            (f"anti-clustering {method}", out["seconds"], figures.diversity, figures.vs_random)
        )
    for label, seconds, diversity, ratio in rows:
        print(f"{label:58} {seconds:9.3f} {diversity:12.2f} {ratio:10.4f}")
    best = max(r[2] for r in rows[2:])
    print(f"ours (default) / package's best diversity: {rows[0][2] / best:.4f}")


def gap_case(n: int, groups: int, constrained: bool, time_limit: float) -> tuple[Any, ...]:
    import numpy as np
    import pandas as pd

    from smartmoves.engines.teams import form_workgroups
    from smartmoves.engines.teams._attributes import dissimilarity, read_attributes
    from smartmoves.engines.teams._exact import solve_exact
    from smartmoves.engines.teams._figures import people_ids
    from smartmoves.engines.teams._plan import make_plan

    rng = np.random.default_rng(100 * n + groups)
    frame = pd.DataFrame(
        {
            "tenure": rng.normal(5, 2, n).round(1),
            "function": rng.choice(["ops", "it", "sales", "hr"], n),
            "skills": [";".join(rng.choice(list("abcdef"), 2, replace=False)) for _ in range(n)],
        }
    )
    options: dict[str, Any] = {}
    if constrained:
        frame["gender"] = np.resize(["f", "m"], n)
        frame["manager"] = [f"m{i % (n // groups)}" if i < n // 2 else "" for i in range(n)]
        frame["team"] = ["t"] * 2 + [""] * (n - 2)
        options = {"balance": "gender", "apart": "manager", "keep_together": "team"}
    features = ["tenure", "function", "skills"]
    start = time.perf_counter()
    ours = form_workgroups(frame, features=features, groups=groups, min_size=1, **options)
    ours_s = time.perf_counter() - start
    many = form_workgroups(
        frame, features=features, groups=groups, min_size=1, restarts=1000, seed=1, **options
    )
    plan = make_plan(
        frame,
        people_ids(frame),
        groups=groups,
        size=None,
        min_size=1,
        max_size=n,
        fixed=None,
        existing=None,
        keep_together=options.get("keep_together"),
        apart=options.get("apart"),
        balance=options.get("balance"),
    )
    d = dissimilarity(frame, read_attributes(frame, features, None))
    start = time.perf_counter()
    exact = solve_exact(d, plan, time_limit=time_limit)
    exact_s = time.perf_counter() - start
    i, j = np.triu_indices(n, 1)
    found = float(d[i, j] @ (exact.codes[i] == exact.codes[j]))
    return ours.diversity, ours_s, many.diversity, found, exact.bound, exact.optimal, exact_s


def gap_table(quick: bool) -> None:
    cases = [(8, 2), (10, 3), (12, 3), (12, 4), (14, 2), (16, 4), (20, 4), (24, 2), (24, 3)]
    cases += [(24, 4), (24, 6)]
    if quick:
        cases = cases[:3] + cases[-3:-1]
    print("\nExact gap: smartmoves exchange (default restarts) vs the proven optimum (method")
    print("'exact': set-partitioning bound + HiGHS MILP, started from 30 restarts) and vs the")
    print("best of 1000 restarts (seed 1); features tenure, function, skills;")
    print("constrained = balance gender + apart manager + a keep-together pair")
    print(
        f"{'N':>3} {'K':>2} {'constr.':7} {'ours':>9} {'1000 rst':>9} {'exact':>9} "
        f"{'bound':>9} {'proved':>6} {'ours/exact':>10} {'ours s':>7} {'exact s':>7}"
    )
    for n, k in cases:
        for constrained in (False, True):
            ours, ours_s, many, found, bound, proved, exact_s = gap_case(n, k, constrained, 60.0)
            print(
                f"{n:3} {k:2} {'yes' if constrained else 'no':7} {ours:9.3f} {many:9.3f} "
                f"{found:9.3f} {bound:9.3f} {'yes' if proved else 'no':>6} "
                f"{ours / found:10.5f} {ours_s:7.3f} {exact_s:7.2f}",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--anticlust", nargs=4, metavar=("METHOD", "CSV", "K", "SEED"))
    args = parser.parse_args()
    if args.anticlust:
        method, csv, groups, seed = args.anticlust
        anticlust_mode(method, csv, int(groups), int(seed))
        return
    python = ensure_venv()
    small = [
        "ExchangeHeuristicAntiClustering",
        "TabuSearchHeuristicAntiClustering",
        "SimulatedAnnealingHeuristicAntiClustering",
        "NaiveRandomHeuristicAntiClustering",
    ]
    compare(python, 60, 5, 15, small)
    if not args.quick:
        # The package's exchange re-scores every swap in O(N^2) (hours at N=1000) and its
        # naive random builds N^2 matrices in Python 1000 times: only tabu and annealing run.
        large = ["TabuSearchHeuristicAntiClustering", "SimulatedAnnealingHeuristicAntiClustering"]
        compare(python, 1000, 50, 20, large)
    gap_table(args.quick)


if __name__ == "__main__":
    main()
