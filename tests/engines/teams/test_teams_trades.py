"""The two-for-two trades of the exchange search: gains and limits checked one by one.

Every trade :meth:`Partition.exchange_gains` scores between two groups is made on a copy
and compared with the diversity recomputed from scratch and with the plan's limits.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from teamcheck import diversity_of, random_people

from smartmoves.engines.teams._attributes import dissimilarity, read_attributes
from smartmoves.engines.teams._exchange import greedy_start
from smartmoves.engines.teams._figures import people_ids
from smartmoves.engines.teams._partition import Partition
from smartmoves.engines.teams._plan import make_plan
from smartmoves.errors import InfeasibleError

FEATURES = ["tenure", "function", "skills"]


@settings(max_examples=30, deadline=None)
@given(n=st.integers(4, 10), k=st.integers(2, 3), seed=st.integers(0, 2**16))
def test_every_trade_is_scored_right_and_allowed_exactly_when_it_keeps_the_limits(
    n: int, k: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    frame, options = random_people(rng, n, constraints=0.7)
    try:
        plan = make_plan(
            frame,
            people_ids(frame),
            groups=k,
            size=None,
            min_size=1,
            max_size=n,
            keep_together=options.get("keep_together"),
            apart=options.get("apart"),
            balance=options.get("balance"),
            fixed=None,
            existing=None,
        )
    except InfeasibleError:
        return
    codes = greedy_start(plan, rng)
    if codes is None:
        return
    d = dissimilarity(frame, read_attributes(frame, FEATURES, None))
    state = Partition(d, plan, codes)
    for a, b in [(0, 1), (1, 2)][: k - 1]:
        gains = state.exchange_gains(a, b)[0]
        assert not np.isfinite(gains[0, 0])  # trading nobody for nobody is no trade
        for pick in range(gains.size):
            trial = state.copy()
            tried = trial.trade(a, b, pick=pick)
            if not np.isfinite(gains).any():
                assert tried == -np.inf
                break
            exact = float(diversity_of(d, trial.codes[None, :])[0])
            assert abs(trial.total - exact) < 1e-9
            assert abs(state.total + tried - exact) < 1e-9
            assert trial.valid(list(range(k)))
            assert (trial.codes[~trial.free] == state.codes[~state.free]).all()
        # Every trade that keeps the limits is among the allowed ones.
        allowed = np.isfinite(gains)
        for s in range(gains.shape[0]):
            for t in range(gains.shape[1]):
                if (s, t) == (0, 0) or allowed[s, t]:
                    continue
                trial = state.copy()
                _, out_a, out_b, rows_a, rows_b = trial.exchange_gains(a, b)
                for i in out_a[rows_a[s] > 0]:
                    trial.move(int(i), b)
                for i in out_b[rows_b[t] > 0]:
                    trial.move(int(i), a)
                assert not trial.valid([a, b])
