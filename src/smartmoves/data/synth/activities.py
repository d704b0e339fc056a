"""The activity catalog and the activity inventory (who spends how many hours on what).

Each person's hours are drawn around their role's mix (``activities.json``) and sum
exactly to their contracted hours, in half hours. A few catalog entries leave
``automation_potential`` empty on purpose ("empty = estimate it"); the value the
generator had in mind for them is kept for truth.json only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from smartmoves.data.synth.catalog import catalog
from smartmoves.data.synth.org import Org
from smartmoves.data.synth.spec import UNITS

__all__ = ["LEADER_MIX", "Inventory", "activities_frame", "draw_allocations", "freeable_weights"]

# Heads of unit and section managers: direction, coaching and reviews, whatever the unit.
LEADER_MIX = {"A-G-08": 12, "A-G-04": 10, "A-G-01": 8, "A-G-07": 4, "A-G-06": 3}
# How tightly people follow their role's mix (Dirichlet concentration): high enough that
# a role's routine share is a property of the role, not of luck.
CONCENTRATION = 60.0
_FAMILY = {u.unit_id: u.family for u in UNITS}


@dataclass
class Inventory:
    """The allocations table plus each person's freeable hours.

    ``freeable`` counts an eliminable activity's hours in full and the automatable share
    of the others (hidden potentials included), the way an exposure model would.
    """

    allocations: pd.DataFrame
    freeable: np.ndarray

    def freeable_share(self, contracted: np.ndarray) -> np.ndarray:
        return np.divide(
            self.freeable, contracted, out=np.zeros_like(self.freeable), where=contracted > 0
        )


def activities_frame() -> pd.DataFrame:
    """activities.csv: the catalog, with empty potentials where they were left out."""
    rows = catalog()["activities"]
    return pd.DataFrame(
        {
            "activity_id": [a["id"] for a in rows],
            "name": [a["name"] for a in rows],
            "description": [a["description"] for a in rows],
            "category": [a["category"] for a in rows],
            "automation_potential": [
                "" if a["automation_potential"] is None else f"{a['automation_potential']:.2f}"
                for a in rows
            ],
            "eliminable": ["true" if a["eliminable"] else "false" for a in rows],
            "skill": [a["skill"] for a in rows],
        }
    )


def freeable_weights() -> dict[str, float]:
    """Per activity, the share of its hours that can be freed (1 when eliminable)."""
    out = {}
    for a in catalog()["activities"]:
        potential = a["automation_potential"]
        if potential is None:
            potential = a["hidden_potential"]
        out[a["id"]] = 1.0 if a["eliminable"] else float(potential)
    return out


def _mix_of(org: Org) -> np.ndarray:
    """Which mix each person follows: ``family/role``, ``family/*`` or ``leader``."""
    people = org.people
    rank = people["level"].str.slice(1).astype(int).to_numpy()
    families = np.array([_FAMILY.get(u, "EXEC") for u in org.units["unit_id"]], dtype=object)
    fam = families[org.unit_of]
    keys = fam + "/" + people["role"].to_numpy().astype(object)
    keys = np.where(rank == 4, fam + "/*", keys)
    keys = np.where((rank >= 5) & (rank <= 6), "leader", keys)
    return np.where(rank >= 7, "EXEC/Executive", keys)


def _mixes() -> dict[str, dict[str, float]]:
    mixes: dict[str, dict[str, float]] = {"leader": dict(LEADER_MIX)}
    for fam, roles in catalog()["roles"].items():
        for r in roles:
            key = f"{fam}/*" if r.get("supervisor") else f"{fam}/{r['role']}"
            mixes[key] = r["mix"]
    return mixes


def draw_allocations(org: Org, rng: np.random.Generator) -> Inventory:
    """Draw every person's weekly hours per activity (summing to contracted hours)."""
    acts = [a["id"] for a in catalog()["activities"]]
    position = {a: i for i, a in enumerate(acts)}
    mixes = _mixes()
    keys = _mix_of(org)
    contracted = org.people["contracted_hours"].to_numpy(dtype=float)
    persons, activities, hours = [], [], []
    for key in sorted(set(keys.tolist())):
        idx = np.flatnonzero(keys == key)
        mix = mixes[key]
        ids = np.array([position[a] for a in mix])
        weights = np.array(list(mix.values()), dtype=float)
        shares = rng.dirichlet(CONCENTRATION * weights / weights.sum(), size=len(idx))
        h = np.round(shares * contracted[idx, None] * 2) / 2
        top = np.argmax(h, axis=1)
        h[np.arange(len(idx)), top] += contracted[idx] - h.sum(axis=1)
        persons.append(np.repeat(idx, len(ids)))
        activities.append(np.tile(ids, len(idx)))
        hours.append(h.ravel())
    p, a, h = np.concatenate(persons), np.concatenate(activities), np.concatenate(hours)
    keep = h > 0
    p, a, h = p[keep], a[keep], h[keep]
    order = np.lexsort((a, p))
    p, a, h = p[order], a[order], h[order]
    weight = freeable_weights()
    free_w = np.array([weight[x] for x in acts])
    freeable = np.bincount(p, weights=h * free_w[a], minlength=org.n)
    frame = pd.DataFrame(
        {
            "person_id": org.people["person_id"].to_numpy()[p],
            "activity_id": np.asarray(acts, dtype=object)[a],
            "hours_per_week": h,
        }
    )
    return Inventory(frame, freeable)
