"""Collaboration network benchmark: events -> ties -> every figure, ours beside a baseline.

Ours: DuckDB named queries (``smartmoves.data.analytics``) and the igraph/numpy engine
(``smartmoves.engines.network``). Baseline: a plain pandas + networkx implementation of
the same definitions, written below. Each pipeline runs in its own process, so its peak
memory (max RSS) is its own.

    python benchmarks/network.py --events 1000000 --people 2000          # ours vs baseline
    python benchmarks/network.py --events 50000000 --people 50000 --no-baseline
    python benchmarks/network.py --interactions synth/interactions.parquet --people-file
        synth/people.parquet                                             # on synth output
    python benchmarks/network.py --betweenness-error --people 20000       # sampling error

Without ``--interactions``, events come from a seeded generator shaped by units and
teams (each person writes mostly to a fixed circle: their team, unit colleagues, a few
people in partner units), written in chunks of a million rows so memory stays bounded.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

CHANNELS = np.array(["email", "chat", "meeting", "call", "other"])
CHANNEL_SHARE = [0.40, 0.35, 0.15, 0.07, 0.03]
UNIT_SIZE, TEAM_SIZE, CIRCLE = 100, 10, 40
WORDS = [
    *("pricing", "churn", "claims", "payroll", "onboarding", "fraud", "logistics"),
    *("forecasting", "procurement", "compliance", "marketing", "retention", "billing"),
    *("underwriting", "analytics", "security", "hiring", "training", "inventory"),
    *("quality", "audit", "tax", "treasury", "design", "research", "support"),
]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------- generator
def generate_people(n: int, seed: int) -> pd.DataFrame:
    units = np.arange(n) // UNIT_SIZE
    return pd.DataFrame(
        {"person_id": [f"P{i:06d}" for i in range(n)], "unit_id": [f"U{u:04d}" for u in units]}
    )


def _circles(n: int, rng: np.random.Generator) -> np.ndarray:
    """Each person's usual contacts: team mates, unit colleagues, partner-unit people."""
    me = np.arange(n)[:, None]
    team_start = (me // TEAM_SIZE) * TEAM_SIZE
    unit_start = (me // UNIT_SIZE) * UNIT_SIZE
    n_units = max(n // UNIT_SIZE, 1)
    team = team_start + (me - team_start + 1 + np.arange(TEAM_SIZE - 1)) % TEAM_SIZE
    unit = unit_start + rng.integers(0, UNIT_SIZE, (n, 20))
    partner_unit = (me // UNIT_SIZE + rng.integers(1, 4, (n, CIRCLE - 29))) % n_units
    partners = partner_unit * UNIT_SIZE + rng.integers(0, UNIT_SIZE, (n, CIRCLE - 29))
    return np.minimum(np.concatenate([team, unit, partners], axis=1), n - 1)


def generate_events(path: Path, n_people: int, n_events: int, seed: int) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    circles = _circles(n_people, rng)
    activity = rng.lognormal(0, 0.6, n_people)
    activity /= activity.sum()
    rank_weight = 1 / np.arange(1, CIRCLE + 1) ** 0.8
    rank_weight /= rank_weight.sum()
    # Meetings are mostly team meetings: their guests come from the team slots first.
    meeting_weight = np.where(np.arange(CIRCLE) < TEAM_SIZE - 1, 8.0, 0.1) * rank_weight
    meeting_weight /= meeting_weight.sum()
    ids = pa.array([f"P{i:06d}" for i in range(n_people)] + [f"X{i:05d}" for i in range(5000)])
    unit_topics = rng.integers(0, len(WORDS), (max(n_people // UNIT_SIZE, 1), 3))
    topics = pa.array(WORDS)
    start = np.datetime64("2024-01-01T00:00:00")
    writer = None
    done = 0
    while done < n_events:
        m = min(1_000_000, n_events - done)
        sender = rng.choice(n_people, m, p=activity)
        channel = rng.choice(5, m, p=CHANNEL_SHARE)
        count = np.ones(m, dtype=np.int64)
        count[channel == 0] = 1 + rng.geometric(0.5, (channel == 0).sum()) - 1
        meeting = channel == 2
        count[meeting] = 1 + rng.poisson(3, meeting.sum())
        big = meeting & (rng.random(m) < 0.03)
        count[big] = 25 + rng.integers(0, 15, big.sum())
        count[channel == 3] = 1 + (rng.random((channel == 3).sum()) < 0.2)
        count = np.minimum(count, 40)
        owner = np.repeat(np.arange(m), count)
        slot = rng.choice(CIRCLE, len(owner), p=rank_weight)
        in_meeting = meeting[owner]
        slot[in_meeting] = rng.choice(CIRCLE, in_meeting.sum(), p=meeting_weight)
        recipient = circles[sender[owner], slot]
        stray = rng.random(len(owner))
        recipient = np.where(stray < 0.02, rng.integers(0, n_people, len(owner)), recipient)
        recipient = np.where(stray > 0.97, n_people + rng.integers(0, 5000, len(owner)), recipient)
        offsets = np.concatenate([[0], np.cumsum(count)]).astype(np.int32)
        listed = pa.ListArray.from_arrays(pa.array(offsets), ids.take(pa.array(recipient)))
        minutes = np.where(
            meeting,
            rng.choice([15.0, 30.0, 45.0, 60.0, 90.0], m),
            np.where(channel == 3, rng.choice([5.0, 10.0, 30.0], m), np.nan),
        )
        unit = sender // UNIT_SIZE
        topic = unit_topics[np.minimum(unit, len(unit_topics) - 1), rng.integers(0, 3, m)]
        table = pa.table(
            {
                "timestamp": pa.array(
                    start + rng.integers(0, 182 * 86400, m).astype("timedelta64[s]")
                ),
                "sender_id": ids.take(pa.array(sender)),
                "recipient_ids": pc.binary_join(listed, ";"),
                "channel": pa.array(CHANNELS[channel]),
                "duration_minutes": pa.array(minutes, from_pandas=True),
                "topic": topics.take(pa.array(topic)),
            }
        )
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema, compression="zstd")
        writer.write_table(table, row_group_size=1_000_000)
        done += m
    if writer is not None:
        writer.close()


# --------------------------------------------------------------------------- ours
def run_ours(interactions: str, people_path: str, memory_limit: str) -> dict[str, Any]:
    from smartmoves.data.analytics import DuckDBBackend, build_ties, person_topics
    from smartmoves.engines.network import analyze_network

    people = pd.read_parquet(people_path)
    times: dict[str, Any] = {}
    t0 = time.perf_counter()
    with DuckDBBackend(memory_limit=memory_limit) as backend:
        ties = build_ties(interactions, backend=backend)
        times["ties"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        topics = person_topics(interactions, backend=backend)
        times["topics"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    result = analyze_network(ties, people, topics=topics)
    times["figures"] = time.perf_counter() - t2
    times["total"] = time.perf_counter() - t0
    return {
        "seconds": times,
        "peak_rss_mb": peak_rss_mb(),
        "ties": int(result.summary["ties"]),
        "modularity": result.summary["modularity"],
        "betweenness": result.parameters["betweenness"],
        "communities": int(result.summary["communities"]),
        "people_frame": result.people,
    }


# --------------------------------------------------------------------------- baseline
def baseline_ties(events: pd.DataFrame) -> pd.DataFrame:
    """The tie definitions in plain pandas."""
    events = events.reset_index(drop=True)
    events["event"] = np.arange(len(events))
    events["sender_id"] = events["sender_id"].str.strip()
    channel = events["channel"].fillna("other").str.lower()
    split = events[["event", "sender_id", "recipient_ids"]].assign(
        recipient=events["recipient_ids"].str.split(";")
    )
    listed = split.explode("recipient")
    listed["recipient"] = listed["recipient"].str.strip()
    listed = listed[(listed["recipient"] != "") & (listed["recipient"] != listed["sender_id"])]
    listed = listed.drop_duplicates(["event", "recipient"])
    count = listed.groupby("event").size()
    listed["count"] = listed["event"].map(count)
    is_meeting = channel.isin(["meeting", "call"]).to_numpy()
    msg = listed[~is_meeting[listed["event"].to_numpy()]]
    msg_pairs = pd.DataFrame(
        {
            "a": msg["sender_id"],
            "b": msg["recipient"],
            "w": 1.0 / msg["count"],
            "a_started": True,
            "b_started": False,
        }
    )
    meet = listed[is_meeting[listed["event"].to_numpy()] & (listed["count"] + 1 <= 25)]
    hours = events["duration_minutes"].fillna(30.0).to_numpy() / 60
    hosts = meet.drop_duplicates("event")[["event", "sender_id"]].rename(
        columns={"sender_id": "recipient"}
    )
    people = pd.concat([meet[["event", "recipient"]], hosts])
    people["w"] = hours[people["event"].to_numpy()] / people["event"].map(count)
    pairs = people.merge(people[["event", "recipient"]], on="event", suffixes=("_a", "_b"))
    pairs = pairs[pairs["recipient_a"] < pairs["recipient_b"]]
    meet_pairs = pd.DataFrame(
        {
            "a": pairs["recipient_a"],
            "b": pairs["recipient_b"],
            "w": pairs["w"],
            "a_started": True,
            "b_started": True,
        }
    )
    allp = pd.concat([msg_pairs, meet_pairs], ignore_index=True)
    swap = allp["a"] > allp["b"]
    allp.loc[swap, ["a", "b", "a_started", "b_started"]] = allp.loc[
        swap, ["b", "a", "b_started", "a_started"]
    ].to_numpy()
    ties = allp.groupby(["a", "b"]).agg(
        weight=("w", "sum"), a_started=("a_started", "any"), b_started=("b_started", "any")
    )
    ties["reciprocal"] = ties["a_started"] & ties["b_started"]
    return ties.reset_index()[["a", "b", "weight", "reciprocal"]]


def baseline_topics(events: pd.DataFrame) -> pd.DataFrame:
    """Who took part in events on which topic keyword, in plain pandas."""
    frame = events[["sender_id", "recipient_ids", "topic"]].dropna(subset=["topic"])
    people = (frame["sender_id"] + ";" + frame["recipient_ids"]).str.split(";")
    keywords = frame["topic"].str.lower().str.split(";")
    long = pd.DataFrame({"person_id": people, "topic": keywords, "event": np.arange(len(frame))})
    long = long.explode("person_id").explode("topic")
    long["person_id"] = long["person_id"].str.strip()
    long["topic"] = long["topic"].str.strip()
    long = long[(long["person_id"] != "") & (long["topic"] != "")].drop_duplicates()
    return long.groupby(["person_id", "topic"]).size().rename("events").reset_index()


def baseline_community_topics(communities: list, topics: pd.DataFrame) -> list[list[str]]:
    label = {p: i for i, members in enumerate(communities) for p in members}
    topics = topics.assign(community=topics["person_id"].map(label)).dropna(subset=["community"])
    summed = topics.groupby(["community", "topic"])["events"].sum().reset_index()
    summed = summed.sort_values(["community", "events", "topic"], ascending=[True, False, True])
    return summed.groupby("community")["topic"].agg(lambda s: list(s[:5])).tolist()


def baseline_figures(ties: pd.DataFrame, people: pd.DataFrame, samples: int) -> dict[str, Any]:
    """Every person and unit figure with networkx and pandas."""
    import networkx as nx

    unit = dict(zip(people["person_id"], people["unit_id"], strict=True))
    inside = ties[ties["a"].isin(unit) & ties["b"].isin(unit)]
    graph = nx.Graph()
    graph.add_nodes_from(people["person_id"])
    for a, b, w, r in inside.itertuples(index=False):
        graph.add_edge(a, b, weight=w, reciprocal=r)
    degree = dict(graph.degree())
    strength = dict(graph.degree(weight="weight"))
    ends = pd.concat(
        [
            inside.rename(columns={"a": "me", "b": "other"}),
            inside.rename(columns={"b": "me", "a": "other"}),
        ],
        ignore_index=True,
    )
    cut = ends.groupby("me")["weight"].quantile(0.75)
    strong = ends[ends["reciprocal"] & (ends["weight"] >= ends["me"].map(cut))].groupby("me").size()
    ends["crossing"] = ends["me"].map(unit) != ends["other"].map(unit)
    external_share = ends.groupby("me")["crossing"].mean()
    n = graph.number_of_nodes()
    k = None if n <= 20_000 else min(samples, n)
    betweenness = nx.betweenness_centrality(graph, k=k, normalized=True, seed=0)
    constraint = nx.constraint(graph, weight="weight")
    best, best_q = None, -1.0
    for seed in range(10):
        found = nx.community.louvain_communities(graph, weight="weight", seed=seed)
        q = nx.community.modularity(graph, found, weight="weight")
        if q > best_q:
            best, best_q = found, q
    units_reached = (
        ends[ends["crossing"]].assign(u=ends["other"].map(unit)).groupby("me")["u"].nunique()
    )
    brokers = units_reached[units_reached >= 2].index.to_series().map(betweenness).sort_values()
    ends["unit"] = ends["me"].map(unit)
    ends["internal_weight"] = np.where(ends["crossing"], 0.0, ends["weight"] / 2)
    ends["external_weight"] = np.where(ends["crossing"], ends["weight"], 0.0)
    ends["internal_half"] = np.where(ends["crossing"], 0.0, 0.5)
    per_unit = ends.groupby("unit").agg(
        internal=("internal_half", "sum"),
        external=("crossing", "sum"),
        internal_weight=("internal_weight", "sum"),
        external_weight=("external_weight", "sum"),
    )
    total = per_unit["external"] + per_unit["internal"]
    per_unit["ei"] = (per_unit["external"] - per_unit["internal"]) / total
    per_unit["share"] = per_unit["external_weight"] / (
        per_unit["internal_weight"] + per_unit["external_weight"]
    )
    matrix = (
        ends.assign(other_unit=ends["other"].map(unit))
        .groupby(["unit", "other_unit"])["weight"]
        .sum()
    )
    return {
        "internal_ties": len(inside),
        "degree": degree,
        "strength": strength,
        "strong": strong,
        "external_share": external_share,
        "betweenness": betweenness,
        "constraint": constraint,
        "modularity": best_q,
        "communities": best,
        "brokers": brokers,
        "units": per_unit,
        "matrix": matrix,
    }


def run_baseline(interactions: str, people_path: str, samples: int) -> dict[str, Any]:
    people = pd.read_parquet(people_path)
    times: dict[str, Any] = {}
    t0 = time.perf_counter()
    events = pd.read_parquet(interactions)
    ties = baseline_ties(events)
    times["ties"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    topics = baseline_topics(events)
    del events
    times["topics"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    figures = baseline_figures(ties, people, samples)
    figures["top_topics"] = baseline_community_topics(figures["communities"], topics)
    times["figures"] = time.perf_counter() - t2
    times["total"] = time.perf_counter() - t0
    return {
        "seconds": times,
        "peak_rss_mb": peak_rss_mb(),
        "ties": figures["internal_ties"],
        "modularity": figures["modularity"],
        "degree": figures["degree"],
        "betweenness": figures["betweenness"],
    }


# --------------------------------------------------------------------------- sampling error
def betweenness_error(n_people: int, samples: list[int], seed: int) -> list[dict[str, Any]]:
    """Sampled vs exact betweenness on a generated organization of ``n_people``."""
    from scipy.stats import spearmanr

    from smartmoves.data.analytics import build_ties
    from smartmoves.engines.network import tie_graph
    from smartmoves.engines.network._centrality import betweenness

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.parquet"
        generate_events(path, n_people, 20 * n_people, seed)
        people = generate_people(n_people, seed)
        graph = tie_graph(build_ties(path), people).igraph()
    t0 = time.perf_counter()
    exact, _ = betweenness(graph, exact_limit=n_people, samples=1, seed=0)
    exact_seconds = time.perf_counter() - t0
    top = np.argsort(-exact)[:100]
    rows = []
    for k in samples:
        t0 = time.perf_counter()
        estimate, _ = betweenness(graph, exact_limit=0, samples=k, seed=seed)
        seconds = time.perf_counter() - t0
        rows.append(
            {
                "people": n_people,
                "ties": graph.ecount(),
                "samples": k,
                "seconds": round(seconds, 1),
                "exact_seconds": round(exact_seconds, 1),
                "median_relative_error_top100": float(
                    np.median(np.abs(estimate[top] - exact[top]) / exact[top])
                ),
                "mean_abs_error_over_mean": float(np.abs(estimate - exact).mean() / exact.mean()),
                "spearman": float(spearmanr(estimate, exact).statistic),
                "top100_overlap": len(set(np.argsort(-estimate)[:100]) & set(top)) / 100,
            }
        )
    return rows


# --------------------------------------------------------------------------- driver
def _stage(args: argparse.Namespace) -> None:
    if args.stage == "ours":
        out = run_ours(args.interactions, args.people_file, args.memory_limit)
        frame = out.pop("people_frame")
        out["degree"] = dict(zip(frame["person_id"], frame["degree"].astype(int), strict=True))
        out["betweenness_values"] = dict(zip(frame["person_id"], frame["betweenness"], strict=True))
    else:
        out = run_baseline(args.interactions, args.people_file, args.samples)
        out["betweenness_values"] = out.pop("betweenness")
    print(json.dumps(out, default=float))


def _run_stage(stage: str, args: argparse.Namespace, interactions: str, people: str) -> dict:
    command = [
        sys.executable,
        __file__,
        "--stage",
        stage,
        "--interactions",
        interactions,
        "--people-file",
        people,
        "--memory-limit",
        args.memory_limit,
        "--samples",
        str(args.samples),
    ]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--interactions", help="interactions file or folder (skip generation)")
    parser.add_argument("--people-file", help="people table (Parquet or CSV) for --interactions")
    parser.add_argument("--baseline", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--memory-limit", default="5GB", help="DuckDB memory limit")
    parser.add_argument("--samples", type=int, default=1_000, help="betweenness sources")
    parser.add_argument("--workdir", help="where generated files go (default: a temp folder)")
    parser.add_argument("--betweenness-error", action="store_true")
    parser.add_argument("--stage", choices=["ours", "baseline"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        _stage(args)
        return
    if args.betweenness_error:
        for row in betweenness_error(args.people, [250, 500, 1000, 2000], args.seed):
            print(json.dumps(row))
        return
    folder = Path(args.workdir or tempfile.mkdtemp(prefix="sm-network-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    if args.interactions:
        interactions, people_path = args.interactions, args.people_file
        if people_path and people_path.endswith(".csv"):
            converted = folder / "people.parquet"
            pd.read_csv(people_path, dtype=str).to_parquet(converted)
            people_path = str(converted)
    else:
        interactions = str(folder / f"interactions-{args.events}-{args.people}.parquet")
        people_path = str(folder / f"people-{args.people}.parquet")
        if not Path(interactions).exists():
            t0 = time.perf_counter()
            generate_events(Path(interactions), args.people, args.events, args.seed)
            print(f"generated {args.events:,} events in {time.perf_counter() - t0:.0f} s")
        generate_people(args.people, args.seed).to_parquet(people_path)
    ours = _run_stage("ours", args, interactions, people_path)
    rows = [("ours (DuckDB + igraph)", ours)]
    if args.baseline:
        base = _run_stage("baseline", args, interactions, people_path)
        rows.append(("baseline (pandas + networkx)", base))
    print(f"\n{args.events:,} events, {len(pd.read_parquet(people_path)):,} people")
    header = ("ties s", "topics s", "figures s", "total s", "peak MB")
    print(f"{'pipeline':32} " + " ".join(f"{h:>9}" for h in header))
    for name, r in rows:
        s = r["seconds"]
        print(
            f"{name:32} {s['ties']:9.1f} {s.get('topics', 0):9.1f} {s['figures']:9.1f} "
            f"{s['total']:9.1f} {r['peak_rss_mb']:9.0f}"
        )
    print(f"ours: {ours['ties']:,} ties, betweenness {ours['betweenness']}")
    print(f"ours: modularity {ours['modularity']:.4f}, {ours['communities']} communities")
    if args.baseline:
        print(f"baseline: {base['ties']:,} ties, modularity {base['modularity']:.4f}")
        same_degree = all(ours["degree"][p] == base["degree"][p] for p in ours["degree"])
        gap = max(
            abs(ours["betweenness_values"][p] - base["betweenness_values"][p])
            for p in ours["degree"]
        )
        print(f"same degrees: {same_degree}; largest betweenness difference: {gap:.2e}")
        ratio = base["seconds"]["total"] / ours["seconds"]["total"]
        print(f"speed-up (baseline total / ours total): {ratio:.1f}x")


if __name__ == "__main__":
    main()
