"""The workspace's default exposure model, trained as a job on the shipped labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmoves.data.store import db
from smartmoves.engines.capacity.exposure import load_exposure_model
from smartmoves.errors import Forbidden
from smartmoves.pathway.create import capacity
from smartmoves.pathway.policy import Account

from services import ADMIN, new_workspace

MEMBER = Account(9, "m@example.org", "member", "P01", None)


def test_the_job_trains_the_default_model_once(tmp_path: Path) -> None:
    settings = new_workspace(tmp_path / "ws", None)
    path = capacity.exposure_model_path(settings)
    # Without background workers a page never waits for a training: nothing starts.
    assert capacity.start_exposure_model(settings, ADMIN) is None
    assert capacity.exposure_model_job(settings, ADMIN) is None and not path.exists()

    job = capacity.start_exposure_model(settings, ADMIN, occupations=12, background_only=False)
    assert job is not None and job.status == "done", job
    assert job.result["occupations"] == 12 and "12 occupations" in (job.message or "")
    model = load_exposure_model(path)
    assert len(set(model.occupations)) == 12
    # A model is there: no second training, and the last job says how it went.
    assert capacity.start_exposure_model(settings, ADMIN, background_only=False) is None
    assert capacity.exposure_model_job(settings, ADMIN) == job
    with pytest.raises(Forbidden):
        capacity.start_exposure_model(settings, MEMBER, background_only=False)
    db.release(settings.sqlalchemy_url)
