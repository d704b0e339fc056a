"""A workspace's exposure model estimates the activities without an automation potential."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from smartmoves.data.store import db
from smartmoves.engines.capacity.exposure import train_exposure_model
from smartmoves.errors import DataError
from smartmoves.pathway.create import capacity
from smartmoves.pathway.create.capacity.decisions import DecisionIn
from smartmoves.pathway.create.capacity.scope import exposure_model_path
from smartmoves.pathway.pilots import create_pilot
from smartmoves.pathway.setup.imports import find_table_files, import_files

from orgfiles import write_org
from services import ADMIN, new_workspace

TASKS = [
    ("Compile the weekly status report", "E1"),
    ("Lift boxes in the warehouse", "E0"),
    ("Code a database for invoices", "E2"),
]


def _labels() -> pd.DataFrame:
    return pd.DataFrame(
        [
            (f"{o}-0", f"Job {o}", f"{o}{i}", task, label)
            for o in "abcdef"
            for i, (task, label) in enumerate(TASKS)
        ],
        columns=["soc_code", "occupation", "task_id", "task", "human_exposure"],
    )


def test_the_model_stands_in_for_empty_potentials(
    tmp_path: Path, store_backend: str | None
) -> None:
    settings = new_workspace(tmp_path / "ws", store_backend)
    import_files(settings, find_table_files(write_org(tmp_path / "org")))
    pilot = create_pilot(settings, ADMIN, "AR", unit_id="AR", min_pilot=1).id
    before = capacity.capacity_view(settings, ADMIN, pilot)
    assert before.exposure_model is None and before.missing_estimates == ["A-REPORT"]
    with pytest.raises(DataError, match="A-REPORT"):
        capacity.save_decisions(
            settings, ADMIN, pilot, [DecisionIn(activity_id="A-REPORT", decision="automate")]
        )

    model = train_exposure_model(_labels())
    model.save(exposure_model_path(settings))
    view = capacity.capacity_view(settings, ADMIN, pilot)
    report = next(a for a in view.activities if a.activity_id == "A-REPORT")
    (predicted,) = model.predict(
        pd.DataFrame(
            {
                "activity_id": ["A-REPORT"],
                "name": ["Weekly status report"],
                "description": ["Compile the weekly report"],
            }
        )
    ).activities
    assert view.exposure_model == "exposure.npz" and view.missing_estimates == []
    assert not report.flagged and report.share_source == "model"
    assert report.automation_share == pytest.approx(predicted.beta)
    capacity.save_decisions(
        settings, ADMIN, pilot, [DecisionIn(activity_id="A-REPORT", decision="automate")]
    )
    saved = capacity.plan_for_pilot(settings, ADMIN, pilot, time_limit=5, save=False)
    assert saved.parameters["exposure_model"] == "exposure.npz"
    # P09's 5 report hours: automated at the model's beta, in hundredths of an hour.
    assert saved.result["hours"]["automated"] == round(5 * predicted.beta, 2)
    db.release(settings.sqlalchemy_url)


def test_a_decision_may_automate_by_the_model_rather_than_the_potential(
    tmp_path: Path, store_backend: str | None
) -> None:
    settings = new_workspace(tmp_path / "ws", store_backend)
    import_files(settings, find_table_files(write_org(tmp_path / "org")))
    pilot = create_pilot(settings, ADMIN, "AR", unit_id="AR", min_pilot=1).id
    model = train_exposure_model(_labels())
    model.save(exposure_model_path(settings))

    def recon() -> capacity.ActivityDecision:
        view = capacity.capacity_view(settings, ADMIN, pilot)
        return next(a for a in view.activities if a.activity_id == "A-RECON")

    by_potential = DecisionIn(activity_id="A-RECON", decision="automate")
    capacity.save_decisions(settings, ADMIN, pilot, [by_potential])
    plain = recon()
    assert not plain.use_model and plain.model_share is not None
    assert plain.freed == pytest.approx(0.8 * plain.hours)  # the activity's own potential

    by_model = DecisionIn(activity_id="A-RECON", decision="automate", use_model=True)
    (row,) = capacity.save_decisions(settings, ADMIN, pilot, [by_model])
    assert row.use_model
    chosen = recon()  # read back from the store
    assert chosen.use_model and chosen.decision == "automate"
    assert chosen.freed == pytest.approx(chosen.model_share * chosen.hours, abs=0.5)
    assert chosen.freed != pytest.approx(plain.freed)

    exposure_model_path(settings).unlink()  # without the model the decision no longer holds
    view = capacity.capacity_view(settings, ADMIN, pilot)
    assert view.stale_decisions == [
        "automate A-RECON: no automation potential or model estimate any more"
    ]
    db.release(settings.sqlalchemy_url)
