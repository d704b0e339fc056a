"""Whom to meet (weak, cross-silo ties) and who faces a similar challenge.

Every suggestion carries ``why``: the path through the network that makes it a weak,
cross-silo tie, or the recent topics that match. Both take ``exclude``: people never to
suggest (those who asked not to be).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from smartmoves.engines._common import require_columns
from smartmoves.engines.network._analysis import NetworkAnalysis
from smartmoves.engines.network._experts import (
    Suggestions,
    check_limit,
    explain,
    ranked,
    required_text,
    where_matched,
)
from smartmoves.engines.network._index import Encoder, Method, ProfileIndex, index_for
from smartmoves.engines.network._profiles import topic_profiles
from smartmoves.engines.network._ties import TieGraph, tie_graph
from smartmoves.errors import ConfigError, NotFound

__all__ = ["similar_challenges", "suggest_connections"]


def _graph(network: NetworkAnalysis | pd.DataFrame, people: pd.DataFrame | None) -> TieGraph:
    if isinstance(network, NetworkAnalysis):
        return network.graph
    if people is None:
        raise ConfigError("suggestions from a ties table need the people table too")
    return tie_graph(network, people)


def _group(graph: TieGraph, person: str | None, members: Sequence[str] | None) -> np.ndarray:
    if (person is None) == (members is None):
        raise ConfigError("name either one person or the members of a workgroup")
    wanted = [str(person)] if person is not None else [str(m) for m in members or ()]
    if not wanted:
        raise ConfigError("a workgroup needs at least one member")
    positions = pd.Index(graph.person_ids.astype(str)).get_indexer(wanted)
    if (positions < 0).any():
        unknown = [w for w, p in zip(wanted, positions, strict=True) if p < 0]
        raise NotFound(f"not in the people table: {', '.join(unknown)}")
    return np.unique(positions)


def _excluded(graph: TieGraph, exclude: Iterable[str]) -> np.ndarray:
    """True for the people of the graph not to suggest (ids not in it are ignored)."""
    skip = np.zeros(graph.n, dtype=bool)
    positions = pd.Index(graph.person_ids.astype(str)).get_indexer([str(p) for p in exclude])
    skip[positions[positions >= 0]] = True
    return skip


def _first_contacts(graph: TieGraph, group: np.ndarray) -> tuple[Any, np.ndarray, np.ndarray]:
    """Adjacency, the group's indicator, and its direct contacts (outside the group)."""
    adjacency = graph.adjacency()
    inside = np.zeros(graph.n, dtype=bool)
    inside[group] = True
    contacts = (adjacency @ inside.astype(np.float64) > 0) & ~inside
    return adjacency, inside, contacts


