"""Pilots: admins and champions start them (form and API); members see every pilot but
the drafts."""

from __future__ import annotations

import pytest

from smartmoves.errors import ConfigError, Forbidden, NotFound
from smartmoves.pathway import pilots
from smartmoves.settings import Settings

from services import ADMIN, account, new_workspace
from webutil import csrf_of, load_demo_org, logged_in


@pytest.fixture(scope="module")
def site(module_store_backend: str | None, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("pilots")
    return load_demo_org(new_workspace(folder / "ws", module_store_backend), folder)


def test_create_and_read_a_pilot(site: Settings) -> None:
    pilot = pilots.create_pilot(
        site, account("champion"), "Receivables pilot", unit_id="AR", opportunity="Keep them"
    )
    assert pilot.unit_name == "Accounts receivable" and pilot.status == "draft"
    assert pilots.get_pilot(site, ADMIN, pilot.id) == pilot
    assert pilot in pilots.list_pilots(site, ADMIN)
    assert pilot not in pilots.list_pilots(site, account("member", "P03"))  # a draft
    with pytest.raises(NotFound):
        pilots.get_pilot(site, account("member", "P03"), pilot.id)
    with pytest.raises(Forbidden):
        pilots.set_pilot_status(site, account("supervisor"), pilot.id, "recruiting")
    moved = pilots.set_pilot_status(site, account("champion"), pilot.id, "recruiting")
    assert moved.status == "recruiting"
    assert pilots.get_pilot(site, account("member", "P03"), pilot.id).status == "recruiting"
    with pytest.raises(Forbidden, match="admins and champions start pilots"):
        pilots.create_pilot(site, account("supervisor"), "Mine", unit_id="AR")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": " "}, "needs a name"),
        ({"name": "x", "unit_id": "NOPE"}, "no unit 'NOPE'"),
        ({"name": "x", "target_free": 1.5}, "target_free"),
        ({"name": "x", "min_pilot": 70, "max_pilot": 60}, "min_pilot 70"),
    ],
)
def test_bad_pilots_are_refused(site: Settings, kwargs: dict, message: str) -> None:
    before = pilots.list_pilots(site, ADMIN)
    with pytest.raises(ConfigError, match=message):
        pilots.create_pilot(site, ADMIN, **kwargs)
    assert pilots.list_pilots(site, ADMIN) == before


def test_unknown_pilot(site: Settings) -> None:
    with pytest.raises(NotFound):
        pilots.get_pilot(site, ADMIN, 9999)


def test_admin_creates_a_pilot_with_the_form(site: Settings) -> None:
    client = logged_in(site, "admin")
    page = client.get("/pilots")
    response = client.post(
        "/pilots",
        data={"name": "Contact center pilot", "unit_id": "CC", "csrf": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    pilot_page = client.get(response.headers["location"])
    assert "Contact center pilot" in pilot_page.text and "Contact center" in pilot_page.text
    bad = client.post("/pilots", data={"name": "", "unit_id": "CC", "csrf": csrf_of(page.text)})
    assert bad.status_code == 422


def test_a_champion_starts_a_pilot_and_a_bad_one_is_shown_at_the_form(site: Settings) -> None:
    client = logged_in(site, "champion")
    page = client.get("/pilots")
    assert "New pilot" in page.text
    token = csrf_of(page.text)
    bad = client.post("/pilots", data={"name": "  ", "unit_id": "CC", "csrf": token})
    assert bad.status_code == 400 and "A pilot needs a name" in bad.text
    assert 'value="CC" selected' in bad.text  # what was chosen stays
    done = client.post(
        "/pilots",
        data={"name": "Champion pilot", "unit_id": "CC", "csrf": token},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].startswith("/pilots/")


def test_members_see_pilots_but_cannot_create_them(site: Settings) -> None:
    client = logged_in(site, "member")
    page = client.get("/pilots")
    assert page.status_code == 200 and "New pilot" not in page.text
    response = client.post("/pilots", data={"name": "Mine", "csrf": csrf_of(page.text)})
    assert response.status_code == 403


def test_api_twin_and_csrf_on_writes(site: Settings) -> None:
    client = logged_in(site, "admin")
    token = csrf_of(client.get("/pilots").text)
    refused = client.post("/api/v1/pilots", json={"name": "API pilot"})
    assert refused.status_code == 403
    created = client.post(
        "/api/v1/pilots",
        json={"name": "API pilot", "unit_id": "CC"},
        headers={"X-CSRF-Token": token},
    )
    assert created.status_code == 201 and created.json()["unit_name"] == "Contact center"
    pilot_id = created.json()["id"]
    assert client.get(f"/api/v1/pilots/{pilot_id}").json()["name"] == "API pilot"
    assert any(p["id"] == pilot_id for p in client.get("/api/v1/pilots").json())
    assert client.get("/api/v1/pilots/9999").status_code == 404
