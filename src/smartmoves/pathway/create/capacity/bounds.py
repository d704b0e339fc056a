"""The bounds of a capacity plan, as the plan form shows them and the use case enforces
them, in the same words (for the page, the API and the command line alike).

A light module on purpose: the command line reads these for its ``--help`` without
importing the planner.
"""

from __future__ import annotations

import math

from smartmoves.errors import ConfigError

__all__ = [
    "LOAD_RANGE",
    "MAX_CLI_TIME_LIMIT",
    "MAX_WEB_TIME_LIMIT",
    "MIN_TIME_LIMIT",
    "WEB_TIME_LIMIT",
    "check_bounds",
    "load_bound",
    "time_bound",
]

WEB_TIME_LIMIT = 10.0  # seconds: the default search when the page asks for a plan
MAX_WEB_TIME_LIMIT = 60.0  # the page and the API: longer searches belong to the CLI
MAX_CLI_TIME_LIMIT = 3600.0  # `smartmoves capacity plan`: nobody waits on a page
MIN_TIME_LIMIT = 1.0  # below a second the solver cannot even read the inputs
# A receiver's hours after the plan, as a share of their contracted hours: some room is
# always left to take over (0.1), and at most half a week more than contracted (1.5).
LOAD_RANGE = (0.1, 1.5)


def load_bound() -> str:
    """The most-load bound, as the plan form shows it and a refusal says it."""
    low, high = LOAD_RANGE
    return (
        f"most load per receiver: {low:g} to {high:g} times their contracted hours "
        "(1.0 is a full week)"
    )


def time_bound(max_time_limit: float = MAX_WEB_TIME_LIMIT) -> str:
    """The search-time bound, as the plan form (or ``--help``) shows it."""
    return f"search seconds: {MIN_TIME_LIMIT:g} to {max_time_limit:g}"


def _within(value: float, low: float, high: float) -> bool:
    return math.isfinite(value) and low <= value <= high


def check_bounds(
    max_load: float, time_limit: float, *, max_time_limit: float = MAX_WEB_TIME_LIMIT
) -> None:
    """:class:`ConfigError` naming every bound ``max_load`` and ``time_limit`` break, in
    the words the form shows."""
    problems = []
    if not _within(max_load, *LOAD_RANGE):
        problems.append(f"{load_bound()}, not {max_load:g}")
    if not _within(time_limit, MIN_TIME_LIMIT, max_time_limit):
        wrong = f"{time_bound(max_time_limit)}, not {time_limit:g}"
        if max_time_limit < MAX_CLI_TIME_LIMIT and time_limit > max_time_limit:
            wrong += " (longer searches: smartmoves capacity plan --time-limit)"
        problems.append(wrong)
    if problems:
        raise ConfigError("; ".join(problems))
