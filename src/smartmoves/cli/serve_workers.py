"""The processes of ``serve --workers N``, each listening on a socket of its own.

Why not Uvicorn's own supervisor: it binds one socket and hands it to every process,
and the process that wakes first accepts every connection that is waiting (asyncio
takes up to the whole backlog at once). When 50 users logged in together one process
was seen holding 40 of their connections and the other 10, for as long as they stayed
open: the first one's users waited four times as long as the other's while both cores
were busy. On Linux each process here binds its own socket to the port with
``SO_REUSEPORT``, and the kernel hands each new connection to one of them by a hash of
the client's address and port, whichever process is awake. Elsewhere
:func:`spreads_connections` is false and ``serve`` keeps Uvicorn's supervisor.

A hash spreads 50 connections unevenly too (29 and 21 was seen), and users who keep
their connection open stay where they landed. So each process also writes how many
connections it holds into an array the processes share, and while it holds more than
its share (by more than half a connection), some of its answers say ``Connection: close``
(:class:`Balancing`): the browser opens a new connection for its next request, which
the kernel hands to any of the processes, until they hold about as many each.

The port is tried first with an ordinary bind, which fails while anything listens on
it, so a second ``serve`` on a port in use stops with one line instead of joining the
first one's sockets (and Linux lets only sockets of the same user share a port).

    >>> import uvicorn
    >>> config = uvicorn.Config("smartmoves.cli.serve:worker_app", factory=True)
    >>> # run(config, workers=2)   # returns when a signal asks it to stop
"""

from __future__ import annotations

import logging
import multiprocessing
import random
import signal
import socket
import sys
import threading
from collections.abc import Awaitable, Callable, MutableSequence
from multiprocessing.context import SpawnProcess
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE

__all__ = [
    "Balancing",
    "PortInUse",
    "listening_socket",
    "port_is_free",
    "run",
    "spreads_connections",
]

log = logging.getLogger("uvicorn.error")
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
STOP_SECONDS = 30.0  # for a process to finish its requests once asked to stop
_spawn = multiprocessing.get_context("spawn")


class PortInUse(Exception):
    """Something listens on the port already."""


def spreads_connections() -> bool:
    """Whether this system spreads the connections of one port over the sockets bound to it
    with ``SO_REUSEPORT`` (Linux does; the BSDs and macOS give them all to one)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def port_is_free(host: str, port: int) -> bool:
    """Whether an ordinary socket may bind ``host:port`` now (nothing listens there)."""
    with socket.socket(_family(host), socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` that shares the port with the other processes' (it
    starts listening when the server starts); :class:`PortInUse` when it may not."""
    sock = socket.socket(_family(host), socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise PortInUse(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    return sock


Scope = dict[str, Any]
Message = dict[str, Any]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Send], Awaitable[None]]
SLACK = 0.5  # connections a process may hold above its share before it lets one go


class Balancing:
    """ASGI middleware of one process: ``held()`` is how many connections it holds,
    ``shares[index]`` where it tells the others; while it holds more than its share of
    them all plus :data:`SLACK`, some of its answers close their connection
    (:meth:`over_share`)."""

    def __init__(
        self,
        app: ASGIApp,
        held: Callable[[], int],
        shares: MutableSequence[int],
        index: int,
        chance: Callable[[], float] = random.random,
    ) -> None:
        self.app, self.held, self.shares, self.index = app, held, shares, index
        self.chance = chance

    def over_share(self) -> bool:
        """Whether this answer lets its connection go: while the process holds ``excess``
        connections above its share, one answer in ``held / excess`` does, so that in one
        round of its users' requests about ``excess`` of them reconnect (and about half
        of those land on another process). Closing every answer would send all of them
        away at once, and as many back."""
        held = self.held()
        self.shares[self.index] = held
        excess = held - sum(self.shares) / len(self.shares) - SLACK
        return excess > 0 and self.chance() * held < excess

    async def __call__(self, scope: Scope, receive: Any, send: Send) -> None:
        if scope["type"] != "http" or not self.over_share():
            await self.app(scope, receive, send)
            return

        async def closing(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), (b"connection", b"close")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, closing)


def _serve_one(config: uvicorn.Config, index: int, shares: MutableSequence[int]) -> None:
    """One process: its own socket, then Uvicorn's server on it (which stops on SIGINT or
    SIGTERM once its requests are answered)."""
    config.configure_logging()
    try:
        sock = listening_socket(config.host, config.port)
    except PortInUse as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(STARTUP_FAILURE)
    server = uvicorn.Server(config)
    config.load()  # the app, wrapped here so that it sees the server's connections
    held = server.server_state.connections
    config.loaded_app = Balancing(config.loaded_app, lambda: len(held), shares, index)
    server.run(sockets=[sock])


def _start(config: uvicorn.Config, index: int, shares: MutableSequence[int]) -> SpawnProcess:
    process = _spawn.Process(
        target=_serve_one, args=(config, index, shares), name=f"smartmoves-worker-{index}"
    )
    process.start()
    return process


def _stop(processes: list[SpawnProcess]) -> None:
    for process in processes:
        if process.is_alive():
            process.terminate()  # SIGTERM: Uvicorn answers what it holds, then exits
    for process in processes:
        process.join(STOP_SECONDS)
        if process.is_alive():
            process.kill()
            process.join()


def run(config: uvicorn.Config, workers: int) -> int:
    """Serve ``config``'s app on ``workers`` processes until a signal asks to stop (or a
    process cannot start); a process that dies later is replaced. Returns the exit code."""
    stop = threading.Event()
    for number in STOP_SIGNALS:
        signal.signal(number, lambda *_: stop.set())
    shares = _spawn.Array("i", workers, lock=False)  # connections each process holds
    processes = [_start(config, index, shares) for index in range(workers)]
    code = 0
    while not stop.wait(0.5):
        for index, process in enumerate(processes):
            if process.is_alive():
                continue
            if process.exitcode == STARTUP_FAILURE:
                # The app, the store or the port is broken: every new one would fail too.
                log.error("a server process could not start: stopping")
                code = 1
                stop.set()
                break
            log.warning(
                "server process %s ended (%s): starting another", process.pid, process.exitcode
            )
            shares[index] = 0
            processes[index] = _start(config, index, shares)
    _stop(processes)
    return code
