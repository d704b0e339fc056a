"""The Coaches page, a workgroup's page with its charter, and their JSON twins.

Supervisors of the small organization: P00 (CC), P08 (AR), P14 (ADV). Besides one
login per role, the coach P08, another supervisor P00 and two members (P09 in Group 1,
P10 in Group 2) log in. Workgroups are made directly in the store.
"""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient

from smartmoves.data.store import coaching as coaching_store
from smartmoves.data.store import db
from smartmoves.pathway._store import store
from smartmoves.pathway.create import coaching
from smartmoves.pathway.pilots import create_pilot, set_pilot_status
from smartmoves.pathway.setup.users import add_account
from smartmoves.settings import Settings

from services import ADMIN, account, new_workspace
from webutil import PASSWORD, csrf_of, load_demo_org, logged_in

PEOPLE = {"coach": ("supervisor", "P08"), "other": ("supervisor", "P00")}
PEOPLE |= {"member9": ("member", "P09"), "member10": ("member", "P10")}


@pytest.fixture(scope="module")
def site(module_store_backend: str | None, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("coaching-web")
    settings = load_demo_org(new_workspace(folder / "ws", module_store_backend), folder)
    for name, (role, person) in PEOPLE.items():
        add_account(settings, f"{name}@bank.example", role, PASSWORD, person_id=person)
    return settings


def _pilot(site: Settings) -> tuple[int, list[int]]:
    pilot = create_pilot(site, ADMIN, "Receivables", unit_id="AR", min_pilot=1).id
    set_pilot_status(site, ADMIN, pilot, "running")  # members see no draft pilot
    with db.transaction(store(site)) as session:
        groups = [
            coaching_store.add_workgroup(session, pilot, "Group 1", ["P09", "P12"]).id,
            coaching_store.add_workgroup(session, pilot, "Group 2", ["P10", "P13"]).id,
            coaching_store.add_workgroup(session, pilot, "Group 3", ["P11"]).id,
        ]
    return pilot, groups


def _client(site: Settings, name: str) -> TestClient:
    return logged_in(site, name)  # logs in as f"{name}@bank.example"


def _assign(client: TestClient, pilot: int, group: int, coach: str, htmx: bool = True):
    token = csrf_of(client.get(f"/pilots/{pilot}/coaches").text)
    return client.post(
        f"/pilots/{pilot}/coaches/assign",
        data={"csrf": token, "workgroup_id": str(group), "coach_id": coach},
        headers={"HX-Request": "true"} if htmx else {},
        follow_redirects=False,
    )


@pytest.mark.parametrize(
    ("role", "status"), [("admin", 200), ("champion", 200), ("supervisor", 200), ("member", 403)]
)
def test_who_may_open_the_coaches_page(site: Settings, role: str, status: int) -> None:
    pilot, _ = _pilot(site)
    client = logged_in(site, role)
    assert client.get(f"/pilots/{pilot}/coaches").status_code == status
    assert client.get(f"/api/v1/pilots/{pilot}/coaches").status_code == status
    assert (f"/pilots/{pilot}/coaches" in client.get(f"/pilots/{pilot}").text) == (status == 200)


def test_admins_and_champions_assign_at_most_two_per_coach(site: Settings) -> None:
    pilot, (a, b, c) = _pilot(site)
    champion = logged_in(site, "champion")
    first = _assign(champion, pilot, a, "P08")
    assert first.status_code == 200 and first.text.startswith('<div id="coach-board">')
    assert 'id="checklist-P08"' in first.text and "Expectations and vision" in first.text
    assert _assign(champion, pilot, b, "P08", htmx=False).status_code == 303
    third = _assign(champion, pilot, c, "P08")  # HTMX: the problem at the form, and a 400
    assert third.status_code == 400 and "data-problem" in third.text
    assert "already coaches 2 workgroups" in third.text and "coach-board" not in third.text
    assert _assign(champion, pilot, c, "P08", htmx=False).status_code == 400
    refused = _assign(champion, pilot, c, "P09", htmx=False)
    assert refused.status_code == 400 and "P09 is not a frontline supervisor" in refused.text
    assert [w.coach_id for w in coaching.coaches_view(site, ADMIN, pilot).workgroups] == [
        "P08",
        "P08",
        None,
    ]
    assert _assign(_client(site, "coach"), pilot, c, "P00").status_code == 403


def test_admins_and_champions_remove_a_coach(site: Settings) -> None:
    pilot, (a, b, _) = _pilot(site)
    champion = logged_in(site, "champion")
    _assign(champion, pilot, a, "P08")
    _assign(champion, pilot, b, "P08")
    page = champion.get(f"/pilots/{pilot}/coaches").text
    assert page.count(f'action="/pilots/{pilot}/coaches/remove"') == 2  # one per coached group
    token = csrf_of(page)
    removed = champion.post(
        f"/pilots/{pilot}/coaches/remove",
        data={"csrf": token, "workgroup_id": str(a)},
        headers={"HX-Request": "true"},
    )
    assert removed.status_code == 200 and removed.text.startswith('<div id="coach-board">')
    assert removed.text.count(f'action="/pilots/{pilot}/coaches/remove"') == 1
    assert [w.coach_id for w in coaching.coaches_view(site, ADMIN, pilot).workgroups] == [
        None,
        "P08",
        None,
    ]
    missing = champion.post(
        f"/pilots/{pilot}/coaches/remove",
        data={"csrf": token, "workgroup_id": "999999"},
        follow_redirects=False,
    )
    assert missing.status_code == 404 and "No workgroup 999999" in missing.text
    coach = _client(site, "coach")
    denied = coach.post(
        f"/pilots/{pilot}/coaches/remove",
        data={"csrf": csrf_of(coach.get(f"/pilots/{pilot}/coaches").text), "workgroup_id": str(b)},
    )
    assert denied.status_code == 403
    assert coaching.coaches_view(site, ADMIN, pilot).workgroups[1].coach_id == "P08"


def test_a_coach_updates_their_own_checklist_only(site: Settings) -> None:
    pilot, (a, *_) = _pilot(site)
    coaching.assign_coach(site, ADMIN, pilot, a, "P08")
    coach = _client(site, "coach")
    page = coach.get(f"/pilots/{pilot}/coaches").text
    assert f'action="/pilots/{pilot}/coaches/P08/checklist"' in page
    assert f'action="/pilots/{pilot}/coaches/assign"' not in page  # coaches do not assign
    response = coach.post(
        f"/pilots/{pilot}/coaches/P08/checklist",
        data={"csrf": csrf_of(page), "part": "focus", "status": "done", "notes": "Payment plans"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.startswith('<article id="checklist-P08"')
    focus = next(
        c
        for c in coaching.coaches_view(site, ADMIN, pilot).coaches[0].checklist
        if c.part == "focus"
    )
    assert (focus.status, focus.notes) == ("done", "Payment plans")
    other = _client(site, "other")
    page = other.get(f"/pilots/{pilot}/coaches").text
    assert "/coaches/P08/checklist" not in page and "Payment plans" in page  # reads only
    denied = other.post(
        f"/pilots/{pilot}/coaches/P08/checklist",
        data={"csrf": csrf_of(page), "part": "focus", "status": "todo"},
    )
    assert denied.status_code == 403
    api = coach.put(
        f"/api/v1/pilots/{pilot}/coaches/P08/checklist/support",
        json={"status": "in_progress"},
        headers={"X-CSRF-Token": csrf_of(page)},
    )
    assert api.status_code == 403  # the token belongs to the other session
    token = csrf_of(coach.get(f"/pilots/{pilot}/coaches").text)
    api = coach.put(
        f"/api/v1/pilots/{pilot}/coaches/P08/checklist/support",
        json={"status": "in_progress"},
        headers={"X-CSRF-Token": token},
    )
    assert api.status_code == 200 and api.json()["checklist"][4]["status"] == "in_progress"


def _save(client: TestClient, pilot: int, group: int, **fields: str):
    token = csrf_of(client.get(f"/pilots/{pilot}/workgroups/{group}").text)
    return client.post(
        f"/pilots/{pilot}/workgroups/{group}/charter",
        data={"csrf": token, **fields},
        follow_redirects=False,
    )


def test_workgroup_page_members_read_coach_edits_versions_kept(site: Settings) -> None:
    pilot, (a, b, _) = _pilot(site)
    coaching.assign_coach(site, ADMIN, pilot, a, "P08")
    coach = _client(site, "coach")
    page = coach.get(f"/pilots/{pilot}/workgroups/{a}").text
    assert "P09" in page and "P12" in page and "P08" in page
    assert f'href="/pilots/{pilot}/workgroups/{a}/connect"' in page
    assert "Write the charter" in page and "good-faith" in page  # prefilled draft
    saved = _save(
        coach,
        pilot,
        a,
        objective="Customers stay after a collection event",
        starting_problem="Customers in hardship do not know a payment plan exists",
        relaxed_metrics="Handling time\n\nCalls per hour",
    )
    assert saved.status_code == 303
    again = _save(
        logged_in(site, "champion"),
        pilot,
        a,
        objective="Customers stay after a collection event",
        starting_problem="The first call after a missed payment",
    )
    assert again.status_code == 303
    view = coaching.charter_view(site, ADMIN, a)
    assert [v.version for v in view.versions] == [2, 1]
    assert view.versions[1].content.relaxed_metrics == ["Handling time", "Calls per hour"]
    assert view.versions[0].created_by == "champion@bank.example"
    member = _client(site, "member9")
    page = member.get(f"/pilots/{pilot}/workgroups/{a}").text
    assert "The first call after a missed payment" in page and "Version 1" in page
    assert "<del>Customers in hardship do not know a payment plan exists</del>" in page
    assert "/charter" not in page  # no form for members
    assert _save(coach, pilot, a, objective="x").status_code == 400
    assert member.get(f"/pilots/{pilot}/workgroups/{b}").status_code == 403
    assert member.get(f"/api/v1/pilots/{pilot}/workgroups/{b}").status_code == 403
    assert _client(site, "member10").get(f"/pilots/{pilot}/workgroups/{b}").status_code == 200
    other = _client(site, "other")
    assert "Save as a new version" not in other.get(f"/pilots/{pilot}/workgroups/{a}").text
    token = csrf_of(other.get(f"/pilots/{pilot}/workgroups/{a}").text)
    denied = other.post(
        f"/pilots/{pilot}/workgroups/{a}/charter",
        data={"csrf": token, "objective": "x", "starting_problem": "y"},
    )
    assert denied.status_code == 403
    assert len(coaching.charter_view(site, ADMIN, a).versions) == 2


def test_charter_errors_come_back_in_the_form(site: Settings) -> None:
    pilot, (a, *_) = _pilot(site)
    admin = logged_in(site, "admin")
    token = csrf_of(admin.get(f"/pilots/{pilot}/workgroups/{a}").text)
    data = {"csrf": token, "objective": "New value", "shared_outcome": "kept in the form"}
    response = admin.post(
        f"/pilots/{pilot}/workgroups/{a}/charter", data=data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400 and "data-problem" in response.text
    assert "missing: starting problem" in response.text and 'id="charter"' not in response.text
    plain = admin.post(f"/pilots/{pilot}/workgroups/{a}/charter", data=data)
    assert plain.status_code == 400 and "missing: starting problem" in plain.text
    assert "kept in the form" in plain.text  # what the user typed
    assert admin.get(f"/pilots/{pilot}/workgroups/99999").status_code == 404
    assert admin.get(f"/pilots/{pilot + 1000}/workgroups/{a}").status_code == 404


def test_json_twins(site: Settings) -> None:
    pilot, (a, *_) = _pilot(site)
    admin = logged_in(site, "admin")
    token = csrf_of(admin.get(f"/pilots/{pilot}/coaches").text)
    headers = {"X-CSRF-Token": token}
    body = {"workgroup_id": a, "coach_id": "P08"}
    assert admin.post(f"/api/v1/pilots/{pilot}/coaches", json=body).status_code == 403
    assigned = admin.post(f"/api/v1/pilots/{pilot}/coaches", json=body, headers=headers)
    assert assigned.status_code == 200 and assigned.json()["person_id"] == "P08"
    bad = admin.post(
        f"/api/v1/pilots/{pilot}/coaches",
        json={"workgroup_id": a, "coach_id": "P09"},
        headers=headers,
    )
    assert bad.status_code == 400 and "not a frontline supervisor" in bad.text
    removed = admin.delete(f"/api/v1/pilots/{pilot}/workgroups/{a}/coach", headers=headers)
    assert removed.status_code == 200 and removed.json()["coach_id"] is None
    assert admin.delete(f"/api/v1/pilots/{pilot}/workgroups/{a}/coach").status_code == 403
    assert admin.post(f"/api/v1/pilots/{pilot}/coaches", json=body, headers=headers).is_success
    charter = {"objective": "New value", "starting_problem": "Hardship plans come too late"}
    posted = admin.post(
        f"/api/v1/pilots/{pilot}/workgroups/{a}/charter", json=charter, headers=headers
    )
    assert posted.status_code == 201 and posted.json()["current"]["version"] == 1
    missing = admin.post(
        f"/api/v1/pilots/{pilot}/workgroups/{a}/charter",
        json={"objective": "only this"},
        headers=headers,
    )
    assert missing.status_code == 400
    unknown = admin.post(
        f"/api/v1/pilots/{pilot}/workgroups/{a}/charter",
        json={**charter, "guardrails": "none"},
        headers=headers,
    )
    assert unknown.status_code == 422
    got = admin.get(f"/api/v1/pilots/{pilot}/workgroups/{a}/charter").json()
    assert [v["version"] for v in got["versions"]] == [1]
    group = admin.get(f"/api/v1/pilots/{pilot}/workgroups/{a}").json()
    assert group["focus"] == "Hardship plans come too late" and group["coach"]["person_id"] == "P08"
    assert [m["person_id"] for m in group["members"]] == ["P09", "P12"]


HTMX = {"HX-Request": "true"}


def _problem(response: Any, status: int) -> str:
    """The problem fragment HTMX gets for a refused post (never a fragment with a 200)."""
    assert response.status_code == status, response.text
    assert "data-problem" in response.text and "<html" not in response.text
    return unescape(response.text).lower()


def test_refused_htmx_posts_answer_with_their_status(site: Settings) -> None:
    pilot, (a, b, _) = _pilot(site)
    coaching.assign_coach(site, ADMIN, pilot, a, "P08")
    coach = _client(site, "coach")
    token = csrf_of(coach.get(f"/pilots/{pilot}/coaches").text)
    removed = coach.post(
        f"/pilots/{pilot}/coaches/remove",
        data={"csrf": token, "workgroup_id": str(a)},
        headers=HTMX,
    )
    assert "admins and champions assign coaches" in _problem(removed, 403)
    other = _client(site, "other")
    other_token = csrf_of(other.get(f"/pilots/{pilot}/coaches").text)
    check = {"csrf": other_token, "part": "focus", "status": "done"}
    denied = other.post(f"/pilots/{pilot}/coaches/P08/checklist", data=check, headers=HTMX)
    assert "the coach themself update a checklist" in _problem(denied, 403)
    bad = {"csrf": token, "part": "focus", "status": "finished"}
    wrong = coach.post(f"/pilots/{pilot}/coaches/P08/checklist", data=bad, headers=HTMX)
    assert "unknown status 'finished'" in _problem(wrong, 400)
    champion = logged_in(site, "champion")
    champion_token = csrf_of(champion.get(f"/pilots/{pilot}/coaches").text)
    assign = {"csrf": champion_token, "workgroup_id": str(b), "coach_id": "P99"}
    missing = champion.post(f"/pilots/{pilot}/coaches/assign", data=assign, headers=HTMX)
    assert "no person 'p99'" in _problem(missing, 404)
    member = _client(site, "member9")
    charter = {"csrf": csrf_of(member.get(f"/pilots/{pilot}/workgroups/{a}").text)}
    refused = member.post(
        f"/pilots/{pilot}/workgroups/{a}/charter",
        data={**charter, "objective": "x", "starting_problem": "y"},
        headers=HTMX,
    )
    assert "workgroup's coach edit its charter" in _problem(refused, 403)
    coaches = coaching.coaches_view(site, ADMIN, pilot)
    assert [w.coach_id for w in coaches.workgroups] == ["P08", None, None]
    assert coaches.coaches[0].checklist[3].status == "todo"
    assert coaching.charter_view(site, ADMIN, a).versions == []


def test_a_charter_form_saved_after_a_newer_version_overwrites_nothing(site: Settings) -> None:
    pilot, (a, *_) = _pilot(site)
    coaching.assign_coach(site, ADMIN, pilot, a, "P08")
    coach = _client(site, "coach")
    page = coach.get(f"/pilots/{pilot}/workgroups/{a}").text
    assert 'name="base_version" value="0"' in page  # the form says what it started from
    token = csrf_of(page)
    mine = {"objective": "The coach's objective", "starting_problem": "The coach's problem"}
    # Meanwhile the champion saves version 1.
    coaching.save_charter(
        site,
        account("champion"),
        a,
        coaching.CharterContent(objective="Champion's", starting_problem="Champion's problem"),
        base_version=0,
    )
    form = {"csrf": token, "base_version": "0", **mine}
    late = coach.post(f"/pilots/{pilot}/workgroups/{a}/charter", data=form, headers=HTMX)
    text = _problem(late, 409)
    assert "someone saved version 1 of this charter meanwhile" in text
    assert "nothing was overwritten" in text
    plain = coach.post(f"/pilots/{pilot}/workgroups/{a}/charter", data=form)
    assert plain.status_code == 409 and "nothing was overwritten" in plain.text
    assert "The coach&#39;s problem" in plain.text  # the text typed is kept in the form
    assert "Champion&#39;s problem" in plain.text  # and version 1 is shown above it
    assert 'name="base_version" value="1"' in plain.text  # saving again: on top of v1
    assert [v.version for v in coaching.charter_view(site, ADMIN, a).versions] == [1]
    again = coach.post(
        f"/pilots/{pilot}/workgroups/{a}/charter",
        data={**form, "base_version": "1"},
        headers=HTMX,
    )
    assert again.status_code == 200 and again.text.startswith('<section id="charter">')
    assert 'name="base_version" value="2"' in again.text


def test_the_api_takes_a_base_version(site: Settings) -> None:
    pilot, (a, *_) = _pilot(site)
    admin = logged_in(site, "admin")
    headers = {"X-CSRF-Token": csrf_of(admin.get(f"/pilots/{pilot}/workgroups/{a}").text)}
    charter = {"objective": "New value", "starting_problem": "Hardship plans come too late"}
    path = f"/api/v1/pilots/{pilot}/workgroups/{a}/charter"
    assert admin.get(path).json()["version"] == 0
    first = admin.post(path, json={**charter, "base_version": 0}, headers=headers)
    assert first.status_code == 201 and first.json()["version"] == 1
    stale = admin.post(
        path, json={**charter, "support": "More", "base_version": 0}, headers=headers
    )
    assert stale.status_code == 409
    assert "someone saved version 1 of this charter meanwhile" in stale.json()["detail"]
    assert admin.post(path, json={**charter, "support": "More"}, headers=headers).is_success
    assert admin.get(path).json()["version"] == 2


def test_the_connect_link_is_offered_only_to_who_may_open_it(site: Settings) -> None:
    pilot, (a, b, _) = _pilot(site)
    coaching.assign_coach(site, ADMIN, pilot, a, "P08")
    link = f'href="/pilots/{pilot}/workgroups/{a}/connect"'
    for name in ("admin", "champion", "coach", "member9"):
        assert link in _client(site, name).get(f"/pilots/{pilot}/workgroups/{a}").text, name
    for name in ("other", "supervisor"):  # supervisors who do not coach it
        page = _client(site, name).get(f"/pilots/{pilot}/workgroups/{a}").text
        assert "/connect" not in page and "P09" in page, name
    assert "/connect" not in _client(site, "coach").get(f"/pilots/{pilot}/workgroups/{b}").text
