"""Kept answers (web/bodies.py, api/kept.py): a page or a JSON answer seen again comes
from memory, yet every write shows on the very next request, each session keeps its own
CSRF token, and a logout or a role change takes effect at once.

Each test asks once before the change (so the answer is kept), changes the data through
the product (an import, a decision, a charter save, a new pilot, a role change, a
logout), then asks again.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from smartmoves.data.store import coaching as coaching_store
from smartmoves.data.store import db
from smartmoves.pathway._store import store
from smartmoves.pathway.create import coaching
from smartmoves.pathway.pilots import create_pilot, set_pilot_status
from smartmoves.pathway.setup import users
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.settings import Settings
from smartmoves.web.bodies import CSRF_PLACEHOLDER

from orgfiles import people_csv, write_org
from services import ADMIN, new_workspace
from webutil import PASSWORD, csrf_of, load_demo_org, logged_in, login_as

ACTIVITIES = ["A-RECON", "A-CALLS", "A-REPORT"]


@pytest.fixture(scope="module")
def site(module_store_backend: str | None, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("kept-answers")
    return load_demo_org(new_workspace(folder / "ws", module_store_backend), folder)


def _hx_token(html: str) -> str:
    found = re.search(r'"X-CSRF-Token": "([^"]+)"', html)
    assert found, "no token in the page's HTMX headers"
    return found.group(1)


def _ok(client: TestClient, path: str, **headers: str):
    answer = client.get(path, headers=headers)
    assert answer.status_code == 200, f"{path}: {answer.status_code}"
    return answer


def test_a_kept_page_carries_each_sessions_own_token(site: Settings) -> None:
    one, two = logged_in(site, "champion"), logged_in(site, "champion")
    first, again, other = _ok(one, "/").text, _ok(one, "/").text, _ok(two, "/").text
    assert first == again and CSRF_PLACEHOLDER not in first + other
    assert csrf_of(first) == _hx_token(first) != csrf_of(other) == _hx_token(other)
    assert first.replace(csrf_of(first), "") == other.replace(csrf_of(other), "")
    # The token a kept page carries is the session's: a form posted with it goes through.
    answer = two.post("/logout", data={"csrf": csrf_of(other)}, follow_redirects=False)
    assert answer.status_code == 303
    assert one.post("/logout", data={"csrf": csrf_of(other)}).status_code == 403


def test_logout_takes_effect_at_once(site: Settings) -> None:
    client = logged_in(site, "admin")
    page = _ok(client, "/pilots").text
    tag = _ok(client, "/api/v1/overview").headers["etag"]
    client.post("/logout", data={"csrf": csrf_of(page)})
    answer = client.get("/pilots", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    assert client.get("/api/v1/overview", headers={"If-None-Match": tag}).status_code == 401


def test_a_page_kept_for_one_role_is_not_shown_to_another(site: Settings) -> None:
    admin, member = logged_in(site, "admin"), logged_in(site, "member")
    assert 'href="/admin/users"' in _ok(admin, "/").text
    assert 'href="/admin/users"' not in _ok(member, "/").text
    assert _ok(admin, "/api/v1/me").json()["role"] == "admin"
    assert _ok(member, "/api/v1/me").json()["role"] == "member"


def test_a_role_change_shows_on_the_next_page(site: Settings) -> None:
    email = "changing@bank.example"
    users.add_account(site, email, "champion", PASSWORD, display_name="Changing")
    client = login_as(site, email)
    assert 'href="/network"' in _ok(client, "/").text
    users.set_role(site, ADMIN, email, "member")
    assert client.get("/", follow_redirects=False).status_code == 303  # logged out
    client = login_as(site, email)
    assert 'href="/network"' not in _ok(client, "/").text
    assert client.get("/api/v1/network/units").status_code == 403


def test_an_import_shows_on_the_next_page_and_answer(site: Settings, tmp_path: Path) -> None:
    client = logged_in(site, "champion")
    before = _ok(client, "/api/v1/overview")
    page = _ok(client, "/").text
    kept = client.get("/api/v1/overview", headers={"If-None-Match": before.headers["etag"]})
    assert kept.status_code == 304 and kept.content == b""
    extra = "P16,CC,agent,L1,P00,no,40,2020-01-15,excel,2\n"
    import_files(site, find_table_files(write_org(tmp_path / "org", people=people_csv() + extra)))
    after = client.get("/api/v1/overview", headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    assert after.json()["headcount"] == before.json()["headcount"] + 1
    assert _ok(client, "/").text != page


def test_a_decision_shows_on_the_next_page(site: Settings) -> None:
    pilot = create_pilot(site, ADMIN, "Decisions", unit_id="AR", min_pilot=1).id
    admin = logged_in(site, "admin")
    page = _ok(admin, f"/pilots/{pilot}/capacity").text
    twin = _ok(admin, f"/api/v1/pilots/{pilot}/capacity")
    answer = admin.post(
        f"/pilots/{pilot}/capacity/decisions",
        data={
            "csrf": csrf_of(page),
            "activity_id": ACTIVITIES,
            "decision": ["stop", "keep", "stop"],
            "suggested": ["automate", "keep", "stop"],
        },
    )
    assert answer.status_code == 200, answer.text
    again = _ok(
        admin, f"/api/v1/pilots/{pilot}/capacity", **{"If-None-Match": twin.headers["etag"]}
    )
    assert again.headers["etag"] != twin.headers["etag"]
    decided = {r["activity_id"]: r["decision"] for r in again.json()["decisions"]}
    assert decided.get("A-RECON") == "stop"
    assert _ok(admin, f"/pilots/{pilot}/capacity").text != page


def test_a_charter_save_and_a_new_pilot_show_on_the_next_page(site: Settings) -> None:
    pilot = create_pilot(site, ADMIN, "Charters", unit_id="AR", min_pilot=1).id
    set_pilot_status(site, ADMIN, pilot, "running")
    with db.transaction(store(site)) as session:
        group = coaching_store.add_workgroup(session, pilot, "Group K", ["P09", "P12"]).id
    champion = logged_in(site, "champion")
    path = f"/pilots/{pilot}/workgroups/{group}"
    assert "Kept-answer objective" not in _ok(champion, path).text
    twin = _ok(champion, f"/api/v1{path}")
    content = coaching.CharterContent(objective="Kept-answer objective", starting_problem="p")
    coaching.save_charter(site, ADMIN, group, content, pilot_id=pilot)
    assert "Kept-answer objective" in _ok(champion, path).text
    assert "Kept-answer objective" in _ok(champion, f"/api/v1{path}").text
    assert _ok(champion, f"/api/v1{path}").headers["etag"] != twin.headers["etag"]
    listed = _ok(champion, "/pilots").text
    create_pilot(site, ADMIN, "A pilot made later", unit_id="CC", min_pilot=1)
    assert "A pilot made later" in _ok(champion, "/pilots").text != listed
    assert "A pilot made later" in _ok(champion, "/api/v1/pilots").text


def test_a_kept_answer_is_what_fastapi_would_encode(site: Settings) -> None:
    from smartmoves.pathway.recognize import organization

    client = logged_in(site, "champion")
    view = organization.overview(site, ADMIN)
    assert _ok(client, "/api/v1/overview").json() == view.model_dump(mode="json")
    assert client.get("/api/v1/overview", headers={"If-None-Match": "*"}).status_code == 304
