"""A saved consolidation plan, read in plain words: what a page and the API show.

Person-level lists (who is freed, who receives what) only for readers of person-level
figures (admins); for everyone else counts, hours and load bands, each suppressed when
it covers 1 to ``min_group_size - 1`` people (see ``capacity_scope.too_few``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy.orm import Session

from smartmoves.data.store import capacity, db
from smartmoves.data.store.models import CapacityPlan
from smartmoves.errors import NotFound
from smartmoves.pathway import audit
from smartmoves.pathway._store import pilot_for, store
from smartmoves.pathway._views import UtcTime, View
from smartmoves.pathway.create.capacity.scope import too_few
from smartmoves.pathway.people import People, who_is
from smartmoves.pathway.policy import Account, may, require
from smartmoves.pathway.privacy import Reason, family, groups_with_total, overlapping_with_total
from smartmoves.settings import Settings

__all__ = [
    "LOAD_ALERT",
    "PlanView",
    "SavedPlan",
    "current_plan",
    "current_plan_view",
    "plan_view",
    "read_current_plan",
    "saved_plan",
]

STAGES = {"max_receiver_load": "a lighter load on the receivers", "handoff_count": "fewer handoffs"}
LOAD_ALERT = 0.9  # receivers above this share of their contracted hours are highlighted
# Receivers' load after the plan as a share of contracted hours, in bands a champion reads.
BANDS = ("up to 50%", "50–75%", "75–90%", "above 90%")
CAUSES = {
    "no_receiver": "nobody in the entry point can take over enough of their work",
    "receivers_taken": "could be freed alone, but the freed volunteers took the room",
    "max_pilot": "the pilot's maximum size was reached",
    "time_limit": "the time limit ended the search first",
}


class SavedPlan(View):
    """A computed plan: ``id`` is ``None`` when it was not saved."""

    id: int | None
    pilot_id: int
    status: str
    is_current: bool
    created_at: UtcTime | None
    created_by: str
    parameters: dict[str, Any]
    result: dict[str, Any]


class FreedRow(View):
    person_id: str
    contracted_hours: float
    remaining_hours: float
    freed_share: float
    automated: float
    stopped: float
    handed_off: float


class NotFreedRow(View):
    person_id: str
    cause: str
    reason: str


class HandoffRow(View):
    activity_id: str
    activity_name: str
    from_person: str
    to_person: str
    hours: int


class ReceiverRow(View):
    person_id: str
    contracted_hours: float
    load_before: float
    load_after: float
    load_share_before: float
    load_share_after: float
    above_alert: bool


class CauseCount(View):
    cause: str
    meaning: str
    people: int | None
    suppressed: bool


class ActivityHandoffs(View):
    activity_id: str
    name: str
    hours: int | None
    handoffs: int | None
    receivers: int | None
    suppressed: bool


class LoadBand(View):
    band: str
    before: int | None
    after: int | None
    suppressed: bool


class PlanView(View):
    """A saved plan as a page shows it; person-level lists only for admins."""

    id: int | None
    created_at: UtcTime | None
    created_by: str
    status: str
    summary: str  # the status in plain words
    proof: str  # bound and gap in plain words
    bound: int
    gap: float
    parameters: dict[str, Any]
    volunteers: int | None
    freed_count: int | None
    not_freed_count: int | None
    hours: dict[str, float] | None
    max_receiver_load: float | None
    handoff_count: int | None
    receivers_count: int | None
    above_alert: int | None
    load_alert: float
    reasons: list[str]
    causes: list[CauseCount]
    by_activity: list[ActivityHandoffs]
    load_bands: list[LoadBand]
    freed: list[FreedRow] | None
    not_freed: list[NotFreedRow] | None
    handoffs: list[HandoffRow] | None
    receivers: list[ReceiverRow] | None
    plans: int
    who: People  # who each person of the lists is (admins: the lists are theirs alone)


def saved_plan(row: CapacityPlan) -> SavedPlan:
    """A stored plan row as the use cases return it."""
    return SavedPlan(
        id=row.id,
        pilot_id=row.pilot_id,
        status=row.status,
        is_current=row.is_current,
        created_at=row.created_at,
        created_by=row.created_by,
        parameters=row.parameters,
        result=row.result,
    )


def current_plan(session: Session, pilot_id: int) -> SavedPlan | None:
    """The pilot's current plan, read within the caller's transaction."""
    row = capacity.current_plan(session, pilot_id)
    return None if row is None else saved_plan(row)


def read_current_plan(settings: Settings, pilot_id: int) -> SavedPlan | None:
    """The pilot's current plan as stored, or ``None`` before the first one.

    No interface calls this (they read :func:`current_plan_view`, through the policy):
    it is what the demo builder and the tests check a saved plan with.
    """
    with db.transaction(store(settings)) as session:
        return current_plan(session, pilot_id)


def current_plan_view(settings: Settings, account: Account, pilot_id: int) -> PlanView:
    """The pilot's current plan as a page shows it (see :func:`plan_view`): person-level
    lists for readers of person-level figures (admins), aggregates for the others.

    Raises
    ------
    Forbidden
        An account that may not read capacity (members).
    NotFound
        No such pilot, or no plan yet.
    """
    require(account, "capacity.read")
    person_level = may(account, "capacity.person_level")
    with db.transaction(store(settings)) as session:
        pilot_for(session, account, pilot_id)
        saved = current_plan(session, pilot_id)
        if saved is None:
            raise NotFound(f"pilot {pilot_id} has no plan yet")
        acts = capacity.activities(session)
        names = dict(zip(acts["activity_id"], acts["name"], strict=True))
        plans = capacity.plan_count(session, pilot_id)
        who = plan_people(session, account, saved, person_level=person_level)
    if person_level:
        audit.viewed(settings, account, "capacity.person_level", f"pilot {pilot_id} plan")
    return plan_view(
        saved,
        person_level=person_level,
        min_group_size=settings.min_group_size,
        activity_names=names,
        plans=plans,
        who=who,
    )


def _count(n: int | None, minimum: int) -> str:
    return f"fewer than {minimum}" if n is None else str(n)


def _summary(status: str, freed: str, volunteers: str, min_pilot: Any, *, proven_most: bool) -> str:
    if volunteers == "0":
        return (
            "No volunteers to free: nobody was selected for the pilot, and nobody of the "
            "entry point applied."
        )
    if status == "optimal":
        return (
            f"The best plan there is: it frees {freed} of {volunteers} volunteers, with the "
            "lightest load on the colleagues who take over their work and the fewest "
            "handoffs, all proven."
        )
    if status == "feasible" and proven_most:
        return (
            f"A plan that frees {freed} of {volunteers} volunteers: the most any plan can, proven."
        )
    if status == "feasible":
        return (
            f"A good plan, not proven the best: it frees {freed} of {volunteers} volunteers, "
            "and the time limit ended the search before it could prove no plan frees more."
        )
    if status == "below_min_pilot":
        return (
            f"Only {freed} of {volunteers} volunteers can be freed, fewer than the pilot's "
            f"minimum of {min_pilot}. The reasons below say what stands in the way."
        )
    return (
        f"No volunteer of {volunteers} can be freed with these decisions: nobody in the "
        "entry point can take over enough of their remaining work. The reasons below say "
        "what stands in the way."
    )


def _proof(result: dict[str, Any], freed: int) -> str:
    bound, gap = int(result["bound"]), float(result["gap"])
    stages = result.get("stages") or []
    open_ = [STAGES[s["objective"]] for s in stages[1:] if s.get("status") != "optimal"]
    if bound <= freed:
        text = (
            f"Bound {bound}, gap 0: proven that no plan frees more volunteers than this one."
            if freed
            else "Bound 0: proven that no plan frees any volunteer with these inputs."
        )
        if freed and open_:
            text += (
                f" The time limit ended the search for {' and '.join(open_)}: a longer time "
                "limit may still improve on it."
            )
        return text
    return (
        f"Bound {bound}, gap {gap:.0%}: the search found a plan freeing {freed} and proved "
        f"that no plan frees more than {bound}; a longer time limit could find at most "
        f"{bound - freed} more."
    )


def _band(share: float) -> str:
    if share > LOAD_ALERT:
        return BANDS[3]
    return BANDS[2] if share > 0.75 else BANDS[1] if share > 0.5 else BANDS[0]


def _bands(receivers: list[dict[str, Any]], minimum: int, person_level: bool) -> list[LoadBand]:
    """Receivers per load band, before and after: each column adds up to the receivers
    shown above it, so a band is hidden when the other bands would give it away too."""
    before = Counter(_band(r["load_share_before"]) for r in receivers)
    after = Counter(_band(r["load_share_after"]) for r in receivers)
    hide_before = groups_with_total({b: before[b] for b in BANDS}, minimum)
    hide_after = groups_with_total({b: after[b] for b in BANDS}, minimum)

    # Over too few receivers even the empty bands tell something ("all of them below 50%").
    few = too_few(len(receivers), minimum, person_level=person_level)

    def shown(n: int, reason: Reason) -> int | None:
        return n if person_level or (reason is None and not few) else None

    rows = []
    for band in BANDS:
        was, now = shown(before[band], hide_before[band]), shown(after[band], hide_after[band])
        rows.append(LoadBand(band=band, before=was, after=now, suppressed=None in (was, now)))
    return rows


def _not_freed_causes(
    freed: int, causes: Counter[str], minimum: int, person_level: bool
) -> dict[str, Reason]:
    """Volunteers = freed + not freed, and not freed = the sum of its causes: one family of
    nested groups, decided together (``"freed"`` and ``"not_freed"`` name the two counts)."""
    if person_level:
        return dict.fromkeys(["freed", "not_freed", *causes])
    parent: dict[str, str | None] = {"volunteers": None, "freed": "volunteers"}
    parent["not_freed"] = "volunteers"
    parent |= dict.fromkeys(causes, "not_freed")
    own = {"volunteers": 0, "freed": freed, "not_freed": 0, **causes}
    return family(own, parent, minimum, show_empty=True)


def _handoffs_hidden(
    grouped: dict[str, list[dict[str, Any]]], minimum: int, person_level: bool
) -> set[str]:
    """Activities whose handoffs are hidden: each activity's hours add up to the plan's
    handed-off hours, so the hidden ones together must cover enough givers *and* enough
    receivers. Hiding for one side can make the other side's sum small: settle both."""
    if person_level:
        return set()
    givers = {a: {h["from_person"] for h in rows} for a, rows in grouped.items()}
    takers = {a: {h["to_person"] for h in rows} for a, rows in grouped.items()}
    hidden: set[str] = set()
    while True:
        more = {
            a
            for side in (givers, takers)
            for a, r in overlapping_with_total(side, minimum, hidden=hidden).items()
            if r is not None
        }
        if more <= hidden:
            return hidden
        hidden |= more


