"""Coaching: a supervisor coaches each workgroup, whose charter sets new expectations."""

from typing import TYPE_CHECKING

from smartmoves.pathway._exports import lazy_exports

if TYPE_CHECKING:
    from smartmoves.pathway.create.coaching.charters import (
        FIELDS,
        CharterContent,
        CharterField,
        CharterVersion,
        CharterView,
        FieldChange,
        charter_of,
        charter_view,
        group_of,
        readable_group,
        relaxed_metric_lines,
        save_charter,
        subject_of,
    )
    from smartmoves.pathway.create.coaching.coaches import (
        CHECK_STATUSES,
        COACH_PARTS,
        MAX_WORKGROUPS_PER_COACH,
        PARTS,
        Candidate,
        CoachesView,
        CoachPart,
        CoachView,
        WorkgroupCoach,
        assign_coach,
        coach_of,
        coaches_view,
        remove_coach,
        update_check,
    )
    from smartmoves.pathway.create.coaching.workgroup import (
        Person,
        WorkgroupView,
        workgroup_view,
    )

__all__ = [
    "CHECK_STATUSES",
    "COACH_PARTS",
    "FIELDS",
    "MAX_WORKGROUPS_PER_COACH",
    "PARTS",
    "Candidate",
    "CharterContent",
    "CharterField",
    "CharterVersion",
    "CharterView",
    "CoachPart",
    "CoachView",
    "CoachesView",
    "FieldChange",
    "Person",
    "WorkgroupCoach",
    "WorkgroupView",
    "assign_coach",
    "charter_of",
    "charter_view",
    "coach_of",
    "coaches_view",
    "group_of",
    "readable_group",
    "relaxed_metric_lines",
    "remove_coach",
    "save_charter",
    "subject_of",
    "update_check",
    "workgroup_view",
]
__getattr__ = lazy_exports(
    __name__,
    (
        "charters",
        "coaches",
        "workgroup",
    ),
)
