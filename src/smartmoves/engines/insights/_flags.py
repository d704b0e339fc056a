"""What a flag says: its kind, size, confidence and one line in plain words."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["KINDS", "Flag", "confidence", "explain"]

KINDS = ("level_shift", "trend_change", "anomaly")


@dataclass(frozen=True)
class Flag:
    """One thing worth discussing in one series.

    ``magnitude`` is in the metric's units (the new level less the old for a level shift,
    the new slope per step less the old for a trend change, the value less what its
    neighbours suggest for an anomaly); ``magnitude_sd`` is the same in noise SDs.
    ``before`` and ``after`` are the levels (or slopes per step) on either side, or the
    expected and the actual value of an anomaly. ``confidence`` runs from 0 to 1: 0.5 is
    a change just as large as the largest that noise alone would show in a series this
    long, 0.98 one two standard errors larger still.
    """

    metric_id: str
    scope: str
    scope_id: str
    date: str
    kind: str
    magnitude: float
    magnitude_sd: float
    before: float
    after: float
    confidence: float
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def confidence(z: float, n: int, *, extra: float = 0.0) -> float:
    """``Phi(z - sqrt(2 log n) - extra)``: ``sqrt(2 log n)`` is about the largest of ``n``
    standard normal statistics, the size noise alone reaches in a scan of ``n`` places."""
    shifted = z - math.sqrt(2.0 * math.log(max(n, 2))) - extra
    return 0.5 * math.erfc(-shifted / math.sqrt(2.0))


def _number(value: float) -> str:
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def _signed(value: float) -> str:
    return ("+" if value >= 0 else "-") + _number(abs(value))


def explain(
    kind: str, *, what: str, date: str, before: float, after: float, size_sd: float, step: str
) -> str:
    """The flag in one line a non-statistician reads."""
    sds = f"{abs(size_sd):.1f} noise SD"
    if kind == "level_shift":
        way = "up" if after >= before else "down"
        return (
            f"{what} moved {way} by {_number(abs(after - before))} ({sds}) from {date}: "
            f"about {_number(before)} before, {_number(after)} after."
        )
    if kind == "trend_change":
        return (
            f"{what} changed course from {date}: {_signed(before)} a {step} before, "
            f"{_signed(after)} a {step} after ({sds} a {step} of difference)."
        )
    way = "above" if after >= before else "below"
    return (
        f"{what} was {_number(after)} on {date}, {sds} {way} the {_number(before)} its "
        f"neighbouring {step}s suggest."
    )