def _by_activity(
    handoffs: list[dict[str, Any]], names: dict[str, str], minimum: int, person_level: bool
) -> list[ActivityHandoffs]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for h in handoffs:
        grouped[h["activity_id"]].append(h)
    hidden = _handoffs_hidden(grouped, minimum, person_level)
    out = []
    for a, rows in grouped.items():
        takers = {h["to_person"] for h in rows}
        hide = a in hidden
        out.append(
            ActivityHandoffs(
                activity_id=a,
                name=names.get(a, a),
                hours=None if hide else sum(int(h["hours"]) for h in rows),
                handoffs=None if hide else len(rows),
                receivers=None if hide else len(takers),
                suppressed=hide,
            )
        )
    # Most hours first; suppressed rows last, by name, so their order reveals nothing.
    return sorted(out, key=lambda r: (r.suppressed, -(r.hours or 0), r.name))


def plan_people(
    session: Session, account: Account, saved: SavedPlan | None, *, person_level: bool
) -> People:
    """Who each person a plan's lists name is; nobody where the reader sees no list."""
    if saved is None or not person_level:
        return {}
    result = saved.result
    named = [r["person_id"] for key in ("freed", "not_freed", "receivers") for r in result[key]]
    named += [h[k] for h in result["handoffs"] for k in ("from_person", "to_person")]
    return who_is(session, account, named, "capacity.person_level")


