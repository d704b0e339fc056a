"""Betweenness on a second core while this one does the rest.

python-igraph holds the GIL while it computes, so a thread would not overlap with the
constraint and Leiden runs; a forked process does, and shares the graph's memory
copy-on-write (it only reads it) and sends back one float per person. Used only where
betweenness takes more than about half a second; a failed child (killed, out of memory)
falls back to computing here, so the figures never depend on it.

>>> import igraph
>>> graph = igraph.Graph.Ring(6)
>>> pending = BackgroundBetweenness(graph, workers=2, exact_limit=100, samples=10, seed=0)
>>> values, how = pending.result()
>>> how["method"], [round(float(v), 3) for v in values]
('exact', [0.2, 0.2, 0.2, 0.2, 0.2, 0.2])
"""

from __future__ import annotations

import multiprocessing
from typing import TYPE_CHECKING, Any

import numpy as np

from smartmoves.engines.network._centrality import betweenness, betweenness_sources

if TYPE_CHECKING:
    import igraph

__all__ = ["PARALLEL_MIN_WORK", "BackgroundBetweenness", "default_workers"]

# Betweenness walks every tie once per source person. Below this many steps it takes
# about half a second (2,000 people and 350,000 ties, 7e8 steps, take 4 s here): a
# process is not worth starting. Above, the first analysis of the demo's 2,000 people
# drops from 10.0 s to 7.8 s.
PARALLEL_MIN_WORK = 100_000_000


def default_workers(people: int, ties: int, *, exact_limit: int, samples: int) -> int:
    """Two processes when betweenness is long enough to be worth one, on two cores or more.

    >>> import multiprocessing
    >>> two_cores = multiprocessing.cpu_count() >= 2
    >>> default_workers(2_000, 350_000, exact_limit=20_000, samples=1_000) == 1 + two_cores
    True
    >>> default_workers(500, 20_000, exact_limit=20_000, samples=1_000)
    1
    """
    sources = betweenness_sources(people, exact_limit=exact_limit, samples=samples)
    cores = multiprocessing.cpu_count()
    return 2 if sources * ties >= PARALLEL_MIN_WORK and cores >= 2 else 1


class BackgroundBetweenness:
    """Start :func:`betweenness` in a forked process (``workers >= 2`` where the platform
    can fork), or compute it at :meth:`result` time otherwise."""

    def __init__(self, graph: igraph.Graph, *, workers: int, **options: Any) -> None:
        self._graph = graph
        self._options = options
        self._process: Any = None
        self._receiver: Any = None
        if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)

        def run() -> None:  # in the child: the graph is already there, nothing is pickled
            try:
                sender.send(betweenness(graph, **options))
            finally:
                sender.close()

        self._process = context.Process(target=run, daemon=True)
        self._process.start()
        sender.close()  # the child holds its own end: EOF here if it dies
        self._receiver = receiver

    def result(self) -> tuple[np.ndarray, dict[str, Any]]:
        """The values and how they were computed (waits for the child if there is one)."""
        if self._process is not None:
            try:
                found: tuple[np.ndarray, dict[str, Any]] = self._receiver.recv()
                return found
            except (EOFError, OSError):
                pass  # the child died: compute here instead
            finally:
                self._receiver.close()
                self._process.join()
                self._process = None
        return betweenness(self._graph, **self._options)
