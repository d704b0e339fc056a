"""unit_assessments.csv agrees with what the generator planted: the best entry point is
judged strong, each decoy weak on the judgement factors it was planted weak on, every
other unit middling."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from smartmoves.data.contracts import CONTRACTS
from smartmoves.data.readers import read_text_table
from smartmoves.data.synth import synthesize_bank
from smartmoves.data.synth.spec import DECOYS
from smartmoves.data.validate import validate_table

_COLUMN = {"supportive_leadership": "leader_support",
           "motivated_supervisors": "supervisor_motivation"}  # fmt: skip


@pytest.mark.parametrize("seed", [0, 3])
def test_assessments_follow_the_planted_entry_point_and_decoys(tmp_path: Path, seed: int) -> None:
    summary = synthesize_bank(tmp_path, people=200, weeks=2, seed=seed, events=200)
    assert "unit_assessments.csv" in summary.files
    text = read_text_table(tmp_path / "unit_assessments.csv")
    units = set(pd.read_csv(tmp_path / "units.csv", dtype=str)["unit_id"])
    valid = validate_table(text, CONTRACTS["unit_assessments"], known={"units": units})
    frame = valid.frame.set_index("unit_id")
    best = frame.loc[summary.best_entry_point]
    assert best["leader_support"] >= 4.3 and best["supervisor_motivation"] >= 4.3
    assert best["champion_influence"] == "high"
    for decoy, planted in DECOYS.items():
        row = frame.loc[decoy]
        for factor in planted["weak_on"]:
            if factor in _COLUMN:
                assert row[_COLUMN[factor]] < 3.0, (decoy, factor)  # below the middle
            if factor == "champion_influence":
                assert row["champion_influence"] == "low"
    others = frame.drop(index=[summary.best_entry_point, *DECOYS])
    assert others["leader_support"].between(3.0, 3.9).all()
    assert others["supervisor_motivation"].between(3.0, 3.9).all()
