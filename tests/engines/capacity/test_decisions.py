"""Decisions per activity: known answers, clear errors, and hours that always add up."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartmoves.engines.capacity.decisions import apply_decisions, suggest_decisions
from smartmoves.errors import DataError


@pytest.fixture
def org() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    people = pd.DataFrame(
        {
            "person_id": ["ana", "bo", "cy"],
            "unit_id": ["sales", "sales", "ops"],
            "contracted_hours": [40, None, 32],
        }
    )
    activities = pd.DataFrame(
        {
            "activity_id": ["rep", "call", "file", "meet"],
            "name": ["Reports", "Calls", "Filing", "Meetings"],
            "automation_potential": [0.5, None, 0.25, None],
            "eliminable": ["yes", "no", "yes", ""],
        }
    )
    allocations = pd.DataFrame(
        {
            "person_id": ["ana", "ana", "bo", "bo", "cy", "cy"],
            "activity_id": ["rep", "call", "rep", "file", "file", "meet"],
            "hours_per_week": [10, 30, 20, 20, 12, 20],
        }
    )
    return people, activities, allocations


def _hours(after, person: str, activity: str) -> dict[str, float]:
    rows = after.allocations.set_index(["person_id", "activity_id"])
    return rows.loc[(person, activity), ["hours", "automated", "stopped", "remaining"]].to_dict()


def test_automate_stop_keep_and_relax_free_what_they_say(org):
    decisions = pd.DataFrame(
        {
            "activity_id": ["rep", "file", "call", "meet"],
            "decision": ["automate", "stop", "keep", "relax-metric"],
            "metric_id": [None, None, None, "meetings_held"],
        }
    )
    after = apply_decisions(*org, decisions)
    assert _hours(after, "ana", "rep") == {
        "hours": 10.0, "automated": 5.0, "stopped": 0.0, "remaining": 5.0
    }  # fmt: skip
    assert _hours(after, "bo", "file") == {
        "hours": 20.0, "automated": 0.0, "stopped": 20.0, "remaining": 0.0
    }  # fmt: skip
    assert _hours(after, "ana", "call")["remaining"] == 30.0
    assert _hours(after, "cy", "meet")["remaining"] == 20.0
    per_activity = after.activities.set_index("activity_id")
    assert per_activity.loc["rep", "freed"] == 15.0  # half of 10 + 20
    assert per_activity.loc["file", "freed"] == 32.0
    assert per_activity.loc["meet", "freed"] == 0.0
    assert per_activity.loc["rep", "people"] == 2
    relaxed = after.relaxed_metrics
    assert list(relaxed["activity_id"]) == ["meet"]
    assert relaxed["metric_id"].iloc[0] == "meetings_held"


def test_missing_contracted_hours_default_to_40(org):
    after = apply_decisions(*org)
    contracted = after.people.set_index("person_id")["contracted_hours"]
    assert contracted.to_dict() == {"ana": 40.0, "bo": 40.0, "cy": 32.0}


def test_a_unit_decision_overrides_the_general_one(org):
    decisions = pd.DataFrame(
        {
            "activity_id": ["file", "file"],
            "decision": ["automate", "stop"],
            "unit_id": [None, "ops"],
        }
    )
    after = apply_decisions(*org, decisions)
    assert _hours(after, "bo", "file")["automated"] == 5.0  # sales: the general decision
    assert _hours(after, "cy", "file")["stopped"] == 12.0  # ops: its own decision


def test_automate_uses_the_model_beta_when_asked_or_when_potential_is_empty(org):
    decisions = pd.DataFrame(
        {
            "activity_id": ["rep", "call"],
            "decision": ["automate", "automate"],
            "use_model": ["yes", ""],
        }
    )
    after = apply_decisions(*org, decisions, exposure={"rep": 0.2, "call": 0.1})
    assert _hours(after, "ana", "rep")["automated"] == 2.0  # beta 0.2, not potential 0.5
    assert _hours(after, "ana", "call")["automated"] == 3.0  # potential empty: beta 0.1
    sources = after.allocations.set_index(["person_id", "activity_id"])["share_source"]
    assert sources[("ana", "rep")] == "model"


class _ExposureResult:
    """Stands in for the exposure engine's result: anything with ``to_frame()``."""

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"activity_id": ["call"], "label": ["E1"], "beta": [0.5]})


def test_exposure_can_be_a_result_with_to_frame(org):
    decisions = pd.DataFrame({"activity_id": ["call"], "decision": ["automate"]})
    after = apply_decisions(*org, decisions, exposure=_ExposureResult())
    assert _hours(after, "ana", "call")["automated"] == 15.0


def test_automate_without_any_estimate_names_the_activities(org):
    decisions = pd.DataFrame({"activity_id": ["call", "meet"], "decision": ["automate"] * 2})
    with pytest.raises(DataError, match=r"call, meet"):
        apply_decisions(*org, decisions)


def test_use_model_without_a_beta_is_an_error_not_a_zero(org):
    decisions = pd.DataFrame({"activity_id": ["rep"], "decision": ["automate"], "use_model": [1]})
    with pytest.raises(DataError, match=r"rep \(use_model, no beta\)"):
        apply_decisions(*org, decisions, exposure={"call": 0.3})


@pytest.mark.parametrize(
    ("decisions", "message"),
    [
        ({"activity_id": ["rep"], "decision": ["outsource"]}, "unknown"),
        ({"activity_id": ["nope"], "decision": ["stop"]}, "'nope' unknown"),
        ({"activity_id": ["rep", "rep"], "decision": ["stop", "keep"]}, "conflicts"),
    ],
)
def test_bad_decisions_are_data_errors(org, decisions, message):
    with pytest.raises(DataError, match=message) as caught:
        apply_decisions(*org, pd.DataFrame(decisions))
    assert all(p.file == "decisions" for p in caught.value.problems)


