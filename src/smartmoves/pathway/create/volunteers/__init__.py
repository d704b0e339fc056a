"""Recruit the volunteers: the call, the applications and the selection."""

from typing import TYPE_CHECKING

from smartmoves.pathway._exports import lazy_exports

if TYPE_CHECKING:
    from smartmoves.pathway.create.volunteers.applicants import (
        UnitCount,
        VolunteerRow,
        VolunteersView,
        best_applications,
        volunteers_view,
    )
    from smartmoves.pathway.create.volunteers.applications import (
        ApplicationView,
        apply,
        my_application,
    )
    from smartmoves.pathway.create.volunteers.call import (
        MAX_TEXT,
        CallView,
        call_of,
        call_view,
        default_call,
        entry_units,
        lacks_no_penalty,
        save_call,
    )
    from smartmoves.pathway.create.volunteers.selection import (
        SelectionIn,
        decide,
    )

__all__ = [
    "MAX_TEXT",
    "ApplicationView",
    "CallView",
    "SelectionIn",
    "UnitCount",
    "VolunteerRow",
    "VolunteersView",
    "apply",
    "best_applications",
    "call_of",
    "call_view",
    "decide",
    "default_call",
    "entry_units",
    "lacks_no_penalty",
    "my_application",
    "save_call",
    "volunteers_view",
]
__getattr__ = lazy_exports(__name__, ("applicants", "applications", "call", "selection"))
