"""form_workgroups: known answers, sizes, constraints, fixed and existing groups, errors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from teamcheck import constraint_violations, random_people

from smartmoves.engines.teams import check_formation, diversity_figures, form_workgroups
from smartmoves.errors import ConfigError, DataError, InfeasibleError, SmartMovesError

FEATURES = ["tenure", "function", "skills"]


def three_functions(n_each: int = 3) -> pd.DataFrame:
    functions = ["ops", "it", "hr"]
    return pd.DataFrame(
        {
            "person_id": [f"{f}{i}" for f in functions for i in range(n_each)],
            "function": [f for f in functions for _ in range(n_each)],
        }
    )


def test_every_workgroup_gets_one_of_each_function() -> None:
    people = three_functions()
    result = form_workgroups(people, features=["function"], groups=3)
    for group in result.groups:
        functions = people.set_index("person_id").loc[list(group.members), "function"]
        assert sorted(functions) == ["hr", "it", "ops"]
        assert group.diversity == 3.0
    assert result.diversity == 9.0
    assert result.dispersion == 1.0
    # random partitions of sizes 3,3,3: 36 pairs, 27 across functions, 9/36 share a group
    assert result.vs_random == pytest.approx(9.0 / (27 * 9 / 36))


def test_groups_k_gives_sizes_that_differ_by_at_most_one() -> None:
    frame, _ = random_people(np.random.default_rng(1), 17)
    result = form_workgroups(frame, features=FEATURES, groups=4)
    assert sorted(len(g.members) for g in result.groups) == [4, 4, 4, 5]
    assert [g.group for g in result.groups] == [1, 2, 3, 4]


@pytest.mark.parametrize(("n", "size", "expected"), [(20, 6, [6, 7, 7]), (22, 6, [5, 5, 6, 6])])
def test_size_s_makes_round_n_over_s_groups(n: int, size: int, expected: list[int]) -> None:
    frame, _ = random_people(np.random.default_rng(2), n)
    result = form_workgroups(frame, features=FEATURES, size=size)
    assert sorted(len(g.members) for g in result.groups) == expected
    assert result.parameters["groups"] == len(expected)


def test_the_same_seed_gives_the_same_workgroups() -> None:
    frame, options = random_people(np.random.default_rng(3), 40, constraints=1.0)
    first = form_workgroups(frame, features=FEATURES, groups=8, seed=7, **options)
    again = form_workgroups(frame, features=FEATURES, groups=8, seed=7, **options)
    assert set(options) == {"keep_together", "apart", "balance"}
    assert first.labels == again.labels
    assert first.to_dict() == again.to_dict()


def test_to_dict_has_exactly_the_cli_keys_and_is_json() -> None:
    frame, _ = random_people(np.random.default_rng(4), 12)
    result = form_workgroups(frame, features=FEATURES, groups=3)
    out = result.to_dict()
    assert list(out) == [
        "groups",
        "diversity",
        "dispersion",
        "max_mean_deviation_sd",
        "vs_random",
        "parameters",
    ]
    assert all(list(g) == ["group", "members", "diversity"] for g in out["groups"])
    assert sorted(m for g in out["groups"] for m in g["members"]) == sorted(frame.person_id)
    assert out["parameters"]["features"] == FEATURES
    assert out["parameters"]["groups"] == 3
    json.dumps(out)


def test_to_frame_lists_each_person_with_a_workgroup() -> None:
    frame, _ = random_people(np.random.default_rng(5), 10)
    result = form_workgroups(frame, features=FEATURES, groups=2)
    table = result.to_frame()
    assert table.columns.tolist() == ["person_id", "workgroup"]
    assert table.person_id.tolist() == frame.person_id.tolist()
    assert table.workgroup.tolist() == list(result.labels)


def test_without_person_id_members_are_row_positions() -> None:
    frame, _ = random_people(np.random.default_rng(6), 9)
    result = form_workgroups(frame.drop(columns="person_id"), features=FEATURES, groups=3)
    assert sorted(int(str(m)) for g in result.groups for m in g.members) == list(range(9))
    assert result.to_frame().columns.tolist() == ["row", "workgroup"]


def test_figures_agree_with_diversity_figures_on_the_labels() -> None:
    frame, options = random_people(np.random.default_rng(8), 25, constraints=1.0)
    result = form_workgroups(frame, features=FEATURES, groups=5, **options)
    again = diversity_figures(frame, result.labels, features=FEATURES)
    assert again == result.figures


@given(
    n=st.integers(4, 30),
    k=st.integers(1, 6),
    seed=st.integers(0, 2**16),
    constraints=st.sampled_from([0.0, 0.5, 1.0]),
)
def test_constraints_always_hold(n: int, k: int, seed: int, constraints: float) -> None:
    frame, options = random_people(np.random.default_rng(seed), n, constraints=constraints)
    try:
        result = form_workgroups(
            frame, features=FEATURES, groups=k, min_size=1, max_size=30, restarts=2, **options
        )
    except InfeasibleError as error:
        assert error.reasons
        return
    sizes = [len(g.members) for g in result.groups]
    assert len(sizes) == k and max(sizes) - min(sizes) <= 1
    assert constraint_violations(frame, result.labels, **options) == []


def test_fixed_people_stay_where_they_are_told() -> None:
    frame, _ = random_people(np.random.default_rng(9), 15)
    fixed = {"p0": "red", "p1": "red", "p2": 2, "p3": "2"}
    result = form_workgroups(frame, features=FEATURES, groups=3, fixed=fixed)
    assert sorted(map(str, {g.group for g in result.groups})) == ["1", "2", "red"]
    assert result.labels[0] == result.labels[1] == "red"
    assert result.labels[2] == result.labels[3] == 2
    as_table = pd.DataFrame({"person_id": list(fixed), "workgroup": list(fixed.values())})
    again = form_workgroups(frame, features=FEATURES, groups=3, fixed=as_table)
    assert again.labels == result.labels


def test_newcomers_fill_the_smallest_existing_groups_first() -> None:
    frame, _ = random_people(np.random.default_rng(10), 14)
    existing = pd.DataFrame(
        {"person_id": [f"p{i}" for i in range(8)], "group": ["A"] * 5 + ["B"] * 2 + ["C"]}
    )
    result = form_workgroups(frame, features=FEATURES, existing=existing)
    sizes = {g.group: len(g.members) for g in result.groups}
    # 6 newcomers on 5/2/1: bring B and C to 4, and one more to B or C.
    assert sizes["A"] == 5 and sorted([sizes["B"], sizes["C"]]) == [4, 5]
    for row, label in enumerate(existing.group):
        assert result.labels[row] == label


def test_existing_groups_grow_new_ones_only_when_asked() -> None:
    frame, _ = random_people(np.random.default_rng(11), 14)
    existing = {f"p{i}": g for i, g in enumerate(["A"] * 5 + ["B"] * 2 + ["C"])}
    result = form_workgroups(frame, features=FEATURES, existing=existing, groups=4)
    sizes = {g.group: len(g.members) for g in result.groups}
    assert sizes == {1: 3, "A": 5, "B": 3, "C": 3}
    with pytest.raises(ConfigError, match="3 existing"):
        form_workgroups(frame, features=FEATURES, existing=existing, groups=2)


def test_existing_and_keep_together_bring_newcomers_along() -> None:
    frame, _ = random_people(np.random.default_rng(12), 12)
    frame["team"] = ["x", "", "", "", "", "", "", "", "", "", "x", "x"]
    existing = {"p0": "A", "p1": "B", "p2": "C"}
    result = form_workgroups(frame, features=FEATURES, existing=existing, keep_together="team")
    assert result.labels[10] == result.labels[11] == "A"


def test_greedy_dead_ends_fall_back_to_a_feasible_start() -> None:
    # A case where the greedy start fails every time (found by search); CP-SAT finds one.
    people = pd.DataFrame(
        {
            "team": ["t1", "t3", None, None, None, "t2", None, None, "t3", "t2", "t2", "t4"],
            "manager": ["m2", "m3", None, None, None, None, "m2", None, None, None, None, "m2"],
            "gender": ["f", "m", "m", "m", "m", "f", "m", "m", "f", "m", "f", "f"],
            "score": np.arange(12.0),
        }
    )
    result = form_workgroups(
        people,
        features=["score"],
        groups=4,
        min_size=1,
        keep_together="team",
        apart="manager",
        balance="gender",
    )
    violations = constraint_violations(
        people, result.labels, keep_together="team", apart="manager", balance="gender"
    )
    assert violations == []


def test_missing_values_and_skills_do_not_stop_the_search() -> None:
    frame, _ = random_people(np.random.default_rng(13), 20)
    frame.loc[::3, "function"] = None
    frame.loc[::4, "skills"] = None
    result = form_workgroups(frame, features=FEATURES, groups=4)
    assert np.isfinite(result.diversity) and result.vs_random > 1.0


def reasons_of(error: pytest.ExceptionInfo[InfeasibleError]) -> str:
    return " | ".join(error.value.reasons)


def test_a_team_larger_than_a_workgroup_is_refused() -> None:
    frame, _ = random_people(np.random.default_rng(14), 60)
    frame["team"] = ["big"] * 16 + [""] * 44
    with pytest.raises(InfeasibleError) as error:
        form_workgroups(frame, features=FEATURES, groups=4, keep_together="team")
    assert "keep-together team 'big' has 16 people" in reasons_of(error)
    assert "(15)" in reasons_of(error)


def test_too_few_groups_for_the_maximum_size_is_refused() -> None:
    frame, _ = random_people(np.random.default_rng(15), 50)
    with pytest.raises(InfeasibleError) as error:
        form_workgroups(frame, features=FEATURES, groups=3, max_size=15)
    assert "3 x 15 < 50" in reasons_of(error)


def test_groups_below_the_minimum_size_are_refused() -> None:
    frame, _ = random_people(np.random.default_rng(16), 10)
    with pytest.raises(InfeasibleError) as error:
        form_workgroups(frame, features=FEATURES, groups=4)
    assert "below the minimum size 3" in reasons_of(error)


def test_more_people_apart_than_groups_is_refused() -> None:
    frame, _ = random_people(np.random.default_rng(17), 12)
    frame["manager"] = ["boss"] * 4 + [None] * 8
    with pytest.raises(InfeasibleError) as error:
        form_workgroups(frame, features=FEATURES, groups=3, apart="manager")
    assert "4 people share apart manager 'boss' but there are only 3" in reasons_of(error)


def test_conflicting_pins_are_refused() -> None:
    frame, _ = random_people(np.random.default_rng(18), 12)
    frame["team"] = ["t"] * 2 + [""] * 10
    frame["manager"] = [None] * 2 + ["m", "m"] + [None] * 8
    fixed = {"p0": 1, "p1": 2, "p2": 3, "p3": 3}
    with pytest.raises(InfeasibleError) as error:
        form_workgroups(
            frame, features=FEATURES, groups=3, fixed=fixed, keep_together="team", apart="manager"
        )
    text = reasons_of(error)
    assert "p0, p1 are pinned to different workgroups" in text
    assert "manager 'm' are pinned to one workgroup" in text


def test_blocks_that_cannot_be_packed_are_refused_by_the_solver() -> None:
    # 12 people in 3 groups of 4; teams of 3, 3, 2, 2, 2 fit no way.
    people = pd.DataFrame({"team": list("aaabbbccddee"), "score": np.arange(12.0)})
    with pytest.raises(InfeasibleError) as error:
        form_workgroups(people, features=["score"], groups=3, keep_together="team")
    assert "no partition keeps" in reasons_of(error)


def test_unknown_people_in_fixed_or_existing_are_data_errors() -> None:
    frame, _ = random_people(np.random.default_rng(19), 9)
    with pytest.raises(DataError, match="zz"):
        form_workgroups(frame, features=FEATURES, groups=3, fixed={"zz": 1})
    with pytest.raises(DataError, match="group"):
        form_workgroups(frame, features=FEATURES, existing=pd.DataFrame({"person_id": ["p1"]}))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"groups": 2, "size": 4}, "not both"),
        ({}, "give the number"),
        ({"groups": 2, "min_size": 5, "max_size": 4}, "larger than"),
        ({"groups": 0}, ">= 1"),
        ({"groups": 2, "method": "magic"}, "method"),
        ({"groups": 2, "restarts": 0}, "restarts"),
    ],
)
def test_bad_options_are_config_errors(options: dict, message: str) -> None:
    frame, _ = random_people(np.random.default_rng(20), 9)
    with pytest.raises(ConfigError, match=message):
        form_workgroups(frame, features=FEATURES, **options)


def test_an_existing_group_above_the_maximum_size_is_refused() -> None:
    frame, _ = random_people(np.random.default_rng(23), 20)
    existing = {f"p{i}": "A" if i < 7 else "B" for i in range(9)}
    with pytest.raises(InfeasibleError) as error:
        form_workgroups(frame, features=FEATURES, existing=existing, max_size=6)
    assert "workgroup A already has 7 members" in reasons_of(error)
    assert "more than it may hold (6)" in reasons_of(error)


def test_existing_groups_too_big_to_balance_are_refused() -> None:
    frame, _ = random_people(np.random.default_rng(24), 12)
    frame["gender"] = ["f"] * 4 + ["m"] * 8
    existing = {f"p{i}": "A" for i in range(4)} | {"p4": "B", "p5": "C"}
    with pytest.raises(InfeasibleError) as error:
        form_workgroups(frame, features=FEATURES, existing=existing, balance="gender")
    assert "workgroup A already has 4 people with gender 'f'; balance allows at most 2" in (
        reasons_of(error)
    )


@pytest.mark.parametrize(
    "options",
    [
        {"groups": 1, "max_size": 8},  # 12 people do not fit
        {"groups": 4, "min_size": 4},  # 12 in 4 leave groups of 3
        {"groups": 2, "fixed": {"nobody": "A"}},  # someone who is not among the people
    ],
)
def test_check_formation_refuses_what_the_search_would_refuse_in_its_words(
    options: dict[str, object],
) -> None:
    people = pd.DataFrame({"person_id": [f"p{i:02d}" for i in range(12)], "unit": list("ab") * 6})
    with pytest.raises(SmartMovesError) as checked:
        check_formation(people, features=["unit"], **options)
    with pytest.raises(SmartMovesError) as searched:
        form_workgroups(people, features=["unit"], **options)
    assert type(checked.value) is type(searched.value)
    assert checked.value.lines() == searched.value.lines()
    check_formation(people, features=["unit"], groups=3)  # what can hold passes
