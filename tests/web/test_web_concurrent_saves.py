"""Concurrent posts through the app, on SQLite and PostgreSQL: a busy morning's saves of
one charter, one checklist and one application, all at once. None is a 500; every save
acknowledged is stored (a charter keeps versions 1..N, no gap, no duplicate)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from smartmoves.data.store import coaching as coaching_store
from smartmoves.data.store import db
from smartmoves.pathway._store import store
from smartmoves.pathway.pilots import create_pilot, set_pilot_status
from smartmoves.settings import Settings

from services import ADMIN, new_workspace
from webutil import csrf_of, load_demo_org, logged_in

POSTS = 12


@pytest.fixture
def site(store_backend: str | None, tmp_path: Path) -> tuple[Settings, int, int]:
    """A workspace with a running pilot at AR and one workgroup coached by P08."""
    settings = load_demo_org(new_workspace(tmp_path / "ws", store_backend), tmp_path)
    pilot = create_pilot(settings, ADMIN, "AR pilot", unit_id="AR", min_pilot=1).id
    set_pilot_status(settings, ADMIN, pilot, "running")
    with db.transaction(store(settings)) as session:
        group = coaching_store.add_workgroup(session, pilot, "Group 1", ["P09", "P12"])
        group.coach_id = "P08"
        group_id = group.id
    return settings, pilot, group_id


def client_of(settings: Settings, role: str) -> tuple[TestClient, str]:
    browser = logged_in(settings, role)
    client = TestClient(
        browser.app,
        base_url="https://testserver",
        raise_server_exceptions=False,  # a crash is a 500 to count, not a test error
        cookies=browser.cookies,
    )
    return client, csrf_of(client.get("/").text)


def at_once(count: int, post: Callable[[int], Any]) -> list[int]:
    """The status codes of ``post(0)`` ... ``post(count - 1)`` sent together."""
    start = threading.Barrier(count)
    codes = [0] * count

    def run(i: int) -> None:
        start.wait()
        codes[i] = post(i).status_code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes


def test_concurrent_charter_forms_all_become_versions(site: tuple[Settings, int, int]) -> None:
    settings, pilot, group = site
    client, token = client_of(settings, "admin")
    url = f"/pilots/{pilot}/workgroups/{group}/charter"

    def post(i: int) -> Any:
        form = {"csrf": token, "objective": f"Objective {i}", "starting_problem": f"Need {i}"}
        return client.post(url, data=form, follow_redirects=False)

    codes = at_once(POSTS, post)
    assert codes == [303] * POSTS  # each saved, on top of the one before
    charter = client.get(f"/api/v1/pilots/{pilot}/workgroups/{group}/charter").json()
    assert sorted(v["version"] for v in charter["versions"]) == list(range(1, POSTS + 1))
    said = {v["content"]["objective"] for v in charter["versions"]}
    assert said == {f"Objective {i}" for i in range(POSTS)}


def test_concurrent_charter_saves_from_one_version_are_one_save_and_409s(
    site: tuple[Settings, int, int],
) -> None:
    settings, pilot, group = site
    client, token = client_of(settings, "admin")
    url = f"/api/v1/pilots/{pilot}/workgroups/{group}/charter"

    def post(i: int) -> Any:
        body = {"objective": f"Objective {i}", "starting_problem": "Need", "base_version": 0}
        return client.post(url, json=body, headers={"X-CSRF-Token": token})

    codes = at_once(POSTS, post)
    assert sorted(codes) == [201] + [409] * (POSTS - 1)
    versions = client.get(url).json()["versions"]
    assert [v["version"] for v in versions] == [1]


def test_concurrent_checklist_posts_make_one_checklist(
    site: tuple[Settings, int, int],
) -> None:
    settings, pilot, _ = site
    client, token = client_of(settings, "admin")
    url = f"/pilots/{pilot}/coaches/P08/checklist"

    def check(i: int) -> Any:
        form = {"csrf": token, "part": "focus", "status": "in_progress", "notes": f"n{i}"}
        return client.post(url, data=form, follow_redirects=False)

    assert at_once(POSTS, check) == [303] * POSTS
    checklist = client.get(f"/api/v1/pilots/{pilot}/coaches").json()
    [coach] = [c for c in checklist["coaches"] if c["person_id"] == "P08"]
    assert sorted(p["part"] for p in coach["checklist"]) == sorted(
        ["expectations", "performance", "development", "focus", "support"]
    )