def suggest_connections(
    network: NetworkAnalysis | pd.DataFrame,
    people: pd.DataFrame | None = None,
    *,
    person: str | None = None,
    members: Sequence[str] | None = None,
    about: str | None = None,
    profiles: pd.DataFrame | None = None,
    limit: int = 10,
    method: Method = "tfidf",
    encoder: Encoder | None = None,
    index: ProfileIndex | None = None,
    exclude: Iterable[str] = (),
) -> Suggestions:
    """People two steps away in other units: weak, cross-silo ties worth making.

    Candidates are contacts of the person's (or workgroup's) contacts, not yet tied to
    them, working in a unit none of them is in. With ``profiles`` they are ranked by
    relevance to ``about`` (or, without it, to the group's own profile), then by
    shared contacts; without profiles by shared contacts alone.

    ``index`` is the one :func:`profile_index` built from ``profiles`` (with ``method``),
    to search instead of building it again (the answer is the same); it needs the
    ``profiles`` too.

    ``exclude`` names people never to suggest; they still count as contacts in between
    (a path through them is a path all the same).

    Returns
    -------
    Suggestions
        ``rank, person_id, unit_id, score, shared_contacts, via, matched, matched_in,
        why``; ``matched_in`` maps each matched word to the profile fields holding it.

    Raises
    ------
    NotFound
        A person or member is not in the people table.
    ConfigError
        Neither or both of ``person`` and ``members``; ``about`` or ``index`` without
        ``profiles``; an ``index`` built from other profiles or with another method.

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": list("abcd"), "unit_id": ["u1", "u1", "u2", "u3"]})
    >>> ties = pd.DataFrame({"person_a": ["a", "b", "b"], "person_b": ["b", "c", "d"],
    ...                      "weight": 1.0})
    >>> found = suggest_connections(ties, people, person="a")
    >>> found.suggestions[["person_id", "shared_contacts", "via"]]
      person_id  shared_contacts  via
    0         c                1  [b]
    1         d                1  [b]
    >>> print(found.suggestions["why"].iloc[0])
    two steps away through b; works in u2, outside your unit
    >>> found = suggest_connections(ties, people, person="a", exclude=["c"])
    >>> found.suggestions["person_id"].tolist()
    ['d']
    """
    check_limit(limit)
    if about is not None and profiles is None:
        raise ConfigError("ranking by relevance to a text needs profiles")
    if index is not None and profiles is None:
        raise ConfigError("an index goes with the profiles it was built from")
    graph = _graph(network, people)
    group = _group(graph, person, members)
    adjacency, inside, contacts = _first_contacts(graph, group)
    shared = np.asarray(adjacency @ contacts.astype(np.float64)).ravel().astype(np.int64)
    own_units = np.zeros(len(graph.unit_ids), dtype=bool)
    own_units[graph.unit_of[group]] = True
    candidate = (shared > 0) & ~inside & ~contacts & ~own_units[graph.unit_of]
    candidate &= ~_excluded(graph, exclude)
    positions = np.flatnonzero(candidate)
    relevance = np.zeros(len(positions))
    focus: Any = about
    used = "network"
    if profiles is not None:
        index = index_for(profiles, index=index, method=method, encoder=encoder)
        used = index.method
        where = np.array(
            [index.position(p) for p in graph.person_ids[positions].astype(str)], dtype=np.int64
        )
        if about is not None:
            by_owner = index.scores(required_text(about, "about"))
        else:
            mine = [index.position(p) for p in graph.person_ids[group].astype(str)]
            mine = [m for m in mine if m >= 0]
            focus = index.pooled(mine) if mine else None
            by_owner = (
                index.similarity_to(focus) if focus is not None else np.zeros(len(index.owners))
            )
        hit = where >= 0
        relevance[hit] = by_owner[where[hit]]
    frame = pd.DataFrame(
        {
            "person_id": graph.person_ids[positions].astype(str),
            "unit_id": graph.unit_ids[graph.unit_of[positions]].astype(str),
            "score": relevance if profiles is not None else np.nan,
            "shared_contacts": shared[positions],
            "at": positions,
        }
    )
    frame = ranked(frame, ["score", "shared_contacts", "person_id"], [False, False, True], limit)
    offsets, neighbors = adjacency.indptr, adjacency.indices
    outside = "outside your unit" if person is not None else "outside the workgroup's units"
    via, matched, matched_in, why = [], [], [], []
    rows = zip(
        frame["at"].to_numpy(np.int64),
        frame["person_id"].astype(str),
        frame["unit_id"].astype(str),
        frame["shared_contacts"].to_numpy(np.int64),
        strict=True,
    )
    for at, person_id, unit_id, n_shared in rows:
        mutual = neighbors[offsets[at] : offsets[at + 1]]
        names = sorted(graph.person_ids[mutual[contacts[mutual]]].astype(str))[:3]
        words: list[tuple[str, list[str]]] = []
        if index is not None and focus is not None and index.position(person_id) >= 0:
            words = index.matches(index.position(person_id), focus)
        reason = f"two steps away through {', '.join(names)}"
        if n_shared > 1:
            reason += f" ({n_shared} shared contacts)"
        reason += f"; works in {unit_id}, {outside}"
        if words:
            reason += "; " + explain(words)
        via.append(names)
        matched.append([w for w, _ in words])
        matched_in.append(where_matched(words))
        why.append(reason)
    frame = frame.drop(columns="at")
    frame["via"], frame["matched"], frame["matched_in"] = via, matched, matched_in
    frame["why"] = why
    asked = {"person": person, "members": list(members) if members else None, "about": about}
    return Suggestions("connections", asked, used, frame)


