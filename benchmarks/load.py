"""Fifty users at once on the demo: requests/s, errors and p50/p95/p99, on SQLite and on
PostgreSQL, in one run, beside the figures measured before issue 13.

    python benchmarks/load.py                          # 50 users, 2 workers, both stores
    python benchmarks/load.py --stores sqlite --duration 10 --by-path
    python benchmarks/load.py --users 20 --think 1     # users who read a page before the next

For each store a demo workspace is built once in ``--workdir`` (``smartmoves demo
build``, with this tree) and kept for later runs; PostgreSQL's lives in the database
``--database`` of the loopback server ``--postgres`` (created, or re-created when it
holds no demo). Then ``smartmoves serve --workers N`` starts on a free loopback port, the
users log in (admins, champions and members in turn, with the demo's logins) and each
asks, one request after the other, for pages and API answers its role may open, drawn at
random from a fixed mix. Every user opens every page of its mix once (the warm-up: the
aggregates are computed and the analysis read), then all run for ``--warmup`` seconds
more; only the requests that start within the next ``--duration`` seconds are counted.

Only loopback addresses are ever asked; every request has a timeout, and the run stops
by itself (the server is stopped too, whatever happens).

An error is an answer other than 200 (a 202 "being computed" included: the demo is
warm), or no answer within the timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

try:
    import httpx2 as httpx  # the fork of httpx the project's dev tools install
except ImportError:  # pragma: no cover
    import httpx  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

# 50 users on the demo before issue 13 (one server process, SQLite), warm.
BASELINE = {"requests/s": 13.0, "p50": 2.9, "p95": 8.3, "p99": 10.5}
TARGET_P95 = 0.200
ROLES = ("admin", "champion", "member")
REQUEST_TIMEOUT = 30.0  # seconds; a request still unanswered then is an error
LOGIN_TIMEOUT = 300.0  # seconds, for all the users' logins at once
START_TIMEOUT = 180.0  # seconds for the server to answer its first request

# The mix: every role's pages and their JSON twins. {unit}, {pilot} and {workgroup} are
# drawn at random among the demo's for each request.
EVERYONE = [
    "/",
    "/api/v1/overview",
    "/units/{unit}",
    "/api/v1/units/{unit}",
    "/pilots",
    "/api/v1/pilots",
    "/pilots/{pilot}",
    "/api/v1/pilots/{pilot}",
    "/pilots/{pilot}/workgroups",
    "/api/v1/pilots/{pilot}/workgroups",
    "/pilots/{pilot}/cells",
    "/api/v1/pilots/{pilot}/cells",
    "/pilots/{pilot}/volunteers",
    "/api/v1/pilots/{pilot}/volunteers/call",
    "/me/network",
    "/api/v1/me",
]
STAFF = [
    "/network",
    "/api/v1/network/units",
    "/pilots/{pilot}/capacity",
    "/api/v1/pilots/{pilot}/capacity",
    "/api/v1/pilots/{pilot}/volunteers",
    "/pilots/{pilot}/coaches",
    "/api/v1/pilots/{pilot}/coaches",
    "/pilots/{pilot}/workgroups/{workgroup}",
    "/api/v1/pilots/{pilot}/workgroups/{workgroup}",
    "/pilots/{pilot}/workgroups/{workgroup}/connect",
    "/api/v1/pilots/{pilot}/workgroups/{workgroup}/connect",
]
MIX = {
    "admin": [*EVERYONE, *STAFF, "/admin/network", "/api/v1/network/people", "/admin/users"],
    "champion": [*EVERYONE, *STAFF, "/api/v1/me/network"],
    "member": [*EVERYONE, "/api/v1/me/network", "/pilots/{pilot}/apply"],
}


def _python(*arguments: str, env: dict[str, str] | None = None) -> None:
    environment = {**os.environ, "PYTHONPATH": str(REPO / "src"), **(env or {})}
    subprocess.run([sys.executable, *arguments], check=True, env=environment)


def _is_loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def _admin_url(server: str) -> str:
    """The psycopg form of ``server`` (which names the SQLAlchemy driver), on its
    ``postgres`` database."""
    return server.replace("postgresql+psycopg://", "postgresql://").rstrip("/") + "/postgres"


def _has_demo(server: str, database: str) -> bool:
    import psycopg

    with psycopg.connect(_admin_url(server), autocommit=True) as con:
        if not con.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            return False
    url = _admin_url(server).rsplit("/", 1)[0] + "/" + database
    with psycopg.connect(url, autocommit=True) as con:
        found = con.execute("SELECT to_regclass('public.alembic_version')").fetchone()
        return bool(found and found[0])


def _new_database(server: str, database: str) -> None:
    import psycopg

    if not re.fullmatch(r"[a-z_][a-z0-9_]*", database):
        raise SystemExit(f"--database {database!r}: letters, digits and _ only")
    with psycopg.connect(_admin_url(server), autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        con.execute(f"CREATE DATABASE {database}")


def demo_workspace(workdir: Path, store: str, args: argparse.Namespace) -> tuple[Path, dict]:
    """The store's demo workspace (built when missing) and the environment that opens it."""
    folder = workdir / store
    env: dict[str, str] = {}
    if store == "postgresql":
        env["SMARTMOVES_DATABASE_URL"] = f"{args.postgres.rstrip('/')}/{args.database}"
        if not (
            (folder / "demo-logins.json").is_file() and _has_demo(args.postgres, args.database)
        ):
            shutil.rmtree(folder, ignore_errors=True)
            _new_database(args.postgres, args.database)
    if not (folder / "demo-logins.json").is_file():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"building the {store} demo in {folder}...", flush=True)
        _python(
            "-m", "smartmoves", "demo", "build", str(folder), "--people", str(args.people), env=env
        )
    else:  # kept from an earlier run, perhaps by an older version: bring its schema along
        _python("-m", "smartmoves", "db", "upgrade", "--workspace", str(folder), env=env)
    return folder, env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def server(workspace: Path, env: dict[str, str], workers: int) -> Iterator[tuple[str, int]]:
    """``smartmoves serve`` on a free loopback port, stopped (with its workers) at the end:
    its address and its process group."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "smartmoves",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workspace",
        str(workspace),
        *(["--workers", str(workers)] if workers != 1 else []),  # 1: as before --workers
    ]
    with running(command, env, port) as found:
        yield found


@contextlib.contextmanager
def running(command: list[str], env: dict[str, str], port: int) -> Iterator[tuple[str, int]]:
    """Start a server ``command`` listening on loopback ``port``, wait until it answers,
    and stop it (with the workers it started) at the end: its address and process group."""
    environment = {**os.environ, "PYTHONPATH": str(REPO / "src"), **env}
    # A group of its own: stopping it stops the worker processes uvicorn started.
    process = subprocess.Popen(command, env=environment, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise SystemExit(f"the server stopped at its start (exit {process.returncode})")
            try:
                if httpx.get(f"{base}/login", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"the server did not answer within {START_TIMEOUT:.0f} s")
            time.sleep(0.5)
        yield base, process.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@dataclass
class Tally:
    """What the users saw: per request, when it started, how long it took, its answer."""

    started: float = 0.0  # the measured window, on the monotonic clock
    ended: float = 0.0
    times: list[float] = field(default_factory=list)
    errors: int = 0
    kinds: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_path: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    # CPU seconds over the measured window: the server's processes, these users' own
    # (the same two cores carry both), and the machine's busy share (all processes).
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    busy: float = 0.0
    connections: list[int] = field(default_factory=list)  # per server process

    def add(self, began: float, seconds: float, template: str, outcome: str) -> None:
        if not self.started <= began < self.ended:
            return
        self.times.append(seconds)
        self.by_path[template].append(seconds)
        if outcome != "200":
            self.errors += 1
            self.kinds[f"{template} {outcome}"] += 1


async def _login(
    client: httpx.AsyncClient, login: dict[str, Any], timeout: float = REQUEST_TIMEOUT
) -> None:
    page = await client.get("/login", timeout=timeout)
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    if not found:
        raise SystemExit("no login form")
    form = {"email": login["email"], "password": login["password"], "csrf": found[1], "next": "/"}
    answer = await client.post("/login", data=form, timeout=timeout)
    if answer.status_code != 303:
        raise SystemExit(f"could not log in as {login['role']}: {answer.status_code}")


async def _places(base: str, login: dict[str, Any]) -> dict[str, list[str]]:
    """The demo's units, pilot and workgroups the mix's paths name (asked as the admin)."""
    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT) as client:
        await _login(client, login)
        overview = (await client.get("/api/v1/overview")).json()
        pilots = (await client.get("/api/v1/pilots")).json()
        pilot = next(p for p in pilots if p["status"] != "draft")
        listed = (await client.get(f"/api/v1/pilots/{pilot['id']}/workgroups")).json()
    units = [u["unit_id"] for u in overview["units"]]
    return {
        "unit": units[:: max(1, len(units) // 8)],  # a few, from the top of the tree down
        "pilot": [str(pilot["id"])],
        "workgroup": [str(w["id"]) for w in listed["workgroups"]],
    }


def _path(template: str, places: dict[str, list[str]], rng: random.Random) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: rng.choice(places[m[1]]), template)


async def _ask(client: httpx.AsyncClient, path: str) -> tuple[float, float, str]:
    began = time.monotonic()
    try:
        answer = await client.get(path)
        outcome = str(answer.status_code)
    except httpx.HTTPError as exc:
        outcome = type(exc).__name__
    return began, time.monotonic() - began, outcome


async def _user(
    base: str,
    login: dict[str, Any],
    places: dict[str, list[str]],
    tally: Tally,
    seed: int,
    think: float,
    logged_in: asyncio.Barrier,
    ready: asyncio.Barrier,
) -> None:
    rng = random.Random(seed)
    mix = MIX[login["role"]]
    limits = httpx.Limits(max_connections=1)  # one browser tab: one request at a time
    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT, limits=limits) as client:
        # Fifty password checks at once queue up on the server's small pool: logins wait
        # longer than pages may, and all are in before the first page is asked for.
        await _login(client, login, timeout=LOGIN_TIMEOUT)
        await logged_in.wait()
        for template in mix:  # the warm-up: every page of the mix once
            await _ask(client, _path(template, places, rng))
        await ready.wait()
        while time.monotonic() < tally.ended:
            template = rng.choice(mix)
            began, seconds, outcome = await _ask(client, _path(template, places, rng))
            tally.add(began, seconds, template, outcome)
            if think:
                await asyncio.sleep(rng.uniform(0, 2 * think))


async def _load(
    base: str, logins: list[dict[str, Any]], args: argparse.Namespace, think: float, group: int
) -> Tally:
    by_role = {x["role"]: x for x in logins}
    places = await _places(base, by_role["admin"])
    tally = Tally()
    tally.ended = float("inf")
    logged_in = asyncio.Barrier(args.users)
    ready = asyncio.Barrier(args.users + 1)
    users = [
        asyncio.create_task(
            _user(
                base,
                by_role[ROLES[i % len(ROLES)]],
                places,
                tally,
                i,
                think,
                logged_in,
                ready,
            )
        )
        for i in range(args.users)
    ]
    waiting = asyncio.create_task(ready.wait())
    done, _ = await asyncio.wait([waiting, *users], return_when=asyncio.FIRST_COMPLETED)
    if waiting not in done:  # a user failed before the warm-up ended
        for task in users:
            task.cancel()
        for task in done:
            task.result()
    tally.started = time.monotonic() + args.warmup
    tally.ended = tally.started + args.duration
    await asyncio.gather(*users, _count_cpu(tally, group, urlsplit(base).port or 80))
    return tally


def group_cpu(group: int) -> float:
    """CPU seconds so far of the live processes of process group ``group`` (the server
    and the workers it started), from ``/proc``."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[2]) == group:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def connections_by_process(group: int, port: int) -> list[int]:
    """How many open connections to ``port`` each process of group ``group`` holds, the
    most first (``/proc``): how evenly the kernel spread the users over the workers."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                local, state, inode = line.split()[1], line.split()[3], line.split()[9]
                if state == "01" and int(local.rsplit(":", 1)[1], 16) == port:
                    inodes.add(f"socket:[{inode}]")
    counts = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[2]) != group:
                continue
            held = sum(os.readlink(fd) in inodes for fd in (stat.parent / "fd").iterdir())
        except OSError:  # gone meanwhile
            continue
        if held:
            counts.append(held)
    return sorted(counts, reverse=True)


def _machine() -> tuple[float, float]:
    """The machine's busy and total CPU time so far (``/proc/stat``), in ticks."""
    numbers = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = numbers[3] + numbers[4]  # idle and waiting for input/output
    return sum(numbers) - idle, sum(numbers)


