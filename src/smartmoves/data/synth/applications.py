"""Volunteer applications: the call for volunteers went out the week before the pilot.

Every planted volunteer of the entry point applies; elsewhere a few people per hundred
do, more at the edge business (small-business advisory) and hardly anyone in payments
operations, whose people fear for their jobs under the backlog.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from smartmoves.data.synth.catalog import texts
from smartmoves.data.synth.org import Org
from smartmoves.data.synth.pilot import Pilot
from smartmoves.data.synth.spec import START, UNITS

__all__ = ["APPLY_RATE", "draw_applications"]

APPLY_RATE = {
    "COL": 0.05,
    "CC": 0.02,
    "BR": 0.015,
    "SBA": 0.12,
    "ITO": 0.02,
    "PAY": 0.005,
    "FPA": 0.03,
    "UW": 0.015,
    "HR": 0.02,
}


def draw_applications(org: Org, pilot: Pilot, rng: np.random.Generator) -> pd.DataFrame:
    """applications.csv: ``person_id, problem, why, submitted_at`` (one per applicant)."""
    words = texts()
    family_of_row = {org.unit_index(u.unit_id): u.family for u in UNITS}
    family = np.array([family_of_row.get(int(r), "") for r in org.unit_of], dtype=object)
    rate = np.array([APPLY_RATE.get(f, 0.0) for f in family])
    applies = rng.random(org.n) < rate
    applies[pilot.volunteers] = True
    who = np.flatnonzero(applies)
    problems, whys = [], []
    for p in who:
        fam = str(family[p])
        problems.append(words["problems"][fam][int(rng.integers(len(words["problems"][fam])))])
        own = words["whys"].get(fam, words["whys"]["generic"])
        why = own[int(rng.integers(len(own)))]
        if fam == "COL" and rng.random() < 0.4:
            generic = words["whys"]["generic"]
            why = f"{why} {generic[int(rng.integers(len(generic)))]}"
        whys.append(why)
    week = max(0, (pilot.start_week or 1) - 1)
    day = rng.integers(0, 5, len(who))
    seconds = rng.integers(8 * 3600, 18 * 3600, len(who))
    first = dt.datetime.combine(START + dt.timedelta(weeks=week), dt.time())
    stamps = [
        (first + dt.timedelta(days=int(d), seconds=int(s))).isoformat()
        for d, s in zip(day, seconds, strict=True)
    ]
    frame = pd.DataFrame(
        {
            "person_id": org.people["person_id"].to_numpy()[who],
            "problem": problems,
            "why": whys,
            "submitted_at": stamps,
        }
    )
    return frame.sort_values(["submitted_at", "person_id"], kind="stable").reset_index(drop=True)