def plan_view(
    saved: SavedPlan,
    *,
    person_level: bool,
    min_group_size: int,
    activity_names: dict[str, str],
    plans: int = 1,
    who: People | None = None,
) -> PlanView:
    """A stored plan for a page: person-level lists only when ``person_level``; every
    aggregate over fewer than ``min_group_size`` people suppressed otherwise."""
    minimum = min_group_size
    result, params = saved.result, saved.parameters
    freed, not_freed = result["freed"], result["not_freed"]
    receivers, handoffs = result["receivers"], result["handoffs"]
    total = len(freed) + len(not_freed)

    def count(n: int) -> int | None:
        return None if too_few(n, minimum, person_level=person_level) else n

    causes = Counter(r["cause"] for r in not_freed)
    hide = _not_freed_causes(len(freed), causes, minimum, person_level)
    shown_total = count(total)
    shown_freed = None if hide["freed"] else count(len(freed))
    shown_not_freed = None if hide["not_freed"] else count(len(not_freed))
    bands = _bands(receivers, minimum, person_level)
    return PlanView(
        id=saved.id,
        created_at=saved.created_at,
        created_by=saved.created_by,
        status=saved.status,
        summary=_summary(
            saved.status,
            _count(shown_freed, minimum),
            _count(shown_total, minimum),
            params.get("min_pilot"),
            proven_most=int(result["bound"]) <= len(freed),
        ),
        proof=_proof(result, len(freed)),
        bound=int(result["bound"]),
        gap=float(result["gap"]),
        parameters={k: v for k, v in params.items() if person_level or k != "volunteers"},
        volunteers=shown_total,
        freed_count=shown_freed,
        not_freed_count=shown_not_freed,
        hours=None if too_few(total, minimum, person_level=person_level) else result["hours"],
        max_receiver_load=None
        if too_few(len(receivers), minimum, person_level=person_level)
        else result["objective"]["max_receiver_load"],
        handoff_count=len(handoffs),
        receivers_count=count(len(receivers)),
        above_alert=next(b.after for b in bands if b.band == BANDS[3]),
        load_alert=LOAD_ALERT,
        reasons=list(result.get("reasons") or []),
        causes=[
            CauseCount(
                cause=c,
                meaning=CAUSES.get(c, c),
                people=None if hide[c] else count(n),
                suppressed=hide[c] is not None or count(n) is None,
            )
            for c, n in causes.most_common()
        ],
        by_activity=_by_activity(handoffs, activity_names, minimum, person_level),
        load_bands=bands,
        freed=[FreedRow(**{k: r[k] for k in FreedRow.model_fields}) for r in freed]
        if person_level
        else None,
        not_freed=[NotFreedRow(**{k: r[k] for k in NotFreedRow.model_fields}) for r in not_freed]
        if person_level
        else None,
        handoffs=[
            HandoffRow(activity_name=activity_names.get(h["activity_id"], h["activity_id"]), **h)
            for h in handoffs
        ]
        if person_level
        else None,
        receivers=[
            ReceiverRow(above_alert=r["load_share_after"] > LOAD_ALERT, **r) for r in receivers
        ]
        if person_level
        else None,
        plans=plans,
        who=(who or {}) if person_level else {},
    )
