"""Who sees what of the collaboration network, as pages and their JSON twins read it.

- champions, supervisors (and admins): units only, suppressed below the minimum group
  size; never a person-level figure (:func:`units_view`);
- every person with a login: their own figures and suggestions (:func:`my_network`),
  whose reasons name nobody else's contacts or topics unless the reader is an admin
  (:mod:`.reasons`), and whether they themselves are suggested to others (:mod:`.optout`);
- admins: the person-level table, brokers and communities, and how many people opted out
  of being suggested (:func:`people_view`).

A workgroup's Connect page is :mod:`smartmoves.pathway.act.connect.suggestions`'.

Nothing here ever reads message content: only who interacted with whom, and topics.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from smartmoves.data.store import aggregates, db
from smartmoves.engines._common import json_ready
from smartmoves.engines.network import (
    suggest_connections,
)
from smartmoves.pathway import audit
from smartmoves.pathway._store import store
from smartmoves.pathway._views import View
from smartmoves.pathway.act.connect.analysis import Network, workspace_network
from smartmoves.pathway.act.connect.meaning import matching_for
from smartmoves.pathway.act.connect.memo import Memo, remembered
from smartmoves.pathway.act.connect.optout import count_opted_out, is_suggested
from smartmoves.pathway.act.connect.suggestions import (
    SUGGESTIONS,
    Connection,
    connection_rows,
    rows,
    search_for,
)
from smartmoves.pathway.people import People, people_of
from smartmoves.pathway.policy import Account, may, require
from smartmoves.settings import Settings

__all__ = [
    "BrokerRow",
    "CommunityRow",
    "MatrixCell",
    "MyNetworkView",
    "PeopleView",
    "PersonRow",
    "UnitRow",
    "UnitsView",
    "my_network",
    "people_view",
    "units_view",
]


class UnitRow(View):
    unit_id: str
    unit_name: str | None = None
    size: int | None  # hidden with the unit's other figures
    internal_ties: int | None
    external_ties: int | None
    ei_index: float | None
    external_weight_share: float | None  # interdependence
    top_partners: list[str] | None
    suppressed: bool
    reading: str | None = None  # the two figures together, in words


def unit_reading(ei_index: float | None, external_share: float | None) -> str | None:
    """The E-I index (ties: pairs of people, however little they work together) and the
    external share (weight: how much they work together) read together, since they can
    point different ways.

    >>> unit_reading(0.3, 0.2)
    'many contacts outside, most of the work inside'
    """
    if ei_index is None or external_share is None:
        return None
    outside_ties, outside_work = ei_index > 0, external_share >= 0.5
    if outside_ties and outside_work:
        return "works mostly with other units"
    if outside_ties:
        return "many contacts outside, most of the work inside"
    if outside_work:
        return "few contacts outside, but most of the work with them"
    return "self-contained: most contacts and most of the work inside"


class MatrixCell(View):
    unit_a: str
    unit_b: str
    ties: int
    weight: float


class CommunityRow(View):
    community: int
    size: int | None  # hidden with the community's other figures
    units: int | None
    largest_unit_share: float | None
    top_units: list[str] | None
    top_topics: list[str] | None
    practice: bool
    suppressed: bool


class UnitsView(View):
    """The unit collaboration view: aggregates only."""

    min_group_size: int
    units: list[UnitRow]
    unit_matrix: list[MatrixCell]
    communities: list[CommunityRow]
    summary: dict[str, Any]
    parameters: dict[str, Any]


class PersonRow(View):
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


class BrokerRow(View):
    rank: int
    person_id: str
    unit_id: str
    units_reached: int
    betweenness: float | None


class PeopleView(View):
    """The admin's person-level table."""

    people: list[PersonRow]
    brokers: list[BrokerRow]
    communities: list[CommunityRow]
    summary: dict[str, Any]
    parameters: dict[str, Any]
    opted_out: int  # people who asked not to be suggested (how many, never who)
    who: People  # who each person of the table and the brokers is: name, email, role, unit


class MyNetworkView(View):
    """One person's own figures and suggestions, and whether they are suggested to
    others. ``opted_out`` (how many asked not to be suggested) is for admins only."""

    min_group_size: int
    person: PersonRow
    unit: UnitRow
    community: CommunityRow | None
    broker_rank: int | None
    connections: list[Connection]
    suggested: bool
    opted_out: int | None = None
    who: People  # who each person suggested is: name, email, role, unit
    matching_note: str = ""  # how what you share with them was matched, in a sentence


T = TypeVar("T")

# What every reader of one network sees alike (its units, its people table), built once
# per network: a new import or application is a new Network, and its entries go with the
# old one. Turning 2,000 people into rows took half a second a request.
_built: weakref.WeakKeyDictionary[Network, dict[str, Any]] = weakref.WeakKeyDictionary()
_built_lock = threading.Lock()


def _once(network: Network, name: str, build: Callable[[], T]) -> T:
    with _built_lock:
        found = _built.get(network, {}).get(name)
    if found is None:
        found = build()
        with _built_lock:
            _built.setdefault(network, {})[name] = found
    return found


