"""Betweenness on a second core while this one does the rest.

python-igraph holds the GIL while it computes, so a thread would not overlap with the
constraint and Leiden runs; a second process does, and sends back one float per person.
That process is a fresh interpreter (``python -m`` this module), never a fork: the
caller may be a threaded web server or hold DuckDB's threads, and a fork copies their
locks in whatever state they are. Nor is it a ``multiprocessing`` spawn, which re-runs
the caller's main script in the child and hangs a script without a ``__main__`` guard.
The ties go to the child as a ``.npy`` file and the values come back the same way, so
nothing is unpickled. Used only where betweenness takes long enough to pay for starting
Python; a child that fails (killed, out of memory, no interpreter to start) leaves the
work to this process, so the figures never depend on it.

>>> import igraph
>>> graph = igraph.Graph.Ring(6)
>>> pending = BackgroundBetweenness(graph, workers=2, work_limit=10**6, min_samples=1, seed=0)
>>> values, how = pending.result()
>>> how["method"], [round(float(v), 3) for v in values]
('exact', [0.2, 0.2, 0.2, 0.2, 0.2, 0.2])
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from smartmoves.engines.network._centrality import (
    betweenness,
    betweenness_sources,
    betweenness_steps,
)
from smartmoves.engines.network._ties import undirected_graph

if TYPE_CHECKING:
    import igraph

__all__ = ["PARALLEL_MIN_WORK", "BackgroundBetweenness", "default_workers"]

# Below this many steps betweenness takes under about two seconds here, less than what
# starting a Python with numpy and igraph costs on a busy machine.
PARALLEL_MIN_WORK = 250_000_000


def default_workers(people: int, ties: int, *, work_limit: int, min_samples: int) -> int:
    """Two processes when betweenness is long enough to be worth one, on two cores or more.

    >>> import os
    >>> two_cores = (os.cpu_count() or 1) >= 2
    >>> limits = dict(work_limit=6_000_000_000, min_samples=250)
    >>> default_workers(2_000, 350_000, **limits) == 1 + two_cores
    True
    >>> default_workers(500, 20_000, **limits)
    1
    """
    sources = betweenness_sources(people, ties, work_limit=work_limit, min_samples=min_samples)
    work = sources * betweenness_steps(people, ties)
    return 2 if work >= PARALLEL_MIN_WORK and (os.cpu_count() or 1) >= 2 else 1


class BackgroundBetweenness:
    """Start :func:`betweenness` in a second process (``workers >= 2``), or compute it at
    :meth:`result` time otherwise."""

    def __init__(
        self,
        graph: igraph.Graph,
        *,
        workers: int,
        edges: np.ndarray | None = None,
        **options: Any,
    ) -> None:
        """``edges``: the graph's ties as an ``(m, 2)`` array, when the caller has them
        (cheaper than asking igraph for millions of pairs)."""
        self._graph = graph
        self._options = options
        self._child: subprocess.Popen[bytes] | None = None
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        if workers < 2:
            return
        if edges is None:
            edges = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
        self._folder = tempfile.TemporaryDirectory(prefix="smartmoves-betweenness-")
        folder = Path(self._folder.name)
        np.save(folder / "edges.npy", np.ascontiguousarray(edges, dtype=np.int64))
        request = {"people": graph.vcount(), **options}
        (folder / "request.json").write_text(json.dumps(request))
        # The child finds this package where the caller found it (an install, or a path
        # the caller added at run time).
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        try:
            self._child = subprocess.Popen(
                [sys.executable, "-m", __name__, str(folder)],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        except OSError:  # no interpreter to start (limits, embedded Python): compute here
            self._close()

    def _close(self) -> None:
        self._child = None
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    def result(self) -> tuple[np.ndarray, dict[str, Any]]:
        """The values and how they were computed (waits for the child if there is one)."""
        if self._child is not None and self._folder is not None:
            folder = Path(self._folder.name)
            try:
                self._child.communicate()
                if self._child.returncode == 0:
                    values = np.load(folder / "betweenness.npy")
                    how: dict[str, Any] = json.loads((folder / "method.json").read_text())
                    return values, how
            except (OSError, ValueError):
                pass  # a missing or torn answer: compute here instead
            finally:
                self._close()
        return betweenness(self._graph, **self._options)


def _answer(folder: Path) -> None:
    """In the second process: read the ties, write betweenness and how it was computed."""
    request = json.loads((folder / "request.json").read_text())
    people = int(request.pop("people"))
    edges = np.load(folder / "edges.npy")
    graph = undirected_graph(people, edges[:, 0], edges[:, 1])
    values, how = betweenness(graph, **request)
    # Written under other names, then renamed: the parent never reads half an answer.
    np.save(folder / "partial.npy", values)
    (folder / "method.partial").write_text(json.dumps(how))
    (folder / "partial.npy").replace(folder / "betweenness.npy")
    (folder / "method.partial").replace(folder / "method.json")


if __name__ == "__main__":
    _answer(Path(sys.argv[1]))
