"""What is known about a candidate entry point, and the weights that turn it into scores."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

from smartmoves.errors import ConfigError

__all__ = [
    "DEFAULT_WEIGHTS",
    "MAX_VOLUNTEERS",
    "MIN_VOLUNTEERS",
    "SCORES",
    "UnitEvidence",
    "Weights",
]

# The seeds' pilot: 15-60 volunteers, each freed for at least three quarters of their time.
MIN_VOLUNTEERS = 15
MAX_VOLUNTEERS = 60
# The three scores; at least one must count.
SCORES = ("capacity", "impact", "likelihood")


@dataclass(frozen=True)
class UnitEvidence:
    """One unit (or a subtree a user named) as the organization's data describe it.

    ``None`` means unknown: the factor is left out of its score, listed among the
    missing inputs, and the score's confidence drops by its weight.

    ``freeable_share`` is the share of the unit's hours that decisions or exposure would
    free; ``freeable_volunteers`` how many people could be freed for at least 75% of
    their hours; ``applicants`` how many applied to a call (``None`` before any call);
    ``impact`` the value, in the metric that matters per week, of a plausible lift in the
    frontline metrics the unit is measured on (driver strength x the unit's share);
    ``opportunity_size`` what the user records, in the same units. Ratings are 1-5;
    shares are 0-1; ``champion_influence`` is high, medium or low.
    """

    unit_id: str
    name: str = ""
    people: int = 0
    kind: str | None = None
    position: str | None = None
    freeable_share: float | None = None
    freeable_volunteers: int | None = None
    applicants: int | None = None
    impact: float | None = None
    opportunity_size: float | None = None
    leader_support: float | None = None
    supervisor_motivation: float | None = None
    improvement_share: float | None = None
    teams_collaborate: bool | None = None
    external_share: float | None = None
    champion_influence: str | None = None
    sources: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Weights:
    """How much each score and each likelihood factor counts (relative weights; any
    non-negative numbers). The defaults count the three scores alike, and within
    likelihood the people factors (leadership, supervisors, the champion) above the
    structural ones, as the seeds stress."""

    capacity: float = 1.0
    impact: float = 1.0
    likelihood: float = 1.0
    # Within impact: the driver-based value against the opportunity the user recorded.
    metric_impact: float = 0.7
    opportunity: float = 0.3
    # Within likelihood.
    supportive_leadership: float = 2.0
    motivated_supervisors: float = 2.0
    champion_influence: float = 1.5
    type_of_workers: float = 1.0
    workgroups_exist: float = 1.0
    business_unit: float = 0.5
    self_contained: float = 0.5
    edge: float = 0.5

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> Weights:
        """Weights from a mapping (a user's file); unknown names and negative or
        non-numeric weights are refused with the name (a ``ConfigError``)."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ConfigError(f"unknown weight {unknown[0]!r}; known: {', '.join(sorted(known))}")
        out: dict[str, float] = {}
        for name, value in values.items():
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
                or value < 0
            ):
                raise ConfigError(f"weight {name!r} must be a number at least 0, not {value!r}")
            out[name] = float(value)
        weights = cls(**out)
        if not any(getattr(weights, n) > 0 for n in SCORES):
            # All three at 0 would rank every unit alike, by its id: no answer at all.
            raise ConfigError(f"at least one of {', '.join(SCORES)} must be above 0")
        return weights

    def changed(self) -> dict[str, float]:
        """The weights that differ from the defaults, by name."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) != getattr(DEFAULT_WEIGHTS, f.name)
        }


DEFAULT_WEIGHTS = Weights()
