"""Recognize the opportunity: the champion, checked against the seeds
(``engines/entry/_catalyst.py: judge_champion``): at C-level, convinced, committed to
communicate and to give air cover, with an area they control or influence (a unit and
everything below it), and a vision that names near-term benefits for the frontline.

The organization has one champion; admins set it (``champion.set``), and whoever may read
the catalysts reads it. The person and the area must be the organization's own.
"""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field

from smartmoves.data.store import db
from smartmoves.data.store import recognize as stored
from smartmoves.data.store.models import Champion
from smartmoves.engines.entry import judge_champion
from smartmoves.errors import ConfigError, Conflict
from smartmoves.pathway import audit
from smartmoves.pathway._store import store
from smartmoves.pathway._views import UtcTime, View
from smartmoves.pathway.policy import Account, may, require
from smartmoves.pathway.recognize.catalysts import ANSWERS, Choice
from smartmoves.settings import Settings

__all__ = [
    "LEVELS",
    "ChampionIn",
    "ChampionPage",
    "ChampionView",
    "area_units",
    "set_champion",
    "show_champion",
]

LEVELS = {
    "c_level": "C-level (a chief officer)",
    "executive": "Executive below C-level",
    "senior_manager": "Senior manager",
    "manager": "Manager",
    "other": "Other",
}
MAX_VISION = 4000


