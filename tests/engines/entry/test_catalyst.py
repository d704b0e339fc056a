"""The catalyst's verdict and the champion's warnings follow the seeds' rules."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartmoves.engines.entry import (
    CATALYST_TYPES,
    QUESTIONS,
    judge_catalyst,
    judge_champion,
)
from smartmoves.errors import ConfigError

YES = dict.fromkeys(QUESTIONS, True)
EVIDENCE = dict.fromkeys(QUESTIONS, "from the 2026 strategy review")


def test_four_yes_answers_with_evidence_make_a_good_catalyst() -> None:
    out = judge_catalyst("market_pressure", YES, evidence=EVIDENCE)
    assert (out.verdict, out.warnings, out.may_skip_to_workgroups) == ("good", [], False)


def test_optimization_or_controls_make_a_poor_catalyst_whatever_else_is_said() -> None:
    assert judge_catalyst("skills_gap", {**YES, "beyond_optimization": False}).verdict == "poor"
    controls = judge_catalyst("automation_program", YES, mainly_controls=True)
    assert controls.verdict == "poor" and "mainly calls for controls" in controls.reasons[0]


def test_kinds_that_warn_or_let_the_organization_skip_ahead() -> None:
    merger = judge_catalyst("reorganization_or_merger", YES, evidence=EVIDENCE)
    assert merger.warnings == ["a reorganization or merger draws attention away from a pilot"]
    chance = judge_catalyst("compelling_opportunity", YES, evidence=EVIDENCE)
    assert chance.may_skip_to_workgroups and "skip ahead to workgroups" in chance.reasons[-1]
    unsure = judge_catalyst("compelling_opportunity", {**YES, "urgent_now": None})
    assert unsure.verdict == "undecided" and not unsure.may_skip_to_workgroups


def test_yes_without_evidence_and_unknown_names_are_said() -> None:
    out = judge_catalyst("technology_change", YES)
    assert len(out.warnings) == 4 and out.warnings[0].startswith("answered yes without evidence")
    with pytest.raises(ConfigError, match="unknown catalyst type 'luck'"):
        judge_catalyst("luck", YES)
    with pytest.raises(ConfigError, match="unknown question 'fun'"):
        judge_catalyst("other", {"fun": True})


@given(
    kind=st.sampled_from(CATALYST_TYPES),
    answers=st.fixed_dictionaries({q: st.sampled_from([True, False, None]) for q in QUESTIONS}),
)
def test_the_verdict_is_good_only_when_every_answer_is_yes(kind: str, answers: dict) -> None:
    out = judge_catalyst(kind, answers)
    assert (out.verdict == "good") == all(v is True for v in answers.values())
    assert (out.verdict == "poor") == (answers["beyond_optimization"] is False)
    assert out.reasons  # every verdict says why


def test_a_champion_below_c_level_or_a_vision_without_the_frontline_is_warned() -> None:
    base: dict[str, Any] = {
        "c_level": True, "conviction": True, "communicates": True, "air_cover": True,
        "area_unit_id": "D-FIN",
    }  # fmt: skip
    good = "From next quarter our collectors are freed from routine work to learn new skills."
    assert judge_champion(**base, vision=good).ready
    low = judge_champion(**{**base, "c_level": False}, vision=good)
    assert not low.ready and low.warnings[0].startswith("not at C-level")
    cold = judge_champion(**base, vision="Automation will cut the cost of finance by 30%.")
    assert not cold.ready
    assert cold.warnings == [
        "the vision does not name the frontline or a benefit for them or the near term: say "
        "what the frontline gains, and soon (automation without that message made the best "
        "people leave)"
    ]
    unknown = judge_champion(**{**base, "air_cover": None, "area_unit_id": None}, vision=good)
    assert "not recorded: whether they commit to give air cover" in unknown.warnings
    assert any(w.startswith("no area the champion controls") for w in unknown.warnings)
