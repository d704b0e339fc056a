"""The navigation: the pathway's three phases, and what each account can open in them.

Each link names the policy's action that opens it (:mod:`smartmoves.pathway.policy`): the
navigation shows a link only where the policy lets the account follow it.
"""

from __future__ import annotations

from dataclasses import dataclass

from smartmoves.pathway.policy import Account, may

__all__ = [
    "ACCOUNT_LINKS",
    "PHASES",
    "PILOT_SECTIONS",
    "Link",
    "Phase",
    "PilotSection",
    "account_links",
    "navigation_for",
    "pilot_sections",
]


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    action: str  # the policy's action this link opens


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
        "Where to start: the organization, its metrics that matter, the catalyst and the "
        "champion, the entry point.",
        (
            Link("Organization", "/", "organization.read"),
            Link("Metrics", "/metrics", "metrics.read"),
            Link("Why and who", "/recognize", "catalysts.read"),
            Link("Where to start", "/entry-points", "entry_points.read"),
        ),
    ),
    Phase(
        "create",
        "Create the conditions",
        "Free capacity, recruit volunteers, form workgroups and cells, coach.",
        (Link("Pilots", "/pilots", "pilot.list"),),
    ),
    Phase(
        "act",
        "Act for impact",
        "Focus on what matters, connect to others, remove obstacles, close the loop.",
        (
            Link("Collaboration", "/network", "network.units"),
            Link("Network people", "/admin/network", "network.people"),
            Link("My network", "/me/network", "network.mine"),
        ),
    ),
)

ACCOUNT_LINKS = (
    Link("Users", "/admin/users", "users.manage"),
    Link("Audit log", "/admin/audit", "audit.read"),
)


def navigation_for(account: Account) -> list[tuple[Phase, list[Link]]]:
    """Each phase with the links this account may open."""
    return [(p, [link for link in p.links if may(account, link.action)]) for p in PHASES]


def account_links(account: Account) -> list[Link]:
    """The links beside the account's name (managing users, for admins)."""
    return [link for link in ACCOUNT_LINKS if may(account, link.action)]


@dataclass(frozen=True)
class PilotSection:
    """A step of the pathway for one pilot, linked from the pilot's page."""

    phase: str
    label: str
    path: str  # with "{pilot_id}"
    purpose: str
    action: str  # the policy's action this section opens


# Each step of the pathway adds its section here, in the pathway's order.
PILOT_SECTIONS: tuple[PilotSection, ...] = (
    PilotSection(
        "create",
        "Create capacity",
        "/pilots/{pilot_id}/capacity",
        "Decide what to automate, stop or keep, and plan who takes over the volunteers' work.",
        "capacity.read",
    ),
    PilotSection(
        "create",
        "Volunteers",
        "/pilots/{pilot_id}/volunteers",
        "Call for volunteers (nobody is penalized for joining or not), apply, and select.",
        "call.read",
    ),
    PilotSection(
        "create",
        "Workgroups",
        "/pilots/{pilot_id}/workgroups",
        "Workgroups of 3-15 volunteers, as diverse as possible, for productive friction.",
        "workgroups.read",
    ),
    PilotSection(
        "create",
        "Cells",
        "/pilots/{pilot_id}/cells",
        "Cells of 5-15 pilot members drawn across the workgroups, to belong and reflect.",
        "cells.read",
    ),
    PilotSection(
        "create",
        "Coaches",
        "/pilots/{pilot_id}/coaches",
        "Supervisors shift from control to coaching: a coach per workgroup, five parts each.",
        "coaches.read",
    ),
    PilotSection(
        "act",
        "Connect",
        "/pilots/{pilot_id}/workgroups",
        "Connect each workgroup to people two steps away, to who can help with its focus, "
        "and to who faces a similar challenge.",
        "workgroups.read",
    ),
    PilotSection(
        "act",
        "Frontline metrics",
        "/pilots/{pilot_id}/metrics",
        "Each workgroup's weekly frontline metrics against their baseline, their target "
        "and the rest of the organization; enter this week's value.",
        "frontline.read",
    ),
    PilotSection(
        "act",
        "Momentum",
        "/pilots/{pilot_id}/momentum",
        "Whether the pilot moves the metrics that matter: its effect, every frontline "
        "metric's trend, flags to discuss, and the report to forward.",
        "report.read",
    ),
)


def pilot_sections(account: Account, pilot_id: int) -> list[tuple[PilotSection, str]]:
    """The sections of a pilot this account may open, with their links."""
    return [(s, s.path.format(pilot_id=pilot_id)) for s in PILOT_SECTIONS if may(account, s.action)]
