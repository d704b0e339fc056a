"""A page or API call that meets a failed job answers 503 with the job's reason where the
user asked (the page, the HTMX fragment, the API's ``detail``), never a 500; asking again
starts the job again."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from smartmoves.data.store import db
from smartmoves.data.store.models import Job
from smartmoves.data.workspace import analytics_path
from smartmoves.errors import DataError
from smartmoves.pathway._store import store
from smartmoves.pathway.act.connect import analysis
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.settings import Settings

from orgfiles import write_org
from services import new_workspace
from webutil import load_demo_org, logged_in

UNEXPECTED = "the job failed unexpectedly; nothing was changed"


@pytest.fixture
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Interactions imported without an analysis: the first network page starts the job
    (and, with no worker pool, runs it at once in the request's thread)."""
    folder = tmp_path_factory.mktemp("failed")
    settings = new_workspace(folder / "ws", None)
    load_demo_org(settings, folder)
    import_files(settings, find_table_files(write_org(folder / "more")))
    return settings


def _break_interactions(settings: Settings) -> None:
    """The interactions file damaged on disk after its import (same size, so the analysis
    still looks for it under the same key): the analysis cannot read it."""
    path = analytics_path(settings, "interactions")
    path.write_bytes(b"\0" * path.stat().st_size)


def _statuses(settings: Settings) -> list[str]:
    with db.transaction(store(settings)) as session:
        found = session.scalars(select(Job).where(Job.kind == analysis.ANALYSIS_JOB.name))
        return [job.status for job in found]


def test_a_damaged_interactions_file_fails_the_job_with_a_503_everywhere(fresh: Settings) -> None:
    _break_interactions(fresh)
    client = logged_in(fresh, "supervisor")

    page = client.get("/network")
    assert page.status_code == 503
    assert "Analyzing the collaboration network failed" in page.text
    assert "interactions.parquet: cannot read" in page.text  # the job's own words
    assert "<h1>Analyzing the collaboration network failed</h1>" in page.text  # then why
    assert "starts it again" in page.text and "<nav" in page.text  # a page, with its way back
    assert "Traceback" not in page.text and "duckdb" not in page.text.lower()
    assert "the file is damaged" in page.text  # in words, not the engine's
    assert str(fresh.workspace) not in page.text and "Error:" not in page.text  # no folders

    fragment = client.get("/network", headers={"HX-Request": "true"})
    assert fragment.status_code == 503
    assert "data-problem" in fragment.text and "<nav" not in fragment.text  # shown in place
    assert "Analyzing the collaboration network failed" in fragment.text
    assert "interactions.parquet: cannot read" in fragment.text

    api = client.get("/api/v1/network/units")
    assert api.status_code == 503
    detail = api.json()["detail"]
    assert detail.startswith("Analyzing the collaboration network failed: ")
    assert "interactions.parquet: cannot read" in detail
    assert str(fresh.workspace) not in detail


def test_a_bug_in_the_analysis_fails_its_job_in_a_sentence_not_a_trace(
    fresh: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: object, **kwargs: object) -> object:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(analysis, "analyze_network", crash)
    client = logged_in(fresh, "champion")
    api = client.get("/api/v1/network/units")
    assert api.status_code == 503
    assert api.json() == {"detail": f"Analyzing the collaboration network failed: {UNEXPECTED}"}
    page = client.get("/network")
    assert page.status_code == 503 and "division" not in page.text


def test_the_job_s_own_words_reach_the_user_and_asking_again_retries(
    fresh: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> object:
        raise DataError("interactions: no two people ever met in the window")

    monkeypatch.setattr(analysis, "analyze_network", refuse)
    client = logged_in(fresh, "admin")
    api = client.get("/api/v1/network/people")
    assert api.status_code == 503
    assert api.json()["detail"].endswith(
        "failed: interactions: no two people ever met in the window"
    )
    page = client.get("/admin/network")
    assert page.status_code == 503 and "no two people ever met in the window" in page.text
    assert _statuses(fresh) == ["failed", "failed"]  # one job per ask, none left running

    monkeypatch.undo()  # what it failed on is put right: the next ask computes it
    assert client.get("/api/v1/network/people").status_code == 200
    assert client.get("/admin/network").status_code == 200


def test_a_page_polling_a_job_that_fails_says_so_and_how_to_retry(fresh: Settings) -> None:
    # The job page's panel is swapped in place by its poll: when the job fails, the panel
    # must say it could not be done (not "takes a while"), why, and how to try again.
    _break_interactions(fresh)
    client = logged_in(fresh, "admin")
    assert client.get("/network").status_code == 503  # the job ran and failed at once
    with db.transaction(store(fresh)) as session:
        job = session.scalars(select(Job).where(Job.kind == analysis.ANALYSIS_JOB.name)).one()
        job_id = job.id
    panel = client.get(
        f"/jobs/{job_id}?heading=1",
        headers={"HX-Request": "true", "HX-Current-URL": "https://testserver/network"},
    )
    assert panel.status_code == 200 and "job-failed" in panel.text
    assert "It could not be done: interactions.parquet: cannot read" in panel.text
    assert 'href="https://testserver/network">reload this page</a>' in panel.text
    assert "takes a while" not in panel.text and "<progress" not in panel.text
