"""Entry-point scores: the synthetic bank's planted entry point ranks first and its
decoys are weak on what was planted; each factor moves the ranking the documented way;
missing inputs lower confidence and never crash."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartmoves.data.synth import synthesize_bank
from smartmoves.engines.entry import (
    MIN_VOLUNTEERS,
    UnitEvidence,
    Weights,
    score_entry_points,
)
from smartmoves.errors import ConfigError


def _from_scorecard(row: dict) -> UnitEvidence:
    """truth.json's per-unit scorecard (measured on the written tables) as evidence."""
    return UnitEvidence(
        row["unit_id"],
        people=row["people"],
        kind=row["kind"],
        position=row["position"],
        freeable_share=row["freeable_share"],
        freeable_volunteers=row["qualified"],
        applicants=row["applications"],
        impact=row["impact_usd_k_per_week"],
        leader_support=row["leader_support"],
        supervisor_motivation=row["supervisor_readiness"],
        improvement_share=row["improvement_share"],
        teams_collaborate=row["teams_collaborate"],
        external_share=row["external_share"],
        champion_influence=row["champion_influence"],
    )


@pytest.fixture(scope="module")
def banks(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    out = []
    for people, seed in [(300, 0), (600, 1), (2000, 2), (300, 5), (1000, 7)]:
        folder = tmp_path_factory.mktemp(f"bank-{people}-{seed}")
        synthesize_bank(folder, people=people, weeks=4, seed=seed, events=500)
        out.append(json.loads(Path(folder, "truth.json").read_text()))
    return out


def test_the_planted_entry_point_ranks_first_and_decoys_are_weak_where_planted(
    banks: list[dict],
) -> None:
    named = planted = 0
    for truth in banks:
        ranked = score_entry_points([_from_scorecard(u) for u in truth["units"]]).entry_points
        assert ranked[0].unit_id == truth["best_entry_point"]["unit_id"]
        assert ranked[0].feasible and "strong on" in " ".join(ranked[0].reasons)
        by_unit = {e.unit_id: e for e in ranked}
        for decoy, spec in truth["decoys"].items():
            for factor in spec["weak_on"]:
                planted += 1
                named += factor in by_unit[decoy].weak_on
                if factor in by_unit[decoy].weak_on:
                    assert factor.replace("_", " ") in " ".join(by_unit[decoy].reasons)
    # One of the 55 is not in the data: with 300 people the contact center's three
    # supervisors drew a mean readiness of 3.3, above the middle of the scale.
    assert planted == 5 * 11 and named >= planted - 1, (named, planted)


def test_a_unit_that_cannot_yield_a_pilot_group_says_how_many_it_can() -> None:
    few = UnitEvidence("A", people=40, freeable_share=0.8, freeable_volunteers=9, impact=1.0)
    many = UnitEvidence("B", people=400, freeable_share=0.5, freeable_volunteers=90, impact=1.0)
    out = {e.unit_id: e for e in score_entry_points([few, many]).entry_points}
    assert out["A"].feasible is False and out["A"].freeable_volunteers == 9
    assert out["A"].reasons[0].startswith("cannot yield a pilot group: 9 people could be freed")
    assert out["B"].feasible and out["B"].needs_subset
    assert "more than 60, so the pilot needs a part of the unit" in out["B"].reasons[0]


unit_evidence = st.builds(
    UnitEvidence,
    unit_id=st.sampled_from(["U1", "U2", "U3", "U4", "U5"]),
    people=st.integers(0, 500),
    kind=st.sampled_from([None, "business_unit", "function"]),
    position=st.sampled_from([None, "edge", "core"]),
    freeable_share=st.one_of(st.none(), st.floats(0, 1)),
    freeable_volunteers=st.one_of(st.none(), st.integers(0, 100)),
    applicants=st.one_of(st.none(), st.integers(0, 80)),
    impact=st.one_of(st.none(), st.floats(0, 100)),
    opportunity_size=st.one_of(st.none(), st.floats(0, 100)),
    leader_support=st.one_of(st.none(), st.floats(1, 5)),
    supervisor_motivation=st.one_of(st.none(), st.floats(1, 5)),
    improvement_share=st.one_of(st.none(), st.floats(0, 1)),
    teams_collaborate=st.one_of(st.none(), st.booleans()),
    external_share=st.one_of(st.none(), st.floats(0, 1)),
    champion_influence=st.sampled_from([None, "low", "medium", "high"]),
)
organizations = st.lists(unit_evidence, min_size=1, max_size=5, unique_by=lambda u: u.unit_id)

RAISES = {
    "supervisor_motivation": lambda v: None if v is None else min(5.0, v + 1.0),
    "leader_support": lambda v: None if v is None else min(5.0, v + 1.0),
    "improvement_share": lambda v: None if v is None else min(1.0, v + 0.3),
    "teams_collaborate": lambda v: None if v is None else True,
    "champion_influence": lambda v: {"low": "medium", "medium": "high"}.get(v, v),
}


@settings(max_examples=150, deadline=None)
@given(units=organizations, factor=st.sampled_from(sorted(RAISES)), pick=st.integers(0, 4))
def test_raising_a_likelihood_factor_never_lowers_the_unit(
    units: list[UnitEvidence], factor: str, pick: int
) -> None:
    """Raising a unit's supervisor motivation (or leadership, experience, collaboration,
    the champion's influence) never lowers its likelihood nor its place in the ranking."""
    target = units[pick % len(units)]
    raised = dataclasses.replace(target, **{factor: RAISES[factor](getattr(target, factor))})
    before = score_entry_points(units).entry_points
    after = score_entry_points([raised if u is target else u for u in units]).entry_points
    old = next(e for e in before if e.unit_id == target.unit_id)
    new = next(e for e in after if e.unit_id == target.unit_id)
    assert new.likelihood >= old.likelihood - 1e-12
    assert [e.unit_id for e in after].index(target.unit_id) <= [e.unit_id for e in before].index(
        target.unit_id
    )


@settings(max_examples=150, deadline=None)
@given(units=organizations, extra=st.integers(1, 40), pick=st.integers(0, 4))
def test_more_people_who_can_be_freed_never_lower_capacity(
    units: list[UnitEvidence], extra: int, pick: int
) -> None:
    target = units[pick % len(units)]
    if target.freeable_volunteers is None:
        return
    more = dataclasses.replace(target, freeable_volunteers=target.freeable_volunteers + extra)
    old = next(e for e in score_entry_points(units).entry_points if e.unit_id == target.unit_id)
    new = next(
        e
        for e in score_entry_points([more if u is target else u for u in units]).entry_points
        if e.unit_id == target.unit_id
    )
    assert new.capacity >= old.capacity - 1e-12
    assert new.feasible == (target.freeable_volunteers + extra >= MIN_VOLUNTEERS)


@settings(max_examples=150, deadline=None)
@given(units=organizations)
def test_scores_are_bounded_and_the_order_of_the_input_does_not_matter(
    units: list[UnitEvidence],
) -> None:
    ranked = score_entry_points(units).entry_points
    assert [e.unit_id for e in score_entry_points(units[::-1]).entry_points] == [
        e.unit_id for e in ranked
    ]
    for e in ranked:
        for score in (e.capacity, e.impact, e.likelihood, e.overall, e.confidence):
            assert 0.0 <= score <= 1.0 + 1e-12
        assert all(0.0 <= f.support <= 1.0 for f in e.factors)


@settings(max_examples=100, deadline=None)
@given(
    unit=unit_evidence,
    forget=st.sampled_from(["leader_support", "supervisor_motivation", "impact", "kind"]),
)
def test_a_missing_input_is_listed_and_lowers_confidence(unit: UnitEvidence, forget: str) -> None:
    known = dataclasses.replace(
        unit, leader_support=3.0, supervisor_motivation=3.0, impact=1.0, kind="function"
    )
    unknown = dataclasses.replace(known, **{forget: None})
    (full,) = score_entry_points([known]).entry_points
    (partial,) = score_entry_points([unknown]).entry_points
    name = {
        "impact": "potential_for_impact",
        "kind": "business_unit",
        "leader_support": "supportive_leadership",
        "supervisor_motivation": "motivated_supervisors",
    }[forget]
    assert name in partial.missing_inputs and name not in full.missing_inputs
    assert partial.confidence < full.confidence
    (words,) = [r for r in partial.reasons if r.startswith("not known: ")]
    assert name.replace("_", " ") in words.split(": ")[1].split(", ")


def test_weights_from_a_file_refuse_what_they_do_not_know() -> None:
    assert Weights.from_mapping({"motivated_supervisors": 3}).motivated_supervisors == 3.0
    with pytest.raises(ConfigError, match="unknown weight 'luck'"):
        Weights.from_mapping({"luck": 1})
    with pytest.raises(ConfigError, match="'capacity' must be a number at least 0"):
        Weights.from_mapping({"capacity": -1})


def test_weights_refuse_all_scores_at_zero_and_numbers_that_are_not_finite() -> None:
    with pytest.raises(ConfigError, match="at least one of capacity, impact, likelihood"):
        Weights.from_mapping({"capacity": 0, "impact": 0, "likelihood": 0})
    with pytest.raises(ConfigError, match="'edge' must be a number at least 0"):
        Weights.from_mapping({"edge": float("nan")})
    assert Weights.from_mapping({"capacity": 0, "impact": 0}).changed() == {
        "capacity": 0.0,
        "impact": 0.0,
    }
