"""The navigation: the pathway's three phases, and what each role can open in them."""

from __future__ import annotations

from dataclasses import dataclass

from smartmoves.pathway.access import Account

__all__ = [
    "PHASES",
    "PILOT_SECTIONS",
    "Link",
    "Phase",
    "PilotSection",
    "navigation_for",
    "pilot_sections",
]


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    roles: tuple[str, ...] = ("admin", "champion", "supervisor", "member")


@dataclass(frozen=True)
class Phase:
    key: str
    title: str
    purpose: str
    links: tuple[Link, ...]


PHASES: tuple[Phase, ...] = (
    Phase(
        "recognize",
        "Recognize the opportunity",
        "Where to start: the organization, its metrics that matter, the entry point.",
        (Link("Organization", "/"),),
    ),
    Phase(
        "create",
        "Create the conditions",
        "Free capacity, recruit volunteers, form workgroups and cells, coach.",
        (Link("Pilots", "/pilots"),),
    ),
    Phase(
        "act",
        "Act for impact",
        "Focus on what matters, connect to others, remove obstacles, close the loop.",
        (
            Link("Collaboration", "/network", ("admin", "champion", "supervisor")),
            Link("Network people", "/admin/network", ("admin",)),
            Link("My network", "/me/network"),
        ),
    ),
)

ADMIN_LINKS = (Link("Users", "/admin/users", ("admin",)),)


def navigation_for(account: Account) -> list[tuple[Phase, list[Link]]]:
    """Each phase with the links this account's role may open."""
    return [(p, [link for link in p.links if account.role in link.roles]) for p in PHASES]


@dataclass(frozen=True)
class PilotSection:
    """A step of the pathway for one pilot, linked from the pilot's page."""

    phase: str
    label: str
    path: str  # with "{pilot_id}"
    purpose: str
    roles: tuple[str, ...] = ("admin", "champion", "supervisor", "member")


# Each step of the pathway adds its section here, in the pathway's order.
PILOT_SECTIONS: tuple[PilotSection, ...] = (
    PilotSection(
        "create",
        "Create capacity",
        "/pilots/{pilot_id}/capacity",
        "Decide what to automate, stop or keep, and plan who takes over the volunteers' work.",
        ("admin", "champion", "supervisor"),
    ),
    PilotSection(
        "create",
        "Volunteers",
        "/pilots/{pilot_id}/volunteers",
        "Call for volunteers (nobody is penalized for joining or not), apply, and select.",
    ),
    PilotSection(
        "create",
        "Workgroups",
        "/pilots/{pilot_id}/workgroups",
        "Workgroups of 3-15 volunteers, as diverse as possible, for productive friction.",
    ),
    PilotSection(
        "create",
        "Cells",
        "/pilots/{pilot_id}/cells",
        "Cells of 5-15 pilot members drawn across the workgroups, to belong and reflect.",
    ),
    PilotSection(
        "create",
        "Coaches",
        "/pilots/{pilot_id}/coaches",
        "Supervisors shift from control to coaching: a coach per workgroup, five parts each.",
        ("admin", "champion", "supervisor"),
    ),
    PilotSection(
        "act",
        "Connect",
        "/pilots/{pilot_id}/workgroups",
        "Connect each workgroup to people two steps away, to who can help with its focus, "
        "and to who faces a similar challenge.",
    ),
)


def pilot_sections(account: Account, pilot_id: int) -> list[tuple[PilotSection, str]]:
    """The sections of a pilot this account may open, with their links."""
    return [
        (s, s.path.format(pilot_id=pilot_id)) for s in PILOT_SECTIONS if account.role in s.roles
    ]
