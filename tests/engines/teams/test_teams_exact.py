"""The exchange search against the optimum: brute force for tiny cases, the exact solver
for small ones (test_exact_gap.py takes the proved optima up to 24 people)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from teamcheck import brute_force_optimum, random_people

from smartmoves.engines.teams import form_workgroups
from smartmoves.engines.teams._attributes import dissimilarity, read_attributes
from smartmoves.errors import ConfigError, InfeasibleError

FEATURES = ["tenure", "function", "skills"]
GAP = 0.005  # the heuristic must reach 99.5% of the optimum


@given(
    n=st.integers(3, 8),
    k=st.integers(1, 3),
    seed=st.integers(0, 2**16),
    pin=st.booleans(),
)
# Cases the exchange once missed by 2-12%: a must-link block of two men could only trade
# places with singletons of its own categories, and the optimum needed a woman and a man.
@example(n=8, k=3, seed=329, pin=True)
@example(n=8, k=3, seed=1452, pin=True)
@example(n=8, k=2, seed=994, pin=True)
def test_exchange_matches_brute_force_and_refuses_only_the_impossible(
    n: int, k: int, seed: int, pin: bool
) -> None:
    rng = np.random.default_rng(seed)
    frame, options = random_people(rng, n, constraints=0.6)
    fixed = {int(i): int(rng.integers(1, k + 1)) for i in rng.choice(n, 2, replace=False)}
    if pin:
        options["fixed"] = {frame.person_id[i]: g for i, g in fixed.items()}
    d = dissimilarity(frame, read_attributes(frame, FEATURES, None))
    best = brute_force_optimum(
        frame,
        d,
        k,
        keep_together=options.get("keep_together"),
        apart=options.get("apart"),
        balance=options.get("balance"),
        fixed=fixed if pin else None,
    )
    try:
        result = form_workgroups(frame, features=FEATURES, groups=k, min_size=1, **options)
    except InfeasibleError:
        assert best is None
        return
    assert best is not None
    assert result.diversity >= (1 - GAP) * best - 1e-9
    assert result.diversity <= best + 1e-9


@pytest.mark.parametrize(
    ("n", "k", "seed"), [(9, 3, 4), (10, 2, 3), (10, 3, 7), (11, 3, 7), (11, 2, 0)]
)
def test_exchange_is_within_half_a_percent_of_the_cp_sat_optimum(n: int, k: int, seed: int) -> None:
    frame, options = random_people(np.random.default_rng(seed), n, constraints=0.7)
    exact = form_workgroups(frame, features=FEATURES, groups=k, method="exact", **options)
    assert exact.optimal
    heuristic = form_workgroups(frame, features=FEATURES, groups=k, **options)
    assert heuristic.diversity >= (1 - GAP) * exact.diversity
    assert heuristic.diversity <= exact.diversity * (1 + 1e-6)


def test_cp_sat_agrees_with_brute_force_under_constraints() -> None:
    frame, options = random_people(np.random.default_rng(24), 8, constraints=1.0)
    options["fixed"] = {"p0": 1}
    d = dissimilarity(frame, read_attributes(frame, FEATURES, None))
    best = brute_force_optimum(
        frame,
        d,
        2,
        keep_together=options["keep_together"],
        apart=options["apart"],
        balance=options["balance"],
    )
    exact = form_workgroups(frame, features=FEATURES, groups=2, method="exact", **options)
    assert exact.optimal and exact.labels[0] == 1
    assert best is not None and exact.diversity == pytest.approx(best, rel=1e-6)


def test_the_exact_method_stops_at_24_people() -> None:
    frame, _ = random_people(np.random.default_rng(22), 25)
    with pytest.raises(ConfigError, match="at most 24"):
        form_workgroups(frame, features=FEATURES, groups=5, method="exact")
