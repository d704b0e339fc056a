"""CPU a served request costs the server process, by HTTP parser and event loop: Uvicorn's
pure-Python ones (h11, asyncio) beside the compiled ones (httptools, uvloop), in one run.

    python benchmarks/server_cpu.py                      # SQLite demo, 3 rounds of the mix
    python benchmarks/server_cpu.py --rounds 5 --stores sqlite,postgresql

``benchmarks/request_cpu.py`` measures the app in-process; a real server also parses
HTTP, runs an event loop and hands work to threads, and at 50 users who never pause that
is part of what the two cores must carry. Here one server process (Uvicorn, the app of
``serve --workers N``) runs on a loopback port for each choice of parser and loop; an
admin, a champion and a member each ask for every path of their ``benchmarks/load.py``
mix once to warm up, then ``--rounds`` more times, one request after the other, and the
server process's own CPU (user + system, from ``/proc``) over those requests, divided by
their number, is the figure: a busy machine makes a request wait, not cost more CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import random
import sys
import time
from contextlib import AbstractContextManager
from pathlib import Path

from load import MIX, ROLES, _free_port, _login, _path, _places, demo_workspace, httpx, running

CHOICES = {"h11 + asyncio": ("h11", "asyncio"), "httptools + uvloop": ("httptools", "uvloop")}
LAUNCH = (
    "import sys, uvicorn; uvicorn.run('smartmoves.cli.serve:worker_app', factory=True, "
    "host='127.0.0.1', port=int(sys.argv[1]), http=sys.argv[2], loop=sys.argv[3], "
    "log_level='warning')"
)


def _cpu_seconds(pid: int) -> float:
    """User and system CPU of process ``pid`` so far (``/proc/PID/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _settle(pid: int, quiet: float = 0.02, limit: float = 180.0) -> None:
    """Wait until the server's start-up work in its own threads (the network analysis
    read, the sentence model loaded) is over: a second with under ``quiet`` s of CPU."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = _cpu_seconds(pid)
        time.sleep(1.0)
        if _cpu_seconds(pid) - before < quiet:
            return


def _server(
    workspace: Path, env: dict[str, str], http: str, loop: str
) -> AbstractContextManager[tuple[str, int]]:
    """One server process with this parser and loop (what ``serve --workers N`` runs in
    each worker): its address and process id, while the block runs."""
    port = _free_port()
    given = {"workspace": str(workspace), "environment": "production", "loopback": True}
    command = [sys.executable, "-c", LAUNCH, str(port), http, loop]
    return running(command, {**env, "SMARTMOVES_SERVE_WORKER": json.dumps(given)}, port)


async def _measure(base: str, pid: int, logins: list[dict], rounds: int) -> tuple[float, int]:
    """The server's CPU per request (ms) over ``rounds`` of every role's mix, and the
    number of requests that were not a 200."""
    by_role = {x["role"]: x for x in logins}
    places = await _places(base, by_role["admin"])
    rng = random.Random(0)
    clients = {}
    for role in ROLES:
        clients[role] = httpx.AsyncClient(base_url=base, timeout=30)
        await _login(clients[role], by_role[role])
    asked = [(role, _path(t, places, rng)) for role in ROLES for t in MIX[role]]
    try:
        for role, path in asked:  # the warm-up
            await clients[role].get(path)
        await asyncio.to_thread(_settle, pid)
        before, failed = _cpu_seconds(pid), 0
        for _ in range(rounds):
            for role, path in asked:
                failed += (await clients[role].get(path)).status_code != 200
        spent = _cpu_seconds(pid) - before
    finally:
        for client in clients.values():
            await client.aclose()
    return 1000 * spent / (rounds * len(asked)), failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", default="sqlite", help="sqlite, postgresql")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/smartmoves-load"))
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="load_bench")
    args = parser.parse_args()
    missing = [m for m in ("httptools", "uvloop") if importlib.util.find_spec(m) is None]
    rows: list[tuple[str, str, float | None, str]] = []
    for store in [s.strip() for s in args.stores.split(",") if s.strip()]:
        workspace, env = demo_workspace(args.workdir, store, args)
        logins = json.loads((workspace / "demo-logins.json").read_text())
        for name, (http, loop) in CHOICES.items():
            if missing and http == "httptools":
                rows.append((store, name, None, f"not installed: {', '.join(missing)}"))
                continue
            with _server(workspace, env, http, loop) as (base, pid):
                ms, failed = asyncio.run(_measure(base, pid, logins, args.rounds))
            rows.append((store, name, ms, f"{failed} not 200" if failed else ""))
    print(f"\nserver CPU per request over the load mix ({args.rounds} rounds, one process)")
    print(f"{'store':<12}{'parser + loop':<22}{'ms CPU':>8}  note")
    for store, name, ms, note in rows:
        figure = f"{ms:8.2f}" if ms is not None else f"{'-':>8}"
        print(f"{store:<12}{name:<22}{figure}  {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
