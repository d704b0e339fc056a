"""Whom to meet and who can help: suggestions for a person or a workgroup, and why.

- every person with a login: whom they might meet (used by :mod:`.views`' My network);
- a workgroup's members, its coach, champions and admins: the workgroup's Connect page
  (:func:`connect_view`): whom to meet, who can help, who faces a similar challenge;
- the command line: :func:`suggest` and :func:`experts`.

Every suggestion searches a text index over every profile: it is built once per
analysis and profiles, and recent answers are kept too (:mod:`.memo`). Nothing here ever
reads message content: only who interacted with whom, and topics.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from smartmoves.data.store import coaching, db, teams
from smartmoves.engines._common import json_ready
from smartmoves.engines.network import (
    Suggestions,
    find_experts,
    similar_challenges,
    suggest_connections,
)
from smartmoves.errors import ConfigError, NotFound
from smartmoves.pathway import audit
from smartmoves.pathway._store import pilot_for, store
from smartmoves.pathway._views import View
from smartmoves.pathway.act.connect.analysis import Network, workspace_network
from smartmoves.pathway.act.connect.memo import (
    profiles_index,
    recent_topics_index,
    remembered,
)
from smartmoves.pathway.policy import Account, Subject, require
from smartmoves.settings import Settings

__all__ = [
    "SUGGESTIONS",
    "ConnectView",
    "Connection",
    "Expert",
    "SimilarChallenge",
    "connect_view",
    "connection_rows",
    "experts",
    "profiles_of",
    "rows",
    "suggest",
]


SUGGESTIONS = 10


class Connection(View):
    """Someone two steps away in another unit, and why."""

    rank: int
    person_id: str
    unit_id: str
    score: float | None
    shared_contacts: int
    via: list[str]
    matched: list[str]
    why: str


class Expert(View):
    """Someone whose topics, skills, activities or applications match a text, and why."""

    rank: int
    person_id: str
    unit_id: str | None
    score: float
    matched: list[str]
    why: str


class SimilarChallenge(View):
    """A person or workgroup whose recent topics match the workgroup's focus, and why."""

    rank: int
    kind: str  # person or workgroup
    id: str
    name: str | None = None  # the workgroup's name
    unit_id: str | None
    score: float
    matched: list[str]
    why: str


class ConnectView(View):
    """The Connect page of a workgroup."""

    pilot_id: int
    pilot_name: str
    workgroup_id: int
    workgroup_name: str
    focus: str | None
    focus_source: str | None  # "workgroup focus" or "pilot opportunity"
    members: list[str]
    members_in_network: int
    connections: list[Connection]
    experts: list[Expert]
    similar: list[SimilarChallenge]
    help_text: str | None
    helpers: list[Expert] | None
    method: str


def rows(model: type[View], frame: pd.DataFrame, **extra: Any) -> list[Any]:
    return [model(**row, **extra) for row in json_ready(frame)]


def profiles_of(network: Network) -> pd.DataFrame | None:
    return network.profiles if not network.profiles.empty else None


def connection_rows(found: Suggestions) -> list[Connection]:
    return rows(Connection, found.suggestions)


def _workgroup(
    settings: Settings, account: Account, pilot_id: int, workgroup_id: int
) -> dict[str, Any]:
    """The workgroup, its pilot and members, and the other workgroups' members."""
    with db.transaction(store(settings)) as session:
        pilot = pilot_for(session, account, pilot_id)
        workgroup = coaching.get_workgroup(session, workgroup_id)
        if workgroup is None or workgroup.pilot_id != pilot_id:
            raise NotFound(f"no workgroup {workgroup_id} in pilot {pilot_id}")
        rows = teams.all_members(session)
        return {
            "pilot_name": pilot.name,
            "opportunity": pilot.opportunity,
            "name": workgroup.name,
            "focus": workgroup.focus,
            "coach_id": workgroup.coach_id,
            "members": sorted({p for w, p, _ in rows if w == workgroup_id}),
            "others": [(str(w), p) for w, p, _ in rows if w != workgroup_id],
            "names": {str(w): n for w, _, n in rows},
        }


def _experts(network: Network, text: str, exclude: Sequence[str]) -> list[Expert]:
    profiles = profiles_of(network)
    if profiles is None:
        return []
    people = network.people[["person_id", "unit_id"]]
    found = remembered(
        network,
        ("experts", text, tuple(sorted(exclude))),
        lambda: find_experts(
            profiles,
            text,
            people=people,
            limit=SUGGESTIONS,
            method="tfidf",
            exclude=exclude,
            index=profiles_index(network),
        ),
    )
    return rows(Expert, found.suggestions)


def _similar(
    network: Network, focus: str, members: list[str], others: list[tuple[str, str]], names: Any
) -> list[SimilarChallenge]:
    recent = network.recent_topics
    if recent is None or recent.empty or not members:
        return []
    groups = pd.DataFrame(others, columns=["workgroup_id", "person_id"]) if others else None
    found = remembered(
        network,
        ("similar", focus, tuple(members), tuple(others)),
        lambda: similar_challenges(
            recent,
            focus,
            members=members,
            network=network.analysis,
            workgroups=groups,
            limit=SUGGESTIONS,
            method="tfidf",
            index=recent_topics_index(network),
        ),
    )
    return [
        SimilarChallenge(**row, name=names.get(row["id"]) if row["kind"] == "workgroup" else None)
        for row in json_ready(found.suggestions)
    ]


