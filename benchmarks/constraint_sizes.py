"""Burt's constraint over organization sizes: exact, strongest ties, and igraph beside them.

For each size a synthetic bank (``smartmoves.data.synth.synthesize_bank``) is written
once into ``--workdir`` (the same banks as ``network_sizes.py``), its ties built and
coded once and kept in ``--cache`` (building them takes minutes at 100,000 people). Each
size then runs in a fresh process, so that its memory is its own: igraph's
``constraint(weights="weight")`` (the baseline), ours exact, ours with the default work
limit, and ours through each person's ``k`` strongest ties for a few ``k``, each figure
compared with exact. Seconds are CPU seconds of this process (one core: numpy, scipy
and igraph run single-threaded here), so other work on the machine slows them less
than it would wall-clock time.

    python benchmarks/constraint_sizes.py                                # 2k and 20k
    python benchmarks/constraint_sizes.py --sizes 100000:100000000 --no-igraph
    python benchmarks/constraint_sizes.py --workdir /work/bench-data    # banks made before
    python benchmarks/constraint_sizes.py --calibrate   # seconds per multiply-add and entry
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

DEFAULT_SIZES = "2000:1300000,20000:13000000"
DEFAULT_KEPT = "20,50,100,200"
TOP_SHARE = 0.05  # the most and least constrained 5% of people


def _graph(workdir: Path, cache: Path, people: int, events: int) -> Any:
    """The coded ties of a bank, built once and kept as ``.npz``."""
    import numpy as np

    from smartmoves.engines.network._ties import TieGraph

    name = f"bank-{people}-{events}"
    kept = cache / f"{name}.npz"
    if not kept.exists():
        import pandas as pd

        from smartmoves.data.analytics import build_ties
        from smartmoves.data.synth import synthesize_bank
        from smartmoves.engines.network._ties import tie_graph

        folder = workdir / name
        if not (folder / "interactions.parquet").exists():
            synthesize_bank(folder, people=people, events=events, seed=0)
        ties = build_ties(folder / "interactions.parquet", as_arrow=True)
        frame = ties.select(["person_a", "person_b", "weight"]).to_pandas(
            types_mapper=pd.ArrowDtype  # Arrow strings: a fraction of pandas' memory
        )
        del ties
        graph = tie_graph(frame, pd.read_csv(folder / "people.csv", dtype=str))
        cache.mkdir(parents=True, exist_ok=True)
        np.savez(kept, a=graph.a, b=graph.b, weight=graph.weight, n=graph.n)
    arrays = np.load(kept)
    n = int(arrays["n"])
    return TieGraph(
        person_ids=np.arange(n).astype(str).astype(object),
        unit_ids=np.array(["u"], dtype=object),
        unit_of=np.zeros(n, dtype=np.int64),
        a=arrays["a"],
        b=arrays["b"],
        weight=arrays["weight"],
        reciprocal=np.zeros(len(arrays["a"]), dtype=bool),
        external_contacts=np.zeros(n, dtype=np.int64),
    )


def _timed(function: Any, *args: Any, **options: Any) -> tuple[Any, float]:
    started = time.process_time()
    result = function(*args, **options)
    return result, time.process_time() - started


def errors(found: Any, exact: Any) -> dict[str, float]:
    """How far ``found`` is from ``exact`` over the people with a value: Spearman rank
    correlation, median and 95th-percentile relative error, and the overlap of the most
    and of the least constrained 5% of people."""
    import numpy as np
    from scipy.stats import spearmanr

    both = np.isfinite(exact) & np.isfinite(found)
    x, y = exact[both], found[both]
    relative = np.abs(y - x) / x
    top = max(1, round(TOP_SHARE * len(x)))

    def overlap(order_x: Any, order_y: Any) -> float:
        return len(np.intersect1d(order_x[:top], order_y[:top])) / top

    return {
        "spearman": float(spearmanr(x, y).statistic),
        "median": float(np.median(relative)),
        "p95": float(np.percentile(relative, 95)),
        "most": overlap(np.argsort(-x, kind="stable"), np.argsort(-y, kind="stable")),
        "least": overlap(np.argsort(x, kind="stable"), np.argsort(y, kind="stable")),
    }


def run_one(graph: Any, *, kept: list[int], igraph: bool, exact: bool) -> dict[str, Any]:
    """Every run of one size, in this (fresh) process."""
    import numpy as np

    from smartmoves.engines.network._constraint import constraint

    rows: list[dict[str, Any]] = []
    base: dict[str, Any] = {"people": graph.n, "ties": len(graph.a)}
    if igraph:
        ig_graph = graph.igraph()
        values, seconds = _timed(ig_graph.constraint, weights="weight")
        base["igraph_s"] = seconds
        del ig_graph
    reference = None
    if exact:
        (reference, how), seconds = _timed(constraint, graph, work_limit=2**62)
        rows.append({"run": "exact", **how, "seconds": seconds})
        if igraph:
            found = np.asarray(values, dtype=float)
            base["igraph_agrees"] = bool(np.allclose(found, reference, rtol=1e-9, equal_nan=True))
    (values, how), seconds = _timed(constraint, graph)
    rows.append({"run": "default limit", **how, "seconds": seconds})
    if reference is not None:
        rows[-1].update(errors(values, reference))
    for k in kept:
        (values, how), seconds = _timed(constraint, graph, work_limit=0, min_ties=k)
        rows.append({"run": f"k = {k}", **how, "seconds": seconds})
        if reference is not None:
            rows[-1].update(errors(values, reference))
    base["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {**base, "rows": rows}


def _product_entries(engine: Any, strong: Any, entries_bound: Any) -> int:
    """Entries the product of the kept shares makes (the engine does not count them)."""
    made = 0
    for start, stop in engine._blocks(entries_bound):
        made += (engine._rows(strong, start, stop) @ strong).nnz
    return made


def calibrate(graphs: list[Any], kept: list[int]) -> None:
    """Least squares of CPU seconds on multiply-adds, product entries and ties, over
    exact and strongest-ties runs: what an entry costs in multiply-adds is the engine's
    ``PRODUCT_ENTRY_WORK``, and a multiply-add's seconds set the work limit. The engine
    counts an entry for every multiply-add up to one per person a row (the most there
    can be); clustered ties make fewer, so the fit is given both."""
    import numpy as np

    from smartmoves.engines.network import _constraint as engine

    samples = []
    for graph in graphs:
        n = graph.n
        for k in [None, *kept]:
            if k is None and engine.constraint_work(graph) > 2e10:
                continue  # exact takes minutes here: the strongest-ties runs suffice
            shares, _ = engine._shares(graph)
            strong = shares if k is None else engine._strongest(shares, k)
            size = np.diff(strong.indptr)
            owner = np.repeat(np.arange(n), size)
            adds = np.bincount(owner, weights=size[strong.indices], minlength=n)
            bound = np.minimum(adds, n)
            made = _product_entries(engine, strong, bound)
            del shares, strong, owner
            options = {"work_limit": 2**62} if k is None else {"work_limit": 0, "min_ties": k}
            _, seconds = _timed(engine.constraint, graph, **options)
            row = (adds.sum(), made, bound.sum(), len(graph.a), seconds)
            samples.append(row)
            print(
                f"{n:>8,} people, k = {k or 'all':>4}: {row[0]:.3g} adds, {made:.3g} entries "
                f"(bound {row[2]:.3g}), {seconds:6.1f} s",
                flush=True,
            )
    table = np.array(samples, dtype=float)
    seconds = table[:, 4]
    for label, columns in (("entries made", [0, 1, 3]), ("entries bound", [0, 2, 3])):
        (add, entry, tie), *_ = np.linalg.lstsq(table[:, columns], seconds, rcond=None)
        print(
            f"with the {label}: a multiply-add {add * 1e9:.2f} ns, an entry "
            f"{entry * 1e9:.2f} ns ({entry / add:.1f} adds), a tie {tie * 1e9:.0f} ns; "
            f"15 s of adds: {15 / add:.3g}"
        )
    print(
        f"(the engine counts an entry as {engine.PRODUCT_ENTRY_WORK} adds, "
        f"its limit is {engine.CONSTRAINT_WORK_LIMIT:.3g})"
    )


def _table(results: list[dict[str, Any]]) -> None:
    header = ("people", "ties", "run", "method", "k", "work", "CPU s", "Spearman")
    header += ("median err", "p95 err", "top 5%", "bottom 5%", "igraph s")
    widths = (8, 11, 14, 15, 5, 9, 7, 9, 11, 9, 7, 10, 9)
    print("  ".join(f"{h:>{w}}" for h, w in zip(header, widths, strict=True)))
    for result in results:
        for row in result["rows"]:
            measured = "spearman" in row
            cells = (
                f"{result['people']:,}",
                f"{result['ties']:,}",
                row["run"],
                row["method"],
                str(row["ties_kept"] or "all"),
                f"{row['work']:.2g}",
                f"{row['seconds']:.1f}",
                f"{row['spearman']:.4f}" if measured else "",
                f"{row['median']:.2%}" if measured else "",
                f"{row['p95']:.2%}" if measured else "",
                f"{row['most']:.0%}" if measured else "",
                f"{row['least']:.0%}" if measured else "",
                f"{result['igraph_s']:.1f}" if "igraph_s" in result else "",
            )
            print("  ".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True)))
        agrees = result.get("igraph_agrees")
        if agrees is not None:
            print(f"  exact and igraph agree to 1e-9: {agrees}; peak {result['peak_mb']:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="people:events,...")
    parser.add_argument("--kept", default=DEFAULT_KEPT, help="strongest ties kept, k,...")
    parser.add_argument("--workdir", default="/tmp/smartmoves-network-sizes")
    parser.add_argument("--cache", default="/tmp/smartmoves-constraint-graphs")
    parser.add_argument("--no-igraph", action="store_true", help="skip the baseline")
    parser.add_argument("--no-exact", action="store_true", help="skip exact (and errors)")
    parser.add_argument("--calibrate", action="store_true", help="cost of an add, an entry")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--build", help=argparse.SUPPRESS)
    args = parser.parse_args()
    kept = [int(k) for k in args.kept.split(",") if k]
    sizes = [tuple(int(x) for x in size.split(":")) for size in args.sizes.split(",")]
    workdir, cache = Path(args.workdir), Path(args.cache)
    if args.calibrate:
        calibrate([_graph(workdir, cache, p, e) for p, e in sizes], kept)
        return
    if args.build:
        _graph(workdir, cache, *(int(x) for x in args.build.split(":")))
        return
    if args.one:
        people, events = (int(x) for x in args.one.split(":"))
        graph = _graph(workdir, cache, people, events)
        result = run_one(graph, kept=kept, igraph=not args.no_igraph, exact=not args.no_exact)
        print(json.dumps(result))
        return
    results = []
    for people, events in sizes:
        print(f"{people:,} people, {events:,} events", flush=True)
        where = ["--workdir", args.workdir, "--cache", args.cache]
        # The ties are built in a process of their own, before the measured one starts.
        subprocess.run([sys.executable, __file__, "--build", f"{people}:{events}", *where])
        command = [sys.executable, __file__, "--one", f"{people}:{events}", *where]
        command += ["--kept", args.kept]
        command += ["--no-igraph"] * args.no_igraph + ["--no-exact"] * args.no_exact
        done = subprocess.run(command, check=True, capture_output=True, text=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print()
    _table(results)


if __name__ == "__main__":
    main()
