"""Why a suggestion, in words its reader may read.

Admins (the policy's ``network.suggestion_details``) read the engines' own reasons: the
contacts a suggestion passes through, how many contacts are shared, the words matched in
anyone's interaction topics or activities. That is other people's data: who works with
whom, what they talk about, what they spend their hours on.

Everyone else reads who to meet and why in words that tell none of it: the unit the
person suggested works in, and the words that matched in what that person chose to share
(the skills they declared, the application they wrote). A member's suggestions are
searched in those fields alone (``suggestions.shared_index``), so the words are the
reason and not a cover for another one.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from smartmoves.engines.network import Suggestions

__all__ = [
    "SHARED_FIELDS",
    "connection",
    "expert",
    "member_connection",
    "member_connections",
    "member_expert",
    "shared_only",
    "shared_profiles",
]

# What a person chose to share, of the fields of a profile: their own declared skills and
# the application they sent. Interaction topics and activities are others' records of them.
SHARED_FIELDS = ("skills", "applications")
_THEIR = {"skills": "their skills", "applications": "their application"}


def shared_profiles(profiles: pd.DataFrame | None) -> pd.DataFrame | None:
    """The rows of ``profiles`` a person chose to share (``None`` when there are none).

    >>> rows = pd.DataFrame({"person_id": ["a", "a"], "field": ["topics", "skills"],
    ...                      "text": ["payroll", "SQL"], "weight": [3.0, 1.0]})
    >>> shared_profiles(rows)["text"].tolist()
    ['SQL']
    """
    if profiles is None:
        return None
    kept = profiles[profiles["field"].isin(SHARED_FIELDS)].reset_index(drop=True)
    return kept if not kept.empty else None


def shared_only(matched_in: dict[str, list[str]] | None) -> dict[str, list[str]]:
    """The matched words found in shared fields, with those fields only.

    >>> shared_only({"invoice": ["topics", "applications"], "churn": ["topics"]})
    {'invoice': ['applications']}
    """
    kept = {}
    for term, fields in (matched_in or {}).items():
        shared = [f for f in fields if f in SHARED_FIELDS]
        if shared:
            kept[term] = shared
    return kept


def _said(matched_in: dict[str, list[str]]) -> str:
    """The words, grouped by where they are: "'a', 'b' in their application"."""
    by_place: dict[tuple[str, ...], list[str]] = {}
    for term, fields in matched_in.items():
        by_place.setdefault(tuple(fields), []).append(f"'{term}'")
    parts = [
        f"{', '.join(terms)} in {' and '.join(_THEIR[f] for f in fields)}"
        for fields, terms in by_place.items()
    ]
    return "; ".join(parts)


def connection(unit_id: str, matched_in: dict[str, list[str]] | None, *, workgroup: bool) -> str:
    """Why meet someone two steps away, naming no one in between and counting no one.

    >>> connection("AR", {"invoice": ["applications"]}, workgroup=True)
    "works in AR, outside the workgroup's units; 'invoice' in their application"
    >>> connection("AR", {"churn": ["topics"]}, workgroup=False)
    'works in AR, outside your unit'
    """
    outside = "outside the workgroup's units" if workgroup else "outside your unit"
    words = f"works in {unit_id}, {outside}"
    shared = shared_only(matched_in)
    return f"{words}; {_said(shared)}" if shared else words


def expert(matched_in: dict[str, list[str]] | None) -> str:
    """Why someone can help: the words of the request in what they chose to share.

    >>> expert({"invoice": ["skills", "applications"]})
    "'invoice' in their skills and their application"
    >>> expert({})
    'close in meaning to the request, in what they chose to share'
    """
    shared = shared_only(matched_in)
    return (
        _said(shared) if shared else "close in meaning to the request, in what they chose to share"
    )


def member_connection(row: dict[str, Any], *, workgroup: bool) -> dict[str, Any]:
    """A whom-to-meet row as a member may read it: no contact in between, no count."""
    shared = shared_only(row.get("matched_in"))
    return {
        **row,
        "shared_contacts": None,
        "via": None,
        "matched": list(shared),
        "matched_in": shared,
        "why": connection(str(row["unit_id"]), shared, workgroup=workgroup),
    }


def member_expert(row: dict[str, Any]) -> dict[str, Any]:
    """A who-can-help row as a member may read it."""
    shared = shared_only(row.get("matched_in"))
    return {**row, "matched": list(shared), "matched_in": shared, "why": expert(shared)}


def member_connections(found: Suggestions, *, workgroup: bool) -> Suggestions:
    """Whom to meet as a member may read it (the command line's and the API's answer)."""
    rows = [
        member_connection(row, workgroup=workgroup)
        for row in found.suggestions.to_dict(orient="records")
    ]
    frame = pd.DataFrame(rows, columns=found.suggestions.columns)
    return Suggestions(found.kind, found.query, found.method, frame)


# ---------------------------------------------------------------- in plain words
# One line a person reads: what the person suggested does (the phrase of theirs that
# answers best, :meth:`ProfileIndex.closest`), where, and for an admin how many
# colleagues they have in common. What each field's phrase says of its owner:
_DOES = {
    "activities": "works on {}",
    "topics": "talks about {}",
    "skills": "knows {}",
    "applications": "applied to work on “{}”",
}
# The order a phrase held in several fields is said in: what they chose to share first.
_FIELD_ORDER = ("skills", "applications", "activities", "topics")


def _short(text: str, most: int = 70) -> str:
    """A phrase short enough for one line: an application's first sentence, cut.

    >>> _short("Disputes take weeks. I can help.")
    'Disputes take weeks'
    """
    first = text.strip().split(". ")[0].rstrip(".")
    return first if len(first) <= most else first[: most - 1].rstrip() + "…"


def does(phrase: str, fields: list[str], *, details: bool) -> str | None:
    """What a phrase says its owner does, from a field the reader may read (or ``None``).

    >>> does("Payment plans", ["activities"], details=True)
    'works on payment plans'
    >>> does("Payment plans", ["activities"], details=False) is None
    True
    >>> does("SQL", ["topics", "skills"], details=False)
    'knows SQL'
    """
    readable = [f for f in _FIELD_ORDER if f in fields and (details or f in SHARED_FIELDS)]
    if not readable:
        return None
    field = readable[0]
    text = _short(phrase)
    if field in ("activities", "topics") and text[:1].isupper() and not text[1:2].isupper():
        text = text[:1].lower() + text[1:]  # inside a sentence, not an acronym
    return _DOES[field].format(text)


def plain(
    unit: str, *, doing: str | None = None, colleagues: int | None = None, outside: str = ""
) -> str:
    """One line: what they do, in which unit, and the colleagues in common.

    >>> plain("Payments", doing="works on payment plans", colleagues=3)
    'works on payment plans in Payments; 3 colleagues in common'
    >>> plain("AR", outside="outside your unit")
    'works in AR, outside your unit'
    """
    line = f"{doing} in {unit}" if doing else f"works in {unit}"
    if outside and not doing:
        line += f", {outside}"
    if colleagues:
        line += f"; {colleagues} colleague{'s' if colleagues > 1 else ''} in common"
    return line
