"""Long work leaves the request: with the server's worker pool (spawned, never forked),
a page that needs the network analysis answers at once with the job's progress, polls
it, and shows the figures when it is done."""

from __future__ import annotations

import re
import time

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from smartmoves.data.store import db
from smartmoves.data.store.models import Job
from smartmoves.pathway import jobs
from smartmoves.pathway._store import store
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.settings import Settings
from smartmoves.web import create_app

from orgfiles import write_org
from services import new_workspace
from webutil import PASSWORD, csrf_of, load_demo_org


@pytest.fixture
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Interactions imported without an analysis (as a file import through the API would)."""
    folder = tmp_path_factory.mktemp("jobs")
    settings = new_workspace(folder / "ws", None)
    load_demo_org(settings, folder)
    import_files(settings, find_table_files(write_org(folder / "more")))
    return settings


def _log_in(client: TestClient, role: str) -> None:
    token = csrf_of(client.get("/login").text)
    data = {"email": f"{role}@bank.example", "password": PASSWORD, "csrf": token}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303


def test_the_first_network_page_shows_the_analysis_progress_then_the_figures(
    fresh: Settings,
) -> None:
    with TestClient(create_app(fresh), base_url="https://testserver") as client:
        assert jobs._pool is not None  # the lifespan started the workers...
        assert jobs._pool._mp_context.get_start_method() == "spawn"  # ...without forking
        _log_in(client, "supervisor")
        first = client.get("/network")
        assert first.status_code == 202 and "Analyzing the collaboration network" in first.text
        found = re.search(r'hx-get="/jobs/(\d+)"', first.text)
        assert found, "the job panel polls its job"
        api = client.get("/api/v1/network/units")
        if api.status_code == 202:  # still running (as a rule): the same job, not a second
            assert api.json()["job"]["id"] == int(found.group(1))
            assert api.headers["location"] == f"/api/v1/jobs/{found.group(1)}"
        else:  # 16 people: on a busy machine the job may be done before this request
            assert api.status_code == 200
        deadline = time.monotonic() + 180
        while True:
            poll = client.get(f"/jobs/{found.group(1)}", headers={"HX-Request": "true"})
            assert poll.status_code == 200
            if poll.headers.get("HX-Refresh") == "true":
                break
            assert "data-problem" not in poll.text, poll.text
            assert time.monotonic() < deadline, "the analysis job did not finish"
            time.sleep(0.5)
        page = client.get("/network")
        assert page.status_code == 200 and "Collaboration between units" in page.text
        job = client.get(f"/api/v1/jobs/{found.group(1)}").json()
        assert job["status"] == "done" and job["started_by"] == "supervisor@bank.example"
        assert job["message"].startswith("analyzed 16 people")
    assert jobs._pool is None  # and stopped them at shutdown
    with db.reading(store(fresh)) as session:  # one job for both askers
        assert session.scalar(sa.select(sa.func.count()).select_from(Job)) == 1


def test_the_job_page_names_the_job_once_and_says_what_it_waits_for(fresh: Settings) -> None:
    """Queued: waiting for a worker. Running without a stage yet: starting, not waiting.
    The page's heading names the job; the panel under it does not say it again."""
    from smartmoves.data.store import db
    from smartmoves.data.store import jobs as store_jobs
    from smartmoves.pathway._store import store
    from smartmoves.pathway.act.connect import ANALYSIS_JOB

    from webutil import logged_in

    with db.transaction(store(fresh)) as session:  # a job no worker has taken yet
        job_id = store_jobs.add_job(
            session,
            ANALYSIS_JOB.name,
            "workspace",
            {},
            owner=jobs._owner(),
            account_id=0,
            account_email="admin@bank.example",
            account_role="admin",
            account_person=None,
        ).id
    client = logged_in(fresh, "supervisor")  # no lifespan, no workers: the job stays queued
    page = client.get("/network")
    assert page.status_code == 202
    main = page.text[page.text.index("<main") :]
    assert main.count(ANALYSIS_JOB.title) == 2  # the heading, and the progress bar's label
    assert "<h1>Analyzing the collaboration network</h1>" in main
    assert "Waiting for a free worker" in main and "Starting" not in main
    assert 'hx-vals=\'{"heading": "1"}\'' in main  # its polls keep the title out too

    with db.transaction(store(fresh)) as session:  # a worker took it, no stage reported
        store_jobs.start_job(session, job_id, jobs._owner())
    poll = client.get(f"/jobs/{job_id}?heading=1", headers={"HX-Request": "true"})
    assert poll.status_code == 200 and "Starting…" in poll.text
    assert "Waiting for a free worker" not in poll.text and "<strong>" not in poll.text
    with db.transaction(store(fresh)) as session:  # its first stage, in the engine's words
        store_jobs.record_progress(session, job_id, "ties from the interactions", 1, 4)
    staged = client.get(f"/jobs/{job_id}?heading=1", headers={"HX-Request": "true"}).text
    assert "Ties from the interactions" in staged and "Starting" not in staged
    panel = client.get(f"/jobs/{job_id}", headers={"HX-Request": "true"})  # in another page
    assert f"<strong>{ANALYSIS_JOB.title}</strong>" in panel.text

    opened = client.get(f"/jobs/{job_id}")  # a bookmark: a page with the navigation
    assert opened.status_code == 200 and "<nav" in opened.text
    assert opened.text.count(f"<h1>{ANALYSIS_JOB.title}</h1>") == 1
