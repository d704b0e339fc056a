"""The design of the synthetic bank: what each unit is like, in one place.

Every number the generator plants on purpose lives here, so that a reader can see why
the best entry point is best: collections & accounts receivable combines routine work
that automation can take (ability to free capacity), frontline metrics that drive the
operating metric that matters (potential for impact), and motivated supervisors,
supportive leadership, teams that already collaborate and workers with improvement
experience (likelihood of success). The decoys are each strong on one dimension and
weak on the others: payments operations (capacity, but an unsupportive leader under
backlog pressure), the contact center (self-contained and large, but weak on impact and
supervisors), small-business advisory (an edge business with every success factor, but
too small and too little routine work to free anyone) and IT operations (improvement
experience, but interdependent and far from the metric that matters).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = [
    "ALL_BRANCHES",
    "BANK_ID",
    "BEST_ENTRY_POINT",
    "CHAMPION_DIVISION",
    "DECOYS",
    "DIVISIONS",
    "START",
    "UNITS",
    "DivisionSpec",
    "UnitSpec",
]

# The first Monday of the history: every timestamp and metric date counts from here.
START = dt.date(2024, 1, 1)
BANK_ID = "U-BANK"
BANK_NAME = "Northfield Regional Bank"
BEST_ENTRY_POINT = "U-COL"
# The champion is the CFO: the seeds' finance example (collections and accounts receivable
# as the place to move revenue from existing customers).
CHAMPION_DIVISION = "D-FIN"


@dataclass(frozen=True)
class DivisionSpec:
    unit_id: str
    name: str
    kind: str
    position: str
    leader_role: str
    leader_support: float
    champion_influence: str


@dataclass(frozen=True)
class UnitSpec:
    """One unit of the bank and the levels the generator plants for it.

    ``share`` is the unit's part of the headcount; ``cross`` and ``external`` the share of
    the recipients its people pick outside the unit and outside the bank; ``partners``
    weighs the units those cross-unit contacts go to (real dependencies); ``readiness`` is
    the mean change-readiness score (1-5) and ``improvement`` the share of people with
    prior lean or quality-circle experience.
    """

    unit_id: str
    name: str
    parent_id: str
    family: str
    kind: str
    position: str
    share: float
    team_size: int
    locations: tuple[str, ...]
    leader_support: float
    readiness: float
    improvement: float
    teams_collaborate: bool
    champion_influence: str
    cross: float
    external: float
    partners: dict[str, float] = field(default_factory=dict)
    part_time: float = 0.04
    tenure_years: float = 7.0
    activity: float = 1.0
    chat: float = 0.35
    meetings: float = 0.12


DIVISIONS: tuple[DivisionSpec, ...] = (
    DivisionSpec("D-RET", "Retail Banking", "business_unit", "core", "Head of Retail", 3.1, "low"),
    DivisionSpec("D-FIN", "Finance", "function", "core", "Chief Financial Officer", 4.3, "high"),
    DivisionSpec(
        "D-RISK", "Risk & Credit", "function", "core", "Chief Risk Officer", 3.4, "medium"
    ),
    DivisionSpec(
        "D-TECH", "Technology", "function", "core", "Chief Information Officer", 3.3, "low"
    ),
    DivisionSpec(
        "D-PPL", "People & Culture", "function", "core", "Chief People Officer", 3.5, "low"
    ),
    DivisionSpec(
        "D-GROW", "Growth & New Ventures", "business_unit", "edge", "Head of Growth", 4.5, "medium"
    ),
)

REGIONS = ("NORTH", "SOUTH", "EAST", "WEST", "METRO")
# Cross-unit contacts of a unit that works with every region's branches alike.
ALL_BRANCHES = {f"U-BR-{r}": 1.0 for r in REGIONS}


def _branch(region: str, towns: tuple[str, ...], support: float, readiness: float) -> UnitSpec:
    """A region's branches: customer-facing, long tenure, little improvement experience."""
    return UnitSpec(
        unit_id=f"U-BR-{region.upper()}",
        name=f"{region} Region Branches",
        parent_id="D-RET",
        family="BR",
        kind="business_unit",
        position="core",
        share=0.06,
        team_size=8,
        locations=tuple(f"{t} branch" for t in towns),
        leader_support=support,
        readiness=readiness,
        improvement=0.1,
        teams_collaborate=True,
        champion_influence="low",
        cross=0.1,
        external=0.01,
        partners={"U-CC": 3.0, "U-UW": 3.0, "U-SBA": 1.5, "U-HR": 1.0, "U-ITO": 1.5, "U-FPA": 1.0},
        part_time=0.12,
        tenure_years=9.0,
        chat=0.25,
    )


