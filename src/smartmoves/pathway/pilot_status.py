"""What a pilot's status means, and what its progress says about the next one.

The status is the organization's own word (an admin sets it), so it is never moved
behind their back; but a pilot whose workgroups are formed and coached is no longer only
"recruiting", and the page says so, with what would move it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from smartmoves.data.store import teams, volunteers

__all__ = ["MEANINGS", "Progress", "next_step", "progress"]

MEANINGS = {
    "draft": "A draft: only admins and champions see it, and nobody can apply yet.",
    "recruiting": "Recruiting: the call for volunteers is open.",
    "running": "Running: the workgroups do redefined work.",
    "closed": "Closed: the pilot has ended; what it recorded stays readable.",
}


@dataclass(frozen=True)
class Progress:
    selected: int  # volunteers selected for the pilot
    workgroups: int
    coached: int  # workgroups with a coach
    chartered: int  # workgroups with a charter


def progress(session: Session, pilot_id: int) -> Progress:
    """How far a pilot has come, read within the caller's transaction."""
    groups = teams.workgroups(session, pilot_id)
    chosen = volunteers.selections_of(session, pilot_id).values()
    return Progress(
        selected=sum(s.status == "selected" for s in chosen),
        workgroups=len(groups),
        coached=sum(g.coach_id is not None for g in groups),
        chartered=teams.chartered_workgroups(session, pilot_id),
    )


def _groups(p: Progress) -> str:
    one = p.workgroups == 1
    return (
        f"{p.workgroups} workgroup{'' if one else 's'} ({p.coached} with a coach, "
        f"{p.chartered} with a charter)"
    )


def next_step(status: str, p: Progress) -> str | None:
    """What the progress suggests for the status, in words; ``None`` when it fits.

    >>> found = Progress(selected=40, workgroups=4, coached=4, chartered=2)
    >>> print(next_step("recruiting", found))  # doctest: +NORMALIZE_WHITESPACE
    4 workgroups (4 with a coach, 2 with a charter) are formed: set the pilot to running when
    they start.
    >>> next_step("running", Progress(selected=40, workgroups=0, coached=0, chartered=0))
    'No workgroups yet: form them on the Workgroups page, from the 40 selected volunteers.'
    """
    if status == "draft":
        return (
            "Set it to recruiting once the call for volunteers is written: then people can apply."
        )
    if status == "recruiting" and p.workgroups:
        return f"{_groups(p)} are formed: set the pilot to running when they start."
    if status == "recruiting":
        return (
            f"{p.selected} volunteers selected so far: form the workgroups, then set the "
            "pilot to running."
        )
    if status == "running" and not p.workgroups:
        return (
            "No workgroups yet: form them on the Workgroups page, from the "
            f"{p.selected} selected volunteers."
        )
    if status == "running":
        return f"{_groups(p)} at work; set the pilot to closed when it ends."
    return None