async def _count_cpu(tally: Tally, group: int, port: int) -> None:
    """Read the CPU figures at the start and the end of the measured window."""
    await asyncio.sleep(max(0.0, tally.started - time.monotonic()))
    server0, client0, (busy0, all0) = group_cpu(group), time.process_time(), _machine()
    tally.connections = connections_by_process(group, port)
    await asyncio.sleep(max(0.0, tally.ended - time.monotonic()))
    busy1, all1 = _machine()
    tally.server_cpu = group_cpu(group) - server0
    tally.client_cpu = time.process_time() - client0
    tally.busy = (busy1 - busy0) / max(1, all1 - all0)


def _quantile(times: list[float], q: float) -> float:
    if len(times) < 2:
        return times[0] if times else float("nan")
    return statistics.quantiles(times, n=100, method="inclusive")[round(q * 100) - 1]


def _row(name: str, rate: float, errors: str, p50: float, p95: float, p99: float) -> str:
    return f"{name:32}{rate:>12.1f}{errors:>9}{p50:>10.3f}{p95:>10.3f}{p99:>10.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", default="sqlite,postgresql", help="sqlite, postgresql")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds, not counted")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds counted")
    parser.add_argument(
        "--think",
        default="0,1",
        help="mean seconds a user reads a page before the next, one run each (0: at once)",
    )
    parser.add_argument("--people", type=int, default=2000, help="the demo bank's headcount")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/smartmoves-load"))
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="load_bench")
    parser.add_argument("--by-path", action="store_true", help="also each path's p95")
    args = parser.parse_args()
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    if unknown := set(stores) - {"sqlite", "postgresql"}:
        parser.error(f"unknown store(s): {', '.join(sorted(unknown))}")
    if "postgresql" in stores and not _is_loopback(urlsplit(args.postgres).hostname):
        parser.error("--postgres must be on this machine (a loopback address)")
    if not 1 <= args.users <= 500 or args.duration > 600 or args.warmup > 600:
        parser.error("at most 500 users, 600 s of warm-up and 600 s measured")
    thinks = [float(x) for x in args.think.split(",") if x.strip()]
    if any(not 0 <= t <= 60 for t in thinks):
        parser.error("--think: between 0 and 60 seconds")
    args.workdir.mkdir(parents=True, exist_ok=True)
    results: dict[str, Tally] = {}
    for store in stores:
        workspace, env = demo_workspace(args.workdir, store, args)
        logins = json.loads((workspace / "demo-logins.json").read_text(encoding="utf-8"))
        with server(workspace, env, args.workers) as (base, group):
            for think in thinks:
                print(f"{store}: {args.users} users on {base}, think {think:g} s...", flush=True)
                results[f"{store}, think {think:g} s"] = asyncio.run(
                    _load(base, logins, args, think, group)
                )
    print(
        f"\n{args.users} users ({', '.join(ROLES)} in turn), {args.workers} server workers, "
        f"{args.duration:g} s measured after {args.warmup:g} s warm; think: a user's "
        "pause between two pages (uniform, this mean)"
    )
    print(f"{'':32}{'requests/s':>12}{'errors':>9}{'p50 s':>10}{'p95 s':>10}{'p99 s':>10}")
    b = BASELINE
    print(_row("before issue 13, think 0 s", b["requests/s"], "-", b["p50"], b["p95"], b["p99"]))
    ok = True
    for store, tally in results.items():
        t = tally.times
        p95 = _quantile(t, 0.95)
        print(
            _row(
                store,
                len(t) / args.duration,
                str(tally.errors),
                _quantile(t, 0.50),
                p95,
                _quantile(t, 0.99),
            )
        )
        ok = ok and tally.errors == 0 and p95 < TARGET_P95
        for kind, n in sorted(tally.kinds.items(), key=lambda kv: -kv[1])[:10]:
            print(f"    {n:6} x {kind}")
    print("\nCPU over the measured window, ms a request (2 cores: 2,000 ms a second in all)")
    print(f"{'':32}{'server':>10}{'users':>10}{'machine busy':>14}  connections by worker")
    for store, tally in results.items():
        n = max(1, len(tally.times))
        server_ms, users_ms = 1000 * tally.server_cpu / n, 1000 * tally.client_cpu / n
        spread = ", ".join(map(str, tally.connections)) or "-"
        print(f"{store:32}{server_ms:>10.2f}{users_ms:>10.2f}{tally.busy:>13.0%}  {spread}")
    if args.by_path:
        for store, tally in results.items():
            print(f"\n{store}: p95 by path (seconds, requests)")
            rows = sorted(tally.by_path.items(), key=lambda kv: -_quantile(kv[1], 0.95))
            for template, times in rows:
                print(f"  {_quantile(times, 0.95):8.3f} {len(times):6}  {template}")
    verdict = "met" if ok else "NOT met"
    print(f"\ntarget: p95 under {TARGET_P95 * 1000:.0f} ms and no errors: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
