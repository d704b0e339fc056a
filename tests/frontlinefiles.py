"""The small organization of ``orgfiles`` with teams and a frontline metric's weekly
history, for the tests of a pilot's frontline metrics.

P01-P03 are team T1, P04-P05 T2 (both in CC, the pilot's entry point), P09-P13 T3 (AR).
Metric OUT has 12 weeks from Monday 2024-01-01: T1 is 10 + week, T2 20 + week, T3 5,
unit AR 7, unit CC 999 (the pilot's own unit, never a comparison); five people of AR
have a value in week 0 and four in week 1. A pilot started in week 10 (START) has the
baseline of weeks 2-9: 20.5.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from orgfiles import people_csv, write_org

WEEK0 = dt.date(2024, 1, 1)  # a Monday
START = WEEK0 + dt.timedelta(weeks=10)
TEAMS = {"P01": "T1", "P02": "T1", "P03": "T1", "P04": "T2", "P05": "T2"}
TEAMS |= {f"P{i:02d}": "T3" for i in range(9, 14)}


def _people() -> str:
    lines = people_csv().splitlines()
    rows = [lines[0] + ",team_id"]
    rows += [f"{line},{TEAMS.get(line.split(',')[0], '')}" for line in lines[1:]]
    return "\n".join(rows) + "\n"


def _values() -> str:
    rows = ["metric_id,scope,scope_id,date,value"]
    for i in range(12):
        # A Wednesday: imported dates count for their ISO week.
        day = (WEEK0 + dt.timedelta(weeks=i, days=2)).isoformat()
        rows += [f"OUT,workgroup,T1,{day},{10 + i}", f"OUT,workgroup,T2,{day},{20 + i}"]
        rows += [f"OUT,workgroup,T3,{day},5", f"OUT,unit,AR,{day},7", f"OUT,unit,CC,{day},999"]
    # People of AR: five in week 0 (shown in the comparison), four in week 1 (not).
    rows += [f"OUT,person,P{i:02d},{WEEK0.isoformat()},1" for i in range(9, 14)]
    rows += [f"OUT,person,P{i:02d},{(WEEK0 + dt.timedelta(weeks=1)).isoformat()},100"
             for i in range(9, 13)]  # fmt: skip
    rows.append(f"RET,unit,AR,{WEEK0.isoformat()},0.6")
    return "\n".join(rows) + "\n"


def frontline_org(folder: Path) -> Path:
    """Write the organization, with teams and OUT's history, into ``folder``."""
    return write_org(folder, people=_people(), metric_values=_values())
