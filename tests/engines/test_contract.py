"""The engine contract (docs/architecture.md), checked for every public engine function.

For each function in the ``__all__`` of ``smartmoves.engines.capacity``, ``.teams``,
``.network``, ``.metrics``, ``.entry``, ``.impact`` and ``.insights`` (plus
``ExposureModel.predict``), on a small real input:

- **determinism**: the same seed (hypothesis draws it) gives the same ``to_dict()``;
  functions without a seed give the same ``to_dict()`` twice;
- **options**: every bad option the function documents raises ``ConfigError``, seeds
  that are not whole numbers >= 0 included;
- **result**: a frozen dataclass subclass of ``EngineResult`` whose ``to_dict()`` is
  plain JSON (``allow_nan=False``) and whose ``to_frame()`` is a DataFrame.

A public function with no case here fails :func:`test_every_public_function_has_a_case`,
so a new engine cannot skip the contract silently.
"""

from __future__ import annotations

import dataclasses
import inspect
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartmoves.engines import capacity, entry, impact, insights, metrics, network, teams
from smartmoves.engines._common import MAX_SEED, EngineResult, json_ready
from smartmoves.errors import ConfigError

PACKAGES: tuple[ModuleType, ...] = (capacity, teams, network, metrics, entry, impact, insights)

# Public names that are functions but not engines computing a result.
EXCLUDED = {
    "network.sentence_encoder": (
        "a factory: it loads the sentence-transformers model of the embeddings extra and "
        "returns an encoding function (or None); it computes nothing, takes no seed"
    ),
    "network.diversified": (
        "a ranking helper: the positions a list keeps, a few of a unit first; it computes "
        "no result and takes no seed (its doctest and tests/engines/network check it)"
    ),
    "metrics.metric_series": (
        "a reading helper of estimate_drivers: one weekly series per metric, and what it "
        "stood in for (estimate_drivers' case covers it)"
    ),
    "teams.check_formation": (
        "a check before a search: it returns nothing and refuses what form_workgroups "
        "refuses before searching (tests/engines/teams checks that both say the same)"
    ),
}

BAD_SEEDS = ("7", 1.5, -1, None, True, MAX_SEED + 1)


# --- small real inputs --------------------------------------------------------------

PEOPLE = pd.DataFrame(
    {
        "person_id": [f"p{i}" for i in range(12)],
        "unit_id": ["sales"] * 4 + ["ops"] * 4 + ["it"] * 4,
        "contracted_hours": [40, 40, 32, 40, 40, 36, 40, 40, 40, 40, 20, 40],
        "skills": ["billing;excel", "", "excel", "", "billing", "", "", "sql", "", "", "", "sql"],
        "function": ["sales", "sales", "ops", "it"] * 3,
        "tenure": [1, 3, 5, 7, 2, 4, 6, 8, 9, 10, 11, 12],
        "location": ["north", "south"] * 6,
    }
)
ACTIVITIES = pd.DataFrame(
    {
        "activity_id": ["bill", "file", "calls", "report"],
        "name": ["Prepare invoices", "File documents", "Answer customer calls", "Weekly report"],
        "automation_potential": [0.4, 0.5, None, 0.25],
        "eliminable": ["no", "yes", "no", ""],
        "skill": ["billing", None, None, "excel"],
    }
)
ALLOCATIONS = pd.DataFrame(
    {
        "person_id": [f"p{i}" for i in range(12) for _ in range(2)],
        "activity_id": ["bill", "calls", "file", "report"] * 6,
        "hours_per_week": [20, 20, 10, 20, 16, 10, 12, 12] * 3,
    }
)
DECISIONS = pd.DataFrame(
    {
        "activity_id": ["bill", "file", "calls", "report"],
        "decision": ["automate", "automate", "keep", "stop"],
        "unit_id": [None, None, None, "sales"],
    }
)
VOLUNTEERS = ["p0", "p1", "p4", "p9"]
MEMBERS = pd.DataFrame(
    {"person_id": [f"p{i}" for i in range(12)], "workgroup": ["A"] * 5 + ["B"] * 4 + ["C"] * 3}
)

