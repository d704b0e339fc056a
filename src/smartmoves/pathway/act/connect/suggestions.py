"""Whom to meet and who can help: suggestions for a person or a workgroup, and why.

- every person with a login: whom they might meet (used by :mod:`.views`' My network);
- a workgroup's members, its coach, champions and admins: the workgroup's Connect page
  (:func:`connect_view`): whom to meet, who can help, who faces a similar challenge;
- the command line: :func:`suggest` and :func:`experts`.

Every suggestion searches a text index over every profile: it is built once per
analysis and profiles, and recent answers are kept too (:mod:`.memo`). Nothing here ever
reads message content: only who interacted with whom, and topics.

What the reader learns of others is the policy's ``network.suggestion_details``: admins
read the contacts in between, the shared counts and the words matched anywhere; everyone
else is searched for and told about only what people chose to share (:mod:`.reasons`).
Nobody who opted out (:mod:`.optout`) is ever suggested to anyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import pandas as pd

from smartmoves.data.store import coaching, db, teams
from smartmoves.engines._common import json_ready
from smartmoves.engines.network import (
    ProfileIndex,
    Suggestions,
    find_experts,
    profile_index,
    similar_challenges,
    suggest_connections,
)
from smartmoves.engines.network._index import Encoder
from smartmoves.errors import ConfigError, NotFound
from smartmoves.pathway import audit
from smartmoves.pathway._store import pilot_for, store
from smartmoves.pathway._views import View
from smartmoves.pathway.act.connect.analysis import Network, workspace_network
from smartmoves.pathway.act.connect.meaning import encoder_for, matching_for, warm_model
from smartmoves.pathway.act.connect.memo import (
    Memo,
    profiles_index,
    recent_topics_index,
    remembered,
)
from smartmoves.pathway.act.connect.optout import opted_out
from smartmoves.pathway.act.connect.reasons import (
    member_connection,
    member_connections,
    member_expert,
    shared_profiles,
)
from smartmoves.pathway.act.connect.worded import (
    PER_UNIT,
    one_list_each,
    spread,
    unit_names,
    worded,
)
from smartmoves.pathway.jobs import in_background
from smartmoves.pathway.people import People, people_of
from smartmoves.pathway.policy import Account, Subject, may, require
from smartmoves.settings import Settings

__all__ = [
    "SUGGESTIONS",
    "ConnectView",
    "Connection",
    "Expert",
    "Search",
    "SimilarChallenge",
    "connect_view",
    "connection_dicts",
    "connection_rows",
    "experts",
    "profiles_of",
    "rows",
    "search_for",
    "shared_index",
    "suggest",
]


SUGGESTIONS = 10


class Connection(View):
    """Someone two steps away in another unit, and why. ``shared_contacts`` and ``via``
    (the contacts in between) are for admins only: ``None`` for everyone else."""

    rank: int
    person_id: str
    unit_id: str
    score: float | None
    shared_contacts: int | None
    via: list[str] | None
    matched: list[str]
    matched_in: dict[str, list[str]]  # each matched word: the profile fields holding it
    why: str


class Expert(View):
    """Someone whose topics, skills, activities or applications match a text, and why
    (for everyone but admins: whose skills or application match)."""

    rank: int
    person_id: str
    unit_id: str | None
    score: float
    matched: list[str]
    matched_in: dict[str, list[str]]
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
    method: str  # how whom-to-meet was ranked: embeddings, tfidf or network (ties alone)
    matching: str  # how texts are matched: embeddings (meaning and words) or tfidf (words)
    matching_note: str  # the same, in a sentence for the page
    per_unit: int  # at most this many of a unit in a list before the rest of them
    who: People  # who each person named here is: name, email, role, unit


def rows(model: type[View], frame: pd.DataFrame, **extra: Any) -> list[Any]:
    return [model(**row, **extra) for row in json_ready(frame)]


def profiles_of(network: Network) -> pd.DataFrame | None:
    return network.profiles if not network.profiles.empty else None


def connection_dicts(
    found: Suggestions,
    *,
    details: bool,
    workgroup: bool,
    index: ProfileIndex | None = None,
    focus: str | None = None,
    names: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The rows of whom to meet, as the reader may read them, the reasons in plain words
    (:mod:`.worded`), ``focus`` the text they were ranked by."""
    found_rows = json_ready(found.suggestions)
    if not details:
        found_rows = [member_connection(r, workgroup=workgroup) for r in found_rows]
    outside = "outside the workgroup's units" if workgroup else "outside your unit"
    return worded(
        found_rows,
        details=details,
        index=index,
        focus=focus,
        names=names or {},
        outside=outside,
        colleagues=True,
    )