def connect_view(
    settings: Settings,
    account: Account,
    pilot_id: int,
    workgroup_id: int,
    *,
    help_text: str | None = None,
) -> ConnectView:
    """Whom the workgroup might meet, who can help with its focus (or ``help_text``), and
    who faces a similar challenge; each with its reason.

    The focus is the workgroup's own; without one, the pilot's opportunity.

    Raises
    ------
    NotFound
        No such workgroup in that pilot.
    Forbidden
        The account is not an admin, a champion, the workgroup's coach or a member.
    """
    group = _workgroup(settings, account, pilot_id, workgroup_id)
    require(account, "connect.open", Subject.workgroup(group["coach_id"], group["members"]))
    focus = (group["focus"] or "").strip() or None
    source = "workgroup focus" if focus else None
    if focus is None and (group["opportunity"] or "").strip():
        focus, source = group["opportunity"].strip(), "pilot opportunity"
    network = workspace_network(settings, account=account)
    known = set(network.analysis.people["person_id"])
    members = [m for m in group["members"] if m in known]
    profiles = profiles_of(network)
    connections: list[Connection] = []
    method = "network"
    if members:
        about = focus if profiles is not None else None
        found = remembered(
            network,
            ("workgroup", tuple(members), about),
            lambda: suggest_connections(
                network.analysis,
                members=members,
                about=about,
                profiles=profiles,
                limit=SUGGESTIONS,
                index=profiles_index(network),
            ),
        )
        connections, method = connection_rows(found), found.method
    asked = (help_text or "").strip() or None
    return ConnectView(
        pilot_id=pilot_id,
        pilot_name=group["pilot_name"],
        workgroup_id=workgroup_id,
        workgroup_name=group["name"],
        focus=focus,
        focus_source=source,
        members=group["members"],
        members_in_network=len(members),
        connections=connections,
        experts=_experts(network, focus, group["members"]) if focus else [],
        similar=_similar(network, focus, members, group["others"], group["names"]) if focus else [],
        help_text=asked,
        helpers=_experts(network, asked, group["members"]) if asked else None,
        method=method,
    )


def suggest(
    settings: Settings,
    account: Account,
    *,
    person: str | None = None,
    workgroup: int | None = None,
    about: str | None = None,
    limit: int = SUGGESTIONS,
) -> Suggestions:
    """Whom a person or a workgroup might meet (``smartmoves network suggest``).

    A workgroup's suggestions are ranked by relevance to ``about``, else to its focus
    (or its pilot's opportunity).
    """
    if (person is None) == (workgroup is None):
        raise ConfigError("give either --person ID or --workgroup ID")
    if person is not None:
        require(account, "network.suggest", Subject(person_id=person))
    network = workspace_network(settings, account=account)
    profiles = profiles_of(network)
    if person is not None:
        if person != account.person_id:  # someone else's: person-level, recorded
            audit.viewed(settings, account, "network.suggest", f"suggestions for {person}")
        return suggest_connections(
            network.analysis,
            person=person,
            about=about if profiles is not None else None,
            profiles=profiles,
            limit=limit,
            index=profiles_index(network),
        )
    assert workgroup is not None
    with db.transaction(store(settings)) as session:
        found = coaching.get_workgroup(session, workgroup)
        if found is None:
            raise NotFound(f"no workgroup {workgroup}")
        pilot_id = found.pilot_id
    group = _workgroup(settings, account, pilot_id, workgroup)
    require(account, "connect.open", Subject.workgroup(group["coach_id"], group["members"]))
    text = (about or "").strip() or (group["focus"] or "").strip() or group["opportunity"]
    known = set(network.analysis.people["person_id"])
    members = [m for m in group["members"] if m in known]
    if not members:
        raise ConfigError(f"workgroup {workgroup} has no member in the network yet")
    return suggest_connections(
        network.analysis,
        members=members,
        about=(text or None) if profiles is not None else None,
        profiles=profiles,
        limit=limit,
        index=profiles_index(network),
    )


def experts(
    settings: Settings, account: Account, text: str, *, limit: int = SUGGESTIONS
) -> Suggestions:
    """Who can help with ``text``, across the organization (``smartmoves network experts``;
    the Connect page asks the same for one workgroup)."""
    require(account, "network.people")
    network = workspace_network(settings, account=account)
    profiles = profiles_of(network)
    if profiles is None:
        raise ConfigError("no topics, skills, activities or applications to search yet")
    audit.viewed(settings, account, "network.people", f"experts for {text.strip()[:80]!r}")
    return find_experts(
        profiles,
        text,
        people=network.people[["person_id", "unit_id"]],
        limit=limit,
        method="tfidf",
        index=profiles_index(network),
    )