class ChampionIn(View):
    """The champion as a form or a client sends it; also the body of the API."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    person_id: str = Field(default="", description="The champion: a person_id of the organization.")
    level: str = Field(
        default="", description="One of: " + ", ".join(LEVELS) + " (blank: not known)."
    )
    conviction: str = Field(
        default="unsure",
        description="Convinced that redefining work is the answer: yes, no or unsure.",
    )
    communicates: str = Field(
        default="unsure", description="Commits to communicate: yes, no or unsure."
    )
    air_cover: str = Field(
        default="unsure", description="Commits to give air cover: yes, no or unsure."
    )
    unit_id: str = Field(
        default="", description="The area they control or influence: a unit (and all below it)."
    )
    vision: str = Field(default="", description="The vision statement the frontline will hear.")


class ChampionView(View):
    person_id: str
    name: str  # the person's name, or their id when the data has none
    role: str | None
    level: str | None
    level_label: str | None
    conviction: str  # yes, no or unsure
    communicates: str
    air_cover: str
    unit_id: str | None
    unit_name: str | None
    area_units: int  # units in the area: the unit and all below it
    vision: str
    ready: bool
    warnings: list[str]
    vision_names: dict[str, list[str]]  # what the vision names, part by part
    version: int  # what a new setting is based on
    set_by: str
    set_at: UtcTime


class ChampionPage(View):
    champion: ChampionView | None
    levels: list[Choice]
    answers: list[str]
    units: list[Choice]  # the areas a champion may be given (unit id and name)
    can_set: bool


def _word(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "unsure")  # type: ignore[arg-type]


def _truth(answer: str, name: str) -> bool | None:
    value = (answer or "unsure").strip().lower()
    if value not in ANSWERS:
        raise ConfigError(f"{name} is yes, no or unsure (got {value!r})")
    return {"yes": True, "no": False}.get(value)


def area_units(tree: list[tuple[str, str, str | None]], unit_id: str | None) -> set[str]:
    """The units of the area ``unit_id`` heads: it and every unit below it (none when
    the unit is not the organization's)."""
    if unit_id is None or unit_id not in {u for u, _, _ in tree}:
        return set()
    children: dict[str | None, list[str]] = {}
    for u, _, parent in tree:
        children.setdefault(parent, []).append(u)
    seen, queue = {unit_id}, [unit_id]
    while queue:
        for child in children.get(queue.pop(), []):
            if child not in seen:  # a cycle cannot pass import validation; be safe anyway
                seen.add(child)
                queue.append(child)
    return seen


def _area(tree: list[tuple[str, str, str | None]], unit_id: str | None) -> tuple[str | None, int]:
    """The name of ``unit_id`` and how many units its area holds (it and all below)."""
    names = {u: n for u, n, _ in tree}
    if unit_id is None or unit_id not in names:
        return None, 0
    return names[unit_id], len(area_units(tree, unit_id))


def _view(session: Any, row: Champion, tree: list[tuple[str, str, str | None]]) -> ChampionView:
    person = stored.person(session, row.person_id)
    unit_name, area_units = _area(tree, row.unit_id)
    verdict = judge_champion(
        c_level=None if row.level is None else row.level == "c_level",
        conviction=row.conviction,
        communicates=row.communicates,
        air_cover=row.air_cover,
        area_unit_id=row.unit_id,
        vision=row.vision,
    )
    return ChampionView(
        person_id=row.person_id,
        name=(person.name if person is not None and person.name else row.person_id),
        role=person.role if person is not None else None,
        level=row.level,
        level_label=LEVELS.get(row.level) if row.level else None,
        conviction=_word(row.conviction),
        communicates=_word(row.communicates),
        air_cover=_word(row.air_cover),
        unit_id=row.unit_id,
        unit_name=unit_name,
        area_units=area_units,
        vision=row.vision,
        ready=verdict.ready,
        warnings=list(verdict.warnings),
        vision_names={k: list(v) for k, v in verdict.vision_names.items()},
        version=row.version,
        set_by=row.set_by,
        set_at=row.set_at,
    )


def _page(session: Any, account: Account) -> ChampionPage:
    row = stored.champion(session)
    tree = stored.unit_tree(session)
    return ChampionPage(
        champion=None if row is None else _view(session, row, tree),
        levels=[Choice(key=k, label=v) for k, v in LEVELS.items()],
        answers=list(ANSWERS),
        units=[Choice(key=u, label=n) for u, n, _ in tree],
        can_set=may(account, "champion.set"),
    )


def show_champion(settings: Settings, account: Account) -> ChampionPage:
    """The champion (``None`` when none is set yet) with the seeds' warnings."""
    require(account, "catalysts.read")
    with db.transaction(store(settings)) as session:
        return _page(session, account)


def _clean(body: ChampionIn) -> dict[str, Any]:
    """The values to store, checked without the store; one clear line otherwise."""
    person_id = body.person_id.strip()
    if not person_id:
        raise ConfigError("a champion is a person: give their person_id")
    level = body.level.strip().lower() or None
    if level is not None and level not in LEVELS:
        raise ConfigError(f"the champion's level is one of {', '.join(LEVELS)} (got {level!r})")
    vision = body.vision.strip()
    if len(vision) > MAX_VISION:
        raise ConfigError(f"the vision statement is longer than {MAX_VISION} characters")
    return {
        "person_id": person_id,
        "level": level,
        "conviction": _truth(body.conviction, "conviction"),
        "communicates": _truth(body.communicates, "communicates"),
        "air_cover": _truth(body.air_cover, "air_cover"),
        "unit_id": body.unit_id.strip() or None,
        "vision": vision,
    }


def set_champion(
    settings: Settings, account: Account, body: ChampionIn, *, base_version: int | None = None
) -> ChampionPage:
    """Set the organization's champion (replacing the one before).

    ``base_version`` is the champion's version the form was read from (0: none yet);
    when someone set it meanwhile, this is refused. ``None`` sets it whatever is there.

    Raises
    ------
    Forbidden
        Only admins set the champion.
    ConfigError
        No such person or unit, an unknown level, an answer other than yes/no/unsure,
        or a vision longer than 4,000 characters.
    Conflict
        Someone set the champion since ``base_version``.
    """
    require(account, "champion.set")
    values = _clean(body)
    with db.transaction(store(settings)) as session:
        if stored.person(session, values["person_id"]) is None:
            raise ConfigError(f"no person {values['person_id']!r} in the organization")
        if values["unit_id"] and stored.unit(session, values["unit_id"]) is None:
            raise ConfigError(
                f"no unit {values['unit_id']!r}: the champion's area is a unit of the "
                "organization (and everything below it)"
            )
        db.hold_name(session, "champion")  # two settings at once: the second sees the first
        row = stored.champion(session)
        latest = 0 if row is None else row.version
        if base_version is not None and base_version != latest:
            raise Conflict(
                f"someone set the champion meanwhile (version {latest}, by "
                f"{row.set_by if row else '-'}; you started from version {base_version}): "
                "nothing was overwritten. Read it again, then set it"
            )
        if row is not None and all(getattr(row, k) == v for k, v in values.items()):
            return _page(session, account)
        row = stored.put_champion(session, values, account.email)
        audit.record(session, account, "set champion", row.person_id, version=row.version)
        return _page(session, account)