UNITS: tuple[UnitSpec, ...] = (
    _branch("North", ("Ashford", "Brookfield", "Carlow", "Dunmore"), 3.0, 3.1),
    _branch("South", ("Elmstead", "Fairhaven", "Glenrock", "Harwick"), 3.2, 3.0),
    _branch("East", ("Eastport", "Ivybridge", "Juniper Falls", "Kingsmere"), 2.9, 3.2),
    _branch("West", ("Lakeview", "Marlow", "Northgate", "Oakridge"), 3.3, 3.1),
    _branch("Metro", ("Riverton Central", "Riverton Market", "Riverton Docks"), 3.1, 3.3),
    UnitSpec(
        unit_id="U-CC",
        name="Contact Center",
        parent_id="D-RET",
        family="CC",
        kind="business_unit",
        position="core",
        share=0.17,
        team_size=13,
        locations=("Riverton contact centre", "Eastport contact centre"),
        leader_support=3.0,
        readiness=2.7,
        improvement=0.12,
        teams_collaborate=True,
        champion_influence="low",
        cross=0.05,
        external=0.01,
        partners={"U-COL": 3.0, "U-ITO": 2.0, "U-BR-METRO": 1.0, "U-BR-NORTH": 1.0, "U-HR": 1.0},
        part_time=0.22,
        tenure_years=3.0,
        activity=0.8,
        chat=0.5,
        meetings=0.08,
    ),
    UnitSpec(
        unit_id="U-FPA",
        name="Financial Planning & Analysis",
        parent_id="D-FIN",
        family="FPA",
        kind="function",
        position="core",
        share=0.04,
        team_size=7,
        locations=("Riverton head office",),
        leader_support=3.8,
        readiness=3.3,
        improvement=0.2,
        teams_collaborate=False,
        champion_influence="high",
        cross=0.45,
        external=0.01,
        partners=ALL_BRANCHES
        | {
            "U-COL": 2.0,
            "U-PAY": 2.0,
            "U-UW": 2.0,
            "U-SBA": 1.0,
            "U-ITO": 1.0,
            "U-HR": 1.0,
            "U-CC": 1.0,
        },
        tenure_years=6.0,
        meetings=0.15,
    ),
    UnitSpec(
        unit_id="U-COL",
        name="Collections & Accounts Receivable",
        parent_id="D-FIN",
        family="COL",
        kind="function",
        position="core",
        share=0.09,
        team_size=8,
        locations=("Millbrook operations centre",),
        leader_support=4.6,
        readiness=4.0,
        improvement=0.55,
        teams_collaborate=True,
        champion_influence="high",
        cross=0.16,
        external=0.02,
        partners={"U-PAY": 3.0, "U-CC": 3.0, "U-FPA": 1.5, "U-UW": 1.0, "U-ITO": 0.5},
        part_time=0.05,
        tenure_years=6.0,
        chat=0.4,
    ),
    UnitSpec(
        unit_id="U-PAY",
        name="Payments Operations",
        parent_id="D-FIN",
        family="PAY",
        kind="function",
        position="core",
        share=0.07,
        team_size=8,
        locations=("Millbrook operations centre",),
        leader_support=1.8,
        readiness=2.3,
        improvement=0.3,
        teams_collaborate=False,
        champion_influence="high",
        cross=0.32,
        external=0.08,
        partners={"U-COL": 3.0, "U-ITO": 2.0, "U-FPA": 1.5, "U-CC": 1.0, "U-BR-METRO": 0.5},
        chat=0.3,
    ),
    UnitSpec(
        unit_id="U-UW",
        name="Credit Underwriting",
        parent_id="D-RISK",
        family="UW",
        kind="function",
        position="core",
        share=0.08,
        team_size=7,
        locations=("Riverton head office",),
        leader_support=3.5,
        readiness=3.1,
        improvement=0.18,
        teams_collaborate=False,
        champion_influence="medium",
        cross=0.22,
        external=0.04,
        partners=ALL_BRANCHES | {"U-SBA": 2.0, "U-COL": 1.0, "U-FPA": 1.0},
        tenure_years=8.0,
    ),
    UnitSpec(
        unit_id="U-ITO",
        name="IT Operations",
        parent_id="D-TECH",
        family="ITO",
        kind="function",
        position="core",
        share=0.09,
        team_size=8,
        locations=("Millbrook operations centre", "Riverton head office"),
        leader_support=3.2,
        readiness=3.4,
        improvement=0.55,
        teams_collaborate=True,
        champion_influence="low",
        cross=0.4,
        external=0.05,
        partners=ALL_BRANCHES
        | {"U-CC": 2.0, "U-PAY": 2.0, "U-COL": 1.0, "U-HR": 1.0, "U-FPA": 1.0, "U-UW": 1.0},
        chat=0.45,
    ),
    UnitSpec(
        unit_id="U-HR",
        name="Human Resources",
        parent_id="D-PPL",
        family="HR",
        kind="function",
        position="core",
        share=0.04,
        team_size=7,
        locations=("Riverton head office",),
        leader_support=3.4,
        readiness=3.0,
        improvement=0.15,
        teams_collaborate=False,
        champion_influence="low",
        cross=0.35,
        external=0.03,
        partners=ALL_BRANCHES | {"U-CC": 2.0, "U-ITO": 1.0, "U-FPA": 0.5},
        tenure_years=6.0,
    ),
    UnitSpec(
        unit_id="U-SBA",
        name="Small-Business Advisory",
        parent_id="D-GROW",
        family="SBA",
        kind="business_unit",
        position="edge",
        share=0.025,
        team_size=6,
        locations=("Riverton hub", "Eastport hub"),
        leader_support=4.7,
        readiness=4.5,
        improvement=0.3,
        teams_collaborate=True,
        champion_influence="medium",
        cross=0.15,
        external=0.2,
        partners=ALL_BRANCHES | {"U-UW": 3.0},
        tenure_years=2.5,
        activity=1.2,
        meetings=0.18,
    ),
)

# What each decoy is strong and weak on (written to truth.json).
DECOYS: dict[str, dict[str, list[str]]] = {
    "U-PAY": {
        "strong_on": ["ability_to_free_capacity", "champion_influence"],
        "weak_on": ["supportive_leadership", "motivated_supervisors", "volunteers"],
    },
    "U-CC": {
        "strong_on": ["ability_to_free_capacity", "self_contained", "workgroups_exist"],
        "weak_on": ["potential_for_impact", "motivated_supervisors", "type_of_workers"],
    },
    "U-SBA": {
        "strong_on": ["likelihood_of_success", "edge", "business_unit"],
        "weak_on": ["ability_to_free_capacity", "size", "potential_for_impact"],
    },
    "U-ITO": {
        "strong_on": ["type_of_workers", "interdependent"],
        "weak_on": ["potential_for_impact", "champion_influence"],
    },
}
