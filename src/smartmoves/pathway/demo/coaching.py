"""The demo's coaching step: a coach per workgroup, checklists under way, and charters."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from smartmoves.data.store import coaching, db, teams
from smartmoves.data.store.capacity import units_below
from smartmoves.pathway._store import store
from smartmoves.pathway.create.coaching.charters import (
    GOOD_FAITH,
    CharterContent,
    relaxed_metric_lines,
    save_charter,
)
from smartmoves.pathway.create.coaching.coaches import (
    MAX_WORKGROUPS_PER_COACH,
    assign_coach,
    update_check,
)
from smartmoves.pathway.demo._pilot import DEMO, demo_pilot
from smartmoves.settings import Settings

__all__ = ["DEMO_ANGLES", "step"]

# The demo's workgroups each take one angle on why customers leave after a collection
# event, in the words of the synthetic bank's topics so that "who can help" finds people.
DEMO_ANGLES: tuple[tuple[str, str, str], ...] = (
    (
        "Customers who fall behind set up a payment plan they can keep and stay with us.",
        "Customers leave after a collection event because a payment plan comes late and "
        "feels like a penalty; find out when a payment plan would keep them.",
        "How might we offer a payment plan a customer would choose before the dunning run?",
    ),
    (
        "A first missed payment becomes a conversation that keeps the customer.",
        "Customers who miss a payment for the first time get the same collection calls and "
        "promise to pay scripts as chronic defaulters, and many leave; find out what the "
        "first call after a missed payment should do.",
        "What would the first call after a missed payment sound like if we wanted them to stay?",
    ),
    (
        "Customers in hardship reach us early and rebuild their finances with us.",
        "Customers in hardship say they would have called earlier had they known a hardship "
        "plan was possible; find out why they stay silent until the aging report flags them.",
        "How might customers in hardship come to us before they fall behind?",
    ),
    (
        "Customers settle a missed payment or a disputed balance themselves, when it suits them.",
        "Customers wait weeks on the phone to settle a disputed balance or agree a payment "
        "plan, and lose trust while they wait; find out what digital self-service would "
        "let them do themselves.",
        "What would customers after a collection event want to do themselves, online?",
    ),
)


def _coaches(session: Session, pilot_unit: str, groups: int) -> list[str]:
    """Supervisors of the entry point (its own unit first), each coaching at most two."""
    entry = sorted(
        coaching.supervisors_in(session, units_below(session, pilot_unit)),
        key=lambda p: (p.unit_id != pilot_unit, p.person_id),
    )
    per = 1 if len(entry) >= groups else MAX_WORKGROUPS_PER_COACH
    return [p.person_id for p in entry for _ in range(per)][:groups]


def step(settings: Settings, truth: dict[str, Any]) -> None:
    """Every workgroup of the demo pilot gets a coach from the entry point's supervisors,
    a checklist under way, and a charter on why customers leave after a collection event."""
    pilot = demo_pilot(settings, truth)
    if pilot is None or pilot.unit_id is None:
        return
    with db.transaction(store(settings)) as session:
        groups = [(g.id, g.name) for g in teams.workgroups(session, pilot.id)]
        coaches = _coaches(session, pilot.unit_id, len(groups))
        relaxed = relaxed_metric_lines(session, pilot.id)
    for i, ((group_id, _), coach) in enumerate(zip(groups, coaches, strict=False)):
        assign_coach(settings, DEMO, pilot.id, group_id, coach)
        objective, problem, question = DEMO_ANGLES[i % len(DEMO_ANGLES)]
        save_charter(
            settings,
            DEMO,
            group_id,
            CharterContent(
                objective=objective,
                starting_problem=problem,
                shared_outcome="More customers still bank with us a year after a collection event.",
                powerful_question=question,
                may_touch="Customers in early arrears of the entry point; the collections "
                "workflow and payment plan tools, in a test setting.",
                may_not_touch="Accounts in legal recovery or write-offs; the core banking "
                "system's production settings.",
                relaxed_metrics=relaxed,
                performance=GOOD_FAITH,
                support="A coach from the collections supervisors, two days a week freed, "
                "and an analyst for payment behaviour data.",
            ),
            pilot_id=pilot.id,
        )
    progress = {"expectations": "done", "performance": "in_progress", "focus": "done"}
    for coach in sorted(set(coaches)):
        for part, status in progress.items():
            update_check(
                settings,
                DEMO,
                pilot.id,
                coach,
                part,
                status=status,
                notes="Agreed with the champion at the pilot's kick-off."
                if status == "done"
                else "Relaxed metrics drafted; incentives for the workgroups still open.",
            )