def test_allocations_pointing_nowhere_list_every_bad_row(org):
    people, activities, allocations = org
    bad = pd.concat(
        [
            allocations,
            pd.DataFrame(
                {"person_id": ["zed", "ana"], "activity_id": ["rep", "golf"], "hours_per_week": 1}
            ),
        ],
        ignore_index=True,
    )
    with pytest.raises(DataError) as caught:
        apply_decisions(people, activities, bad)
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (8, "person_id"),
        (9, "activity_id"),
    ]


def test_fractions_are_kept_to_the_hundredth_and_add_up(org):
    people, activities, _ = org
    allocations = pd.DataFrame(
        {"person_id": ["ana"], "activity_id": ["rep"], "hours_per_week": [7.5]}
    )
    activities = activities.assign(automation_potential=[0.33, None, 0.25, None])
    decisions = pd.DataFrame({"activity_id": ["rep"], "decision": ["automate"]})
    row = _hours(apply_decisions(people, activities, allocations, decisions), "ana", "rep")
    assert row["automated"] == 2.48  # 0.33 x 7.5 = 2.475, to the hundredth
    assert row["remaining"] == 5.02


def test_to_dict_is_plain_json(org):
    after = apply_decisions(*org, pd.DataFrame({"activity_id": ["rep"], "decision": ["stop"]}))
    data = json.loads(json.dumps(after.to_dict()))
    assert set(data) == {"allocations", "activities", "people", "relaxed_metrics"}
    assert after.to_frame().shape[0] == 6


@given(
    hours=st.lists(
        st.floats(0, 60, allow_nan=False).map(lambda h: round(h, 3)), min_size=1, max_size=8
    ),
    shares=st.lists(st.one_of(st.none(), st.floats(0, 1)), min_size=3, max_size=3),
    choice=st.lists(
        st.sampled_from(["automate", "stop", "keep", "relax-metric"]), min_size=3, max_size=3
    ),
)
def test_every_allocation_adds_up_exactly(hours, shares, choice):
    acts = ["a", "b", "c"]
    people = pd.DataFrame({"person_id": ["p", "q"], "unit_id": ["u", "v"]})
    activities = pd.DataFrame({"activity_id": acts, "name": acts, "automation_potential": shares})
    # Eight slots over two people and three activities: (p, a) twice, whose hours add up.
    slots = list(zip(["p", "q"] * 4, acts * 3, strict=False))[: len(hours)]
    allocations = pd.DataFrame(
        [(p, a, h) for (p, a), h in zip(slots, hours, strict=True)],
        columns=["person_id", "activity_id", "hours_per_week"],
    )
    decisions = pd.DataFrame({"activity_id": acts, "decision": choice})
    betas = dict.fromkeys(acts, 0.4)
    after = apply_decisions(people, activities, allocations, decisions, exposure=betas)
    table = after.allocations
    figures = ["hours", "automated", "stopped", "remaining"]
    centi = {c: np.round(table[c].to_numpy() * 100).astype(int) for c in figures}
    assert (centi["hours"] == centi["automated"] + centi["stopped"] + centi["remaining"]).all()
    assert (centi["remaining"] >= 0).all()
    assert (table.loc[table["decision"] != "stop", "stopped"] == 0).all()
    assert (table.loc[table["decision"] != "automate", "automated"] == 0).all()
    person = after.people.set_index("person_id")
    by_person = table.groupby("person_id")["remaining"].sum()
    for pid, remaining in by_person.items():
        assert person.loc[pid, "remaining"] == pytest.approx(remaining, abs=1e-9)


def test_suggestions_rank_by_hours_freed_with_people_affected(org):
    people, activities, allocations = org
    result = suggest_decisions(people, activities, allocations, exposure={"call": 0.4})
    top = result.to_frame()[["activity_id", "decision", "hours_freed", "people_affected"]]
    assert top.head(5).values.tolist() == [
        ["file", "stop", 32.0, 2],
        ["rep", "stop", 30.0, 2],
        ["meet", "stop", 20.0, 1],  # eliminable unknown: still a candidate
        ["rep", "automate", 15.0, 2],
        ["call", "automate", 12.0, 1],  # beta, since its potential is empty
    ]
    # "call" is not eliminable: stopping it is not suggested. "meet" has no estimate.
    assert not ((top["activity_id"] == "call") & (top["decision"] == "stop")).any()
    assert result.missing_estimates == ("meet",)
    rep = result.to_frame().set_index(["activity_id", "decision"]).loc[("rep", "stop")]
    assert rep["person_ids"] == ("ana", "bo")


def test_suggestions_for_one_unit_only_count_its_people(org):
    result = suggest_decisions(*org, unit_id="ops")
    frame = result.to_frame()
    assert set(frame["activity_id"]) == {"file", "meet"}
    assert frame.set_index(["activity_id", "decision"]).loc[("file", "stop"), "hours_freed"] == 12
    assert result.unit_id == "ops"


def test_impossible_numbers_are_data_errors(org):
    people, activities, allocations = org
    with pytest.raises(DataError, match="contracted_hours: negative"):
        apply_decisions(people.assign(contracted_hours=[40, -1, 32]), activities, allocations)
    with pytest.raises(DataError, match=r"automation_potential: outside 0\.\.1"):
        apply_decisions(people, activities.assign(automation_potential=1.5), allocations)
    with pytest.raises(DataError, match=r"beta 2\.0 of activity rep is outside 0\.\.1"):
        apply_decisions(people, activities, allocations, exposure={"rep": 2.0})
