"""The capacity page gives each estimated activity its reason: the model's label and the
three labelled tasks closest to it, on the page and in its JSON twin."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from smartmoves.pathway.create import capacity
from smartmoves.pathway.pilots import create_pilot

from services import ADMIN, new_workspace
from webutil import load_demo_org, logged_in


def test_an_estimate_shows_its_three_similar_tasks(tmp_path: Path) -> None:
    site = load_demo_org(new_workspace(tmp_path / "ws", None), tmp_path)
    pilot = create_pilot(site, ADMIN, "Receivables", unit_id="AR", min_pilot=1).id
    client = logged_in(site, "admin")
    before = client.get(f"/pilots/{pilot}/capacity").text
    # No workers here: the page starts no training and says how to get the model.
    assert "No estimate yet" in before and "smartmoves exposure train --workspace" in before
    assert "Training the exposure model" not in before

    capacity.train_workspace_model(site, occupations=12)
    page = client.get(f"/pilots/{pilot}/capacity").text
    assert "No estimate yet" not in page and "Why the model estimates" in page
    found = client.get(f"/api/v1/pilots/{pilot}/capacity").json()
    report = next(a for a in found["activities"] if a["activity_id"] == "A-REPORT")
    assert report["share_source"] == "model" and report["model_label"] in ("E0", "E1", "E2")
    assert len(report["similar_tasks"]) == 3
    for task in report["similar_tasks"]:
        assert set(task) == {"task", "occupation", "label", "similarity"}
        assert task["task"] in page  # each one is on the page too
    # An activity with its own potential shows no model reason, though the model scored it.
    recon = next(a for a in found["activities"] if a["activity_id"] == "A-RECON")
    assert recon["share_source"] == "automation_potential" and recon["model_share"] is not None
    assert page.count("Why the model estimates") == 1
    # The page says what the model reads: with the embeddings extra (make install brings
    # it) the default model reads meaning too; a words-only model says so.
    if importlib.util.find_spec("sentence_transformers") is not None:
        assert "its meaning, compared with the labelled tasks" in page
    capacity.train_model(
        None, capacity.workspace_model_file(site), embeddings=False, occupations=12
    )
    words_only = client.get(f"/pilots/{pilot}/capacity").text
    assert "words alone" in words_only and "its meaning, compared" not in words_only


def test_the_first_page_of_a_server_starts_the_training(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smartmoves.pathway.create.capacity import exposure_jobs

    site = load_demo_org(new_workspace(tmp_path / "ws", None), tmp_path)
    pilot = create_pilot(site, ADMIN, "Receivables", unit_id="AR", min_pilot=1).id
    # As under `smartmoves serve` (here the job still runs in the request, on 12
    # occupations, so that the test sees it end).
    monkeypatch.setattr(exposure_jobs, "in_background", lambda: True)
    monkeypatch.setattr(exposure_jobs, "JOB_OCCUPATIONS", 12)
    client = logged_in(site, "champion")
    assert client.get(f"/pilots/{pilot}/capacity").status_code == 200
    job = capacity.exposure_model_job(site, ADMIN)
    assert job is not None and job.status == "done" and job.kind == "exposure-model"
    assert job.result["occupations"] == 12
    assert capacity.exposure_model_path(site).is_file()
    page = client.get(f"/pilots/{pilot}/capacity").text
    assert "No estimate yet" not in page and "Why the model estimates" in page
    assert capacity.exposure_model_job(site, ADMIN) == job  # no second training
