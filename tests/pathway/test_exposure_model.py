"""The exposure model's estimates are kept in the workspace: a new process reads them
instead of running the model, and never reads figures of another model or other words."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from smartmoves.engines.capacity import exposure as exposure_engine
from smartmoves.engines.capacity.exposure import ExposureModel, train_exposure_model
from smartmoves.pathway import exposure_model
from smartmoves.pathway.exposure_model import (
    ESTIMATES_FILE,
    estimates,
    exposure_model_path,
    keep_workspace_estimates,
)
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.settings import Settings

from orgfiles import write_org
from services import new_workspace

TASKS = [
    ("Compile the weekly status report", "E1"),
    ("Lift boxes in the warehouse", "E0"),
    ("Code a database for invoices", "E2"),
    ("Answer customer calls about accounts", "E1"),
    ("Match payments to invoices", "E2"),
]
ACTIVITIES = pd.DataFrame(
    {
        "activity_id": ["A-REPORT", "A-BOXES", "A-RECON"],
        "name": ["Weekly status report", "Lift boxes", "Reconcile payments"],
        "description": ["Compile the weekly report", None, "Match payments to invoices"],
        "category": ["routine", "manual", "routine"],
    }
)
WANTED = set(ACTIVITIES["activity_id"])


def _model(labels: list[str] | None = None) -> ExposureModel:
    chosen = labels or [label for _, label in TASKS]
    rows = [
        (f"{o}-0", f"Job {o}", f"{o}{i}", task, label)
        for o in "abcdef"
        for i, ((task, _), label) in enumerate(zip(TASKS, chosen, strict=True))
    ]
    columns = ["soc_code", "occupation", "task_id", "task", "human_exposure"]
    return train_exposure_model(pd.DataFrame(rows, columns=columns))


def _fresh(frame: pd.DataFrame, model: ExposureModel) -> object:
    return model.predict(frame[["activity_id", "name", "description"]].reset_index(drop=True))


def _same(found: object, fresh: object) -> bool:
    """The same estimates, each figure to the last bits: a model predicting an activity
    in another batch (here, only the activities not kept) sums in another order."""
    pairs = list(zip(found.activities, fresh.activities, strict=True))  # type: ignore[attr-defined]
    figures = ("p_e0", "p_e1", "p_e2", "alpha", "beta", "gamma")
    return all(
        (a.activity_id, a.label, a.similar) == (b.activity_id, b.label, b.similar)
        and [getattr(a, f) for f in figures]
        == pytest.approx([getattr(b, f) for f in figures], rel=1e-12)
        for a, b in pairs
    )


def _new_process(monkeypatch: pytest.MonkeyPatch | None = None) -> None:
    """Forget what this process remembers, as a new one would start; with
    ``monkeypatch``, loading the model fails, so only the kept file can answer."""
    exposure_model._MODELS.clear()
    exposure_model._PREDICTIONS.clear()
    if monkeypatch is not None:

        def no_model(path: object) -> None:
            raise AssertionError(f"the model {path} was loaded")

        monkeypatch.setattr(exposure_engine, "load_exposure_model", no_model)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    _new_process()
    return new_workspace(tmp_path / "ws", None)


def test_a_new_process_reads_the_kept_estimates_without_the_model(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = _model()
    model.save(exposure_model_path(settings))
    first, name, reads = estimates(settings, ACTIVITIES, WANTED)
    assert (settings.workspace / ESTIMATES_FILE).is_file()
    _new_process(monkeypatch)
    kept, kept_name, kept_reads = estimates(settings, ACTIVITIES, WANTED)
    # Every figure, label and similar task exactly as the model gives them.
    assert kept == first == _fresh(ACTIVITIES, model)
    assert (kept_name, kept_reads) == (name, reads) == ("exposure.npz", reads)
    # A part of the catalog is answered from the same kept texts, in the order asked.
    part = ACTIVITIES.iloc[[2, 0]]
    (recon, report) = estimates(settings, part, {"A-RECON", "A-REPORT"})[0].activities
    assert [recon.activity_id, report.activity_id] == ["A-RECON", "A-REPORT"]
    assert (recon, report) == (kept.activities[2], kept.activities[0])


def test_a_retrained_model_never_reads_the_old_figures(settings: Settings) -> None:
    _model().save(exposure_model_path(settings))
    old = estimates(settings, ACTIVITIES, WANTED)[0]
    # Other labels for the same tasks: a model that says other things.
    retrained = _model(["E0", "E2", "E1", "E0", "E1"])
    retrained.save(exposure_model_path(settings))
    _new_process()
    new = estimates(settings, ACTIVITIES, WANTED)[0]
    assert new == _fresh(ACTIVITIES, retrained)
    assert [a.label for a in new.activities] != [a.label for a in old.activities]
    stored = json.loads((settings.workspace / ESTIMATES_FILE).read_text(encoding="utf-8"))
    assert len(stored["texts"]) == len(ACTIVITIES)  # the old model's figures are gone


def test_new_words_for_an_activity_are_estimated_afresh(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = _model()
    model.save(exposure_model_path(settings))
    before = estimates(settings, ACTIVITIES, WANTED)[0]
    # A new import says A-BOXES is now about writing code, not lifting.
    changed = ACTIVITIES.assign(
        name=["Weekly status report", "Code a database", "Reconcile payments"],
        description=["Compile the weekly report", "for invoices", "Match payments to invoices"],
    )
    _new_process()
    after = estimates(settings, changed, WANTED)[0]
    assert _same(after, _fresh(changed, model))
    assert after.activities[1] != before.activities[1]
    assert after.activities[1].label != before.activities[1].label
    _new_process(monkeypatch)  # both versions are kept now
    assert estimates(settings, changed, WANTED)[0] == after
    assert estimates(settings, ACTIVITIES, WANTED)[0] == before


@pytest.mark.parametrize(
    "damage",
    [
        "not json {",
        json.dumps({"format": "smartmoves-exposure-estimates", "version": 1}),
        "texts",  # the right header, a row that is not an estimate
    ],
)
def test_a_damaged_file_is_ignored_and_written_again(settings: Settings, damage: str) -> None:
    model = _model()
    model.save(exposure_model_path(settings))
    estimates(settings, ACTIVITIES, WANTED)
    path = settings.workspace / ESTIMATES_FILE
    if damage == "texts":
        stored = json.loads(path.read_text(encoding="utf-8"))
        stored["texts"] = {text: [0.5, "x"] for text in stored["texts"]}
        damage = json.dumps(stored)
    path.write_text(damage, encoding="utf-8")
    _new_process()
    assert estimates(settings, ACTIVITIES, WANTED)[0] == _fresh(ACTIVITIES, model)
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["format"] == "smartmoves-exposure-estimates"
    assert len(stored["texts"]) == len(ACTIVITIES)
    assert not list(path.parent.glob(f".{path.name}.*"))  # nothing left beside it


def test_training_into_the_workspace_keeps_the_catalogs_estimates(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_files(settings, find_table_files(write_org(tmp_path / "org")))
    assert keep_workspace_estimates(settings) == 0  # no model yet: nothing to keep
    model = _model()
    model.save(exposure_model_path(settings))
    kept = keep_workspace_estimates(settings)
    _new_process(monkeypatch)
    from smartmoves.data.store import capacity as store_capacity
    from smartmoves.data.store import db
    from smartmoves.pathway._store import store

    with db.transaction(store(settings)) as session:
        catalog = store_capacity.activities(session)
    found = estimates(settings, catalog, set(catalog["activity_id"]))[0]
    assert kept == len(catalog) == len(found.activities) > 0
    assert found == _fresh(catalog, model)
    db.release(settings.sqlalchemy_url)