NET_PEOPLE = pd.DataFrame(
    {
        "person_id": [f"s{i}" for i in range(1, 6)] + [f"o{i}" for i in range(1, 6)] + ["x1"],
        "unit_id": ["sales"] * 5 + ["ops"] * 5 + ["solo"],
    }
)
NET_TIES = pd.DataFrame(
    [(a, b, 2.0, True) for a, b in itertools.combinations([f"s{i}" for i in range(1, 6)], 2)]
    + [(f"o{i}", f"o{i + 1}", 1.0, True) for i in range(1, 5)]
    + [("s1", "o1", 0.5, False), ("s2", "o1", 0.5, False), ("s3", "o5", 0.5, False)]
    + [("x1", "s1", 1.0, True), ("s2", "ext1", 1.0, False)],
    columns=["person_a", "person_b", "weight", "reciprocal"],
)
TOPICS = pd.DataFrame(
    {
        "person_id": ["o2", "o3", "s4", "s1"],
        "topic": ["customer churn", "churn", "payroll", "pricing"],
        "events": [5, 3, 2, 4],
    }
)
PROFILES = pd.DataFrame(
    {
        "person_id": ["s1", "s1", "o2", "o4", "x1"],
        "field": ["topics", "skills", "skills", "topics", "skills"],
        "text": ["pricing", "pricing models", "payroll", "customer churn", "pricing"],
        "weight": [12, 1, 1, 3, 1],
    }
)


