"""The demo's connect step: the collaboration network, analyzed once."""

from __future__ import annotations

from typing import Any

from smartmoves.pathway.act.connect.analysis import workspace_network
from smartmoves.settings import Settings

__all__ = ["step"]


def step(settings: Settings, truth: dict[str, Any]) -> None:
    """Compute the demo's network once, so its pages open at once (about 8 s for the
    2,000-person bank on a 2-core machine, then a fraction of a second from the cache)."""
    workspace_network(settings, compute=True)
