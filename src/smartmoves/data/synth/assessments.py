"""unit_assessments.csv: the judgements a champion would record about each unit,
consistent with what the generator planted.

The planted entry point is judged strong (a supportive leader, motivated supervisors,
the champion's high influence); each decoy weak on the judgement factors it was planted
weak on (``spec.DECOYS``) and as planned on the others; every other unit middling, near
its planned levels. The noise comes from a stream of its own, so the other tables do
not change.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from smartmoves.data.synth.spec import BEST_ENTRY_POINT, DECOYS, DIVISIONS, START, UNITS

__all__ = ["ASSESSOR", "draw_assessments"]

ASSESSOR = "Chief Financial Officer"
_STRONG = (4.3, 4.9)
_WEAK = (1.5, 2.4)
# Neither weak (below 3, the middle of the scale) nor strong (4 and above).
_MIDDLING = (3.0, 3.9)
# What an assessor writes when a planted weakness shows.
_NOTES = {
    "supportive_leadership": "the unit's head is wary of giving up people for a pilot",
    "motivated_supervisors": "supervisors fear losing their best people to the pilot",
    "champion_influence": "outside the champion's area",
}


def draw_assessments(rng: np.random.Generator) -> pd.DataFrame:
    """One assessment per division and unit, assessed two weeks before the history starts.

    >>> frame = draw_assessments(np.random.default_rng([0, 9]))
    >>> row = frame.set_index("unit_id").loc["U-PAY"]
    >>> bool(row["supervisor_motivation"] < 3), bool(row["leader_support"] < 3)
    (True, True)
    """
    planned: list[tuple[str, float, float, str]] = [
        (d.unit_id, d.leader_support, 3.0, d.champion_influence) for d in DIVISIONS
    ]
    planned += [(u.unit_id, u.leader_support, u.readiness, u.champion_influence) for u in UNITS]
    when = dt.datetime.combine(START - dt.timedelta(days=14), dt.time(9, 0))
    rows = []
    for i, (unit_id, leader, readiness, influence) in enumerate(planned):
        noise = rng.normal(0.0, 0.25, size=2)
        weak = set(DECOYS.get(unit_id, {}).get("weak_on", ()))
        if unit_id == BEST_ENTRY_POINT:
            support, motivation = (float(np.clip(x + n, *_STRONG)) for x, n in
                                   ((leader, noise[0]), (readiness, noise[1])))  # fmt: skip
            influence = "high"
        elif unit_id in DECOYS:
            support = float(np.clip(leader + noise[0], 1.0, 5.0))
            motivation = float(np.clip(readiness + noise[1], 1.0, 5.0))
            if "supportive_leadership" in weak:
                support = float(rng.uniform(*_WEAK))
            if "motivated_supervisors" in weak:
                motivation = float(rng.uniform(*_WEAK))
            if "champion_influence" in weak:
                influence = "low"
        else:
            support = float(np.clip(leader + noise[0], *_MIDDLING))
            motivation = float(np.clip(readiness + noise[1], *_MIDDLING))
        rows.append(
            {
                "unit_id": unit_id,
                "leader_support": round(support, 1),
                "supervisor_motivation": round(motivation, 1),
                "champion_influence": influence,
                "opportunity_size": "",
                "notes": "; ".join(_NOTES[f] for f in sorted(weak) if f in _NOTES),
                "assessed_by": ASSESSOR,
                "assessed_at": (when + dt.timedelta(minutes=10 * i)).isoformat(timespec="minutes"),
            }
        )
    return pd.DataFrame(rows)
