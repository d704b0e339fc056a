"""Who sees what of the collaboration network, as pages and their JSON twins read it.

- champions, supervisors (and admins): units only, suppressed below the minimum group
  size; never a person-level figure (:func:`units_view`);
- every person with a login: their own figures and suggestions (:func:`my_network`);
- admins: the person-level table, brokers and communities (:func:`people_view`);
- a workgroup's members, its coach, champions and admins: the workgroup's Connect page
  (:func:`connect_view`): whom to meet, who can help, who faces a similar challenge.

Nothing here ever reads message content: only who interacted with whom, and topics.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict

from smartmoves.data.store import aggregates, coaching, db, pilots, teams
from smartmoves.engines._common import json_ready
from smartmoves.engines.network import (
    Suggestions,
    find_experts,
    similar_challenges,
    suggest_connections,
)
from smartmoves.errors import ConfigError, Forbidden, NotFound
from smartmoves.pathway._store import store
from smartmoves.pathway.access import Account, require_role
from smartmoves.pathway.network import Network, workspace_network
from smartmoves.settings import Settings

__all__ = [
    "BrokerRow",
    "CommunityRow",
    "ConnectView",
    "Connection",
    "Expert",
    "MatrixCell",
    "MyNetworkView",
    "PeopleView",
    "PersonRow",
    "SimilarChallenge",
    "UnitRow",
    "UnitsView",
    "connect_view",
    "experts",
    "my_network",
    "people_view",
    "suggest",
    "units_view",
]

SUGGESTIONS = 10
# Suggestions rebuild a text index over every profile (seconds for thousands of people):
# keep recent answers, keyed by the analysis, the profiles and the question.
MEMO_SIZE = 256
_memo: OrderedDict[tuple[Any, ...], Suggestions] = OrderedDict()
_memo_lock = threading.Lock()


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class UnitRow(_View):
    unit_id: str
    unit_name: str | None = None
    size: int
    internal_ties: int | None
    external_ties: int | None
    ei_index: float | None
    external_weight_share: float | None  # interdependence
    top_partners: list[str] | None
    suppressed: bool


class MatrixCell(_View):
    unit_a: str
    unit_b: str
    ties: int
    weight: float


class CommunityRow(_View):
    community: int
    size: int
    units: int | None
    largest_unit_share: float | None
    top_units: list[str] | None
    top_topics: list[str] | None
    practice: bool
    suppressed: bool


class UnitsView(_View):
    """The unit collaboration view: aggregates only."""

    min_group_size: int
    units: list[UnitRow]
    unit_matrix: list[MatrixCell]
    communities: list[CommunityRow]
    summary: dict[str, Any]
    parameters: dict[str, Any]


class PersonRow(_View):
    person_id: str
    unit_id: str
    degree: int
    strength: float
    strong_ties: int
    weak_ties: int
    external_share: float | None
    betweenness: float | None
    constraint: float | None
    community: int | None
    units_reached: int
    external_contacts: int


class BrokerRow(_View):
    rank: int
    person_id: str
    unit_id: str
    units_reached: int
    betweenness: float | None


class PeopleView(_View):
    """The admin's person-level table."""

    people: list[PersonRow]
    brokers: list[BrokerRow]
    communities: list[CommunityRow]
    summary: dict[str, Any]
    parameters: dict[str, Any]


class Connection(_View):
    """Someone two steps away in another unit, and why."""

    rank: int
    person_id: str
    unit_id: str
    score: float | None
    shared_contacts: int
    via: list[str]
    matched: list[str]
    why: str


class Expert(_View):
    """Someone whose topics, skills, activities or applications match a text, and why."""

    rank: int
    person_id: str
    unit_id: str | None
    score: float
    matched: list[str]
    why: str


class SimilarChallenge(_View):
    """A person or workgroup whose recent topics match the workgroup's focus, and why."""

    rank: int
    kind: str  # person or workgroup
    id: str
    name: str | None = None  # the workgroup's name
    unit_id: str | None
    score: float
    matched: list[str]
    why: str


class MyNetworkView(_View):
    """One person's own figures and suggestions."""

    min_group_size: int
    person: PersonRow
    unit: UnitRow
    community: CommunityRow | None
    broker_rank: int | None
    connections: list[Connection]


class ConnectView(_View):
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


def _rows(model: type[_View], frame: pd.DataFrame, **extra: Any) -> list[Any]:
    return [model(**row, **extra) for row in json_ready(frame)]


def _unit_rows(network: Network, names: dict[str, str]) -> list[UnitRow]:
    return [
        UnitRow(**row, unit_name=names.get(row["unit_id"]))
        for row in json_ready(network.analysis.units)
    ]


def _unit_names(settings: Settings) -> dict[str, str]:
    with db.transaction(store(settings)) as session:
        return {str(u["unit_id"]): str(u["name"]) for u in aggregates.units(session)}


def units_view(settings: Settings, account: Account) -> UnitsView:
    """Units, the unit-to-unit matrix and communities: no person-level figure."""
    require_role(account, "champion", "supervisor")
    network = workspace_network(settings)
    analysis = network.analysis
    return UnitsView(
        min_group_size=int(analysis.parameters["min_group_size"]),
        units=_unit_rows(network, _unit_names(settings)),
        unit_matrix=_rows(MatrixCell, analysis.unit_matrix),
        communities=_rows(CommunityRow, analysis.communities),
        summary=json_ready(analysis.summary),
        parameters=json_ready(analysis.parameters),
    )


