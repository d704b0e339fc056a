"""The demo's pilot: one proof of concept at the bank's planted entry point."""

from __future__ import annotations

from typing import Any

from smartmoves.pathway.pilots import PilotView, create_pilot, list_pilots
from smartmoves.pathway.policy import Account
from smartmoves.settings import Settings

__all__ = ["DEMO", "demo_pilot", "start_pilot"]

DEMO = Account.system("demo")  # who builds the demo, as the audit log records it

OPPORTUNITY = (
    "Customers who go through a collection event rarely stay with us, and more of them do "
    "every quarter. The people who talk to them every day can find out why, and what would "
    "make them stay."
)


def start_pilot(settings: Settings, truth: dict[str, Any]) -> None:
    """Start the demo pilot at the entry point the synthetic bank planted."""
    create_pilot(
        settings,
        DEMO,
        "Collections redefines work",
        unit_id=truth["best_entry_point"]["unit_id"],
        opportunity=OPPORTUNITY,
    )


def demo_pilot(settings: Settings, truth: dict[str, Any]) -> PilotView | None:
    """The demo pilot (at the planted entry point), or ``None`` when it was not started."""
    entry = truth["best_entry_point"]["unit_id"]
    return next((p for p in list_pilots(settings, DEMO) if p.unit_id == entry), None)