def connection_rows(found: Suggestions, **how: Any) -> list[Connection]:
    """:func:`connection_dicts` as views, at most :data:`PER_UNIT` of a unit first."""
    return [Connection(**row) for row in spread(connection_dicts(found, **how), SUGGESTIONS)]


# A member's suggestions search what people chose to share, in an index of its own: small
# beside the one over every profile (topics are most of the words), one per analysis.
SHARED_INDEXES: Memo[ProfileIndex | None] = Memo(2)


def shared_index(network: Network, encoder: Encoder | None = None) -> ProfileIndex | None:
    """The index of the profiles' shared fields (skills, applications), built once per
    analysis, profiles and method; ``None`` when nobody shared any."""
    method: Literal["embeddings", "tfidf"] = "embeddings" if encoder is not None else "tfidf"

    def build() -> ProfileIndex | None:
        shared = shared_profiles(profiles_of(network))
        if shared is None:
            return None
        return profile_index(shared, method=method, encoder=encoder)

    return SHARED_INDEXES.get((network.key, network.profiles_key, method), build)


class Search:
    """What one reader's suggestions search, and whom they leave out.

    ``details``: the reader may read the reasons in full (the policy's
    ``network.suggestion_details``), and is searched for in every profile; otherwise in
    the shared fields alone. ``skip``: everyone who opted out. ``tag`` tells the two
    kinds of answers apart where they are remembered.
    """

    def __init__(
        self,
        network: Network,
        details: bool,
        skip: tuple[str, ...],
        encoder: Encoder | None = None,
    ) -> None:
        self.details = details
        self.skip = skip
        self.encoder = encoder
        self.index = profiles_index(network, encoder) if details else shared_index(network, encoder)
        # The index keeps the rows it was built from: handing those back makes the
        # engines' check that they belong together instant.
        self.profiles = self.index.profiles if self.index is not None else None
        # How it matches: "embeddings" (meaning and words) or "tfidf" (words alone).
        self.method = (
            self.index.method
            if self.index is not None
            else ("embeddings" if encoder is not None else "tfidf")
        )
        self.tag = ("details" if details else "shared", skip, self.method)


def search_for(settings: Settings, account: Account, network: Network) -> Search:
    details = may(account, "network.suggestion_details")
    encoder = encoder_for(settings, network, account)
    return Search(network, details, opted_out(settings), encoder)


def _workgroup(
    settings: Settings, account: Account, pilot_id: int, workgroup_id: int
) -> dict[str, Any]:
    """The workgroup, its pilot and members, and the other workgroups' members."""
    with db.reading(store(settings)) as session:
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


def _experts(
    network: Network, search: Search, text: str, members: Sequence[str], names: dict[str, str]
) -> list[dict[str, Any]]:
    profiles, index = search.profiles, search.index
    if profiles is None or index is None:
        return []
    people = network.people[["person_id", "unit_id"]]
    exclude = sorted({*members, *search.skip})
    found = remembered(
        network,
        ("experts", text, tuple(exclude), search.tag[0]),
        lambda: find_experts(
            profiles,
            text,
            people=people,
            limit=3 * SUGGESTIONS,  # more than shown: some are in another list or unit
            method="auto",
            exclude=exclude,
            index=index,
        ),
    )
    found_rows = json_ready(found.suggestions)
    if not search.details:
        found_rows = [member_expert(r) for r in found_rows]
    return worded(found_rows, details=search.details, index=index, focus=text, names=names)


