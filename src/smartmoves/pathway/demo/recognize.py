"""The demo's Recognize step: the catalyst behind the planted entry point, and the
champion (the bank's CFO, whose division holds it)."""

from __future__ import annotations

from typing import Any

from smartmoves.pathway.demo._pilot import DEMO
from smartmoves.pathway.recognize.catalysts import CatalystIn, add_catalyst
from smartmoves.pathway.recognize.champion import ChampionIn, set_champion
from smartmoves.settings import Settings

__all__ = ["CATALYST", "VISION", "step"]

# Market pressure on collections: the seeds' finance example, in the demo pilot's words.
CATALYST = CatalystIn(
    kind="market_pressure",
    title="Customers leave after a collection event, and digital lenders win them",
    answers=dict.fromkeys(
        ("break_status_quo", "urgent_now", "beyond_optimization", "pilot_can_be_freed"), "yes"
    ),
    evidence={
        "break_status_quo": "Customers who go through a collection event rarely stay with "
        "us, and more of them leave every quarter: collecting the usual way loses them.",
        "urgent_now": "Digital lenders offer a payment plan in an app within minutes; the "
        "board asked for a plan to keep these customers this year.",
        "beyond_optimization": "A faster dunning run would not keep one customer: the "
        "collectors must find out what would make them stay, which is new value, not more "
        "output.",
        "pilot_can_be_freed": "Stopping the manual reconciliations and automating the "
        "dunning run frees enough collectors for a pilot group (see Where to start).",
    },
)
VISION = (
    "Within six months our collectors are freed from routine reconciliations and dunning "
    "runs to learn new skills and work on what makes customers stay, with no job losses."
)


def step(settings: Settings, truth: dict[str, Any]) -> None:
    """Record the demo's catalyst and set its champion over the division of the planted
    entry point."""
    add_catalyst(settings, DEMO, CATALYST)
    champion = truth["champion"]
    set_champion(
        settings,
        DEMO,
        ChampionIn(
            person_id=champion["person_id"],
            level="c_level",
            conviction="yes",
            communicates="yes",
            air_cover="yes",
            unit_id=champion["division_id"],
            vision=VISION,
        ),
    )
