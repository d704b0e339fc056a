"""Entry points' capacity: the consolidation planner in a quick mode against the
decisions-only estimate, on a synthetic bank: the whole run's time with and without the
planner, the time per planned unit, and every unit's count side by side.

    .venv/bin/python benchmarks/entry_capacity.py [--people 2000] [--seed 0]

The network analysis behind "self-contained" is computed and kept first (its time is
not what this measures). "estimate" is the count of people the decisions alone free for
75% (the planner switched off: ``QUICK_TOP = 0``); "planner" the quick mode's count.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from smartmoves.data.synth import synthesize_bank
from smartmoves.data.workspace import create_workspace
from smartmoves.pathway._cache import Kept
from smartmoves.pathway.act import connect
from smartmoves.pathway.policy import Account
from smartmoves.pathway.recognize import _quick_capacity, entry
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.pathway.setup.workspace import upgrade_store
from smartmoves.settings import get_settings


def _run(settings, shares, top: int) -> tuple[float, object]:
    entry._KEPT = Kept(8)  # nothing kept from the other run
    _quick_capacity.QUICK_TOP = top
    start = time.perf_counter()
    found = entry.entry_points(settings, Account.system("benchmark"), external_shares=shares)
    return time.perf_counter() - start, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--events-per-person", type=float, default=4.0)
    parser.add_argument("--time-limit", type=float, default=_quick_capacity.TIME_LIMIT)
    args = parser.parse_args()
    _quick_capacity.TIME_LIMIT = args.time_limit
    top = _quick_capacity.QUICK_TOP
    with tempfile.TemporaryDirectory() as folder:
        bank = Path(folder) / "bank"
        synthesize_bank(bank, people=args.people, weeks=26, seed=args.seed,
                        events_per_person_week=args.events_per_person)  # fmt: skip
        truth = json.loads((bank / "truth.json").read_text())
        settings = get_settings(create_workspace(Path(folder) / "ws"))
        upgrade_store(settings)
        import_files(settings, find_table_files(bank))
        connect.workspace_network(settings, compute=True)
        shares = lambda progress, s=settings: connect.unit_external_shares(s, compute=True)  # noqa: E731
        cold, _ = _run(settings, shares, 0)  # the drivers and exposure estimates are kept
        before, estimate = _run(settings, shares, 0)
        after, planned = _run(settings, shares, top)
    counts = {e.unit_id: e.freeable_volunteers for e in estimate.entry_points}
    n_planned = 0
    print(f"{'unit':<10} {'people':>6} {'estimate':>8} {'planner':>8}  how")
    for e in planned.entry_points:
        source = (
            next(f.source for f in e.factors if f.name == "ability_to_free_capacity")
            if any(f.name == "ability_to_free_capacity" for f in e.factors)
            else "not known"
        )
        size = next(f.value for f in e.factors if f.name == "size")
        quick = source.startswith("consolidation planner")
        n_planned += quick
        how = source.split(":")[0] if quick else source.split(": ", 1)[-1]
        print(f"{e.unit_id:<10} {size:>6} {counts[e.unit_id]!s:>8} "
              f"{(e.freeable_volunteers if quick else '-')!s:>8}  {how}")  # fmt: skip
    print(f"\nfirst run (drivers and exposure estimates computed): {cold:.2f} s; then")
    print(f"whole run: {before:.2f} s estimate only, {after:.2f} s with the planner on "
          f"{n_planned} units ({1000 * (after - before) / max(1, n_planned):.0f} ms per planned "
          f"unit, {1000 * after / len(planned.entry_points):.0f} ms per unit over all "
          f"{len(planned.entry_points)})")  # fmt: skip
    print(f"first: {estimate.entry_points[0].unit_id} (estimate), "
          f"{planned.entry_points[0].unit_id} (planner); truth: "
          f"{truth['best_entry_point']['unit_id']}")  # fmt: skip


if __name__ == "__main__":
    main()
