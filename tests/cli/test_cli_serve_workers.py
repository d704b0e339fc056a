"""``serve --workers N`` on Linux: each process on a socket of its own, the connections
spread over them and kept even, and a port in use refused before anything starts."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from smartmoves.cli import serve_workers
from smartmoves.cli.serve_workers import Balancing, PortInUse, listening_socket, port_is_free

from services import new_workspace

linux = pytest.mark.skipif(
    not serve_workers.spreads_connections(), reason="SO_REUSEPORT spreads connections on Linux"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@linux
def test_the_processes_share_the_port_and_an_ordinary_listener_keeps_them_off() -> None:
    port = _free_port()
    assert port_is_free("127.0.0.1", port)
    one, other = listening_socket("127.0.0.1", port), listening_socket("127.0.0.1", port)
    try:
        one.listen()
        other.listen()
        assert not port_is_free("127.0.0.1", port)  # a second serve would be told
    finally:
        one.close()
        other.close()
    with socket.create_server(("127.0.0.1", port)) as ordinary:
        assert ordinary.getsockname()[1] == port
        with pytest.raises(PortInUse, match=f"127.0.0.1:{port}"):
            listening_socket("127.0.0.1", port)


async def _answer(app: Balancing, scope: dict[str, Any]) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


async def _ok(scope: Any, receive: Any, send: Any) -> None:
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": [(b"a", b"1")]})
        await send({"type": "http.response.body", "body": b"ok"})


def _closes(held: int, shares: list[int], chance: float) -> bool:
    app = Balancing(_ok, lambda: held, shares, 0, chance=lambda: chance)
    start = asyncio.run(_answer(app, {"type": "http"}))[0]
    assert start["status"] == 200 and (b"a", b"1") in start["headers"]
    return (b"connection", b"close") in start["headers"]


def test_a_process_over_its_share_lets_some_connections_go() -> None:
    shares = [0, 20]
    # 30 held against a share of 25: 4.5 too many, so one answer in 30 / 4.5 closes.
    assert _closes(30, shares, chance=0.0)
    assert shares == [30, 20]  # and the others now know what this one holds
    assert _closes(30, [0, 20], chance=0.149)
    assert not _closes(30, [0, 20], chance=0.151)
    # At its share (or half a connection above it) it keeps every connection.
    assert not _closes(25, [0, 25], chance=0.0)
    assert not _closes(26, [0, 25], chance=0.0)  # 51 over two: 25.5 each
    assert not _closes(1, [0, 0], chance=0.0)  # one user on one process


def test_what_is_not_a_request_passes_through_untouched() -> None:
    seen: list[dict[str, Any]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope)

    balancing = Balancing(app, lambda: 100, [0, 0], 0, chance=lambda: 0.0)
    asyncio.run(balancing({"type": "lifespan"}, None, None))  # type: ignore[arg-type]
    assert seen == [{"type": "lifespan"}]


@pytest.mark.parametrize("seed", range(20))
def test_connections_spread_unevenly_end_up_even(seed: int) -> None:
    """Simulated: users on workers at random (as a hash puts them), each asking in turn;
    a connection let go comes back on any worker. A few rounds even them out."""
    rng = random.Random(seed)
    workers, users = rng.choice([2, 3, 4]), rng.randint(10, 80)
    on = [rng.randrange(workers) for _ in range(users)]
    on[: users // 2] = [0] * (users // 2)  # at least half on the first, to start from
    shares = [0] * workers

    def held(worker: int) -> int:
        return on.count(worker)

    apps = [
        Balancing(_ok, lambda w=w: held(w), shares, w, chance=rng.random) for w in range(workers)
    ]
    for _ in range(30):
        for user in range(users):
            if apps[on[user]].over_share():
                on[user] = rng.randrange(workers)  # a new connection, anywhere
    counts = [held(w) for w in range(workers)]
    assert max(counts) - min(counts) <= 2, counts


# ------------------------------------------------------------------------- for real
def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def _connections(pids: list[int], port: int) -> list[int]:
    """The open connections to ``port`` each of ``pids`` holds (``/proc``)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:
            inodes.add(f"socket:[{fields[9]}]")
    counts = []
    for pid in pids:
        with_fds = Path(f"/proc/{pid}/fd")
        try:
            counts.append(sum(os.readlink(fd) in inodes for fd in with_fds.iterdir()))
        except OSError:
            counts.append(0)
    return counts


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int, Path]]:
    """``smartmoves serve --workers 2`` on a free loopback port, stopped at the end."""
    settings = new_workspace(tmp_path / "ws", None)
    port = _free_port()
    command = [sys.executable, "-m", "smartmoves", "serve", "-w", str(settings.workspace)]
    server = subprocess.Popen([*command, "--port", str(port), "--workers", "2"])
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, "the server stopped at its start"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/login", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.3)
        yield server, port, settings.workspace
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@linux
def test_both_processes_answer_and_hold_about_as_many_users(
    served: tuple[subprocess.Popen[bytes], int, Path],
) -> None:
    server, port, _ = served
    workers = [
        p for p in _children(server.pid) if "spawn_main" in Path(f"/proc/{p}/cmdline").read_text()
    ]
    users = [httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) for _ in range(20)]
    try:
        counts: list[int] = []
        for _ in range(40):  # rounds of one page each, the connections kept open
            for user in users:
                assert user.get("/login").status_code == 200
            counts = sorted((c for c in _connections(workers, port) if c), reverse=True)
            if len(counts) == 2 and counts[0] - counts[1] <= 2:
                break
        # (a connection just let go is not counted until its user's next page)
        assert len(counts) == 2 and counts[0] - counts[1] <= 2 and counts[1] >= 8, counts
    finally:
        for user in users:
            user.close()
    family = [*workers, *(c for p in _children(server.pid) for c in _children(p))]
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=60) == 0
    deadline = time.monotonic() + 10
    while (
        left := [p for p in family if Path(f"/proc/{p}").exists()]
    ) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, [(p, Path(f"/proc/{p}/cmdline").read_bytes()[:120], _parent(p)) for p in left]


@linux
def test_a_second_serve_on_the_same_port_is_one_line_and_exit_2(
    served: tuple[subprocess.Popen[bytes], int, Path],
) -> None:
    _, port, workspace = served
    again = subprocess.run(
        [sys.executable, "-m", "smartmoves", "serve", "-w", str(workspace), "--port", str(port)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert again.returncode == 2
    assert again.stderr.strip().splitlines() == [
        f"error: port {port} on 127.0.0.1 is in use: stop what listens there, "
        "or choose another with --port"
    ]
