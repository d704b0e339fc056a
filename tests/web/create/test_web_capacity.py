"""The Create-capacity page and its JSON twin: admins decide and plan; champions and
supervisors read aggregates; members may not open it. A refused HTMX post answers with
the problem fragment (``data-problem``) and its real 4xx status."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from smartmoves.engines.capacity import Consolidation
from smartmoves.pathway.create import capacity
from smartmoves.pathway.pilots import create_pilot
from smartmoves.settings import Settings

from services import ADMIN, account, new_workspace
from webutil import csrf_of, load_demo_org, logged_in

ACTIVITIES = ["A-RECON", "A-CALLS", "A-REPORT"]  # the page's order: most hours freed first


@pytest.fixture(scope="module")
def site(module_store_backend: str | None, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("capacity-web")
    return load_demo_org(new_workspace(folder / "ws", module_store_backend), folder)


def _pilot(site: Settings) -> int:
    return create_pilot(site, ADMIN, "Receivables", unit_id="AR", min_pilot=1).id


def _page(client: TestClient, pilot: int) -> str:
    response = client.get(f"/pilots/{pilot}/capacity")
    assert response.status_code == 200, response.text
    return response.text


def _decide(client: TestClient, pilot: int, decisions: list[str], **extra: str):
    token = csrf_of(client.get(f"/pilots/{pilot}/capacity").text)
    return client.post(
        f"/pilots/{pilot}/capacity/decisions",
        data={
            "csrf": token,
            "activity_id": ACTIVITIES,
            "decision": decisions,
            "suggested": ["automate", "keep", "stop"],
            **extra,
        },
        headers={"HX-Request": "true"},
    )


@pytest.mark.parametrize(
    ("role", "status"), [("admin", 200), ("champion", 200), ("supervisor", 200), ("member", 403)]
)
def test_who_may_open_the_page(site: Settings, role: str, status: int) -> None:
    pilot = _pilot(site)
    client = logged_in(site, role)
    assert client.get(f"/pilots/{pilot}/capacity").status_code == status
    assert client.get(f"/api/v1/pilots/{pilot}/capacity").status_code == status
    listed = client.get(f"/pilots/{pilot}").text
    assert (f"/pilots/{pilot}/capacity" in listed) == (status == 200)


def test_htmx_decision_update_recounts_the_hours(site: Settings) -> None:
    pilot = _pilot(site)
    client = logged_in(site, "admin")
    page = _page(client, pilot)
    assert "These decisions free <strong>0</strong> of 240 hours" in page
    assert re.search(r'value="automate"\s+disabled', page)  # A-REPORT has no estimate
    response = _decide(client, pilot, ["automate", "keep", "stop"])
    assert response.status_code == 200
    fragment = response.text
    assert fragment.startswith('<div id="capacity-decisions">') and "<html" not in fragment
    assert "These decisions free <strong>78</strong> of 240 hours" in fragment  # 48 + 30
    saved = capacity.capacity_view(site, ADMIN, pilot).decisions
    assert {(d.activity_id, d.decision) for d in saved} == {
        ("A-RECON", "automate"),
        ("A-CALLS", "keep"),
        ("A-REPORT", "stop"),
    }
    refused = _decide(client, pilot, ["automate", "keep", "automate"])
    assert refused.status_code == 422 and "data-problem" in refused.text
    # (_problem.html capitalizes the message, which lowercases the rest of it.)
    assert "a-report" in refused.text.lower() and "capacity-decisions" not in refused.text
    assert capacity.capacity_view(site, ADMIN, pilot).decisions == saved
    accepted = _decide(client, pilot, ["keep", "keep", "keep"], action="accept")
    assert "These decisions free <strong>78</strong>" in accepted.text


def test_writes_need_an_admin_and_the_csrf_token(site: Settings) -> None:
    pilot = _pilot(site)
    champion = logged_in(site, "champion")
    token = csrf_of(champion.get(f"/pilots/{pilot}/capacity").text)
    denied = champion.post(f"/pilots/{pilot}/capacity/plan", data={"csrf": token})
    assert denied.status_code == 403
    admin = logged_in(site, "admin")
    assert admin.post(f"/pilots/{pilot}/capacity/plan", data={}).status_code == 403


def test_admins_see_the_forms_champions_and_supervisors_only_read(site: Settings) -> None:
    pilot = _pilot(site)
    admin = _page(logged_in(site, "admin"), pilot)
    assert f'action="/pilots/{pilot}/capacity/decisions"' in admin and "<select" in admin
    assert f'action="/pilots/{pilot}/capacity/plan"' in admin and 'name="max_load"' in admin
    # The bounds, in the words a refusal uses.
    assert capacity.load_bound().capitalize() in admin
    assert 'min="0.1" max="1.5"' in admin and 'min="1" max="60"' in admin
    assert "Search seconds: 1 to 60 from this page" in admin
    for role in ("champion", "supervisor"):
        page = _page(logged_in(site, role), pilot)
        assert "/capacity/decisions" not in page and "/capacity/plan" not in page
        assert "<select" not in page and 'name="max_load"' not in page
        assert "An admin computes it once the decisions are made" in page


@pytest.mark.parametrize(
    ("role", "path", "words"),
    [
        ("champion", "decisions", "admins decide what to automate, stop or keep"),
        ("supervisor", "decisions", "admins decide what to automate, stop or keep"),
        ("champion", "plan", "admins compute the capacity plan"),
        ("supervisor", "plan", "admins compute the capacity plan"),
        ("member", "plan", "admins compute the capacity plan"),
    ],
)
def test_a_refused_htmx_post_shows_the_policys_words_with_403(
    site: Settings, role: str, path: str, words: str
) -> None:
    pilot = _pilot(site)
    client = logged_in(site, role)
    token = csrf_of(client.get("/").text)
    data = {"csrf": token, "activity_id": ACTIVITIES, "decision": ["keep"] * 3}
    refused = client.post(
        f"/pilots/{pilot}/capacity/{path}", data=data, headers={"HX-Request": "true"}
    )
    assert refused.status_code == 403 and "data-problem" in refused.text
    assert words.capitalize() in refused.text and "<html" not in refused.text
    assert capacity.read_current_plan(site, pilot) is None
    assert capacity.capacity_view(site, ADMIN, pilot).decisions == []


def test_plan_bounds_are_refused_at_the_form_in_its_words(site: Settings) -> None:
    pilot = _pilot(site)
    admin = logged_in(site, "admin")
    token = csrf_of(_page(admin, pilot))
    data = {"csrf": token, "max_load": "5", "time_limit": "1000"}
    url = f"/pilots/{pilot}/capacity/plan"
    refused = admin.post(url, data=data, headers={"HX-Request": "true"})
    assert refused.status_code == 400 and "data-problem" in refused.text
    said = refused.text.lower()
    assert f"{capacity.load_bound()}, not 5".lower() in said.lower()
    assert "search seconds: 1 to 60, not 1000" in said
    # Without JavaScript: the page again, with the error and what was typed.
    page = admin.post(url, data=data)
    assert page.status_code == 400 and 'role="alert"' in page.text
    assert f"{capacity.load_bound()}, not 5".lower() in page.text.lower()
    assert 'name="max_load" type="number" min="0.1" max="1.5" step="0.05" value="5"' in page.text
    assert 'value="1000"' in page.text
    for edge in ({"time_limit": "0"}, {"max_load": "0.05"}, {"max_load": "nan"}):
        answer = admin.post(url, data={"csrf": token, **edge}, headers={"HX-Request": "true"})
        assert answer.status_code == 400 and "data-problem" in answer.text
    assert capacity.read_current_plan(site, pilot) is None  # nothing was planned
    api = admin.post(
        f"/api/v1{url}", json={"max_load": 5, "time_limit": 100}, headers={"X-CSRF-Token": token}
    )
    assert api.status_code == 400  # the API had allowed up to 600 s, and a load of 2
    assert api.json()["detail"] == (
        f"{capacity.load_bound()}, not 5; search seconds: 1 to 60, not 100 "
        "(longer searches: smartmoves capacity plan --time-limit)"
    )
    assert capacity.read_current_plan(site, pilot) is None


def test_a_plan_made_stale_meanwhile_fails_its_job_and_says_why(
    site: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    pilot = _pilot(site)
    admin = logged_in(site, "admin")
    token = csrf_of(_page(admin, pilot))
    original = Consolidation.plan
    other = account("admin", email="other@bank.example")

    def plan(self: Consolidation, *args: Any, **kwargs: Any) -> Any:
        monkeypatch.setattr(Consolidation, "plan", original)  # the newer request plans as usual
        capacity.plan_for_pilot(site, other, pilot, time_limit=5)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Consolidation, "plan", plan)
    stale = admin.post(
        f"/pilots/{pilot}/capacity/plan",
        data={"csrf": token, "max_load": "1.0", "time_limit": "5"},
        headers={"HX-Request": "true"},
    )
    # The plan runs as a job (here at once: no worker pool); the panel says how it ended.
    assert stale.status_code == 200 and "data-problem" in stale.text
    assert "another plan was saved for this pilot by other@bank.example" in stale.text
    assert "nothing was overwritten" in stale.text
    job = capacity.plan_job(site, account("admin"), pilot)
    assert (
        job is not None
        and job.status == "failed"
        and "nothing was overwritten" in (job.message or "")
    )
    saved = capacity.read_current_plan(site, pilot)
    assert saved is not None and saved.created_by == "other@bank.example"


def test_the_plan_is_saved_and_shown_person_level_rows_to_admins_only(site: Settings) -> None:
    pilot = _pilot(site)
    admin = logged_in(site, "admin")
    _decide(admin, pilot, ["automate", "keep", "stop"])
    token = csrf_of(_page(admin, pilot))
    response = admin.post(
        f"/pilots/{pilot}/capacity/plan",
        data={"csrf": token, "max_load": "1.0", "time_limit": "5"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    saved = capacity.read_current_plan(site, pilot)
    assert saved is not None and saved.created_by == "admin@bank.example"
    assert saved.status == "optimal" and saved.parameters["time_limit"] == 5

    page = _page(admin, pilot)
    assert "The best plan there is: it frees 1 of 1 volunteers" in page
    assert "Freed volunteers" in page and 'class="id">P09<' in page
    assert re.search(r'class="id">P1[0-3]<', page)  # receivers, by person
    for role in ("champion", "supervisor"):
        other = _page(logged_in(site, role), pilot)
        assert "Receivers by load" in other and "Freed volunteers" not in other
        assert not re.search(r"P0[89]|P1[0-3]", other)  # no person anywhere on the page
        assert "volunteers freed" in other and "fewer than 5" in other

    again = admin.post(
        f"/pilots/{pilot}/capacity/plan",
        data={"csrf": token, "max_load": "0.5", "time_limit": "5"},
        headers={"HX-Request": "true"},
    )
    assert again.status_code == 200 and again.text.startswith('<div id="capacity-plan">')
    assert "infeasible" in again.text and "Plan 2 of this pilot" in again.text


def test_a_form_value_that_is_not_a_number_gets_a_page_naming_the_field(site: Settings) -> None:
    pilot = _pilot(site)
    admin = logged_in(site, "admin")
    token = csrf_of(_page(admin, pilot))
    response = admin.post(
        f"/pilots/{pilot}/capacity/plan", data={"csrf": token, "max_load": "lots"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "max_load: input should be a valid number" in response.text
    assert capacity.read_current_plan(site, pilot) is None  # nothing was planned
    # HTMX: the problem fragment, shown at the form, names the field and why.
    fragment = admin.post(
        f"/pilots/{pilot}/capacity/plan",
        data={"csrf": token, "max_load": "abc", "time_limit": "5"},
        headers={"HX-Request": "true"},
    )
    assert fragment.status_code == 422 and "data-problem" in fragment.text
    assert "<html" not in fragment.text
    assert "max_load: input should be a valid number" in fragment.text
    assert capacity.read_current_plan(site, pilot) is None


def test_json_twin(site: Settings) -> None:
    pilot = _pilot(site)
    admin = logged_in(site, "admin")
    token = csrf_of(admin.get(f"/pilots/{pilot}/capacity").text)
    assert admin.get(f"/api/v1/pilots/{pilot}/capacity/plan").status_code == 404
    body = [
        {"activity_id": "A-RECON", "decision": "automate"},
        {"activity_id": "A-REPORT", "decision": "stop"},
    ]
    assert admin.put(f"/api/v1/pilots/{pilot}/capacity/decisions", json=body).status_code == 403
    saved = admin.put(
        f"/api/v1/pilots/{pilot}/capacity/decisions", json=body, headers={"X-CSRF-Token": token}
    )
    assert saved.status_code == 200 and len(saved.json()) == 2
    bad = admin.put(
        f"/api/v1/pilots/{pilot}/capacity/decisions",
        json=[{"activity_id": "A-NOPE", "decision": "stop"}],
        headers={"X-CSRF-Token": token},
    )
    assert bad.status_code == 422 and "'A-NOPE' unknown" in bad.json()["problems"][0]
    plan = admin.post(
        f"/api/v1/pilots/{pilot}/capacity/plan",
        json={"time_limit": 5},
        headers={"X-CSRF-Token": token},
    )
    # A background job: 202 with the job (done at once here: the test client starts no
    # worker pool), then the plan is read as usual.
    assert plan.status_code == 202, plan.text
    assert plan.headers["location"] == f"/api/v1/jobs/{plan.json()['id']}"
    job = admin.get(plan.headers["location"]).json()
    assert job["status"] == "done" and job["result"]["freed"] == 1
    kept = admin.get(f"/api/v1/pilots/{pilot}/capacity/plan").json()
    assert kept["status"] == "optimal" and kept["freed"][0]["person_id"] == "P09"

    champion = logged_in(site, "champion").get(f"/api/v1/pilots/{pilot}/capacity").json()
    assert champion["person_level"] is False and champion["freed"] == 78
    assert all(a["person_ids"] is None for a in champion["activities"])
    shown = champion["plan"]
    assert shown["freed"] is shown["receivers"] is shown["handoffs"] is None
    assert shown["freed_count"] is None and shown["receivers_count"] == 5
    assert "volunteers" not in shown["parameters"]
    schema = admin.get("/api/v1/openapi.json").json()
    assert "/api/v1/pilots/{pilot_id}/capacity" in schema["paths"]
