"""The call for volunteers of a pilot: what it says, and opening it.

The call states the pilot's opportunity and that nobody is penalized for joining or not
(a text without such a statement is saved, with a warning). Until someone writes one, the
call is a default text built from the pilot; opening it puts a draft pilot in
``recruiting``.
"""

from __future__ import annotations

import re
from typing import Any

from smartmoves.data.store import capacity, db
from smartmoves.data.store import volunteers as store_volunteers
from smartmoves.data.store.models import Pilot
from smartmoves.errors import ConfigError, DataError
from smartmoves.pathway import audit
from smartmoves.pathway._store import pilot_for, store
from smartmoves.pathway._views import View
from smartmoves.pathway.policy import Account, require
from smartmoves.settings import Settings

__all__ = [
    "MAX_TEXT",
    "CallView",
    "call_of",
    "call_view",
    "default_call",
    "entry_units",
    "lacks_no_penalty",
    "save_call",
]

MAX_TEXT = 4000  # characters of a call or of an application's answer
_NO_PENALTY = re.compile(r"penal|held against|no consequence|free to (join|decline)", re.I)


class CallView(View):
    pilot_id: int
    pilot_name: str
    unit_id: str | None
    status: str
    opportunity: str | None
    text: str  # the call as members read it (the default until someone writes one)
    default_text: str
    is_default: bool
    warnings: list[str]
    min_pilot: int
    max_pilot: int
    open: bool  # applications are accepted (status "recruiting")


def default_call(pilot_name: str, opportunity: str | None, unit: str | None) -> str:
    """The call smartmoves proposes: the opportunity, what volunteering means, no penalty."""
    where = f" in {unit} and the teams below it" if unit else ""
    seen = (
        opportunity.strip()
        if opportunity and opportunity.strip()
        else ("We want to find new value for our customers in the work we do every day.")
    )
    return (
        f"Call for volunteers: {pilot_name}.\n\n{seen}\n\n"
        f"We are looking for 15 to 60 volunteers{where} to work on this in small "
        "workgroups. If you are chosen, at least three quarters of your time is freed for "
        "it: colleagues take over part of your current work, and some of it is automated "
        "or stopped. Tell us which problem or opportunity you want to address, and why.\n\n"
        "Joining is your choice. Nobody is penalized for volunteering or for not "
        "volunteering, and nobody is penalized for not being chosen."
    )


def lacks_no_penalty(text: str) -> bool:
    """Whether a call says nothing about nobody being penalized for joining or not."""
    return _NO_PENALTY.search(text) is None


def call_of(session: Any, pilot: Pilot) -> CallView:
    unit = store_volunteers.unit_name(session, pilot.unit_id)
    default = default_call(pilot.name, pilot.opportunity, unit)
    text = pilot.call_text or default
    warnings = []
    if lacks_no_penalty(text):
        warnings.append(
            "The call does not say that nobody is penalized for joining or not: people who "
            "fear for their standing will not apply. Add a sentence that says so."
        )
    return CallView(
        pilot_id=pilot.id,
        pilot_name=pilot.name,
        unit_id=pilot.unit_id,
        status=pilot.status,
        opportunity=pilot.opportunity,
        text=text,
        default_text=default,
        is_default=pilot.call_text is None,
        warnings=warnings,
        min_pilot=pilot.min_pilot,
        max_pilot=pilot.max_pilot,
        open=pilot.status == "recruiting",
    )


def entry_units(session: Any, pilot: Pilot) -> list[str]:
    if pilot.unit_id is None:
        raise ConfigError(f"pilot {pilot.id} has no entry point yet: choose its unit first")
    return capacity.units_below(session, pilot.unit_id)


def call_view(settings: Settings, account: Account, pilot_id: int) -> CallView:
    """The call as the pilot's people read it."""
    require(account, "call.read")
    with db.reading(store(settings)) as session:
        return call_of(session, pilot_for(session, account, pilot_id))


def save_call(
    settings: Settings,
    account: Account,
    pilot_id: int,
    text: str | None,
    *,
    open_call: bool = False,
    default: bool = False,
) -> CallView:
    """Write the call (``text``; ``None`` keeps it, ``""`` is refused) and, with
    ``open_call``, put a draft pilot in ``recruiting``. The default text is used until
    someone writes one, and again after ``default=True`` (which takes no ``text``): it
    follows the pilot's opportunity. A call without a no-penalty statement is saved with
    a warning (admins and champions write the call)."""
    require(account, "call.write")
    if default and text is not None:
        raise ConfigError("give the call's text or ask for the default, not both")
    if text is not None:
        text = text.strip().replace("\r\n", "\n")
        if not text:
            raise DataError("the call is empty: write it, or keep the default")
        if len(text) > MAX_TEXT:
            raise DataError(f"the call has {len(text)} characters; at most {MAX_TEXT}")
    with db.transaction(store(settings)) as session:
        pilot = pilot_for(session, account, pilot_id)
        if open_call and pilot.status not in ("draft", "recruiting"):
            raise ConfigError(f"pilot {pilot_id} is {pilot.status}: its call cannot open again")
        if text is not None:
            pilot.call_text = text
            audit.record(session, account, "volunteer call", str(pilot_id), chars=len(text))
        elif default and pilot.call_text is not None:
            # Stored as "no text of its own", so the default keeps following the opportunity.
            pilot.call_text = None
            audit.record(session, account, "volunteer call", str(pilot_id), default=True)
        if open_call and pilot.status == "draft":
            pilot.status = "recruiting"
            audit.record(session, account, "pilot status", str(pilot_id), status="recruiting")
        session.flush()
        return call_of(session, pilot)
