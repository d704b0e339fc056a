"""truth.json: what the generator planted, so tests and analyses can check they find it.

Besides the plan (entry point, pilot, drivers, brokers, communities of practice),
truth.json carries a per-unit scorecard measured on the written tables, and a reference
ranking built from it. The reference score is one reasonable reading of the seeds'
entry-point criteria: a scorer may weigh the factors differently, but should still rank
the planted entry point first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from smartmoves.data.synth.activities import Inventory
from smartmoves.data.synth.catalog import catalog
from smartmoves.data.synth.events import EventTally
from smartmoves.data.synth.events_model import Broker
from smartmoves.data.synth.metrics import METRICS, MetricHistory
from smartmoves.data.synth.org import Org
from smartmoves.data.synth.pilot import MAX_VOLUNTEERS, MIN_VOLUNTEERS, Pilot
from smartmoves.data.synth.practices import PRACTICE_SHARE, Practice
from smartmoves.data.synth.spec import (
    BEST_ENTRY_POINT,
    CHAMPION_DIVISION,
    DECOYS,
    START,
    UNITS,
)

__all__ = ["FACTORS", "build_truth", "unit_scorecard"]

FACTORS = {
    "business_unit_vs_function": "units.kind",
    "edge_vs_core": "units.position",
    "supportive_leadership": "units.leader_support",
    "champion_influence": "units.champion_influence",
    "workgroups_exist": "units.teams_collaborate",
    "teams": "people.team_id",
    "motivated_supervisors": "people.change_readiness",
    "type_of_workers": "people.improvement_experience",
    "self_contained_vs_interdependent": "interactions.recipient_ids",
    "ability_to_free_capacity": "allocations.hours_per_week",
    "automation_potential": "activities.automation_potential",
    "eliminable_work": "activities.eliminable",
    "potential_for_impact": "metric_values.value",
    "volunteers": "applications.person_id",
}
_INFLUENCE = {"high": 1.0, "medium": 0.5, "low": 0.0}


def _impact(org: Org, history: MetricHistory) -> dict[str, float]:
    """Financial value (USD k/week, good direction) of a plausible lift in each unit's
    frontline metrics, through the planted coefficients and the unit's weight in the
    org value."""
    coef = {(d["metric_id"], d["parent_id"]): d["coefficient"] for d in history.drivers}
    spec = {m.metric_id: m for m in METRICS}
    out = {u.unit_id: 0.0 for u in UNITS}
    for m in (x for x in METRICS if x.level == "frontline"):
        op = spec[m.parent_id]
        fin = spec[op.parent_id]
        change = m.lift * coef[(m.metric_id, op.metric_id)] * coef[(op.metric_id, fin.metric_id)]
        value = change if fin.direction == "up" else -change
        units = [u for u in UNITS if u.family == m.tracked_by[0]]
        total = sum(float(org.unit_size[org.unit_index(u.unit_id)]) for u in units)
        for u in units:
            out[u.unit_id] += value * float(org.unit_size[org.unit_index(u.unit_id)]) / total
    return out


def unit_scorecard(
    org: Org,
    inventory: Inventory,
    history: MetricHistory,
    tally: EventTally,
    applications: pd.DataFrame,
) -> pd.DataFrame:
    """One row per unit: the measured inputs of the three entry-point dimensions."""
    people = org.people
    hours = people["contracted_hours"].to_numpy(dtype=float)
    share = inventory.freeable_share(hours)
    sup = people["is_supervisor"].to_numpy() == "true"
    readiness = people["change_readiness"].to_numpy(dtype=float)
    improvement = people["improvement_experience"].to_numpy() == "true"
    applied = people["person_id"].isin(applications["person_id"]).to_numpy()
    impact = _impact(org, history)
    units = org.units.set_index("unit_id")
    external = tally.external_share()
    rows = []
    for u in UNITS:
        row = org.unit_index(u.unit_id)
        mask = org.unit_of == row
        rows.append(
            {
                "unit_id": u.unit_id,
                "people": int(mask.sum()),
                "kind": u.kind,
                "position": u.position,
                "freeable_share": float(inventory.freeable[mask].sum() / hours[mask].sum()),
                "qualified": int((mask & ~sup & (share >= 0.75)).sum()),
                "applications": int((mask & applied).sum()),
                "impact_usd_k_per_week": impact[u.unit_id],
                "leader_support": float(units.at[u.unit_id, "leader_support"]),
                "supervisor_readiness": float(readiness[mask & sup].mean()),
                "improvement_share": float(improvement[mask].mean()),
                "teams_collaborate": u.teams_collaborate,
                "champion_influence": u.champion_influence,
                "external_share": float(external[row]),
            }
        )
    card = pd.DataFrame(rows)
    volunteers = np.minimum(card["qualified"], card["applications"]) / MIN_VOLUNTEERS
    card["capacity_score"] = card["freeable_share"] * np.minimum(1.0, volunteers)
    card["impact_score"] = card["impact_usd_k_per_week"] / card["impact_usd_k_per_week"].max()
    card["likelihood_score"] = (
        card["leader_support"] / 5
        + card["supervisor_readiness"] / 5
        + card["improvement_share"] / card["improvement_share"].max()
        + card["teams_collaborate"].astype(float)
        + card["champion_influence"].map(_INFLUENCE)
    ) / 5
    card["reference_score"] = (
        card["capacity_score"] / card["capacity_score"].max()
        + card["impact_score"]
        + card["likelihood_score"] / card["likelihood_score"].max()
    ) / 3
    return card.sort_values("reference_score", ascending=False, kind="stable")


def _why(card: pd.DataFrame, pilot: Pilot) -> list[dict[str, str]]:
    best = card.set_index("unit_id").loc[BEST_ENTRY_POINT]
    others = card[card["unit_id"] != BEST_ENTRY_POINT]
    runner = others.sort_values("impact_usd_k_per_week", ascending=False).iloc[0]
    family = next(u.family for u in UNITS if u.unit_id == BEST_ENTRY_POINT)
    own = [m.metric_id for m in METRICS if m.tracked_by == (family,)]
    return [
        {
            "criterion": "ability_to_free_capacity",
            "reason": (
                f"{best.freeable_share:.0%} of the unit's hours are automatable or eliminable "
                f"(cash application, dunning, reconciliations, an aging report nobody needs); "
                f"{best.qualified} people could each be freed for at least 75% of their hours "
                f"and {len(pilot.volunteers)} of them volunteered"
            ),
        },
        {
            "criterion": "potential_for_impact",
            "reason": (
                f"its frontline metrics ({', '.join(own)}) drive customer "
                f"retention after a collection event (O-RET), the strongest driver of revenue "
                f"from existing customers (F-REV): a plausible lift is worth "
                f"{best.impact_usd_k_per_week:.0f} USD k a week, against "
                f"{runner.impact_usd_k_per_week:.0f} for the next unit ({runner.unit_id})"
            ),
        },
        {
            "criterion": "likelihood_of_success",
            "reason": (
                f"supportive leadership ({best.leader_support:.1f}/5), motivated supervisors "
                f"(mean change readiness {best.supervisor_readiness:.1f}/5), teams that already "
                f"collaborate, {best.improvement_share:.0%} of its people have lean or "
                f"quality-circle experience, and the champion (the CFO) leads its division; "
                f"moderately interdependent ({best.external_share:.0%} of its collaboration "
                f"crosses the unit: payments, contact center), so results get noticed"
            ),
        },
    ]


def _effects(org: Org, pilot: Pilot, history: MetricHistory) -> dict[str, Any]:
    """The planted effects per team, diluted to the unit, and carried up the tree."""
    teams = org.teams[org.teams["unit_id"] == pilot.unit_id]
    share = float(teams.loc[teams["team_id"].isin(pilot.teams), "size"].sum() / teams["size"].sum())
    family = next(u.family for u in UNITS if u.unit_id == pilot.unit_id)
    tracked = [m for m in METRICS if m.tracked_by == (family,)]
    coef = {(d["metric_id"], d["parent_id"]): d["coefficient"] for d in history.drivers}
    parents: dict[str, float] = {}
    for m in tracked:
        parents[m.parent_id] = (
            parents.get(m.parent_id, 0.0) + coef[(m.metric_id, m.parent_id)] * m.effect * share
        )
    spec = {m.metric_id: m for m in METRICS}
    up: dict[str, float] = {}
    for op, change in parents.items():
        fin = spec[op].parent_id
        up[fin] = up.get(fin, 0.0) + coef[(op, fin)] * change
    return {
        "effects": [
            {
                "metric_id": m.metric_id,
                "effect": m.effect,
                "direction": m.direction,
                "noise_sd": m.noise,
                "unit_effect": round(m.effect * share, 6),
            }
            for m in tracked
            if m.effect
        ],
        "null_metrics": [m.metric_id for m in tracked if not m.effect],
        "pilot_headcount_share": round(share, 6),
        "org_effects": [{"metric_id": k, "effect": round(v, 6)} for k, v in (parents | up).items()],
    }


def build_truth(
    *,
    org: Org,
    inventory: Inventory,
    pilot: Pilot,
    brokers: list[Broker],
    history: MetricHistory,
    tally: EventTally,
    applications: pd.DataFrame,
    seed: int,
    weeks: int,
    practices: list[Practice] | None = None,
) -> dict[str, Any]:
    """Everything truth.json says (JSON-ready)."""
    card = unit_scorecard(org, inventory, history, tally, applications)
    ids = org.people["person_id"].to_numpy()
    hours = org.people["contracted_hours"].to_numpy(dtype=float)
    share = inventory.freeable_share(hours)
    rank = np.argsort(np.argsort(-tally.cross_contacts, kind="stable"), kind="stable") + 1
    start = pilot.start_week
    return {
        "seed": seed,
        "people": org.n,
        "weeks": weeks,
        "events": tally.events,
        "start_date": START.isoformat(),
        "end_date": (START + dt.timedelta(weeks=weeks)).isoformat(),
        "champion": {
            "division_id": CHAMPION_DIVISION,
            "person_id": str(ids[org.unit_index(CHAMPION_DIVISION)]),
            "role": "Chief Financial Officer",
        },
        "best_entry_point": {
            "unit_id": BEST_ENTRY_POINT,
            "why": _why(card, pilot),
            "volunteers": {
                "count": len(pilot.volunteers),
                "person_ids": [str(ids[p]) for p in pilot.volunteers],
                "min_freeable_share": round(float(share[pilot.volunteers].min()), 4)
                if len(pilot.volunteers)
                else None,
                "within_15_60": MIN_VOLUNTEERS <= len(pilot.volunteers) <= MAX_VOLUNTEERS,
                "qualified_in_unit": pilot.qualified,
            },
            "freeable_rule": "eliminable activities count in full, others by automation "
            "potential (hidden_automation_potential where the catalog leaves it empty)",
        },
        "decoys": DECOYS,
        "ranking": card["unit_id"].tolist(),
        "units": card.round(4).to_dict(orient="records"),
        "pilot_effect": {
            "planted": start is not None and pilot.feasible,
            "unit_id": pilot.unit_id,
            "scope": "workgroup",
            "scope_ids": list(pilot.teams),
            "comparison_scope": "workgroup",
            "comparison_scope_ids": list(pilot.comparison),
            "comparison": "the other teams of the same unit, tracked on the same metrics",
            "start_week": start,
            "start_date": None
            if start is None
            else (START + dt.timedelta(weeks=start)).isoformat(),
            **_effects(org, pilot, history),
        },
        "metric_drivers": history.drivers,
        "metric_drivers_model": "parent = intercept + sum(coefficient * child) + AR(1) noise, "
        "on org-scope weekly values; financial values scale with people / 2000",
        "brokers": [
            {
                "person_id": str(ids[b.person]),
                "unit_id": b.unit_id,
                "bridges": list(b.bridges),
                "cross_unit_contacts": int(tally.cross_contacts[b.person]),
                "rank_by_cross_unit_contacts": int(rank[b.person]),
            }
            for b in brokers
        ],
        "communities_of_practice": [
            {
                "name": p.name,
                "topics": list(p.topics),
                "units": list(p.units),
                "person_ids": [str(ids[m]) for m in p.members],
                "members_per_unit": {
                    u: int(np.sum(org.unit_of[list(p.members)] == org.unit_index(u)))
                    for u in p.units
                },
                "share_of_members_events": PRACTICE_SHARE,
            }
            for p in practices or []
        ],
        "factors": FACTORS,
        "hidden_automation_potential": {
            a["id"]: a["hidden_potential"]
            for a in catalog()["activities"]
            if a["automation_potential"] is None
        },
        "interactions": {
            "channels": tally.channels,
            "meetings_over_25": tally.large_meetings,
            "external_recipients": tally.external_recipients,
            "inbound_external": tally.inbound_external,
        },
    }