def people_view(settings: Settings, account: Account) -> PeopleView:
    """Every person's figures, the brokers and the communities (admins only)."""
    if not account.is_admin:
        raise Forbidden("person-level network figures are for admins")
    analysis = workspace_network(settings).analysis
    return PeopleView(
        people=_rows(PersonRow, analysis.people),
        brokers=_rows(BrokerRow, analysis.brokers),
        communities=_rows(CommunityRow, analysis.communities),
        summary=json_ready(analysis.summary),
        parameters=json_ready(analysis.parameters),
    )


def _remembered(
    network: Network, question: tuple[Any, ...], compute: Callable[[], Suggestions]
) -> Suggestions:
    key = (network.key, network.profiles_key, *question)
    with _memo_lock:
        if key in _memo:
            _memo.move_to_end(key)
            return _memo[key]
    found = compute()
    with _memo_lock:
        _memo[key] = found
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
    return found


def _profiles(network: Network) -> pd.DataFrame | None:
    return network.profiles if not network.profiles.empty else None


def _connections(found: Suggestions) -> list[Connection]:
    return _rows(Connection, found.suggestions)


def my_network(settings: Settings, account: Account) -> MyNetworkView:
    """The account's own figures and whom they might meet; nobody else's figures."""
    if account.person_id is None:
        raise NotFound("your login is not linked to a person of the organization")
    network = workspace_network(settings)
    mine = network.analysis.for_person(account.person_id)
    names = _unit_names(settings)
    person = account.person_id
    found = _remembered(
        network,
        ("person", person),
        lambda: suggest_connections(
            network.analysis, person=person, profiles=_profiles(network), limit=SUGGESTIONS
        ),
    )
    unit = mine["unit"]
    return MyNetworkView(
        min_group_size=int(network.analysis.parameters["min_group_size"]),
        person=PersonRow(**mine["person"]),
        unit=UnitRow(**unit, unit_name=names.get(unit["unit_id"])),
        community=CommunityRow(**mine["community"]) if mine["community"] else None,
        broker_rank=mine["broker_rank"],
        connections=_connections(found),
    )


def _workgroup(settings: Settings, pilot_id: int, workgroup_id: int) -> dict[str, Any]:
    """The workgroup, its pilot and members, and the other workgroups' members."""
    with db.transaction(store(settings)) as session:
        pilot = pilots.get_pilot(session, pilot_id)
        workgroup = coaching.get_workgroup(session, workgroup_id)
        if pilot is None or workgroup is None or workgroup.pilot_id != pilot_id:
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


def may_connect(account: Account, coach_id: str | None, members: Sequence[str]) -> bool:
    """Admins, champions, the workgroup's coach and its members open its Connect page."""
    if account.role in ("admin", "champion"):
        return True
    me = account.person_id
    return me is not None and (me == coach_id or me in members)


def _experts(network: Network, text: str, exclude: Sequence[str]) -> list[Expert]:
    profiles = _profiles(network)
    if profiles is None:
        return []
    people = network.people[["person_id", "unit_id"]]
    found = _remembered(
        network,
        ("experts", text, tuple(sorted(exclude))),
        lambda: find_experts(
            profiles, text, people=people, limit=SUGGESTIONS, method="tfidf", exclude=exclude
        ),
    )
    return _rows(Expert, found.suggestions)


def _similar(
    network: Network, focus: str, members: list[str], others: list[tuple[str, str]], names: Any
) -> list[SimilarChallenge]:
    recent = network.recent_topics
    if recent is None or recent.empty or not members:
        return []
    groups = pd.DataFrame(others, columns=["workgroup_id", "person_id"]) if others else None
    found = _remembered(
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
    group = _workgroup(settings, pilot_id, workgroup_id)
    if not may_connect(account, group["coach_id"], group["members"]):
        raise Forbidden("the Connect page is for the workgroup's members, its coach and champions")
    focus = (group["focus"] or "").strip() or None
    source = "workgroup focus" if focus else None
    if focus is None and (group["opportunity"] or "").strip():
        focus, source = group["opportunity"].strip(), "pilot opportunity"
    network = workspace_network(settings)
    known = set(network.analysis.people["person_id"])
    members = [m for m in group["members"] if m in known]
    profiles = _profiles(network)
    connections: list[Connection] = []
    method = "network"
    if members:
        about = focus if profiles is not None else None
        found = _remembered(
            network,
            ("workgroup", tuple(members), about),
            lambda: suggest_connections(
                network.analysis,
                members=members,
                about=about,
                profiles=profiles,
                limit=SUGGESTIONS,
            ),
        )
        connections, method = _connections(found), found.method
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
    network = workspace_network(settings)
    profiles = _profiles(network)
    if person is not None:
        return suggest_connections(
            network.analysis,
            person=person,
            about=about if profiles is not None else None,
            profiles=profiles,
            limit=limit,
        )
    assert workgroup is not None
    with db.transaction(store(settings)) as session:
        found = coaching.get_workgroup(session, workgroup)
        if found is None:
            raise NotFound(f"no workgroup {workgroup}")
        pilot_id = found.pilot_id
    group = _workgroup(settings, pilot_id, workgroup)
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
    )


def experts(settings: Settings, text: str, *, limit: int = SUGGESTIONS) -> Suggestions:
    """Who can help with ``text`` (``smartmoves network experts``)."""
    network = workspace_network(settings)
    profiles = _profiles(network)
    if profiles is None:
        raise ConfigError("no topics, skills, activities or applications to search yet")
    return find_experts(
        profiles,
        text,
        people=network.people[["person_id", "unit_id"]],
        limit=limit,
        method="tfidf",
    )
