"""Every table the synthetic bank writes passes its import contract, and holds together."""

from __future__ import annotations

import numpy as np
import pandas as pd

from smartmoves.data.contracts import CONTRACTS
from smartmoves.data.imports.events import stage_events
from smartmoves.data.readers import read_text_table
from smartmoves.data.synth.org import unit_sizes
from smartmoves.data.synth.spec import DIVISIONS, UNITS
from smartmoves.data.validate import validate_table

OPERATIONAL = (
    "units",
    "people",
    "activities",
    "allocations",
    "metrics",
    "metric_values",
    "applications",
)


def test_every_table_has_its_contract_columns(bank):
    for name in OPERATIONAL:
        columns = set(bank.csv(name).columns)
        assert set(CONTRACTS[name].required) <= columns, name
    assert set(CONTRACTS["interactions"].names) == set(bank.interactions().columns)


def test_every_table_passes_the_importers_validation(bank, tmp_path):
    known: dict[str, set[str]] = {}
    for name in OPERATIONAL:
        valid = validate_table(
            read_text_table(bank.folder / f"{name}.csv"), CONTRACTS[name], known=known
        )
        for ref_key in CONTRACTS[name].key[:1]:
            known[name] = valid.ids(ref_key)
    staged = stage_events(
        CONTRACTS["interactions"],
        bank.folder / "interactions.parquet",
        tmp_path / "staged.parquet",
        known=known,
    )
    assert staged.rows == bank.summary.events


def test_ids_are_unique_and_references_resolve(bank):
    units, people = bank.csv("units"), bank.csv("people")
    assert units["unit_id"].is_unique and people["person_id"].is_unique
    assert bank.csv("activities")["activity_id"].is_unique
    unit_ids, person_ids = set(units["unit_id"]), set(people["person_id"])
    assert set(units["parent_id"]) - {""} <= unit_ids
    assert set(units["leader_id"]) <= person_ids
    assert set(people["unit_id"]) <= unit_ids
    assert set(people["manager_id"]) - {""} <= person_ids
    alloc = bank.csv("allocations")
    assert set(alloc["person_id"]) == person_ids
    assert set(alloc["activity_id"]) <= set(bank.csv("activities")["activity_id"])
    assert not alloc.duplicated(["person_id", "activity_id"]).any()
    metrics = bank.csv("metrics")
    assert set(metrics["parent_id"]) - {""} <= set(metrics["metric_id"])
    values = bank.csv("metric_values")
    assert set(values["metric_id"]) == set(metrics["metric_id"])
    unit_scope = values[values["scope"] == "unit"]
    assert set(unit_scope["scope_id"]) <= unit_ids
    teams = values[values["scope"] == "workgroup"]
    assert set(teams["scope_id"]) <= set(people["team_id"])
    assert set(bank.csv("applications")["person_id"]) <= person_ids


def test_hierarchy_bank_divisions_units_teams(bank):
    units = bank.csv("units").set_index("unit_id")
    assert units.loc["U-BANK", "parent_id"] == ""
    for d in DIVISIONS:
        assert units.loc[d.unit_id, "parent_id"] == "U-BANK"
    for u in UNITS:
        assert units.loc[u.unit_id, "parent_id"] == u.parent_id
        assert units.loc[u.unit_id, "position"] == u.position
    assert (units.loc[[u.unit_id for u in UNITS], "position"] == "edge").sum() == 1
    people = bank.csv("people")
    sizes = people.groupby("team_id").size()
    assert sizes.between(3, 15).all()
    # Every team sits in one unit, and has exactly one supervisor.
    assert (people.groupby("team_id")["unit_id"].nunique() == 1).drop("T-EXEC").all()
    sup = people[people["is_supervisor"] == "true"].groupby("team_id").size()
    assert (sup.drop("T-EXEC") == 1).all()
    # Manager chains end at the chief executive, without cycles.
    manager = dict(zip(people["person_id"], people["manager_id"], strict=True))
    for person in people["person_id"]:
        seen = {person}
        while manager[person]:
            person = manager[person]
            assert person not in seen
            seen.add(person)
        assert person == "P000001"


