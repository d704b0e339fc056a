"""Person and unit figures on the hand-made organization of conftest.py."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartmoves.engines.network import analyze_network, tie_graph
from smartmoves.errors import DataError


@pytest.fixture
def analysis(org_ties: pd.DataFrame, org_people: pd.DataFrame):
    return analyze_network(org_ties, org_people, min_group_size=5)


def _row(frame: pd.DataFrame, key: str, value: str) -> dict:
    return frame[frame[key] == value].iloc[0].to_dict()


def test_degree_strength_and_external_share(analysis) -> None:
    s1 = _row(analysis.people, "person_id", "s1")
    # s2..s5 (weight 2 each), o1 (0.5), x1 (1): two of six contacts are outside sales.
    assert (s1["degree"], s1["strength"]) == (6, 9.5)
    assert s1["external_share"] == pytest.approx(2 / 6)
    o3 = _row(analysis.people, "person_id", "o3")
    assert (o3["degree"], o3["strength"], o3["external_share"]) == (2, 2.0, 0.0)


def test_external_ids_are_counted_but_kept_out_of_figures(analysis) -> None:
    o2 = _row(analysis.people, "person_id", "o2")
    assert o2["degree"] == 2  # o1 and o3 only: ext1 and ext2 are not people
    assert o2["external_contacts"] == 2
    assert _row(analysis.people, "person_id", "s2")["external_contacts"] == 1
    assert analysis.summary["external_ids"] == 2
    assert analysis.summary["ties_to_external"] == 3
    assert analysis.summary["ties"] == 10 + 4 + 3 + 2


def test_strong_and_weak_ties_use_each_persons_75th_percentile(analysis) -> None:
    # s1's weights: 2,2,2,2,0.5,1 -> 75th percentile 2; four reciprocal ties reach it.
    s1 = _row(analysis.people, "person_id", "s1")
    assert (s1["strong_ties"], s1["weak_ties"]) == (4, 2)
    # o1's weights: o2 1, s1 0.5, s2 0.5, x1 1 -> percentile 1; o2 and x1 are reciprocal.
    o1 = _row(analysis.people, "person_id", "o1")
    assert (o1["strong_ties"], o1["weak_ties"]) == (2, 2)
    # o5: o4 (1, reciprocal) and s3 (0.5, not): percentile 0.875 -> o4 is strong.
    o5 = _row(analysis.people, "person_id", "o5")
    assert (o5["strong_ties"], o5["weak_ties"]) == (1, 1)


def test_a_heavy_but_one_sided_tie_is_weak() -> None:
    people = pd.DataFrame({"person_id": list("pabcde"), "unit_id": "u"})
    ties = pd.DataFrame(
        {
            "person_a": ["p"] * 5,
            "person_b": list("abcde"),
            "weight": [1.0, 2.0, 3.0, 4.0, 5.0],
            "reciprocal": [True, True, True, True, False],
        }
    )
    p = analyze_network(ties, people).people.iloc[0]
    # 75th percentile of 1..5 is 4: the tie of weight 4 is strong, 5 is one-sided.
    assert (p["strong_ties"], p["weak_ties"]) == (1, 4)


def test_unit_figures_known_answers(analysis) -> None:
    sales = _row(analysis.units, "unit_id", "sales")
    assert (sales["size"], sales["internal_ties"], sales["external_ties"]) == (5, 10, 4)
    assert sales["ei_index"] == pytest.approx((4 - 10) / 14)
    assert sales["external_weight_share"] == pytest.approx(2.5 / 22.5)
    ops = _row(analysis.units, "unit_id", "ops")
    assert (ops["internal_ties"], ops["external_ties"], ops["ei_index"]) == (4, 4, 0.0)
    assert ops["external_weight_share"] == pytest.approx(2.5 / 6.5)
    assert sales["top_partners"] == ["ops"] and ops["top_partners"] == ["sales"]
    assert analysis.interdependence()["ops"] == pytest.approx(2.5 / 6.5)


def test_a_one_person_unit_is_suppressed_everywhere(analysis) -> None:
    solo = _row(analysis.units, "unit_id", "solo")
    assert solo["suppressed"] is True or solo["suppressed"] == np.True_
    assert solo["size"] == 1
    assert pd.isna(solo["internal_ties"]) and pd.isna(solo["external_ties"])
    assert math.isnan(solo["ei_index"]) and math.isnan(solo["external_weight_share"])
    assert solo["top_partners"] is None
    assert "solo" not in set(analysis.unit_matrix["unit_a"]) | set(analysis.unit_matrix["unit_b"])
    as_json = {u["unit_id"]: u for u in analysis.to_dict()["units"]}["solo"]
    assert as_json["suppressed"] is True
    assert as_json["internal_ties"] is None and as_json["ei_index"] is None


def test_unit_matrix_and_square_view(analysis) -> None:
    matrix = {(r.unit_a, r.unit_b): (r.ties, r.weight) for r in analysis.unit_matrix.itertuples()}
    assert matrix == {
        ("ops", "ops"): (4, 4.0),
        ("ops", "sales"): (3, 1.5),
        ("sales", "sales"): (10, 20.0),
    }
    square = analysis.matrix("ties")
    assert square.loc["sales", "ops"] == square.loc["ops", "sales"] == 3
    assert list(square.index) == ["ops", "sales"]


def test_brokers_reach_two_other_units_ranked_by_betweenness(analysis) -> None:
    brokers = analysis.brokers
    assert set(brokers["person_id"]) == {"s1", "o1", "x1"}
    assert list(brokers["rank"]) == [1, 2, 3]
    assert brokers["betweenness"].is_monotonic_decreasing
    assert set(brokers["units_reached"]) == {2}


def test_duplicate_and_reversed_pairs_merge_and_self_ties_drop() -> None:
    people = pd.DataFrame({"person_id": ["a", "b"], "unit_id": ["u", "u"]})
    ties = pd.DataFrame(
        {
            "person_a": ["a", "b", "a"],
            "person_b": ["b", "a", "a"],
            "weight": [1.0, 2.0, 5.0],
            "reciprocal": [False, True, True],
        }
    )
    graph = tie_graph(ties, people)
    assert graph.weight.tolist() == [3.0] and graph.reciprocal.tolist() == [True]
    assert graph.counts["self_ties_dropped"] == 1


def test_arrow_ties_code_as_the_same_frame_does() -> None:
    people = pd.DataFrame({"person_id": ["a", "b", "c"], "unit_id": ["u", "u", "v"]})
    ties = pd.DataFrame(
        {
            "person_a": [" a", "b", "c", "a", "x"],
            "person_b": ["b", "a", "a", "a", "c"],
            "weight": [1.0, 2.0, 0.5, 5.0, 1.0],
            "reciprocal": [False, None, True, True, False],
        }
    )
    from_frame = tie_graph(ties, people)
    from_arrow = tie_graph(pa.Table.from_pandas(ties), people)
    for name in ("a", "b", "weight", "reciprocal", "external_contacts"):
        assert getattr(from_arrow, name).tolist() == getattr(from_frame, name).tolist()
    assert from_arrow.counts == from_frame.counts


@pytest.mark.parametrize("as_arrow", [False, True])
@pytest.mark.parametrize(
    ("ties", "message"),
    [
        (pd.DataFrame({"person_a": ["a"], "person_b": ["b"]}), "weight"),
        (pd.DataFrame({"person_a": ["a"], "person_b": ["b"], "weight": [-1.0]}), "weight"),
        (pd.DataFrame({"person_a": ["a"], "person_b": ["b"], "weight": [None]}), "weight"),
        (pd.DataFrame({"person_a": ["a"], "person_b": [None], "weight": [1.0]}), "empty"),
    ],
)
def test_bad_ties_raise_data_error(ties: pd.DataFrame, message: str, as_arrow: bool) -> None:
    people = pd.DataFrame({"person_id": ["a", "b"], "unit_id": ["u", "u"]})
    with pytest.raises(DataError, match=message):
        analyze_network(pa.Table.from_pandas(ties) if as_arrow else ties, people)


def test_people_listed_twice_raise_data_error() -> None:
    people = pd.DataFrame({"person_id": ["a", "a"], "unit_id": ["u", "v"]})
    ties = pd.DataFrame({"person_a": ["a"], "person_b": ["b"], "weight": [1.0]})
    with pytest.raises(DataError, match="more than once"):
        analyze_network(ties, people)


@st.composite
def organizations(draw):
    n = draw(st.integers(2, 25))
    units = draw(st.lists(st.sampled_from("abcd"), min_size=n, max_size=n))
    pairs = st.tuples(st.integers(0, n + 2), st.integers(0, n + 2))  # ids >= n are external
    rows = draw(st.lists(pairs, max_size=80))
    weights = draw(
        st.lists(
            st.sampled_from([0.25, 0.5, 1.0, 2.0, 3.0]), min_size=len(rows), max_size=len(rows)
        )
    )
    reciprocal = draw(st.lists(st.booleans(), min_size=len(rows), max_size=len(rows)))
    people = pd.DataFrame({"person_id": [f"p{i}" for i in range(n)], "unit_id": units})
    ties = pd.DataFrame(
        {
            "person_a": [f"p{a}" for a, _ in rows],
            "person_b": [f"p{b}" for _, b in rows],
            "weight": weights,
            "reciprocal": reciprocal,
        }
    )
    return ties, people


@given(organizations())
def test_figures_add_up_and_match_brute_force(case) -> None:
    ties, people = case
    result = analyze_network(ties, people, min_group_size=1, leiden_runs=2)
    graph = result.graph
    persons = result.people
    assert persons["degree"].sum() == 2 * len(graph.a)
    assert (persons["strong_ties"] + persons["weak_ties"] == persons["degree"]).all()
    # Each person's strong ties, recounted from their own ties with numpy's percentile.
    for i in range(graph.n):
        mine = (graph.a == i) | (graph.b == i)
        if not mine.any():
            continue
        cut = np.percentile(graph.weight[mine], 75)
        assert persons["strong_ties"].iloc[i] == int(
            (graph.reciprocal[mine] & (graph.weight[mine] >= cut)).sum()
        )
    units = result.units
    assert units["internal_ties"].sum() + units["external_ties"].sum() / 2 == len(graph.a)
    assert units["ei_index"].dropna().between(-1, 1).all()
    assert units["external_weight_share"].dropna().between(0, 1).all()
