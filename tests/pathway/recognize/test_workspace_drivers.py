"""Driver estimates of a workspace: for admins, champions and supervisors; a workspace
without metrics says what to import; a new import is read, not the kept estimates."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmoves.data.synth import synthesize_bank
from smartmoves.errors import ConfigError, Forbidden
from smartmoves.pathway.recognize import workspace_drivers
from smartmoves.pathway.setup.imports import find_table_files, import_files

from services import ADMIN, account, new_workspace


def test_who_may_read_the_drivers_and_what_an_empty_workspace_says(tmp_path: Path) -> None:
    settings = new_workspace(tmp_path / "ws", None)
    with pytest.raises(Forbidden, match="admins, champions and supervisors"):
        workspace_drivers(settings, account("member"))
    with pytest.raises(ConfigError, match="no metrics imported yet"):
        workspace_drivers(settings, account("supervisor"))


def test_a_new_import_gives_new_estimates(tmp_path: Path) -> None:
    settings = new_workspace(tmp_path / "ws", None)
    estimates = []
    for seed in (1, 2):
        bank = tmp_path / f"bank{seed}"
        synthesize_bank(bank, people=150, weeks=20, seed=seed, events=1000)
        import_files(settings, find_table_files(bank))
        estimates.append(workspace_drivers(settings, ADMIN))
    assert workspace_drivers(settings, account("champion")) == estimates[1]
    first = {(d.metric_id, d.lag): d.coefficient for d in estimates[0].drivers}
    second = {(d.metric_id, d.lag): d.coefficient for d in estimates[1].drivers}
    assert first.keys() == second.keys() and first != second
