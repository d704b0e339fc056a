"""CPU per request, path by path: this tree beside a baseline commit, in one run.

    python benchmarks/request_cpu.py                          # SQLite, baseline BASELINE
    python benchmarks/request_cpu.py --stores sqlite,postgresql --rounds 20
    python benchmarks/request_cpu.py --baseline a71340b --profile /api/v1/overview

Why CPU and not wall time: 50 users who never pause keep the server's two cores busy,
so the p95 ``benchmarks/load.py`` measures is set by the CPU each request costs (Little's
law: under 8 ms a request for p95 < 200 ms), and CPU time is what a shared, busy machine
leaves readable (wall time there measures the neighbours).

Each version runs in fresh processes (``PYTHONPATH`` its ``src/``; ``--repeat`` of
them, alternating) over the same demo workspace (built with this tree in ``--workdir``,
as ``benchmarks/load.py`` builds it, and kept). In each process the app is driven
in-process by an ASGI client (no sockets), its blocking work run in the asking thread
and numerical libraries on one thread, so that the CPU counted is the request's own;
each role of the load mix logs in and asks for every path of its mix twice (the
warm-up), then ``--rounds`` more times, and ``time.process_time()`` around each request
is its CPU (the app's and the client's; not the PostgreSQL server's, another process).
A JSON path is asked for again with the ``ETag`` it answered (``If-None-Match``): what
a client that keeps its answers pays. The table shows, for each path, the median of the
rounds, the least over the processes (what noise can only add to); and the mean over
the load mix (each path as often as the load's users draw it).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from connect_page import REPO, baseline_source
from load import MIX, demo_workspace

# Numerical libraries on one thread: a pool's idle threads spin, and on a busy machine
# that spinning would count as the request's CPU.
ONE_THREAD = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "TOKENIZERS_PARALLELISM": "false",
}
BASELINE = "a71340b"  # main before this change: page bodies rendered on every request


def _inline() -> None:
    """Run the app's blocking work in the asking thread, not on a pool: the CPU counted is
    then the request's own, not threads handing the interpreter to each other (which a
    busy machine makes longer)."""
    import anyio.to_thread
    import fastapi.dependencies.utils
    import fastapi.routing
    import starlette.concurrency

    async def run_sync(function: Any, /, *args: Any, **_: Any) -> Any:
        return function(*args)

    async def run_in_threadpool(function: Any, /, *args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    anyio.to_thread.run_sync = run_sync  # type: ignore[assignment]
    for module in (starlette.concurrency, fastapi.routing, fastapi.dependencies.utils):
        module.run_in_threadpool = run_in_threadpool  # type: ignore[attr-defined]


async def _login(client: Any, login: dict[str, Any]) -> None:
    client.cookies.clear()
    found = re.search(r'name="csrf" value="([^"]+)"', (await client.get("/login")).text)
    assert found, "no login form"
    form = {"email": login["email"], "password": login["password"], "csrf": found[1]}
    answer = await client.post("/login", data={**form, "next": "/"})
    assert answer.status_code == 303, f"could not log in as {login['role']}"


async def _places(client: Any) -> dict[str, list[str]]:
    overview = (await client.get("/api/v1/overview")).json()
    pilots = (await client.get("/api/v1/pilots")).json()
    pilot = next(p for p in pilots if p["status"] != "draft")
    listed = (await client.get(f"/api/v1/pilots/{pilot['id']}/workgroups")).json()
    units = [u["unit_id"] for u in overview["units"]]
    return {
        "unit": units[:: max(1, len(units) // 8)],
        "pilot": [str(pilot["id"])],
        "workgroup": [str(w["id"]) for w in listed["workgroups"]],
    }


async def _cpu(client: Any, path: str, headers: dict[str, str] | None = None) -> Any:
    started = time.process_time()
    answer = await client.get(path, headers=headers or {})
    return time.process_time() - started, answer


async def _measure(workspace: Path, rounds: int, profile: str | None) -> dict[str, Any]:
    try:
        import httpx2 as httpx  # the fork of httpx the project's dev tools install
    except ImportError:  # pragma: no cover
        import httpx  # type: ignore[no-redef]

    import smartmoves
    from smartmoves.settings import get_settings
    from smartmoves.web import create_app

    logins = {x["role"]: x for x in json.loads((workspace / "demo-logins.json").read_text())}
    rng = random.Random(0)
    figures: dict[str, Any] = {"source": str(Path(smartmoves.__file__).parents[1]), "paths": {}}
    transport = httpx.ASGITransport(app=create_app(get_settings(workspace)))
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
        await _login(client, logins["admin"])
        places = await _places(client)
        for role, mix in MIX.items():
            await _login(client, logins[role])
            paths = [(t, re.sub(r"\{(\w+)\}", lambda m: rng.choice(places[m[1]]), t)) for t in mix]
            for _, path in paths * 2:  # the warm-up: every page computed and kept
                await client.get(path)
            for template, path in paths:
                times, again = [], []
                for _ in range(rounds):
                    seconds, answer = await _cpu(client, path)
                    assert answer.status_code == 200, f"{role} {path}: {answer.status_code}"
                    times.append(seconds)
                    if "etag" in answer.headers:
                        tag = {"If-None-Match": answer.headers["etag"]}
                        seconds, kept = await _cpu(client, path, tag)
                        assert kept.status_code == 304, f"{path}: {kept.status_code}"
                        again.append(seconds)
                figures["paths"][f"{role} {template}"] = {
                    "ms": 1000 * statistics.median(times),
                    "ms_304": 1000 * statistics.median(again) if again else None,
                }
                if profile and template == profile:
                    profiler = cProfile.Profile()
                    profiler.enable()
                    for _ in range(rounds):
                        await client.get(path)
                    profiler.disable()
                    stats = pstats.Stats(profiler, stream=sys.stderr)
                    stats.sort_stats("cumulative").print_stats(40)
    return figures


def child(workspace: Path, rounds: int, profile: str | None) -> dict[str, Any]:
    """In this process: ms CPU per request, by role and path (what :func:`main` reads)."""
    _inline()
    return asyncio.run(_measure(workspace, rounds, profile))


def _run(source: Path, workspace: Path, env: dict[str, str], args: argparse.Namespace) -> Any:
    command = [sys.executable, __file__, "--child", "--workspace", str(workspace)]
    command += [
        "--rounds",
        str(args.rounds),
        *(["--profile", args.profile] if args.profile else []),
    ]
    environment = {**os.environ, **env, **ONE_THREAD, "PYTHONPATH": str(source)}
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True, env=environment)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert Path(figures["source"]).resolve() == source.resolve(), f"imported {figures['source']}"
    return figures


def _mean_over_mix(paths: dict[str, dict[str, Any]], key: str = "ms") -> float:
    """The mix's mean: every role's paths equally often, as the load's users draw them."""
    values = [(p[key] if p.get(key) is not None else p["ms"]) for p in paths.values()]
    return statistics.fmean(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE, help="commit to compare with")
    parser.add_argument("--stores", default="sqlite", help="sqlite, postgresql")
    parser.add_argument("--rounds", type=int, default=10, help="requests per path measured")
    parser.add_argument("--repeat", type=int, default=2, help="processes per version")
    parser.add_argument("--profile", help="a path of the mix to profile (to stderr)")
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/smartmoves-load"))
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="load_bench")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workspace", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.workspace, args.rounds, args.profile)))
        return 0
    if not 1 <= args.rounds <= 1000:
        parser.error("--rounds: between 1 and 1000")
    args.workdir.mkdir(parents=True, exist_ok=True)
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    with tempfile.TemporaryDirectory(prefix="smartmoves-baseline-") as tmp:
        sources = {
            f"baseline {args.baseline}": baseline_source(args.baseline, Path(tmp)),
            "this tree": REPO / "src",
        }
        for store in stores:
            workspace, env = demo_workspace(args.workdir, store, args)
            runs: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in sources}
            for _ in range(args.repeat):  # alternating, so both see the machine alike
                for name, source in sources.items():
                    for path, row in _run(source, workspace, env, args)["paths"].items():
                        kept = runs[name].setdefault(path, row)
                        for k, v in row.items():  # the least CPU a repeat measured
                            if v is not None and (kept[k] is None or v < kept[k]):
                                kept[k] = v
            before, after = runs.values()
            print(
                f"\n{store}: ms CPU per request (median of {args.rounds}, least of "
                f"{args.repeat} processes; 304: asked again with its ETag)"
            )
            print(f"{'':60}{'before':>9}{'after':>9}{'304':>9}")
            for path, row in before.items():
                new = after.get(path, {})
                kept = f"{new['ms_304']:9.2f}" if new.get("ms_304") is not None else f"{'':9}"
                print(f"{path:60}{row['ms']:9.2f}{new.get('ms', float('nan')):9.2f}{kept}")
            print(
                f"{'mean over the load mix':60}{_mean_over_mix(before):9.2f}"
                f"{_mean_over_mix(after):9.2f}{_mean_over_mix(after, 'ms_304'):9.2f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