class Inputs:
    """What several cases share and costs a little to make: real labels, a trained model."""

    def __init__(self, shared_dir: Path, workdir: Path) -> None:
        self.shared_dir = shared_dir
        self.workdir = workdir

    @cached_property
    def labels(self) -> pd.DataFrame:
        """24 labelled O*NET tasks: one E0, one E1 and one E2 task of eight occupations
        spread through the SOC order. With every label in every occupation, the folds
        that any seed draws can all be learnt from."""
        frame = pd.read_csv(self.shared_dir / "data/onet-exposure/tasks_train.tsv", sep="\t")
        first = frame.groupby(["soc_code", "human_exposure"], sort=True).head(1)
        complete = first.groupby("soc_code").filter(lambda tasks: len(tasks) == 3)
        codes = sorted(complete["soc_code"].unique())
        keep = codes[:: len(codes) // 8][:8]
        return complete[complete["soc_code"].isin(keep)].reset_index(drop=True)

    @cached_property
    def model(self) -> capacity.ExposureModel:
        return capacity.train_exposure_model(self.labels, seed=0)

    @cached_property
    def model_file(self) -> Path:
        return self.model.save(self.workdir / "exposure.npz")

    @cached_property
    def prediction(self) -> capacity.ExposurePrediction:
        return self.model.predict(ACTIVITIES)

    @cached_property
    def analysis(self) -> network.NetworkAnalysis:
        return network.analyze_network(NET_TIES, NET_PEOPLE, min_group_size=3)


@dataclass(frozen=True)
class Case:
    """How to call one engine on its input (``run(inputs, **options)``) and what to refuse.

    ``examples`` is how many seeds hypothesis draws (fewer for the slow engines);
    ``no_options`` says why a case has no ``bad`` options to check.
    """

    run: Callable[..., Any]
    seeded: bool
    bad: tuple[dict[str, Any], ...] = ()
    no_options: str = ""
    examples: int = 10


def _seeds(*others: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    return tuple({"seed": s} for s in BAD_SEEDS) + others


METRIC_TREE = pd.DataFrame(
    {
        "metric_id": ["OP", "A", "B"],
        "parent_id": ["", "OP", "OP"],
        "level": ["operating", "frontline", "frontline"],
        "direction": ["up", "up", "down"],
    }
)
_WEEKS = [f"2025-{m:02d}-{d:02d}" for m in range(1, 8) for d in (6, 20)]
METRIC_VALUES = pd.DataFrame(
    [
        {"metric_id": m, "scope": scope, "scope_id": sid, "date": w,
         "value": float((i * (3 + k) + 7 * k) % 11 + (2 * i if m == "OP" else 0))}
        for k, (m, scope, sid) in enumerate(
            [("A", "org", "ORG"), ("B", "org", "ORG"), ("OP", "org", "ORG"),
             ("A", "unit", "U1"), ("A", "unit", "U2"), ("B", "unit", "U2")]
        )
        for i, w in enumerate(_WEEKS)
    ]
)  # fmt: skip
IMPACT_VALUES = pd.DataFrame(
    [
        {"scope_id": f"U{u}", "date": w, "value": float((i * (3 + u) + 7 * u) % 11 + u)}
        for u in range(1, 8)
        for i, w in enumerate(_WEEKS)
    ]
)
UNITS = [
    entry.UnitEvidence("U1", people=40, freeable_share=0.7, freeable_volunteers=20, impact=3.0,
                       leader_support=4.0, kind="function"),
    entry.UnitEvidence("U2", people=8, freeable_share=0.2, freeable_volunteers=0, impact=None),
]  # fmt: skip

CASES: dict[str, Case] = {
    "capacity.apply_decisions": Case(
        lambda i, **o: capacity.apply_decisions(
            PEOPLE, ACTIVITIES, ALLOCATIONS, DECISIONS, exposure=i.prediction, **o
        ),
        seeded=False,
        no_options="tables only: bad tables and decisions raise DataError",
    ),
    "capacity.suggest_decisions": Case(
        lambda i, **o: capacity.suggest_decisions(
            PEOPLE, ACTIVITIES, ALLOCATIONS, exposure=i.prediction, **o
        ),
        seeded=False,
        no_options="unit_id is any unit: one without people has no hours to rank",
    ),
    "capacity.plan_consolidation": Case(
        lambda i, **o: capacity.plan_consolidation(
            PEOPLE,
            ACTIVITIES,
            ALLOCATIONS,
            VOLUNTEERS,
            decisions=DECISIONS,
            **{"min_pilot": 1, "time_limit": 10.0, **o},
        ),
        seeded=True,
        bad=_seeds(
            {"target_free": -0.1},
            {"target_free": 1.5},
            {"target_free": "most"},
            {"max_load": 0},
            {"max_load": float("inf")},
            {"min_pilot": -1},
            {"min_pilot": 1.5},
            {"min_pilot": 5, "max_pilot": 2},
            {"time_limit": 0},
            {"workers": 0},
            {"workers": 1.5},
        ),
        examples=3,
    ),
    "capacity.automation_potential_for": Case(
        lambda i, **o: capacity.automation_potential_for(ACTIVITIES, i.prediction, **o),
        seeded=False,
        bad=({"measure": "delta"}, {"measure": "BETA"}),
    ),
    "capacity.train_exposure_model": Case(
        lambda i, **o: capacity.train_exposure_model(i.labels, **o),
        seeded=True,
        bad=_seeds(
            {"inner_folds": 1},
            {"inner_folds": 2.5},
            {"fine_tune": True, "embeddings": False},
        ),
        examples=3,
    ),
    "capacity.evaluate_exposure": Case(
        lambda i, **o: capacity.evaluate_exposure(i.labels, **{"folds": 2, **o}),
        seeded=True,
        bad=_seeds({"folds": 1}, {"folds": 9}, {"folds": 2.5}),
        examples=2,
    ),
    "capacity.load_exposure_model": Case(
        lambda i, path=None: capacity.load_exposure_model(path or i.model_file),
        seeded=False,
        bad=({"path": Path("no-such-model.npz")}, {"path": Path(__file__)}),
    ),
    "capacity.ExposureModel.predict": Case(
        lambda i, **o: i.model.predict(ACTIVITIES, **o),
        seeded=False,
        no_options="a table only (the model's seed is train_exposure_model's)",
    ),
    "teams.form_workgroups": Case(
        lambda i, **o: teams.form_workgroups(
            PEOPLE, **{"features": ["function", "tenure", "skills"], "groups": 3, **o}
        ),
        seeded=True,
        bad=_seeds(
            {"groups": -1},
            {"groups": 2, "size": 4},
            {"groups": None},
            {"size": 0},
            {"min_size": -1},
            {"max_size": 0},
            {"min_size": 5, "max_size": 4},
            {"method": "greedy"},
            {"restarts": 0},
            {"time_limit": 0},
            {"features": []},
            {"features": "function"},
            {"weights": {"tenure": -1.0}},
            {"weights": {"height": 1.0}},
        ),
        examples=8,
    ),
    "teams.form_cells": Case(
        lambda i, **o: teams.form_cells(MEMBERS, **{"min_size": 3, "max_size": 5, **o}),
        seeded=True,
        bad=_seeds(
            {"min_size": 0},
            {"min_size": 6, "max_size": 5},
            {"min_size": 2.5},
            {"cells": 0},
            {"cells": 1.5},
        ),
        examples=20,
    ),
    "teams.diversity_figures": Case(
        lambda i, **o: teams.diversity_figures(
            PEOPLE, [1, 2, 3] * 4, **{"features": ["function", "tenure"], **o}
        ),
        seeded=False,
        bad=(
            {"features": []},
            {"features": "tenure"},
            {"features": ["tenure", "tenure"]},
            {"weights": {"tenure": -1.0}},
            {"weights": {"height": 1.0}},
        ),
    ),
    "metrics.estimate_drivers": Case(
        lambda i, **o: metrics.estimate_drivers(METRIC_TREE, METRIC_VALUES, **o),
        seeded=False,
        bad=({"alpha": 0}, {"alpha": 1.5}, {"alpha": "5%"}),
    ),
    "insights.scan": Case(
        lambda i, **o: insights.scan(METRIC_VALUES, **o),
        seeded=True,
        bad=_seeds(
            {"min_confidence": 1},
            {"min_confidence": -0.1},
            {"kinds": ["drift"]},
            {"kinds": "anomaly"},
            {"workers": 0},
            {"workers": 1.5},
        ),
    ),
    "metrics.unit_influence": Case(
        lambda i, **o: metrics.unit_influence(
            METRIC_TREE,
            METRIC_VALUES,
            metrics.estimate_drivers(METRIC_TREE, METRIC_VALUES),
            {"U1": 30, "U2": 10},
            "OP",
            **o,
        ),
        seeded=False,
        no_options="tables and a target: a target no metric leads to is worth nothing",
    ),
    "impact.estimate_effect": Case(
        lambda i, **o: impact.estimate_effect(
            IMPACT_VALUES, **{"treated": ["U3"], "start": _WEEKS[8], "placebos": 20, **o}
        ),
        seeded=True,
        bad=_seeds(
            {"method": "bayes"},
            {"alpha": 0},
            {"alpha": 0.5},
            {"alpha": "5%"},
            {"placebos": 19},
            {"placebos": 50.5},
        ),
        examples=5,
    ),
    "entry.score_entry_points": Case(
        lambda i, **o: entry.score_entry_points(UNITS, **o),
        seeded=False,
        bad=({"weights": {"capacity": 2}}, {"weights": None}),
    ),
    "entry.judge_catalyst": Case(
        lambda i, **o: entry.judge_catalyst(
            **{"kind": "market_pressure", "answers": dict.fromkeys(entry.QUESTIONS, True), **o}
        ),
        seeded=False,
        bad=({"kind": "luck"}, {"answers": {"fun": True}}),
    ),
    "entry.judge_champion": Case(
        lambda i, **o: entry.judge_champion(
            c_level=True,
            conviction=True,
            communicates=True,
            air_cover=True,
            area_unit_id="U1",
            vision="From next month our teams are freed from routine work.",
        ),
        seeded=False,
        no_options="answers only: every answer, known or not, is judged",
    ),
    "network.analyze_network": Case(
        lambda i, **o: network.analyze_network(
            NET_TIES, NET_PEOPLE, **{"topics": TOPICS, "min_group_size": 3, **o}
        ),
        seeded=True,
        bad=_seeds(
            {"min_group_size": 0},
            {"betweenness_min_samples": 0},
            {"leiden_runs": 0},
            {"strong_tie_percentile": 101},
            {"practice_max_unit_share": 0},
            {"betweenness_work_limit": -1},
            {"constraint_work_limit": -1},
            {"workers": -1},
            {"workers": 3},
        ),
        examples=5,
    ),
    "network.tie_graph": Case(
        lambda i, **o: network.tie_graph(NET_TIES, NET_PEOPLE, **o),
        seeded=False,
        no_options="tables only: bad ties or people raise DataError",
    ),
    "network.expert_profiles": Case(
        lambda i, **o: network.expert_profiles(
            PEOPLE.assign(person_id=[*NET_PEOPLE["person_id"], "p11"]),
            topics=TOPICS,
            **o,
        ),
        seeded=False,
        no_options="tables only; skills_column names an optional column",
    ),
    "network.topic_profiles": Case(
        lambda i, **o: network.topic_profiles(TOPICS, **{"people": NET_PEOPLE["person_id"], **o}),
        seeded=False,
        no_options="a table only; people lists whose rows to keep",
    ),
    "network.profile_index": Case(
        lambda i, **o: network.profile_index(PROFILES, **{"method": "tfidf", **o}),
        seeded=False,
        bad=({"method": "bm25"},),
    ),
    "network.find_experts": Case(
        lambda i, text="help with pricing", **o: network.find_experts(
            PROFILES, text, **{"people": NET_PEOPLE, "method": "tfidf", **o}
        ),
        seeded=False,
        bad=({"method": "bm25"}, {"limit": 0}, {"limit": 1.5}, {"text": " "}),
    ),
    "network.suggest_connections": Case(
        lambda i, **o: network.suggest_connections(
            i.analysis, **{"person": "s1", "profiles": PROFILES, "about": "churn", **o}
        ),
        seeded=False,
        bad=(
            {"limit": 0},
            {"limit": 2.5},
            {"method": "bm25"},
            {"members": ["s1"]},
            {"person": None},
            {"person": None, "members": []},
            {"profiles": None},
        ),
    ),
    "network.similar_challenges": Case(
        lambda i, problem="why do customers churn?", **o: network.similar_challenges(
            TOPICS, problem, **{"members": ["s1"], "network": i.analysis, **o}
        ),
        seeded=False,
        bad=(
            {"limit": 0},
            {"limit": 2.5},
            {"method": "bm25"},
            {"members": []},
            {"problem": ""},
            {"min_score": -1.0},
            {"network": NET_TIES},
        ),
    ),
}

# Builders of an input table for other engines, not results: they return the table itself.
TABLES = {
    "network.expert_profiles": "the profiles table that find_experts reads",
    "network.topic_profiles": "the rows that similar_challenges searches",
}

# Known contract failures, expected to fail (strict: a fix turns them into an error to
# remove from here). None today; a new engine's gap goes here with its reason.
XFAIL: dict[tuple[str, str], str] = {}


def _param(name: str, check: str, *values: Any) -> Any:
    reason = XFAIL.get((name, check))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(*values, id=f"{name}-{check}", marks=marks)


def _options_id(options: dict[str, Any]) -> str:
    return ",".join(f"{k}={v!r}" for k, v in options.items())


@pytest.fixture(scope="module")
def inputs(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Inputs:
    return Inputs(shared_dir, tmp_path_factory.mktemp("contract"))


# --- the suite covers every public function -------------------------------------------


def _public_functions() -> set[str]:
    found = set()
    for package in PACKAGES:
        topic = package.__name__.rsplit(".", 1)[1]
        found |= {
            f"{topic}.{name}"
            for name in package.__all__
            if inspect.isfunction(getattr(package, name))
        }
    return found


def test_every_public_function_has_a_case() -> None:
    public = _public_functions()
    assert public - set(CASES) - set(EXCLUDED) == set(), "public engine functions untested"
    assert set(EXCLUDED) <= public
    assert {c for c in CASES if c.count(".") == 1} <= public, "cases of names no longer public"


def test_every_case_checks_options_or_says_why_not() -> None:
    for name, case in CASES.items():
        assert bool(case.bad) != bool(case.no_options), name


def test_the_expected_failures_name_real_checks() -> None:
    checks = {(n, "determinism") for n in CASES} | {(n, "result") for n in CASES}
    checks |= {(n, _options_id(o)) for n, c in CASES.items() for o in c.bad}
    assert set(XFAIL) <= checks
    assert {name for name, _ in XFAIL} <= {c for c in CASES if c.startswith("network.")}


# --- (a) seeded determinism ---------------------------------------------------------


@pytest.mark.parametrize(
    "name", [_param(n, "determinism", n) for n, c in CASES.items() if c.seeded]
)
def test_the_same_seed_gives_the_same_result(name: str, inputs: Inputs) -> None:
    case = CASES[name]

    @settings(max_examples=case.examples, database=None)
    @given(seed=st.integers(0, MAX_SEED))
    def same(seed: int) -> None:
        assert case.run(inputs, seed=seed).to_dict() == case.run(inputs, seed=seed).to_dict()

    same()


@pytest.mark.parametrize(
    "name", [_param(n, "determinism", n) for n, c in CASES.items() if not c.seeded]
)
def test_the_same_input_gives_the_same_result(name: str, inputs: Inputs) -> None:
    case = CASES[name]
    assert case.run(inputs).to_dict() == case.run(inputs).to_dict()


# --- (b) bad options ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "options"),
    [_param(n, _options_id(o), n, o) for n, c in CASES.items() for o in c.bad],
)
def test_bad_options_raise_config_error(name: str, options: dict[str, Any], inputs: Inputs):
    with pytest.raises(ConfigError):
        CASES[name].run(inputs, **options)


# --- (c) the result -----------------------------------------------------------------


@pytest.mark.parametrize("name", [_param(n, "result", n) for n in CASES if n not in TABLES])
def test_the_result_is_a_frozen_engine_result(name: str, inputs: Inputs) -> None:
    result = CASES[name].run(inputs)
    assert isinstance(result, EngineResult)
    assert dataclasses.is_dataclass(result)
    first = dataclasses.fields(result)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(result, first, None)
    data = result.to_dict()
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text) == data  # plain JSON types only: no tuples, numpy or NaN
    assert isinstance(result.to_frame(), pd.DataFrame)


@pytest.mark.parametrize("name", sorted(TABLES))
def test_a_table_builder_returns_a_table_of_plain_values(name: str, inputs: Inputs) -> None:
    table = CASES[name].run(inputs)
    assert isinstance(table, pd.DataFrame) and len(table) > 0
    rows = json_ready(table)
    assert json.loads(json.dumps(rows, allow_nan=False)) == rows
