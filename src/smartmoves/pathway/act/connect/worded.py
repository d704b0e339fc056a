"""Suggestions as a page lists them: a reason in plain words, one line each; each person
in one list; several units in a list.

- **Reasons** say what the person suggested does (the phrase of theirs that answers the
  focus best: "works on payment plans", "knows SQL", "applied to work on ..."), in which
  unit, and for an admin how many colleagues they have in common: "works on payment
  plans in Payments; 3 colleagues in common". A member's reason quotes only what the
  person chose to share (:mod:`.reasons`), and is searched in nothing else.
- **One list each**: someone who would be in two lists stays in the first (people to
  meet, then who can help, then who faces a similar challenge), and their reason says
  the other ("; can help with the focus too").
- **Several units**: at most :data:`PER_UNIT` people of a unit before the rest of them
  (:func:`smartmoves.engines.network.diversified`); the page says so.
"""

from __future__ import annotations

from typing import Any

from smartmoves.data.store import aggregates, db
from smartmoves.engines.network import PER_UNIT, ProfileIndex, diversified
from smartmoves.pathway._store import store
from smartmoves.pathway.act.connect.reasons import does, plain
from smartmoves.settings import Settings

__all__ = ["PER_UNIT", "one_list_each", "spread", "unit_names", "worded"]

ALSO_HELPS = "can help with the focus too"
ALSO_SIMILAR = "faces a similar challenge too"


def unit_names(settings: Settings) -> dict[str, str]:
    with db.reading(store(settings)) as session:
        return {str(u["unit_id"]): str(u["name"]) for u in aggregates.units(session)}


def worded(
    rows: list[dict[str, Any]],
    *,
    details: bool,
    index: ProfileIndex | None,
    focus: str | None,
    names: dict[str, str],
    outside: str = "",
    colleagues: bool = False,
) -> list[dict[str, Any]]:
    """``rows`` (``person_id``, or ``kind``/``id``, and ``unit_id``) with ``why`` in plain
    words; ``colleagues``: say the shared contacts (admins' whom to meet)."""
    scores = index.phrase_scores(focus) if index is not None and focus else None
    said = []
    for row in rows:
        person = row.get("person_id") or (row.get("id") if row.get("kind") == "person" else None)
        if person is None:  # a workgroup: its own reason
            said.append(row)
            continue
        doing = None
        if scores is not None and index is not None and index.position(str(person)) >= 0:
            found = index.closest(index.position(str(person)), scores)
            doing = does(*found, details=details) if found else None
        unit = row.get("unit_id") or ""
        count = row.get("shared_contacts") if colleagues and details else None
        if doing is None and not details:  # a member's reason, as :mod:`.reasons` words it
            named = str(row["why"]).replace(
                f"works in {unit}", f"works in {names.get(unit, unit)}", 1
            )
            said.append({**row, "why": named})
            continue
        why = plain(names.get(unit, unit), doing=doing, colleagues=count, outside=outside)
        if doing is None and row.get("matched"):
            why += "; " + ", ".join(f"'{w}'" for w in row["matched"]) + " in their profile"
        said.append({**row, "why": why})
    return said


def spread(rows: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """At most :data:`PER_UNIT` of a unit first, re-ranked 1.. in the order shown."""
    kept = [rows[i] for i in diversified([r.get("unit_id") or r.get("id") for r in rows], limit)]
    return [{**row, "rank": rank} for rank, row in enumerate(kept, start=1)]


def _ids(rows: list[dict[str, Any]]) -> set[str]:
    return {
        str(r.get("person_id") or r.get("id")) for r in rows if r.get("kind", "person") == "person"
    }


def _also(rows: list[dict[str, Any]], others: set[str], note: str) -> list[dict[str, Any]]:
    return [
        {**r, "why": f"{r['why']}; {note}"}
        if str(r.get("person_id") or r.get("id")) in others
        else r
        for r in rows
    ]


def one_list_each(
    connections: list[dict[str, Any]],
    experts: list[dict[str, Any]],
    similar: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Each person in the first list they are in, their reason naming the others.

    >>> met, helping, facing = one_list_each(
    ...     [{"person_id": "a", "why": "x"}],
    ...     [{"person_id": "a", "why": "y"}, {"person_id": "b", "why": "z"}],
    ...     [{"kind": "person", "id": "b", "why": "w"}])
    >>> [r["why"] for r in met], [r["why"] for r in helping], facing
    (['x; can help with the focus too'], ['z; faces a similar challenge too'], [])
    """
    helping, facing = _ids(experts), _ids(similar)
    connections = _also(_also(connections, helping, ALSO_HELPS), facing, ALSO_SIMILAR)
    met = _ids(connections)
    experts = _also([r for r in experts if str(r["person_id"]) not in met], facing, ALSO_SIMILAR)
    listed = met | _ids(experts)
    similar = [r for r in similar if r.get("kind") != "person" or str(r["id"]) not in listed]
    return connections, experts, similar
