"""The demo's entry points: its planted best entry point ranks first with the champion
it sets (the CFO over Finance, which holds it), read from the stored champion, and its
freeable people counted by the quick planner."""

from __future__ import annotations

from smartmoves.pathway.recognize import entry_points

from demoworkspace import Demo
from services import ADMIN


def test_the_planted_entry_point_ranks_first_inside_the_champions_area(demo: Demo) -> None:
    found = entry_points(demo.settings, ADMIN)
    best = found.entry_points[0]
    assert best.unit_id == demo.truth["best_entry_point"]["unit_id"]
    factors = {f.name: f for f in best.factors}
    division = demo.truth["champion"]["division_id"]
    assert factors["champion_influence"].value == "high"
    assert f"area {division}: inside it" in factors["champion_influence"].source
    assert factors["ability_to_free_capacity"].source.startswith(
        "consolidation planner, quick mode"
    )
