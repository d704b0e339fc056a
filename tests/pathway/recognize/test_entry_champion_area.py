""" "Inside the champion's area" from the champion as stored: a unit in the area's subtree
is inside, any other outside; setting the champion moves the ranking at once; moving a
unit into the area never lowers its likelihood."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartmoves.data.synth import synthesize_bank
from smartmoves.engines.entry import UnitEvidence, score_entry_points
from smartmoves.pathway.recognize import ChampionIn, entry_points, set_champion
from smartmoves.pathway.recognize._champion_area import ChampionArea
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.settings import Settings

from services import ADMIN, new_workspace


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("champion-area")
    synthesize_bank(folder / "bank", people=300, weeks=26, seed=0)
    settings = new_workspace(folder / "ws", None)
    import_files(settings, find_table_files(folder / "bank"))
    return settings, json.loads((folder / "bank" / "truth.json").read_text())


def _influence(found: Any, unit_id: str) -> tuple[Any, str]:
    unit = next(e for e in found.entry_points if e.unit_id == unit_id)
    factor = next(f for f in unit.factors if f.name == "champion_influence")
    return factor.value, factor.source


def test_the_stored_champion_decides_who_is_inside(bank: tuple[Settings, dict]) -> None:
    settings, truth = bank
    before = entry_points(settings, ADMIN)
    assert "the champion" not in _influence(before, "U-ITO")[1]  # the column, as before
    champion = truth["champion"]
    set_champion(
        settings, ADMIN, ChampionIn(person_id=champion["person_id"], unit_id="D-FIN"),
    )  # fmt: skip
    found = entry_points(settings, ADMIN)
    assert found.entry_points[0].unit_id == truth["best_entry_point"]["unit_id"] == "U-COL"
    value, source = _influence(found, "U-COL")
    assert value == "high"  # inside, and assessed high
    assert source.startswith("the champion (") and "area D-FIN: inside it" in source
    assert _influence(found, "U-ITO") == (
        "low", source.split(", area")[0] + ", area D-FIN: outside it"
    )  # fmt: skip
    # Moved to the technology division's head: the ranking follows at once.
    set_champion(settings, ADMIN, ChampionIn(person_id=champion["person_id"], unit_id="D-TECH"))
    moved = entry_points(settings, ADMIN)
    assert _influence(moved, "U-COL")[0] == "low"
    assert "area D-TECH: inside it" in _influence(moved, "U-ITO")[1]
    col = {e.unit_id: e.likelihood for e in moved.entry_points}["U-COL"]
    assert col < {e.unit_id: e.likelihood for e in found.entry_points}["U-COL"]


AREA = ChampionArea("Ada", "D", frozenset({"D", "U1"}))
ratings = st.one_of(st.none(), st.floats(1, 5))


@given(
    assessed=st.sampled_from([None, "low", "medium", "high"]),
    leader=ratings,
    supervisors=ratings,
    kind=st.sampled_from([None, "business_unit", "function"]),
    position=st.sampled_from([None, "edge", "core"]),
    experience=st.one_of(st.none(), st.floats(0, 1)),
)
def test_moving_a_unit_into_the_area_never_lowers_its_likelihood(
    assessed: str | None,
    leader: float | None,
    supervisors: float | None,
    kind: str | None,
    position: str | None,
    experience: float | None,
) -> None:
    unit = UnitEvidence(
        "U1", people=40, freeable_share=0.5, freeable_volunteers=20, leader_support=leader,
        supervisor_motivation=supervisors, kind=kind, position=position,
        improvement_share=experience,
    )  # fmt: skip
    judged = None if assessed is None else {"champion_influence": assessed}
    likelihood = {}
    for where, area in (
        ("inside", AREA),
        ("outside", dataclasses.replace(AREA, units=frozenset({"D"}))),
    ):
        value, source = area.influence("U1", judged)
        placed = dataclasses.replace(unit, champion_influence=value,
                                     sources={"champion_influence": source})  # fmt: skip
        likelihood[where] = score_entry_points([placed]).entry_points[0].likelihood
        assert f": {where} it" in source
    assert likelihood["inside"] >= likelihood["outside"]
