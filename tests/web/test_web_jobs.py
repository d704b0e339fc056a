"""Long work leaves the request: with the server's worker pool (spawned, never forked),
a page that needs the network analysis answers at once with the job's progress, polls
it, and shows the figures when it is done."""

from __future__ import annotations

import re
import time

import pytest
from fastapi.testclient import TestClient

from smartmoves.pathway import jobs
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
        api = client.get("/api/v1/network/units")  # the same job, not a second one
        assert api.status_code == 202 and api.json()["job"]["id"] == int(found.group(1))
        assert api.headers["location"] == f"/api/v1/jobs/{found.group(1)}"
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
