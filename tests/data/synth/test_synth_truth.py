"""truth.json says what was planted, and the written tables show it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smartmoves.data.synth.spec import DECOYS


def _freeable_share(bank) -> pd.Series:
    """Per person: eliminable hours in full, others times their automation potential."""
    acts = bank.csv("activities").set_index("activity_id")
    potential = pd.to_numeric(acts["automation_potential"], errors="coerce")
    potential = potential.fillna(pd.Series(bank.truth["hidden_automation_potential"]))
    weight = potential.where(acts["eliminable"] != "true", 1.0)
    alloc = bank.csv("allocations")
    hours = alloc["hours_per_week"].astype(float)
    freed = (hours * alloc["activity_id"].map(weight)).groupby(alloc["person_id"]).sum()
    people = bank.csv("people").set_index("person_id")
    return freed / people["contracted_hours"].astype(float)


def test_best_entry_point_yields_15_to_60_freeable_volunteers(bank):
    best = bank.truth["best_entry_point"]
    volunteers = best["volunteers"]["person_ids"]
    assert 15 <= len(volunteers) <= 60 and best["volunteers"]["within_15_60"]
    people = bank.csv("people").set_index("person_id")
    assert (people.loc[volunteers, "unit_id"] == best["unit_id"]).all()
    assert (people.loc[volunteers, "is_supervisor"] == "false").all()
    assert (_freeable_share(bank)[volunteers] >= 0.75).all()
    assert set(volunteers) <= set(bank.csv("applications")["person_id"])


def test_the_volunteers_remaining_work_fits_on_their_colleagues(bank):
    """Freeing the volunteers for 75% must not overload those left behind."""
    unit = bank.truth["best_entry_point"]["unit_id"]
    people = bank.csv("people").set_index("person_id")
    members = people.index[people["unit_id"] == unit]
    hours = people.loc[members, "contracted_hours"].astype(float)
    remaining = (hours * (1 - _freeable_share(bank)[members])).sum()
    volunteers = bank.truth["best_entry_point"]["volunteers"]["person_ids"]
    capacity = hours.drop(volunteers).sum() + 0.25 * hours[volunteers].sum()
    assert remaining < capacity


def test_an_independent_reading_of_the_criteria_ranks_the_entry_point_first(bank):
    """Score units from the tables alone (not truth.json's own scorecard)."""
    people = bank.csv("people")
    units = bank.csv("units").set_index("unit_id")
    share = _freeable_share(bank)
    people["freeable"] = people["person_id"].map(share)
    people["hours"] = people["contracted_hours"].astype(float)
    people["readiness"] = people["change_readiness"].astype(float)
    frame = people[people["unit_id"].str.startswith("U-") & (people["unit_id"] != "U-BANK")]
    sup = frame["is_supervisor"] == "true"
    by = frame.groupby("unit_id")
    capacity = by.apply(lambda g: (g["freeable"] * g["hours"]).sum() / g["hours"].sum())
    qualified = frame[~sup & (frame["freeable"] >= 0.75)].groupby("unit_id").size()
    capacity *= np.minimum(1.0, qualified.reindex(capacity.index, fill_value=0) / 15)
    likelihood = (
        units.loc[capacity.index, "leader_support"].astype(float) / 5
        + frame[sup].groupby("unit_id")["readiness"].mean() / 5
        + by["improvement_experience"].apply(lambda s: (s == "true").mean())
        + (units.loc[capacity.index, "teams_collaborate"] == "true")
    ) / 4
    # Impact: how far a unit's frontline metrics move revenue through the planted tree.
    drivers = pd.DataFrame(bank.truth["metric_drivers"]).set_index("metric_id")
    values = bank.csv("metric_values")
    tracked = values[values["scope"] == "unit"].groupby("scope_id")["metric_id"].unique()
    to_money = {}
    for metric, row in drivers.iterrows():
        if metric.startswith("FL-"):
            parent = drivers.loc[row["parent_id"]]
            sign = 1 if parent["parent_id"] == "F-REV" else -1
            to_money[metric] = abs(row["coefficient"] * parent["coefficient"]) * sign
    org = values[values["scope"] == "org"]
    spread = org.groupby("metric_id")["value"].apply(lambda v: v.astype(float).std())
    impact = pd.Series(
        {u: sum(abs(to_money[m]) * spread[m] for m in ms) for u, ms in tracked.items()}
    )
    score = (
        capacity / capacity.max() + impact / impact.max() + likelihood / likelihood.max()
    ).sort_values(ascending=False)
    assert score.index[0] == bank.truth["best_entry_point"]["unit_id"]
    assert score.iloc[0] > score.iloc[1] + 0.3
    assert bank.truth["ranking"][0] == score.index[0]
    # Each decoy is strong where truth.json says it is, and weak where it says so.
    assert set(DECOYS) == set(bank.truth["decoys"])
    support = units.loc[capacity.index, "leader_support"].astype(float)
    assert capacity.rank(ascending=False)["U-PAY"] <= 3
    assert support["U-PAY"] == support.min()
    edge = units.loc[capacity.index, "position"] == "edge"
    assert edge[edge].index.tolist() == ["U-SBA"]
    assert support["U-SBA"] == support.max()
    assert qualified.get("U-SBA", 0) < 15 and impact["U-SBA"] < 0.1 * impact.max()
    assert impact["U-CC"] < 0.5 * impact.max()


def _did(values: pd.DataFrame, metric: str, pilot: dict) -> tuple[float, float]:
    """Difference in differences of pilot and comparison teams, with its standard error."""
    v = values[(values["metric_id"] == metric) & (values["scope"] == "workgroup")].copy()
    v["value"] = v["value"].astype(float)
    v["post"] = pd.to_datetime(v["date"]) >= pd.Timestamp(pilot["start_date"])
    v["pilot"] = v["scope_id"].isin(pilot["scope_ids"])
    assert set(v["scope_id"]) == set(pilot["scope_ids"]) | set(pilot["comparison_scope_ids"])
    # Remove each team's level and each week's shared shock, then compare the groups.
    v["resid"] = v["value"] - v.groupby("scope_id")["value"].transform("mean")
    v["resid"] -= v.groupby("date")["resid"].transform("mean")
    cell = v.groupby(["pilot", "post"])["resid"]
    mean, var, n = cell.mean(), cell.var(), cell.size()
    estimate = (mean[True, True] - mean[True, False]) - (mean[False, True] - mean[False, False])
    se = float(np.sqrt((var / n).sum()))
    return float(estimate), se


def test_the_planted_pilot_effect_is_visible_in_the_metric_history(bank):
    pilot = bank.truth["pilot_effect"]
    assert pilot["planted"] and pilot["unit_id"] == bank.truth["best_entry_point"]["unit_id"]
    values = bank.csv("metric_values")
    for effect in pilot["effects"]:
        estimate, se = _did(values, effect["metric_id"], pilot)
        assert abs(estimate - effect["effect"]) < max(4 * se, 0.15 * effect["effect"])
        assert estimate > 2 * se
    for metric in pilot["null_metrics"]:
        estimate, se = _did(values, metric, pilot)
        assert abs(estimate) < 4 * se


def test_metric_drivers_are_recoverable_from_a_long_history(long_bank):
    values = long_bank.csv("metric_values")
    org = values[values["scope"] == "org"].pivot(index="date", columns="metric_id", values="value")
    org = org.astype(float)
    drivers = pd.DataFrame(long_bank.truth["metric_drivers"])
    t_values = {}
    for parent, group in drivers.groupby("parent_id"):
        x = np.column_stack([np.ones(len(org)), org[group["metric_id"]].to_numpy()])
        y = org[parent].to_numpy()
        beta, rss, *_ = np.linalg.lstsq(x, y, rcond=None)
        sigma2 = float(rss[0]) / (len(y) - x.shape[1])
        se = np.sqrt(np.diag(sigma2 * np.linalg.inv(x.T @ x)))
        # The noise is AR(1), so plain OLS errors are a little optimistic: allow 5 of them.
        for fitted, err, row in zip(beta[1:], se[1:], group.itertuples(), strict=True):
            assert abs(fitted - row.coefficient) < 5 * err, (row.metric_id, fitted, err)
            t_values[row.metric_id] = fitted / err
    # The drivers that make collections the entry point are clearly there.
    for metric in ("FL-OUTREACH", "FL-PTP", "O-RET"):
        assert t_values[metric] > 4, metric


def test_brokers_factors_and_counts_are_recorded(bank):
    truth = bank.truth
    for key in (
        "best_entry_point",
        "pilot_effect",
        "metric_drivers",
        "brokers",
        "factors",
        "seed",
        "people",
        "weeks",
        "events",
    ):
        assert key in truth
    assert (truth["seed"], truth["people"], truth["weeks"]) == (7, 300, 8)
    criteria = {w["criterion"] for w in truth["best_entry_point"]["why"]}
    assert criteria == {"ability_to_free_capacity", "potential_for_impact", "likelihood_of_success"}
    tables = {
        name: set(bank.csv(name).columns)
        for name in (
            "units",
            "people",
            "activities",
            "allocations",
            "metric_values",
            "applications",
        )
    }
    tables["interactions"] = set(bank.interactions().columns)
    for factor, where in truth["factors"].items():
        table, column = where.split(".")
        assert column in tables[table], factor
    people = set(bank.csv("people")["person_id"])
    assert all(b["person_id"] in people for b in truth["brokers"])
    assert all(b["rank_by_cross_unit_contacts"] <= 10 for b in truth["brokers"])


def test_the_unit_series_carries_the_diluted_effect(bank):
    """The unit's value is its teams' headcount-weighted mean, so the pilot's effect
    reaches it diluted by the pilot teams' share of the unit (truth's unit_effect)."""
    pilot = bank.truth["pilot_effect"]
    people = bank.csv("people")
    size = people[people["unit_id"] == pilot["unit_id"]].groupby("team_id").size()
    share = size[pilot["scope_ids"]].sum() / size.sum()
    assert share == pytest.approx(pilot["pilot_headcount_share"])
    values = bank.csv("metric_values")
    values["value"] = values["value"].astype(float)
    for effect in pilot["effects"]:
        assert effect["unit_effect"] == pytest.approx(effect["effect"] * share)
        v = values[values["metric_id"] == effect["metric_id"]]
        teams = v[v["scope"] == "workgroup"].pivot(index="date", columns="scope_id", values="value")
        unit = v[(v["scope"] == "unit") & (v["scope_id"] == pilot["unit_id"])].set_index("date")
        weighted = teams[size.index].to_numpy() @ size.to_numpy() / size.sum()
        np.testing.assert_allclose(weighted, unit.loc[teams.index, "value"], atol=0.01)