def _similar(
    network: Network,
    search: Search,
    focus: str,
    members: list[str],
    others: list[tuple[str, str]],
    names: Any,
    units: dict[str, str],
) -> list[dict[str, Any]]:
    """Who faces a similar challenge: found in other people's recent interaction topics,
    so for those who may read the details only."""
    recent = network.recent_topics
    if not search.details or recent is None or recent.empty or not members:
        return []
    groups = pd.DataFrame(others, columns=["workgroup_id", "person_id"]) if others else None
    found = remembered(
        network,
        ("similar", focus, tuple(members), tuple(others), search.skip),
        lambda: similar_challenges(
            recent,
            focus,
            members=members,
            network=network.analysis,
            workgroups=groups,
            limit=3 * SUGGESTIONS,
            method="auto",
            index=recent_topics_index(network, search.encoder),
            exclude=search.skip,
        ),
    )
    rows = [
        {**row, "name": names.get(row["id"]) if row["kind"] == "workgroup" else None}
        for row in json_ready(found.suggestions)
    ]
    index = recent_topics_index(network, search.encoder)
    said = worded(rows, details=True, index=index, focus=focus, names=units)
    # Their recent topics, not what they do: say so, and that no tie joins them yet.
    return [
        {**r, "why": r["why"].replace("talks about", "talks lately about", 1)}
        if r["kind"] == "person"
        else r
        for r in said
    ]


