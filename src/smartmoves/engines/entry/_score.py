"""Entry-point scores: ability to free capacity, potential for impact, likelihood of
success, each in [0, 1] with the factors that make it.

Every factor keeps its raw value, how favourable it is (``support``, 0-1), its weight
and its source, so a score can be read back to the data. Likelihood factors the seeds
call double-edged also carry their effect on how much attention the results will get:
a self-contained unit moves faster but its results are easier to dismiss; an edge is
insulated but less convincing than the core.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from smartmoves.engines._common import EngineResult
from smartmoves.engines.entry._evidence import (
    DEFAULT_WEIGHTS,
    MAX_VOLUNTEERS,
    MIN_VOLUNTEERS,
    UnitEvidence,
    Weights,
)
from smartmoves.errors import ConfigError

__all__ = ["EntryPoint", "EntryRanking", "Factor", "score_entry_points"]

# A factor below its ``weak_below`` (WEAK unless said) counts against the unit in its
# reasons; at STRONG or above, for it. A rating is weak below the middle of its scale.
WEAK = 0.35
RATING_WEAK = 0.5
STRONG = 0.75
_INFLUENCE = {"high": 1.0, "medium": 0.5, "low": 0.0}


@dataclass(frozen=True)
class Factor:
    """One input of a score: ``value`` as the data hold it, ``support`` how favourable it
    is (0-1), ``effect`` in words, ``attention`` its pull on how much notice the results
    get (-1 less, 0 none, 1 more)."""

    name: str
    score: str
    value: Any
    support: float
    weight: float
    source: str
    effect: str
    attention: int = 0
    weak_below: float = 0.35


@dataclass(frozen=True)
class EntryPoint:
    """A unit's three scores, their overall mean, whether it can yield a pilot group,
    and the factors and missing inputs behind them."""

    unit_id: str
    name: str
    capacity: float
    impact: float
    likelihood: float
    overall: float
    confidence: float
    feasible: bool | None
    freeable_volunteers: int | None
    needs_subset: bool
    factors: list[Factor] = field(default_factory=list)
    missing_inputs: list[str] = field(default_factory=list)
    strong_on: list[str] = field(default_factory=list)
    weak_on: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class EntryRanking(EngineResult):
    """Every unit scored, best first."""

    entry_points: list[EntryPoint] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        """One row per unit: its scores, whether it can yield a pilot group, its
        strengths, weaknesses and unknown inputs."""
        columns = ["unit_id", "name", "capacity", "impact", "likelihood", "overall",
                   "confidence", "feasible", "freeable_volunteers", "needs_subset"]  # fmt: skip
        rows = [
            {**{c: getattr(e, c) for c in columns}, "strong_on": ", ".join(e.strong_on),
             "weak_on": ", ".join(e.weak_on), "missing_inputs": ", ".join(e.missing_inputs)}
            for e in self.entry_points
        ]  # fmt: skip
        return pd.DataFrame(rows, columns=[*columns, "strong_on", "weak_on", "missing_inputs"])


def _source(unit: UnitEvidence, name: str, default: str) -> str:
    return unit.sources.get(name, default)


def _likelihood_factors(unit: UnitEvidence, w: Weights) -> tuple[list[Factor], list[str]]:
    found: list[Factor] = []
    missing: list[str] = []

    def add(name: str, value: Any, support: float | None, source: str, effect: str,
            attention: int = 0, weak_below: float = WEAK) -> None:  # fmt: skip
        if support is None:
            missing.append(name)
            return
        found.append(
            Factor(name, "likelihood", value, max(0.0, min(1.0, support)), getattr(w, name),
                   _source(unit, name, source), effect, attention, weak_below)
        )  # fmt: skip

    def rating(x: float | None) -> float | None:
        return None if x is None else (x - 1) / 4

    add(
        "supportive_leadership",
        unit.leader_support,
        rating(unit.leader_support),
        "unit_assessments.leader_support",
        "a leader who backs the pilot clears obstacles and protects the freed time",
        weak_below=RATING_WEAK,
    )
    add(
        "motivated_supervisors",
        unit.supervisor_motivation,
        rating(unit.supervisor_motivation),
        "unit_assessments.supervisor_motivation",
        "frontline supervisors coach the workgroups; reluctant ones stall them",
        weak_below=RATING_WEAK,
    )
    add(
        "champion_influence",
        unit.champion_influence,
        None if unit.champion_influence is None else _INFLUENCE.get(unit.champion_influence),
        "unit_assessments.champion_influence",
        "the champion can give air cover only where they control or influence the work",
    )
    add(
        "type_of_workers",
        unit.improvement_share,
        unit.improvement_share,
        "people.improvement_experience",
        "people who improved their work before (lean, quality circles) start faster",
    )
    add(
        "workgroups_exist",
        unit.teams_collaborate,
        None if unit.teams_collaborate is None else float(unit.teams_collaborate),
        "people.team_id",
        "teams that already collaborate inside the unit become workgroups sooner",
    )
    kind = {"business_unit": 1.0, "function": 0.5}.get(unit.kind or "")
    add(
        "business_unit",
        unit.kind,
        kind,
        "units.kind",
        "a business unit owns its customers and figures, so its results show in value; "
        "a function's results show through others",
        attention=1 if kind == 1.0 else 0,
    )
    contained = None if unit.external_share is None else 1 - unit.external_share
    add(
        "self_contained",
        unit.external_share,
        contained,
        "interactions (external share)",
        "a self-contained unit moves faster, but its results are easier to dismiss; an "
        "interdependent one is slower, and its results get noticed",
        attention=-1 if (contained or 0) >= 0.5 else 1,
    )
    edge = {"edge": 1.0, "core": 0.5}.get(unit.position or "")
    add(
        "edge",
        unit.position,
        edge,
        "units.position",
        "an edge is insulated from the core's routines, but its results convince less; "
        "the core convinces more and resists more",
        attention=-1 if edge == 1.0 else 1,
    )
    return found, missing


def _weighted(factors: Sequence[Factor]) -> float | None:
    total = sum(f.weight for f in factors)
    return None if total <= 0 else sum(f.support * f.weight for f in factors) / total


def _capacity_factors(unit: UnitEvidence, typical: float) -> tuple[list[Factor], list[str]]:
    found: list[Factor] = []
    missing: list[str] = []
    if unit.freeable_share is None or unit.freeable_volunteers is None:
        missing.append("ability_to_free_capacity")
    else:
        yield_share = min(1.0, unit.freeable_volunteers / MIN_VOLUNTEERS)
        found.append(Factor(
            "ability_to_free_capacity", "capacity",
            {"freeable_share": unit.freeable_share, "freeable_volunteers":
             unit.freeable_volunteers},
            max(0.0, min(1.0, unit.freeable_share)) * yield_share, 1.0,
            _source(unit, "ability_to_free_capacity", "allocations, decisions, exposure"),
            f"share of hours that could be freed, times how far the {unit.freeable_volunteers} "
            f"people who could be freed for 75% go toward the {MIN_VOLUNTEERS} a pilot needs",
        ))  # fmt: skip
    if unit.applicants is not None:
        found.append(Factor(
            "volunteers", "capacity", unit.applicants,
            min(1.0, unit.applicants / MIN_VOLUNTEERS), 1.0,
            _source(unit, "volunteers", "applications"),
            f"people who applied, against the {MIN_VOLUNTEERS} a pilot needs",
        ))  # fmt: skip
    # Against the median unit: a small unit has few people to free and its results
    # convince less; under MIN_VOLUNTEERS people it cannot yield a pilot group at all.
    relative = unit.people / typical if typical > 0 else 1.0
    found.append(Factor(
        "size", "capacity", unit.people,
        0.0 if unit.people < MIN_VOLUNTEERS else min(1.0, relative), 0.0, "people",
        f"{unit.people} people, against {typical:g} in the median unit of at least "
        f"{MIN_VOLUNTEERS}; fewer than {MIN_VOLUNTEERS} cannot yield a pilot group",
        weak_below=0.5,
    ))  # fmt: skip
    return found, missing


def _capacity(factors: Sequence[Factor]) -> float | None:
    # Multiplied, not averaged: freeable hours without volunteers free no one.
    parts = [f.support for f in factors if f.name in ("ability_to_free_capacity", "volunteers")]
    if not any(f.name == "ability_to_free_capacity" for f in factors):
        return None
    out = 1.0
    for p in parts:
        out *= p
    return out


def _impact_factors(
    unit: UnitEvidence, w: Weights, best_impact: float, best_opportunity: float
) -> tuple[list[Factor], list[str]]:
    found: list[Factor] = []
    missing: list[str] = []
    if unit.impact is None:
        missing.append("potential_for_impact")
    else:
        found.append(Factor(
            "potential_for_impact", "impact", unit.impact,
            max(0.0, unit.impact) / best_impact if best_impact > 0 else 0.0, w.metric_impact,
            _source(unit, "potential_for_impact", "metric_values, driver estimates"),
            "value of a plausible lift in the unit's frontline metrics, through their "
            "drivers, against the best unit's",
        ))  # fmt: skip
    if unit.opportunity_size is not None:
        found.append(Factor(
            "opportunity_size", "impact", unit.opportunity_size,
            max(0.0, unit.opportunity_size) / best_opportunity if best_opportunity > 0 else 0.0,
            w.opportunity, _source(unit, "opportunity_size", "unit_assessments.opportunity_size"),
            "the opportunity recorded for the unit, against the largest recorded",
        ))  # fmt: skip
    return found, missing


def _confidence(
    unit: UnitEvidence, w: Weights, likely: Sequence[Factor], likely_missing: Sequence[str]
) -> float:
    """How much of what the scores need is known: per score, the share of its inputs
    present (by weight), averaged with the scores' weights. Capacity needs the freeable
    hours and people; impact the driver-based value (a recorded opportunity alone is
    half of it); likelihood its factors."""
    capacity = float(unit.freeable_share is not None and unit.freeable_volunteers is not None)
    impact = 1.0 if unit.impact is not None else 0.5 if unit.opportunity_size is not None else 0.0
    every = sum(getattr(w, n) for n in (*[f.name for f in likely], *likely_missing))
    likelihood = sum(f.weight for f in likely) / every if every > 0 else 1.0
    parts = [(capacity, w.capacity), (impact, w.impact), (likelihood, w.likelihood)]
    total = sum(x for _, x in parts)
    return sum(p * x for p, x in parts) / total if total > 0 else 0.0


def _words(name: str) -> str:
    return name.replace("_", " ")


def _score(
    unit: UnitEvidence, w: Weights, best_impact: float, best_opportunity: float, typical: float
) -> EntryPoint:
    capacity_f, capacity_missing = _capacity_factors(unit, typical)
    impact_f, impact_missing = _impact_factors(unit, w, best_impact, best_opportunity)
    likely_f, likely_missing = _likelihood_factors(unit, w)
    capacity = _capacity(capacity_f)
    impact = _weighted(impact_f)
    likelihood = _weighted(likely_f)
    scores = [(capacity, w.capacity), (impact, w.impact), (likelihood, w.likelihood)]
    weight = sum(x for s, x in scores if s is not None)
    overall = sum((s or 0.0) * x for s, x in scores) / weight if weight > 0 else 0.0
    confidence = _confidence(unit, w, likely_f, likely_missing)
    factors = [*capacity_f, *impact_f, *likely_f]
    weak = [f.name for f in factors if f.support < f.weak_below]
    strong = [f.name for f in factors if f.support >= STRONG and f.weight > 0]
    can_yield = unit.freeable_volunteers
    feasible = None if can_yield is None else can_yield >= MIN_VOLUNTEERS
    reasons = []
    if feasible is False:
        reasons.append(
            f"cannot yield a pilot group: {can_yield} people could be freed for at least 75% "
            f"of their hours; a pilot needs {MIN_VOLUNTEERS}-{MAX_VOLUNTEERS}"
        )
    if can_yield is not None and can_yield > MAX_VOLUNTEERS:
        reasons.append(
            f"{can_yield} people could be freed: more than {MAX_VOLUNTEERS}, so the pilot "
            "needs a part of the unit"
        )
    if strong:
        reasons.append("strong on " + ", ".join(_words(n) for n in strong))
    if weak:
        reasons.append("weak on " + ", ".join(_words(n) for n in weak))
    missing = [*capacity_missing, *impact_missing, *likely_missing]
    if missing:
        reasons.append("not known: " + ", ".join(_words(n) for n in missing))
    return EntryPoint(
        unit_id=unit.unit_id,
        name=unit.name or unit.unit_id,
        capacity=capacity or 0.0,
        impact=impact or 0.0,
        likelihood=likelihood or 0.0,
        overall=overall,
        confidence=round(confidence, 6),
        feasible=feasible,
        freeable_volunteers=can_yield,
        needs_subset=can_yield is not None and can_yield > MAX_VOLUNTEERS,
        factors=factors,
        missing_inputs=missing,
        strong_on=strong,
        weak_on=weak,
        reasons=reasons,
    )


def score_entry_points(
    units: Sequence[UnitEvidence], weights: Weights = DEFAULT_WEIGHTS
) -> EntryRanking:
    """Score every unit and rank them, best first: units that can yield a pilot group
    before those that cannot (or may not), then by the overall score; ties by unit id.

    >>> from smartmoves.engines.entry import UnitEvidence, score_entry_points
    >>> ready = UnitEvidence("COL", people=48, freeable_share=0.7, freeable_volunteers=30,
    ...     impact=36.0, leader_support=4.6, supervisor_motivation=4.5, kind="function")
    >>> small = UnitEvidence("SBA", people=8, freeable_share=0.2, freeable_volunteers=0,
    ...     impact=2.0, leader_support=4.7, supervisor_motivation=4.8, kind="business_unit")
    >>> ranked = score_entry_points([small, ready])
    >>> [(e.unit_id, e.feasible) for e in ranked.entry_points]
    [('COL', True), ('SBA', False)]
    >>> ranked.entry_points[1].weak_on
    ['ability_to_free_capacity', 'size', 'potential_for_impact']
    """
    if not isinstance(weights, Weights):
        raise ConfigError(f"weights are a Weights (see Weights.from_mapping), not {weights!r}")
    best_impact = max((max(0.0, u.impact) for u in units if u.impact is not None), default=0.0)
    best_opportunity = max(
        (max(0.0, u.opportunity_size) for u in units if u.opportunity_size is not None),
        default=0.0,
    )
    # The typical candidate: units too small to yield a pilot group would drag it down.
    sizes = [u.people for u in units if u.people >= MIN_VOLUNTEERS] or [u.people for u in units]
    typical = float(statistics.median(sizes)) if sizes else 0.0
    scored = [_score(u, weights, best_impact, best_opportunity, typical) for u in units]
    order = {True: 0, None: 1, False: 2}
    return EntryRanking(sorted(scored, key=lambda e: (order[e.feasible], -e.overall, e.unit_id)))
