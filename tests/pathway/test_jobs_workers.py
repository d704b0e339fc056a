"""A job worker process ends with the server process that started it, however that one
ends (a worker left behind would wait for jobs for ever, holding memory)."""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from smartmoves.pathway import jobs


def _server(found: Any) -> None:
    """A stand-in for a server process: starts a job worker, tells its pid, then dies
    without shutting anything down."""
    pool = ProcessPoolExecutor(
        1, mp_context=multiprocessing.get_context("spawn"), initializer=jobs._end_with_parent
    )
    found.send(pool.submit(os.getpid).result(timeout=120))  # a pipe: sent before exiting
    os._exit(1)


def test_a_job_worker_ends_when_its_server_process_dies() -> None:
    spawn = multiprocessing.get_context("spawn")
    found, given = spawn.Pipe(duplex=False)
    server = spawn.Process(target=_server, args=(given,))
    server.start()
    assert found.poll(120), "the stand-in server did not start its job worker"
    worker = found.recv()
    server.join(timeout=60)
    assert server.exitcode == 1
    deadline = time.monotonic() + 30
    while Path(f"/proc/{worker}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(f"/proc/{worker}").exists(), "the job worker outlived its server"
