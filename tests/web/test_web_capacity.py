"""The Create-capacity page and its JSON twin: admins decide and plan; champions and
supervisors read aggregates; members may not open it."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from smartmoves.pathway import capacity, capacity_plan
from smartmoves.pathway.pilots import create_pilot
from smartmoves.settings import Settings

from services import new_workspace
from webutil import csrf_of, load_demo_org, logged_in

ACTIVITIES = ["A-RECON", "A-CALLS", "A-REPORT"]  # the page's order: most hours freed first


@pytest.fixture(scope="module")
def site(module_store_backend: str | None, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("capacity-web")
    return load_demo_org(new_workspace(folder / "ws", module_store_backend), folder)


def _pilot(site: Settings) -> int:
    return create_pilot(site, "Receivables", unit_id="AR", min_pilot=1).id


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
    saved = capacity.capacity_view(site, pilot, person_level=True).decisions
    assert {(d.activity_id, d.decision) for d in saved} == {
        ("A-RECON", "automate"),
        ("A-CALLS", "keep"),
        ("A-REPORT", "stop"),
    }
    refused = _decide(client, pilot, ["automate", "keep", "automate"])
    assert refused.status_code == 200 and 'role="alert"' in refused.text
    assert "A-REPORT" in refused.text.split('role="alert">')[1].split("</p>")[0]
    assert capacity.capacity_view(site, pilot, person_level=True).decisions == saved
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
    saved = capacity_plan.read_current_plan(site, pilot)
    assert saved is not None and saved.created_by == "admin@bank.example"
    assert saved.status == "optimal" and saved.parameters["time_limit"] == 5

    page = _page(admin, pilot)
    assert "The best plan there is: it frees 1 of 1 volunteers" in page
    assert "Freed volunteers" in page and "<td>P09</td>" in page
    assert re.search(r"<td>P1[0-3]</td>", page)  # receivers, by person
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
    assert capacity_plan.read_current_plan(site, pilot) is None  # nothing was planned


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
    assert plan.status_code == 200, plan.text
    assert plan.json()["status"] == "optimal" and plan.json()["freed"][0]["person_id"] == "P09"

    champion = logged_in(site, "champion").get(f"/api/v1/pilots/{pilot}/capacity").json()
    assert champion["person_level"] is False and champion["freed"] == 78
    assert all(a["person_ids"] is None for a in champion["activities"])
    shown = champion["plan"]
    assert shown["freed"] is shown["receivers"] is shown["handoffs"] is None
    assert shown["freed_count"] is None and shown["receivers_count"] == 5
    assert "volunteers" not in shown["parameters"]
    schema = admin.get("/api/v1/openapi.json").json()
    assert "/api/v1/pilots/{pilot_id}/capacity" in schema["paths"]
