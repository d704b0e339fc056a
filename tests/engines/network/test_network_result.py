"""Communities of practice, the JSON the interfaces print, and the views they hand out."""

from __future__ import annotations

import itertools
import json

import pandas as pd
import pytest

from smartmoves.engines.network import NetworkAnalysis, analyze_network
from smartmoves.errors import ConfigError, NotFound


def _clique(ids: list[str]) -> list[tuple[str, str]]:
    return list(itertools.combinations(ids, 2))


@pytest.fixture
def practice_org() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    a = [f"a{i}" for i in range(1, 11)]
    b = [f"b{i}" for i in range(1, 11)]
    c = ["c1", "c2", "c3"]
    people = pd.DataFrame({"person_id": a + b + c, "unit_id": ["A"] * 10 + ["B"] * 10 + ["C"] * 3})
    pairs = _clique(a[:5] + b[:5]) + _clique(a[5:]) + _clique(b[5:]) + _clique(c)
    pairs += [("a1", "a6"), ("b1", "b6"), ("c1", "a7")]
    ties = pd.DataFrame(pairs, columns=["person_a", "person_b"]).assign(weight=1.0, reciprocal=True)
    topics = pd.DataFrame(
        [(p, "pricing", 5) for p in a[:5] + b[:5]]
        + [(p, "churn", 2) for p in a[:5]]
        + [(p, "payroll", 4) for p in a[5:]]
        + [("c1", "secret", 9)],
        columns=["person_id", "topic", "events"],
    )
    return ties, people, topics


def _community_of(result: NetworkAnalysis, person: str) -> dict:
    label = result.people.set_index("person_id").loc[person, "community"]
    return result.communities.set_index("community").loc[label].to_dict()


def test_communities_that_cut_across_units_are_practices(practice_org) -> None:
    ties, people, topics = practice_org
    result = analyze_network(ties, people, topics=topics)
    mixed = _community_of(result, "a1")
    assert (mixed["size"], mixed["units"], mixed["largest_unit_share"]) == (10, 2, 0.5)
    assert mixed["practice"] and mixed["top_topics"] == ["pricing", "churn"]
    assert sorted(mixed["top_units"]) == ["A", "B"]
    single = _community_of(result, "a6")
    assert not single["practice"] and single["units"] == 1 and single["top_topics"] == ["payroll"]


def test_small_communities_are_suppressed(practice_org) -> None:
    ties, people, topics = practice_org
    result = analyze_network(ties, people, topics=topics)
    small = _community_of(result, "c1")
    assert small["suppressed"] and small["size"] == 3 and not small["practice"]
    assert pd.isna(small["units"]) and small["top_topics"] is None and small["top_units"] is None


def test_to_dict_has_the_documented_keys_and_is_json(org_ties, org_people) -> None:
    result = analyze_network(org_ties, org_people)
    out = result.to_dict()
    assert list(out) == [
        "people",
        "units",
        "brokers",
        "communities",
        "unit_matrix",
        "parameters",
        "summary",
    ]
    person_keys = {
        "person_id",
        "unit_id",
        "degree",
        "strength",
        "strong_ties",
        "weak_ties",
        "external_share",
        "betweenness",
        "constraint",
        "community",
    }
    assert person_keys <= set(out["people"][0])
    unit_keys = {
        "unit_id",
        "size",
        "internal_ties",
        "external_ties",
        "ei_index",
        "external_weight_share",
        "suppressed",
    }
    assert unit_keys <= set(out["units"][0])
    assert out["parameters"]["betweenness"]["method"] == "exact"
    assert json.loads(json.dumps(out)) == out


def test_views_keep_person_rows_away_from_others(org_ties, org_people) -> None:
    result = analyze_network(org_ties, org_people)
    shared = result.units_view()
    assert set(shared) == {"units", "communities", "unit_matrix", "parameters", "summary"}
    assert "s1" not in json.dumps(shared)
    mine = result.for_person("s1")
    assert mine["person"]["person_id"] == "s1" and mine["person"]["degree"] == 6
    assert mine["unit"]["unit_id"] == "sales" and mine["broker_rank"] in (1, 2, 3)
    assert result.for_person("o3")["broker_rank"] is None
    with pytest.raises(NotFound):
        result.for_person("nobody")


def test_seeded_results_repeat(org_ties, org_people) -> None:
    first = analyze_network(org_ties, org_people, seed=3).to_dict()
    assert analyze_network(org_ties, org_people, seed=3).to_dict() == first


def test_people_without_ties_have_no_community_and_nan_constraint() -> None:
    people = pd.DataFrame({"person_id": ["a", "b", "lonely"], "unit_id": "u"})
    ties = pd.DataFrame({"person_a": ["a"], "person_b": ["b"], "weight": [1.0]})
    lonely = analyze_network(ties, people).for_person("lonely")["person"]
    assert lonely["degree"] == 0 and lonely["community"] is None
    assert lonely["constraint"] is None and lonely["external_share"] is None


@pytest.mark.parametrize(
    "option",
    [
        {"min_group_size": 0},
        {"leiden_runs": 0},
        {"betweenness_min_samples": 0},
        {"strong_tie_percentile": 101},
        {"practice_max_unit_share": 0},
    ],
)
def test_bad_options_raise_config_error(org_ties, org_people, option) -> None:
    with pytest.raises(ConfigError):
        analyze_network(org_ties, org_people, **option)


def test_an_organization_without_ties_gives_empty_figures_not_errors() -> None:
    people = pd.DataFrame({"person_id": list("abcdef"), "unit_id": list("xxxxxx")})
    ties = pd.DataFrame({"person_a": ["a"], "person_b": ["outsider"], "weight": [1.0]})
    result = analyze_network(ties, people)
    assert result.summary["ties"] == 0 and result.summary["isolated_people"] == 6
    assert result.communities.empty and result.brokers.empty
    unit = result.to_dict()["units"][0]
    assert (unit["internal_ties"], unit["external_ties"], unit["ei_index"]) == (0, 0, None)
    assert result.to_dict()["summary"]["modularity"] is None
