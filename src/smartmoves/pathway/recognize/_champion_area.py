""" "Inside the champion's area", from the champion as stored (``champion.py``).

The champion gives air cover only where they control or influence the work: the unit
they were given and everything below it. So a stored area decides whether a unit is
inside, ahead of the units' ``champion_influence`` column (kept for workspaces imported
before the champion was stored). Inside, a unit assessment's ``champion_influence`` still
says how strongly (high, medium, low); without one, inside counts as high. Outside, the
champion has no hold on the work, so it counts as low whatever was assessed: an
assessment is a judgement of strength, the area a fact the admin recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from smartmoves.data.store import recognize as stored
from smartmoves.pathway.recognize.champion import area_units

__all__ = ["ChampionArea", "champion_area", "champion_version"]


@dataclass(frozen=True)
class ChampionArea:
    """The stored champion's area: who they are (name, else id), its head unit and its
    units."""

    who: str
    unit_id: str
    units: frozenset[str]

    def influence(self, unit_id: str, assessed: Mapping[str, Any] | None) -> tuple[str, str]:
        """The champion's influence on ``unit_id`` and where it comes from."""
        where = f"the champion ({self.who}), area {self.unit_id}"
        if unit_id not in self.units:
            return "low", f"{where}: outside it"
        strength = None if assessed is None else assessed.get("champion_influence")
        if strength is None:
            return "high", f"{where}: inside it"
        return str(strength), f"{where}: inside it; how strongly: unit_assessments"


def champion_area(session: Session) -> ChampionArea | None:
    """The champion's area, or ``None`` when no champion or no area is stored (then the
    units' column and the assessments decide, as before)."""
    row = stored.champion(session)
    if row is None or row.unit_id is None:
        return None
    units = area_units(stored.unit_tree(session), row.unit_id)
    if not units:
        return None  # the area's unit is gone since (a new import): nothing to go by
    person = stored.person(session, row.person_id)
    who = person.name if person is not None and person.name else row.person_id
    return ChampionArea(who, row.unit_id, frozenset(units))


def champion_version(session: Session) -> int:
    """What changes whenever the champion is set: its version (0 before any)."""
    row = stored.champion(session)
    return 0 if row is None else int(row.version)
