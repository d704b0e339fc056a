"""Network analysis over organization sizes: ours beside the old betweenness rule.

For each size a synthetic bank (``smartmoves.data.synth.synthesize_bank``) is written
once into ``--workdir`` and kept for later runs. Each size then runs the analysis the
product runs (DuckDB ties and topics, then ``analyze_network`` with its defaults) in a
fresh process, so its peak memory is its own; the stages' times come from the
engine's progress callback.

Baselines: the SQL road of ties and topics (the named queries on DuckDB, as before
the coded events of ``data/analytics/_coded.py``), timed up to ``--sql`` people; and
the rule before issue 12, exact betweenness up to 20,000 people whatever the
number of ties, else 1,000 sampled sources. Its betweenness time is measured on the
same graph by walking from a slice of the sources it would take (200) and scaling to
all of them (walks cost the same from every source), so the baseline's exact runs,
which took 11 min 43 s at 20,000 people, need not be sat through.

    python benchmarks/network_sizes.py                            # 2k, 20k, 50k, 100k
    python benchmarks/network_sizes.py --sizes 2000:1300000,20000:13000000
    python benchmarks/network_sizes.py --workdir /data/banks      # keep the banks
    python benchmarks/network_sizes.py --calibrate     # what a person and a tie cost
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

DEFAULT_SIZES = "2000:1300000,20000:13000000,50000:50000000,100000:100000000"
OLD_EXACT_LIMIT, OLD_SAMPLES, SLICE = 20_000, 1_000, 200


def _bank(workdir: Path, people: int, events: int) -> Path:
    from smartmoves.data.synth import synthesize_bank

    folder = workdir / f"bank-{people}-{events}"
    if not (folder / "interactions.parquet").exists():
        started = time.perf_counter()
        synthesize_bank(folder, people=people, events=events, seed=0)
        print(f"  wrote the bank in {time.perf_counter() - started:.0f} s", flush=True)
    return folder


def _old_rule_seconds(graph: Any) -> tuple[float, str]:
    """Betweenness time under the old rule, from a slice of its sources."""
    import numpy as np

    n = graph.vcount()
    sources = n if n <= OLD_EXACT_LIMIT else min(OLD_SAMPLES, n)
    chosen = np.random.default_rng(0).choice(n, size=min(SLICE, n), replace=False)
    started = time.process_time()
    graph.betweenness(directed=False, sources=sorted(chosen.tolist()))
    seconds = (time.process_time() - started) * sources / len(chosen)
    return seconds, "exact" if n <= OLD_EXACT_LIMIT else f"sampled {sources}"


def calibrate() -> None:
    """Per-source betweenness time over graphs of several shapes, and the least-squares
    cost of a person and of a tie (the ``PERSON_STEPS`` of the engine is their ratio)."""
    import igraph
    import numpy as np

    from smartmoves.engines.network._centrality import PERSON_STEPS

    rng = np.random.default_rng(0)
    shapes = [(2_000, 350), (5_000, 40), (20_000, 14), (20_000, 200), (50_000, 40)]
    shapes += [(100_000, 40), (100_000, 100)]
    rows = []
    for n, degree in shapes:
        a = rng.integers(0, n, n * degree // 2)
        b = (a + 1 + rng.integers(0, min(n - 1, 400), len(a))) % n  # mostly local ties
        graph = igraph.Graph(n=n, edges=np.column_stack([a, b]), directed=False).simplify()
        sources = rng.choice(n, 20, replace=False).tolist()
        started = time.process_time()
        graph.betweenness(directed=False, sources=sources)
        per_source = (time.process_time() - started) / len(sources)
        rows.append((n, graph.ecount(), per_source))
        print(f"{n:>8,} people {graph.ecount():>10,} ties: {per_source * 1e3:7.2f} ms a source")
    costs, *_ = np.linalg.lstsq(
        np.array([[n, m] for n, m, _ in rows], float), np.array([t for *_, t in rows]), rcond=None
    )
    print(
        f"a person costs {costs[0] * 1e9:.0f} ns, a tie {costs[1] * 1e9:.1f} ns: a person is "
        f"{costs[0] / costs[1]:.0f} ties (the engine counts {PERSON_STEPS})"
    )


def _sql_road(events: Path) -> float:
    """Seconds of the SQL definitions on DuckDB (the road before the coded events)."""
    from smartmoves.data.analytics import DuckDBBackend
    from smartmoves.data.analytics._sources import resolve_source
    from smartmoves.data.analytics._sql import register
    from smartmoves.data.analytics._ties import _event_ties_sql
    from smartmoves.data.analytics._topics import _topics_sql

    started = time.perf_counter()
    with DuckDBBackend() as backend:
        view, columns = register(backend, resolve_source(events), ["sender_id", "topic"])
        ties = _event_ties_sql(backend, view, columns, "TRUE", 25, 30.0)
        backend.arrow(f"WITH {ties} SELECT * FROM event_ties ORDER BY person_a, person_b")
        backend.arrow(_topics_sql(backend, view, columns, "TRUE", None))
    return time.perf_counter() - started


def run_one(folder: Path, sql: bool) -> dict[str, Any]:
    """In a fresh process: the analysis of one bank, stage by stage."""
    import pandas as pd

    from smartmoves.data.analytics import DuckDBBackend, ties_and_topics
    from smartmoves.engines.network import analyze_network

    people = pd.read_csv(folder / "people.csv", dtype=str)
    events = folder / "interactions.parquet"
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    with DuckDBBackend() as backend:
        ties, topic_table = ties_and_topics(events, backend=backend, as_arrow=True)
    topics = topic_table.to_pandas()
    seconds["ties and topics"] = time.perf_counter() - started
    stages: dict[str, float] = {}
    mark = time.perf_counter()

    def progress(stage: str, done: int, total: int) -> None:
        stages[stage] = time.perf_counter()

    result = analyze_network(ties, people, topics=topics, progress=progress)
    del ties
    seconds["figures"] = time.perf_counter() - mark
    seconds["waiting for betweenness"] = stages["done"] - stages["betweenness"]
    seconds["total"] = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    old_seconds, old_method = _old_rule_seconds(result.graph.igraph())
    how = result.parameters["betweenness"]
    burt = result.parameters.get("constraint", {"method": "igraph"})
    return {
        "seconds": seconds,
        "peak_mb": peak,
        "people": int(result.summary["people"]),
        "ties": int(result.summary["ties"]),
        "betweenness": how["method"] + (f" {how['samples']}" if how["samples"] else ""),
        "constraint": burt["method"],
        "old_betweenness_s": old_seconds,
        "old_method": old_method,
        "sql_s": _sql_road(events) if sql else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="people:events,...")
    parser.add_argument("--workdir", default="/tmp/smartmoves-network-sizes")
    parser.add_argument("--calibrate", action="store_true", help="cost of a person and a tie")
    parser.add_argument(
        "--sql",
        type=int,
        default=20_000,
        help="time the SQL road of ties and topics up to this many people (baseline)",
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--one-sql", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.calibrate:
        calibrate()
        return
    if args.one:
        print(json.dumps(run_one(Path(args.one), args.one_sql)))
        return
    workdir = Path(args.workdir)
    rows = []
    for size in args.sizes.split(","):
        people, events = (int(part) for part in size.split(":"))
        print(f"{people:,} people, {events:,} events", flush=True)
        folder = _bank(workdir, people, events)
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(folder)]
            + (["--one-sql"] if people <= args.sql else []),
            check=True,
            capture_output=True,
            text=True,
        )
        row = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append((people, events, row))
        print(f"  {row['seconds']['total']:.0f} s, {row['betweenness']}", flush=True)
    print()
    header = (
        "people",
        "events",
        "ties",
        "ties+topics s",
        "SQL road s",
        "figures s",
        "total s",
        "peak MB",
        "betweenness",
        "constraint",
        "old rule",
        "old betw. s",
    )
    print(" ".join(f"{h:>13}" for h in header))
    for people, events, r in rows:
        s = r["seconds"]
        cells = (
            f"{people:,}",
            f"{events:,}",
            f"{r['ties']:,}",
            f"{s['ties and topics']:.0f}",
            "-" if r["sql_s"] is None else f"{r['sql_s']:.0f}",
            f"{s['figures']:.0f}",
            f"{s['total']:.0f}",
            f"{r['peak_mb']:.0f}",
            r["betweenness"],
            r["constraint"],
            r["old_method"],
            f"{r['old_betweenness_s']:.0f}",
        )
        print(" ".join(f"{c:>13}" for c in cells))
    print(
        "\nSQL road s: ties and topics by the SQL definitions on DuckDB (the road before "
        "the coded events; -: not timed, see --sql).\nold betw. s: one core, extrapolated "
        f"from {SLICE} sources; ours runs on the second core beside the rest of 'figures'."
    )


if __name__ == "__main__":
    main()