# Whom to meet, who can help, who faces a similar challenge, who can help with the words
# asked (``None`` when nothing was asked), and how the first list was found.
_Lists = tuple[
    list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]],
    list[dict[str, Any]] | None, str,
]  # fmt: skip
LISTS: Memo[_Lists] = Memo(256)


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
    subject = Subject.workgroup(group["coach_id"], group["members"])
    require(account, "connect.open", subject)
    focus = (group["focus"] or "").strip() or None
    source = "workgroup focus" if focus else None
    if focus is None and (group["opportunity"] or "").strip():
        focus, source = group["opportunity"].strip(), "pilot opportunity"
    network = workspace_network(settings, account=account)
    search = search_for(settings, account, network)
    known = set(network.analysis.people["person_id"])
    members = [m for m in group["members"] if m in known]
    profiles = search.profiles
    names = unit_names(settings)
    asked = (help_text or "").strip() or None
    if search.details and members:  # others' contacts and topics: person-level, recorded
        what = f"connect details for workgroup {workgroup_id}"
        audit.viewed(settings, account, "network.suggestion_details", what)

    def lists() -> _Lists:
        connections: list[dict[str, Any]] = []
        method = "network"
        if members:
            about = focus if profiles is not None else None
            found = remembered(
                network,
                ("workgroup", tuple(members), about, *search.tag),
                lambda: suggest_connections(
                    network.analysis,
                    members=members,
                    about=about,
                    profiles=profiles,
                    limit=3 * SUGGESTIONS,  # more than shown: some are in another list or unit
                    method="auto",
                    index=search.index,
                    exclude=search.skip,
                ),
            )
            connections = connection_dicts(
                found,
                details=search.details,
                workgroup=True,
                index=search.index,
                focus=about,
                names=names,
            )
            method = found.method
        experts = _experts(network, search, focus, group["members"], names) if focus else []
        similar = (
            _similar(network, search, focus, members, group["others"], group["names"], names)
            if focus
            else []
        )
        # Each list's first ten, at most a few of a unit first; then each person in one list.
        connections, experts, similar = (
            spread(connections, SUGGESTIONS),
            spread(experts, SUGGESTIONS),
            spread(similar, SUGGESTIONS),
        )
        connections, experts, similar = one_list_each(connections, experts, similar)
        helpers = _experts(network, search, asked, group["members"], names) if asked else None
        return connections, experts, similar, helpers, method

    # The lists, worded, depend on the analysis, the reader's kind of search, the
    # workgroups and the words asked: a page seen again (every member of a workgroup
    # opens it) is not searched and worded again.
    key = (
        settings.sqlalchemy_url, network.key, network.profiles_key, *search.tag,
        tuple(members), tuple(group["members"]), focus, asked, tuple(group["others"]),
        tuple(sorted(group["names"].items())), tuple(sorted(names.items())),
    )  # fmt: skip
    connections, experts, similar, helpers, method = LISTS.get(key, lists)
    named = [
        *group["members"],
        *(c["person_id"] for c in connections),
        *(e["person_id"] for e in [*experts, *(helpers or [])]),
        *(x["id"] for x in similar if x.get("kind", "person") == "person"),
    ]
    return ConnectView(
        pilot_id=pilot_id,
        pilot_name=group["pilot_name"],
        workgroup_id=workgroup_id,
        workgroup_name=group["name"],
        focus=focus,
        focus_source=source,
        members=group["members"],
        members_in_network=len(members),
        connections=[Connection(**r) for r in connections],
        experts=[Expert(**r) for r in experts],
        similar=[SimilarChallenge(**r) for r in similar],
        help_text=asked,
        helpers=[Expert(**r) for r in spread(helpers, SUGGESTIONS)]
        if helpers is not None
        else None,
        method=method,
        matching=search.method,
        matching_note=matching_for(search.method).note,
        per_unit=PER_UNIT,
        who=people_of(settings, account, named, "connect.open", subject),
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
    (or its pilot's opportunity). Who is suggested and what the reasons say are as on
    the pages: nobody who opted out, and the details for admins only.
    """
    if (person is None) == (workgroup is None):
        raise ConfigError("give either --person ID or --workgroup ID")
    if person is not None:
        require(account, "network.suggest", Subject(person_id=person))
    network = workspace_network(settings, account=account)
    _command_loads_model()
    search = search_for(settings, account, network)
    profiles = search.profiles
    if person is not None:
        if person != account.person_id:  # someone else's: person-level, recorded
            audit.viewed(settings, account, "network.suggest", f"suggestions for {person}")
        mine = suggest_connections(
            network.analysis,
            person=person,
            about=about if profiles is not None else None,
            profiles=profiles,
            limit=limit,
            method="auto",
            index=search.index,
            exclude=search.skip,
        )
        return mine if search.details else member_connections(mine, workgroup=False)
    assert workgroup is not None
    with db.transaction(store(settings)) as session:
        row = coaching.get_workgroup(session, workgroup)
        if row is None:
            raise NotFound(f"no workgroup {workgroup}")
        pilot_id = row.pilot_id
    group = _workgroup(settings, account, pilot_id, workgroup)
    require(account, "connect.open", Subject.workgroup(group["coach_id"], group["members"]))
    text = (about or "").strip() or (group["focus"] or "").strip() or group["opportunity"]
    known = set(network.analysis.people["person_id"])
    members = [m for m in group["members"] if m in known]
    if not members:
        raise ConfigError(f"workgroup {workgroup} has no member in the network yet")
    found = suggest_connections(
        network.analysis,
        members=members,
        about=(text or None) if profiles is not None else None,
        profiles=profiles,
        limit=limit,
        method="auto",
        index=search.index,
        exclude=search.skip,
    )
    return found if search.details else member_connections(found, workgroup=True)


def _command_loads_model() -> None:
    """A command (no server's workers) may wait for the sentence model; a page never."""
    if not in_background():
        warm_model()


def experts(
    settings: Settings, account: Account, text: str, *, limit: int = SUGGESTIONS
) -> Suggestions:
    """Who can help with ``text``, across the organization (``smartmoves network experts``;
    the Connect page asks the same for one workgroup). Nobody who opted out."""
    require(account, "network.people")
    network = workspace_network(settings, account=account)
    _command_loads_model()
    profiles = profiles_of(network)
    if profiles is None:
        raise ConfigError("no topics, skills, activities or applications to search yet")
    audit.viewed(settings, account, "network.people", f"experts for {text.strip()[:80]!r}")
    return find_experts(
        profiles,
        text,
        people=network.people[["person_id", "unit_id"]],
        limit=limit,
        method="auto",
        index=profiles_index(network, encoder_for(settings, network, account)),
        exclude=opted_out(settings),
    )
