"""Entry points of a workspace, from the synthetic bank's own tables: the planted entry
point ranks first and the decoys are weak where they were planted; a champion's view
leaves out what is computed over fewer people than the minimum; members may not look."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from smartmoves.data.synth import synthesize_bank
from smartmoves.errors import ConfigError, Forbidden
from smartmoves.pathway.act import connect
from smartmoves.pathway.recognize import entry_points
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.settings import Settings

from services import ADMIN, account, new_workspace

CASES = [(300, 0), (600, 1), (300, 5)]


def _computed(settings: Settings) -> Any:
    return lambda progress: connect.unit_external_shares(settings, compute=True, progress=progress)


@pytest.fixture(scope="module")
def banks(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Settings, dict]]:
    out = []
    for people, seed in CASES:
        folder = tmp_path_factory.mktemp(f"entry-{people}-{seed}")
        synthesize_bank(folder / "bank", people=people, weeks=26, seed=seed)
        settings = new_workspace(folder / "ws", None)
        import_files(settings, find_table_files(folder / "bank"))
        out.append((settings, json.loads((folder / "bank" / "truth.json").read_text())))
    return out


def test_the_planted_entry_point_ranks_first_and_decoys_show_their_weaknesses(
    banks: list[tuple[Settings, dict]],
) -> None:
    named = planted = 0
    for settings, truth in banks:
        found = entry_points(settings, ADMIN, external_shares=_computed(settings))
        assert found.target_id == "F-REV"  # the top metric with the most frontline below it
        best = found.entry_points[0]
        assert best.unit_id == truth["best_entry_point"]["unit_id"]
        assert best.feasible and best.missing_inputs == []
        # The quick planner frees at least those the generator's scorecard counts (freed
        # by the decisions alone), within a few people (hours vs contracted hours).
        card = next(u for u in truth["units"] if u["unit_id"] == best.unit_id)
        assert best.freeable_volunteers >= card["qualified"] - 5
        capacity = next(f for f in best.factors if f.name == "ability_to_free_capacity")
        assert capacity.source.startswith("consolidation planner, quick mode")
        by_unit = {e.unit_id: e for e in found.entry_points}
        for decoy, spec in truth["decoys"].items():
            for factor in spec["weak_on"]:
                planted += 1
                named += factor in by_unit[decoy].weak_on
    # One of the 33 is not in the data (with 300 people and seed 5, the contact center's
    # supervisors drew a mean readiness above the middle of the scale).
    assert planted == len(CASES) * 11 and named >= planted - 1, (named, planted)


def test_a_champion_sees_no_figure_over_fewer_people_than_the_minimum(
    banks: list[tuple[Settings, dict]],
) -> None:
    settings, _ = banks[0]
    admin = {
        e.unit_id: e
        for e in entry_points(settings, ADMIN, external_shares=_computed(settings)).entry_points
    }
    champion = entry_points(settings, account("champion"))
    assert any("fewer than 5 people" in n for n in champion.notes)
    for e in champion.entry_points:
        factors = {f.name: f for f in e.factors}
        people = admin[e.unit_id].factors
        size = next(f.value for f in people if f.name == "size")
        if size < settings.min_group_size:
            assert "ability_to_free_capacity" in e.missing_inputs
            assert "volunteers" not in factors and "type_of_workers" not in factors
    assert {e.unit_id for e in champion.entry_points} == set(admin)


def test_who_may_look_and_what_an_empty_workspace_says(tmp_path: Path) -> None:
    settings = new_workspace(tmp_path / "ws", None)
    with pytest.raises(Forbidden, match="where to start is for admins"):
        entry_points(settings, account("member"))
    with pytest.raises(ConfigError, match="no organization imported yet"):
        entry_points(settings, account("supervisor"))