def test_headcount_shares_are_realistic(bank):
    for size in (2000, 100_000):
        shares = dict(zip([u.unit_id for u in UNITS], unit_sizes(size) / size, strict=True))
        branches = sum(v for k, v in shares.items() if k.startswith("U-BR-"))
        assert 0.25 < branches < 0.4 and shares["U-CC"] == max(shares.values())
        assert 0.08 < shares["U-COL"] < 0.12 and shares["U-SBA"] < 0.04
    # Small banks keep every unit, and the entry point keeps enough people for a pilot.
    sizes = dict(zip([u.unit_id for u in UNITS], unit_sizes(150), strict=True))
    assert min(sizes.values()) >= 3 and sizes["U-COL"] == 48
    people = bank.csv("people")
    hours = people["contracted_hours"].astype(float)
    assert (hours == 40).mean() > 0.8 and set(hours) <= {20.0, 30.0, 40.0}
    for column in (
        "hire_date",
        "age_band",
        "prior_industry",
        "education_field",
        "skills",
        "improvement_experience",
        "change_readiness",
        "location",
        "team_id",
    ):
        assert (people[column] != "").all(), column
    assert people["skills"].str.split(";").map(lambda s: len(set(s))).eq(3).all()


def test_allocations_sum_to_contracted_hours(bank):
    people = bank.csv("people").set_index("person_id")
    alloc = bank.csv("allocations")
    hours = alloc["hours_per_week"].astype(float)
    assert (hours > 0).all()
    assert (hours * 2 == np.round(hours * 2)).all()  # half hours
    total = hours.groupby(alloc["person_id"]).sum()
    contracted = people.loc[total.index, "contracted_hours"].astype(float)
    np.testing.assert_allclose(total.to_numpy(), contracted.to_numpy())


def test_activity_catalog_mixes_routine_and_judgement(bank):
    acts = bank.csv("activities")
    assert 40 <= len(acts) <= 80
    assert {"routine", "judgement", "relationship"} <= set(acts["category"])
    empty = acts["automation_potential"] == ""
    assert 3 <= empty.sum() <= 8
    assert set(acts.loc[empty, "activity_id"]) == set(bank.truth["hidden_automation_potential"])
    potential = acts.loc[~empty, "automation_potential"].astype(float)
    assert potential.between(0, 1).all()
    routine = acts["category"] == "routine"
    assert potential[routine[~empty]].mean() > potential[~routine[~empty]].mean() + 0.3
    assert (acts["eliminable"] == "true").sum() >= 5
    assert (acts["description"].str.len() > 40).all()


def test_metric_tree_runs_frontline_to_operating_to_financial(bank):
    metrics = bank.csv("metrics").set_index("metric_id")
    for metric, row in metrics.iterrows():
        expected = {"frontline": "operating", "operating": "financial", "financial": None}
        parent_level = metrics.loc[row["parent_id"], "level"] if row["parent_id"] else None
        assert parent_level == expected[row["level"]], metric
    values = bank.csv("metric_values")
    per_series = values.groupby(["metric_id", "scope", "scope_id"]).size()
    assert (per_series == bank.summary.weeks).all()
    dates = pd.to_datetime(values["date"])
    assert (dates.dt.day_of_week == 0).all()
    # Every unit except the bank's own divisions tracks at least one frontline metric.
    tracked = set(values.loc[values["scope"] == "unit", "scope_id"])
    assert tracked == {u.unit_id for u in UNITS}


def test_the_bank_imports_into_a_workspace_all_at_once(bank, tmp_path):
    from smartmoves.data.store import db
    from smartmoves.data.workspace import create_workspace
    from smartmoves.pathway.setup.imports import find_table_files, import_files
    from smartmoves.pathway.setup.workspace import upgrade_store
    from smartmoves.settings import get_settings

    settings = get_settings(create_workspace(tmp_path / "ws"))
    upgrade_store(settings)
    try:
        report = import_files(settings, find_table_files(bank.folder))
    finally:
        db.release(settings.sqlalchemy_url)
    rows = {o.table: o.rows for o in report.outcomes}
    assert rows["people"] == bank.summary.people
    assert rows["interactions"] == bank.summary.events
    assert rows["allocations"] == bank.summary.allocations
    assert {o.status for o in report.outcomes} == {"imported"}
