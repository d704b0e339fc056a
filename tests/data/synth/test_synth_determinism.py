"""Seeded determinism, argument checks, progress, and invariants over many small banks."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartmoves.data.synth import FILES, synthesize_bank
from smartmoves.data.synth.org import MIN_PEOPLE
from smartmoves.errors import ConfigError

CSV = [f for f in FILES if f.endswith(".csv")]


def test_same_seed_same_bank_and_another_seed_another(tmp_path):
    a = synthesize_bank(tmp_path / "a", people=150, weeks=2, seed=11)
    b = synthesize_bank(tmp_path / "b", people=150, weeks=2, seed=11)
    c = synthesize_bank(tmp_path / "c", people=150, weeks=2, seed=12)
    assert a.to_dict() | {"out_dir": ""} == b.to_dict() | {"out_dir": ""}
    for name in [*CSV, "truth.json"]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    ta = pq.read_table(tmp_path / "a" / "interactions.parquet")
    assert ta.equals(pq.read_table(tmp_path / "b" / "interactions.parquet"))
    assert not ta.equals(pq.read_table(tmp_path / "c" / "interactions.parquet"))
    differ = [
        n for n in CSV if (tmp_path / "a" / n).read_bytes() != (tmp_path / "c" / n).read_bytes()
    ]
    assert {"people.csv", "allocations.csv", "metric_values.csv"} <= set(differ)
    # The catalog and the tree are the bank's design, not chance.
    assert "activities.csv" not in differ and "metrics.csv" not in differ
    assert c.best_entry_point == a.best_entry_point


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"people": MIN_PEOPLE - 1}, "people must be at least"),
        ({"weeks": 0}, "weeks must be at least 1"),
        ({"seed": -1}, "seed must be 0 or more"),
        ({"events": 0}, "events must be"),
        ({"events_per_person_week": 0.0}, "events_per_person_week"),
        ({"people": 100.5}, "people must be a whole number"),
        ({"weeks": True}, "weeks must be a whole number"),
    ],
)
def test_bad_arguments_are_config_errors(tmp_path, options, message):
    with pytest.raises(ConfigError, match=message):
        synthesize_bank(tmp_path / "out", **options)
    assert not (tmp_path / "out").exists()


def test_a_file_in_place_of_the_folder_is_a_config_error(tmp_path):
    target = tmp_path / "taken"
    target.write_text("x")
    with pytest.raises(ConfigError, match="is a file"):
        synthesize_bank(target, people=MIN_PEOPLE, weeks=1)


def test_progress_reports_every_stage_and_finishes(tmp_path):
    calls: list[tuple[str, int, int]] = []
    summary = synthesize_bank(
        tmp_path, people=MIN_PEOPLE, weeks=1, events=500, progress=lambda *a: calls.append(a)
    )
    stages = [c[0] for c in calls]
    assert stages[0] == "organization" and "interactions" in stages and "metrics" in stages
    last = [c for c in calls if c[0] == "interactions"][-1]
    assert last[1:] == (summary.events, 500)
    done = [c[1] for c in calls if c[0] == "interactions"]
    assert done == sorted(done)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILES)


def test_the_smallest_bank_has_every_unit(tmp_path):
    synthesize_bank(tmp_path, people=MIN_PEOPLE, weeks=1, seed=0)
    import pandas as pd

    people = pd.read_csv(tmp_path / "people.csv", dtype=str)
    units = pd.read_csv(tmp_path / "units.csv", dtype=str)
    assert set(people["unit_id"]) == set(units["unit_id"])
    assert len(people) == MIN_PEOPLE


@settings(max_examples=12)
@given(
    people=st.integers(MIN_PEOPLE, 400),
    weeks=st.integers(1, 5),
    seed=st.integers(0, 10_000),
)
def test_invariants_hold_for_any_size_and_seed(tmp_path_factory, people, weeks, seed):
    import json

    import numpy as np
    import pandas as pd

    folder = tmp_path_factory.mktemp("any")
    summary = synthesize_bank(
        folder, people=people, weeks=weeks, seed=seed, events_per_person_week=4
    )
    frame = pd.read_csv(folder / "people.csv", dtype=str, keep_default_na=False)
    assert len(frame) == summary.people == people and frame["person_id"].is_unique
    assert frame.groupby("team_id").size().between(3, 15).all()
    alloc = pd.read_csv(folder / "allocations.csv")
    total = alloc.groupby("person_id")["hours_per_week"].sum()
    contracted = frame.set_index("person_id")["contracted_hours"].astype(float)
    np.testing.assert_allclose(total[contracted.index], contracted)
    ev = pq.read_table(folder / "interactions.parquet").to_pandas()
    assert len(ev) == summary.events == round(people * weeks * 4)
    assert (ev["recipient_ids"].str.len() > 0).all()
    assert ev["timestamp"].min() >= pd.Timestamp("2024-01-01")
    assert ev["timestamp"].max() < pd.Timestamp("2024-01-01") + pd.Timedelta(weeks=weeks)
    values = pd.read_csv(folder / "metric_values.csv")
    assert values.groupby(["metric_id", "scope", "scope_id"]).size().eq(weeks).all()
    truth = json.loads((folder / "truth.json").read_text())
    volunteers = truth["best_entry_point"]["volunteers"]
    assert volunteers["count"] <= 60
    if people >= 150:
        assert volunteers["within_15_60"]
        assert truth["pilot_effect"]["planted"] == (weeks >= 2)
