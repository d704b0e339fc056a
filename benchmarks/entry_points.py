"""Entry points on banks of several sizes: the time to score every unit from a
workspace (the first time, with the network analysis behind "self-contained", and again
once it is kept), per unit, beside the baseline of reading the generator's own scorecard
(truth.json) into the engine, which measures nothing itself.

    .venv/bin/python benchmarks/entry_points.py [--people 2000 20000] [--events-per-person 4]
    .venv/bin/python benchmarks/entry_points.py --cold DEMO [--repeat 3]

Interactions are generated at ``--events-per-person`` a week (the default bank has 25),
as the network analysis is not what this measures; its time is printed apart.

``--cold WORKSPACE`` times what a user waits for instead: ``smartmoves entry-points
--format json`` in fresh processes on a copy of a workspace with an exposure model (the
demo has one), with the model's estimates kept in the workspace
(``models/exposure-estimates.json``) beside the baseline of a process that must run the
model (the file removed before each run, as before it was kept).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from smartmoves.data.synth import synthesize_bank
from smartmoves.data.workspace import create_workspace
from smartmoves.engines.entry import UnitEvidence, score_entry_points
from smartmoves.pathway.act import connect
from smartmoves.pathway.exposure_model import ESTIMATES_FILE
from smartmoves.pathway.policy import Account
from smartmoves.pathway.recognize import entry_points
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.pathway.setup.workspace import upgrade_store
from smartmoves.settings import get_settings


def _baseline(truth: dict) -> tuple[float, str]:
    start = time.perf_counter()
    units = [
        UnitEvidence(
            u["unit_id"], people=u["people"], kind=u["kind"], position=u["position"],
            freeable_share=u["freeable_share"], freeable_volunteers=u["qualified"],
            applicants=u["applications"], impact=u["impact_usd_k_per_week"],
            leader_support=u["leader_support"], supervisor_motivation=u["supervisor_readiness"],
            improvement_share=u["improvement_share"], teams_collaborate=u["teams_collaborate"],
            external_share=u["external_share"], champion_influence=u["champion_influence"],
        )
        for u in truth["units"]
    ]  # fmt: skip
    best = score_entry_points(units).entry_points[0].unit_id
    return time.perf_counter() - start, best


def _cold_run(workspace: Path) -> tuple[float, int]:
    """Seconds of one ``smartmoves entry-points`` in a fresh process, and its units."""
    source = Path(__file__).resolve().parents[1] / "src"
    env = {**os.environ, "PYTHONPATH": str(source)}
    command = [sys.executable, "-m", "smartmoves", "entry-points"]
    start = time.perf_counter()
    done = subprocess.run(
        [*command, "--workspace", str(workspace), "--format", "json"],
        check=True, capture_output=True, text=True, env=env,
    )  # fmt: skip
    return time.perf_counter() - start, len(json.loads(done.stdout)["entry_points"])


def cold(workspace: Path, repeat: int) -> None:
    """Fresh processes on a copy of ``workspace``: estimates kept against not kept."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "workspace"
        shutil.copytree(workspace, copy)
        kept = copy / ESTIMATES_FILE
        _cold_run(copy)  # the analyses a first run keeps (network, estimates) are there
        runs: dict[str, list[float]] = {"not kept (baseline)": [], "kept": []}
        for _ in range(repeat):  # alternating, so a busy machine weighs on both alike
            kept.unlink(missing_ok=True)
            seconds, units = _cold_run(copy)
            runs["not kept (baseline)"].append(seconds)
            seconds, units = _cold_run(copy)
            runs["kept"].append(seconds)
    print(f"smartmoves entry-points, fresh processes, {units} units, median of {repeat}")
    print(f"{'exposure estimates':<22} {'seconds':>8} {'ms/unit':>8}  runs")
    for name, seconds in runs.items():
        median = statistics.median(seconds)
        print(f"{name:<22} {median:>8.2f} {1000 * median / units:>8.1f}  "
              + " ".join(f"{s:.2f}" for s in seconds))  # fmt: skip
    base, now = (statistics.median(v) for v in runs.values())
    print(f"ratio not kept / kept: {base / now:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--events-per-person", type=float, default=4.0)
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--cold", type=Path, metavar="WORKSPACE", help="time fresh processes")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.cold is not None:
        cold(args.cold, args.repeat)
        return
    admin = Account.system("benchmark")
    print(f"{'people':>8} {'units':>6} {'network s':>10} {'first s':>8} {'kept s':>7} "
          f"{'ms/unit':>8} {'baseline ms':>12}  best (truth)")  # fmt: skip
    for people in args.people:
        with tempfile.TemporaryDirectory() as folder:
            bank = Path(folder) / "bank"
            synthesize_bank(bank, people=people, weeks=args.weeks, seed=0,
                            events_per_person_week=args.events_per_person)  # fmt: skip
            truth = json.loads((bank / "truth.json").read_text())
            settings = get_settings(create_workspace(Path(folder) / "ws"))
            upgrade_store(settings)
            import_files(settings, find_table_files(bank))
            start = time.perf_counter()
            connect.workspace_network(settings, compute=True)
            network = time.perf_counter() - start
            start = time.perf_counter()
            shares = lambda progress, s=settings: connect.unit_external_shares(s, compute=True)  # noqa: E731
            found = entry_points(settings, admin, external_shares=shares)
            first = time.perf_counter() - start
            start = time.perf_counter()
            entry_points(settings, admin, external_shares=shares)
            kept = time.perf_counter() - start
            base, base_best = _baseline(truth)
            units = len(found.entry_points)
            print(f"{people:>8} {units:>6} {network:>10.1f} {first:>8.2f} {kept:>7.3f} "
                  f"{1000 * first / units:>8.1f} {1000 * base:>12.2f}  "
                  f"{found.entry_points[0].unit_id} ({truth['best_entry_point']['unit_id']}; "
                  f"scorecard: {base_best})")  # fmt: skip


if __name__ == "__main__":
    main()
