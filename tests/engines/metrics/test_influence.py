"""A unit's influence on the metric that matters: the synthetic bank's collections unit
leads on revenue; shares of a metric add up to one; a metric with no driver chain to the
target is named, not counted."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartmoves.data.synth import synthesize_bank
from smartmoves.engines.metrics import Driver, DriverEstimates, estimate_drivers, unit_influence


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("influence-bank")
    synthesize_bank(folder, people=600, weeks=26, seed=3, events=1000)
    return folder


def test_the_planted_entry_point_has_the_most_influence_on_revenue(bank: Path) -> None:
    tree = pd.read_csv(bank / "metrics.csv", keep_default_na=False)
    values = pd.read_csv(bank / "metric_values.csv")
    headcount = pd.read_csv(bank / "people.csv").groupby("unit_id").size().to_dict()
    found = unit_influence(tree, values, estimate_drivers(tree, values), headcount, "F-REV")
    best = json.loads((bank / "truth.json").read_text())["best_entry_point"]["unit_id"]
    assert max(found.units.values(), key=lambda u: u.value).unit_id == best
    mine = {m.metric_id for m in found.units[best].metrics}
    assert mine == {"FL-OUTREACH", "FL-PTP", "FL-HARDSHIP"}
    for metric in mine:  # every unit measured on a metric holds its share of it
        shares = [m.share for u in found.units.values() for m in u.metrics if m.metric_id == metric]
        assert sum(shares) == pytest.approx(1.0)
    # Payments' metric drives cost, not revenue: linked to F-COST, unlinked to F-REV.
    assert found.units["U-PAY"].value == 0.0 and found.units["U-PAY"].unlinked == ["FL-EXCEPT"]


TREE = pd.DataFrame(
    {
        "metric_id": ["FIN", "OP", "FL"],
        "parent_id": ["", "FIN", "OP"],
        "level": ["financial", "operating", "frontline"],
        "direction": ["up", "up", "up"],
    }
)


@settings(max_examples=50, deadline=None)
@given(
    lift=st.floats(0.1, 10),
    a=st.floats(-5, 5),
    b=st.floats(-5, 5),
    people=st.lists(st.integers(1, 100), min_size=1, max_size=4),
)
def test_influence_is_lift_times_share_times_the_chain(
    lift: float, a: float, b: float, people: list[int]
) -> None:
    units = [f"U{i}" for i in range(len(people))]
    values = pd.DataFrame(
        {
            "metric_id": "FL",
            "scope": "unit",
            "scope_id": [u for u in units for _ in range(3)],
            "date": ["w1", "w2", "w3"] * len(units),
            "value": [1.0, 2.0, 3.0] * len(units),
        }
    )
    drivers = DriverEstimates(
        [
            Driver("FL", "OP", 0, a, a - 1, a + 1, 0.5, 0.01, 0.5, False, 30),
            Driver("OP", "FIN", 0, b, b - 1, b + 1, 0.5, 0.01, 0.5, False, 30),
        ]
    )
    headcount = dict(zip(units, people, strict=True))
    found = unit_influence(TREE, values, drivers, headcount, "FIN", lifts={"FL": lift})
    for unit, size in headcount.items():
        share = size / sum(people)
        assert found.units[unit].value == pytest.approx(lift * share * a * b, abs=1e-9)
        assert found.units[unit].metrics[0].path == ["FL", "OP", "FIN"]
