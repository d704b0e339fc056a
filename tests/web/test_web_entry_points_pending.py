"""Where to start needs the collaboration network (is a unit self-contained?): while the
network's analysis job runs, the page answers at once with the job's progress (202) and
its API twin with the job and where to poll it, never computing it in the request; the
Metrics page needs no job and answers as always."""

from __future__ import annotations

import re

import pytest

from smartmoves.data.store import db
from smartmoves.data.store import jobs as store_jobs
from smartmoves.pathway import jobs
from smartmoves.pathway._store import store
from smartmoves.pathway.act.connect import ANALYSIS_JOB
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.settings import Settings

from orgfiles import write_org
from services import new_workspace
from webutil import load_demo_org, logged_in


@pytest.fixture
def waiting(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, int]:
    """Interactions imported without an analysis, and its job taken by a worker that has
    not finished (the tests' app has no workers, so it stays running)."""
    folder = tmp_path_factory.mktemp("entry-pending")
    settings = new_workspace(folder / "ws", None)
    load_demo_org(settings, folder)
    import_files(settings, find_table_files(write_org(folder / "more")))
    with db.transaction(store(settings)) as session:
        job = store_jobs.add_job(
            session,
            ANALYSIS_JOB.name,
            "workspace",
            {},
            owner=jobs._owner(),
            account_id=0,
            account_email="admin@bank.example",
            account_role="admin",
            account_person=None,
        )
        job_id = job.id
    with db.transaction(store(settings)) as session:
        store_jobs.start_job(session, job_id, jobs._owner())
        store_jobs.record_progress(session, job_id, "ties from the interactions", 1, 4)
    return settings, job_id


@pytest.mark.parametrize("role", ["champion", "supervisor"])
def test_entry_points_answer_with_the_running_job(waiting: tuple[Settings, int], role: str) -> None:
    settings, job_id = waiting
    client = logged_in(settings, role)
    page = client.get("/entry-points")
    assert page.status_code == 202, page.text
    assert f"<h1>{ANALYSIS_JOB.title}</h1>" in page.text and "<nav" in page.text
    assert "Ties from the interactions" in page.text  # where the job is
    polled = re.search(r'hx-get="/jobs/(\d+)', page.text)
    assert polled and int(polled.group(1)) == job_id  # the same job, polled

    fragment = client.get("/entry-points", headers={"HX-Request": "true"})
    assert fragment.status_code == 202 and f'hx-get="/jobs/{job_id}' in fragment.text

    api = client.get("/api/v1/entry-points")
    assert api.status_code == 202
    assert api.json()["job"]["id"] == job_id and api.json()["job"]["status"] == "running"
    assert api.headers["location"] == f"/api/v1/jobs/{job_id}"

    with db.transaction(store(settings)) as session:  # one job, still the running one
        found = store_jobs.get_job(session, job_id)
        assert found is not None and found.status == "running"


def test_the_metrics_page_runs_no_job(waiting: tuple[Settings, int]) -> None:
    settings, _ = waiting
    client = logged_in(settings, "champion")
    assert client.get("/metrics").status_code == 200
    assert client.get("/api/v1/metrics").status_code == 200