def similar_challenges(
    topics: pd.DataFrame,
    problem: str,
    *,
    members: Sequence[str],
    network: NetworkAnalysis | pd.DataFrame,
    people: pd.DataFrame | None = None,
    workgroups: pd.DataFrame | None = None,
    limit: int = 10,
    min_score: float = 0.05,
    method: Method = "tfidf",
    encoder: Encoder | None = None,
    index: ProfileIndex | None = None,
    exclude: Iterable[str] = (),
) -> Suggestions:
    """People and workgroups whose recent topics match a workgroup's problem, not yet tied.

    A nudge: they may face the same challenge. Pass the topics of a recent window
    (``person_topics(..., since=...)``).

    Parameters
    ----------
    topics
        ``person_id, topic, events`` of the recent window.
    problem
        The workgroup's problem or powerful question.
    members
        The workgroup's members.
    network, people
        The ties (a :class:`NetworkAnalysis`, or a ties table with the people table).
    workgroups
        Optional ``workgroup_id, person_id`` rows: other workgroups to consider.
    min_score
        Matches below this similarity are not suggested.
    index
        The index :func:`profile_index` built (with ``method``) from
        ``topic_profiles(topics, people=<the network's person ids>)``, to search instead
        of building it again: the answer is the same.
    exclude
        People never to suggest: neither named nor counted in a workgroup's topics (a
        workgroup of none but them is not suggested).

    Returns
    -------
    Suggestions
        ``rank, kind (person|workgroup), id, unit_id, score, matched, why``.

    Raises
    ------
    ConfigError
        An empty ``problem``, no ``members``, a ties table without ``people``; an
        ``index`` built from other rows or with another method.
    NotFound
        A member is not in the people table.

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": list("abcd"), "unit_id": ["u1", "u1", "u2", "u3"]})
    >>> ties = pd.DataFrame({"person_a": ["a"], "person_b": ["b"], "weight": 1.0})
    >>> topics = pd.DataFrame({"person_id": ["b", "c", "d"], "events": [5, 3, 2],
    ...                        "topic": ["churn", "customer churn", "payroll"]})
    >>> found = similar_challenges(topics, "why do customers churn?", members=["a"],
    ...                            network=ties, people=people)
    >>> found.suggestions[["kind", "id", "matched"]]
         kind id            matched
    0  person  c  [customer, churn]
    >>> print(found.suggestions["why"].iloc[0])
    recent topics match the problem: 'customer', 'churn'; no tie with the workgroup yet

    With an index built once for several workgroups' questions:

    >>> from smartmoves.engines.network import profile_index, topic_profiles
    >>> index = profile_index(topic_profiles(topics, people=people["person_id"]))
    >>> similar_challenges(topics, "why do customers churn?", members=["a"], network=ties,
    ...                    people=people, index=index).suggestions["id"].tolist()
    ['c']
    >>> similar_challenges(topics, "why do customers churn?", members=["a"], network=ties,
    ...                    people=people, exclude=["c"]).suggestions.empty
    True
    """
    check_limit(limit)
    if not 0 <= min_score <= 1:
        raise ConfigError(f"min_score must be within 0..1 (a cosine similarity), not {min_score}")
    text = required_text(problem, "problem")
    require_columns(topics, ["person_id", "topic", "events"], what="topics")
    graph = _graph(network, people)
    group = _group(graph, None, members)
    _, inside, contacts = _first_contacts(graph, group)
    ids = graph.person_ids.astype(str)
    profiles = topic_profiles(topics, people=ids)
    index = index_for(profiles, index=index, method=method, encoder=encoder)
    scores = index.scores(text)
    busy = inside | contacts
    skip = _excluded(graph, exclude)
    person_at = pd.Index(ids).get_indexer(index.owners)
    owners = zip(index.owners, person_at, scores, strict=True)
    found: list[tuple[Any, ...]] = [
        ("person", str(owner), str(graph.unit_ids[graph.unit_of[at]]), score, position)
        for position, (owner, at, score) in enumerate(owners)
        if at >= 0 and not busy[at] and not skip[at] and score >= min_score
    ]
    described: dict[str, tuple[float, list[str]]] = {}
    if workgroups is not None:
        require_columns(workgroups, ["workgroup_id", "person_id"], what="workgroups")
        skipped = set(graph.person_ids[skip].astype(str))
        speaking = workgroups[~workgroups["person_id"].astype(str).isin(skipped)]
        described = _similar_workgroups(speaking, index, graph, busy, text, min_score)
        found += [("workgroup", w, None, score, -1) for w, (score, _) in described.items()]
    frame = pd.DataFrame(found, columns=["kind", "id", "unit_id", "score", "at"])
    frame = ranked(frame, ["score", "kind", "id"], [False, True, True], limit)
    # Thousands of people may pass min_score: their matched words are worked out for the
    # ones kept only, against the problem's vector worked out once.
    query = index.query_vector(text)
    matched, why = [], []
    for kind, name, at in zip(frame["kind"], frame["id"], frame["at"], strict=True):
        if kind == "person":
            terms = index.matched_terms(index.document(int(at)), query)
            reason = "recent topics match the problem: {}; no tie with the workgroup yet"
        else:
            terms = described[name][1]
            reason = (
                "its members' recent topics match the problem: {}; "
                "no tie between the two workgroups yet"
            )
        matched.append(terms)
        why.append(reason.format(_quoted(terms)))
    frame = frame.drop(columns="at")
    frame["matched"], frame["why"] = matched, why
    asked = {"problem": text, "members": [str(m) for m in members]}
    return Suggestions("similar", asked, index.method, frame)


def _quoted(terms: list[str]) -> str:
    return ", ".join(f"'{t}'" for t in terms) if terms else "close in meaning (embeddings)"


def _similar_workgroups(
    workgroups: pd.DataFrame,
    index: ProfileIndex,
    graph: TieGraph,
    busy: np.ndarray,
    text: str,
    min_score: float,
) -> dict[str, tuple[float, list[str]]]:
    """The other workgroups close enough to ``text``: their score and matched words."""
    require_columns(workgroups, ["workgroup_id", "person_id"], what="workgroups")
    at = pd.Index(graph.person_ids.astype(str)).get_indexer(workgroups["person_id"].astype(str))
    groups = workgroups.assign(_at=at)
    found = {}
    for workgroup, rows in groups.groupby(groups["workgroup_id"].astype(str), sort=True):
        positions = rows["_at"].to_numpy()
        # Any shared member or tie means they already know each other.
        if (positions >= 0).any() and busy[positions[positions >= 0]].any():
            continue
        owned = [index.position(p) for p in rows["person_id"].astype(str)]
        owned = [o for o in owned if o >= 0]
        score = float(index.group_scores([owned], text)[0]) if owned else 0.0
        if score >= min_score:
            found[str(workgroup)] = (score, index.matched_terms(index.pooled(owned), text))
    return found