def _unit_rows(network: Network, names: dict[str, str]) -> list[UnitRow]:
    # A hidden unit's headcount is hidden too: the engine decided which units may be shown
    # (small ones, and one more when the hidden together are too few), for every figure.
    return [
        UnitRow(
            **(row | ({"size": None} if row["suppressed"] else {})),
            unit_name=names.get(row["unit_id"]),
            reading=unit_reading(row["ei_index"], row["external_weight_share"]),
        )
        for row in json_ready(network.analysis.units)
    ]


def _communities(found: Any) -> list[CommunityRow]:
    """Communities as shown: a hidden one's size is hidden with its other figures."""
    return [
        CommunityRow(**(r | ({"size": None} if r["suppressed"] else {}))) for r in json_ready(found)
    ]


def _unit_names(settings: Settings) -> dict[str, str]:
    with db.reading(store(settings)) as session:
        return {str(u["unit_id"]): str(u["name"]) for u in aggregates.units(session)}


def units_view(settings: Settings, account: Account) -> UnitsView:
    """Units, the unit-to-unit matrix and communities: no person-level figure."""
    require(account, "network.units")
    network = workspace_network(settings, account=account)
    analysis = network.analysis
    return _once(
        network,
        "units",
        lambda: UnitsView(
            min_group_size=int(analysis.parameters["min_group_size"]),
            units=_unit_rows(network, _unit_names(settings)),
            unit_matrix=rows(MatrixCell, analysis.unit_matrix),
            communities=_communities(analysis.communities),
            summary=json_ready(analysis.summary),
            parameters=json_ready(analysis.parameters),
        ),
    )


def people_view(settings: Settings, account: Account) -> PeopleView:
    """Every person's figures, the brokers and the communities (admins only)."""
    require(account, "network.people")
    network = workspace_network(settings, account=account)
    analysis = network.analysis
    audit.viewed(settings, account, "network.people", "network people")
    people, brokers, communities = _once(
        network,
        "people",
        lambda: (
            rows(PersonRow, analysis.people),
            rows(BrokerRow, analysis.brokers),
            _communities(analysis.communities),
        ),
    )
    return PeopleView(
        people=people,
        brokers=brokers,
        communities=communities,
        summary=json_ready(analysis.summary),
        parameters=json_ready(analysis.parameters),
        opted_out=count_opted_out(settings),  # asked every time: an opt-out counts at once
        who=_once(
            network,
            "who",
            lambda: people_of(
                settings,
                account,
                [*(p.person_id for p in people), *(b.person_id for b in brokers)],
                "network.people",
            ),
        ),
    )


# A person's own figures, whom they might meet (worded) and whether any was found.
_Mine = tuple[dict[str, Any], list[Connection], bool]
_MINE: Memo[_Mine] = Memo(512)


def my_network(settings: Settings, account: Account) -> MyNetworkView:
    """The account's own figures and whom they might meet; nobody else's figures."""
    require(account, "network.mine")
    assert account.person_id is not None  # the rule needs a linked person
    network = workspace_network(settings, account=account)
    names = _unit_names(settings)
    person = account.person_id
    search = search_for(settings, account, network)

    def figures() -> _Mine:
        found = remembered(
            network,
            ("person", person, *search.tag),
            lambda: suggest_connections(
                network.analysis,
                person=person,
                profiles=search.profiles,
                limit=3 * SUGGESTIONS,  # more than shown: at most a few of a unit first
                method="auto",
                index=search.index,
                exclude=search.skip,
            ),
        )
        rows = connection_rows(
            found, details=search.details, workgroup=False, index=search.index, names=names
        )
        return network.analysis.for_person(person), rows, bool(found.suggestions.size)

    # The person's figures and suggestions, worded, depend on the analysis, the profiles,
    # the reader's kind of search and the units' names: a page seen again is not looked
    # up and worded again (who may see it is asked above, on every request).
    key = (
        settings.sqlalchemy_url, network.key, network.profiles_key, person, *search.tag,
        tuple(sorted(names.items())),
    )  # fmt: skip
    mine, connections, found_any = _MINE.get(key, figures)
    if search.details and found_any:  # others' contacts: recorded
        what = f"suggestion details for {person}"
        audit.viewed(settings, account, "network.suggestion_details", what)
    unit = mine["unit"]
    return MyNetworkView(
        min_group_size=int(network.analysis.parameters["min_group_size"]),
        person=PersonRow(**mine["person"]),
        unit=UnitRow(**unit, unit_name=names.get(unit["unit_id"])),
        community=_communities([mine["community"]])[0] if mine["community"] else None,
        broker_rank=mine["broker_rank"],
        connections=connections,
        suggested=is_suggested(settings, person),
        opted_out=len(search.skip) if may(account, "network.people") else None,
        who=people_of(settings, account, [c.person_id for c in connections], "network.mine"),
        matching_note=matching_for(search.method).note,
    )
