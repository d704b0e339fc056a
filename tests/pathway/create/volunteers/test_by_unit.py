"""Applicants and selected per unit, beside their totals: no subtraction isolates a few."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from smartmoves.pathway.create.volunteers.applicants import VolunteerRow, _by_unit

MINIMUM = 5


def _rows(spec: dict[str, tuple[int, int]]) -> list[VolunteerRow]:
    """``spec``: unit -> (applicants, of whom selected)."""
    rows, n = [], itertools.count()
    for unit, (applied, chosen) in spec.items():
        for i in range(applied):
            rows.append(
                VolunteerRow(
                    person_id=f"P{next(n)}",
                    unit_id=unit,
                    attributes={},
                    tenure=None,
                    problem="",
                    why="",
                    submitted_at=None,
                    source="web",
                    plan="not_in_plan",
                    plan_reason=None,
                    selection="selected" if i < chosen else None,
                    decided_by=None,
                )
            )
    return rows


def _safe(n: int) -> bool:
    return n == 0 or n >= MINIMUM


def test_one_units_few_selected_cost_another_unit_its_figure() -> None:
    # 3 selected in B alone would be the total's 23 less A's 20: A's selected goes too.
    counts = {u.unit_id: u for u in _by_unit(_rows({"A": (30, 20), "B": (9, 3)}), False, 5)}
    assert counts["B"].selected is None and counts["A"].selected is None
    assert counts["A"].applicants == 30 and counts["B"].applicants == 9


def test_admins_see_every_figure() -> None:
    counts = _by_unit(_rows({"A": (2, 1), "B": (9, 3)}), True, 5)
    assert [(u.applicants, u.selected) for u in counts] == [(2, 1), (9, 3)]


@given(
    st.dictionaries(
        st.sampled_from("ABCDEF"),
        st.tuples(st.integers(0, 14), st.integers(0, 14)).map(lambda t: (max(t), min(t))),
        min_size=1,
    )
)
@settings(max_examples=200, deadline=None)
def test_no_difference_of_shown_counts_isolates_a_few(spec: dict[str, tuple[int, int]]) -> None:
    spec = {u: (a, c) for u, (a, c) in spec.items() if a}
    counts = _by_unit(_rows(spec), False, MINIMUM)
    gone_applied = gone_chosen = 0
    for u in counts:
        applied, chosen = spec[u.unit_id]
        if u.applicants is None:
            gone_applied += applied
        else:
            assert u.applicants == applied and _safe(applied)
        if u.selected is None:
            gone_chosen += chosen
        else:
            assert u.selected == chosen and _safe(chosen)
        if u.applicants is not None and u.selected is not None:
            assert _safe(applied - chosen)
    # The totals above (all applicants, all selected) less the shown units.
    assert _safe(gone_applied) or gone_applied == sum(a for a, _ in spec.values())
    assert _safe(gone_chosen) or gone_chosen == sum(c for _, c in spec.values())
