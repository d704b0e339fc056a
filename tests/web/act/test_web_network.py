"""The network pages and their JSON twins: who may open which, and what each role sees.

The organization is ``orgfiles``'s: CC (P00-P07), AR (P08-P13), ADV (P14-P15, suppressed).
P03 hears from P01, who met P00, P02 and P08 (AR): P08 is two steps from P03, in another
unit. P09 applied about disputed invoices and wrote about invoices.
"""

from __future__ import annotations

import json

import pytest

from smartmoves.data.store import db
from smartmoves.data.store.models import Workgroup, WorkgroupMember
from smartmoves.pathway._store import store
from smartmoves.pathway.act.connect.views import unit_reading
from smartmoves.pathway.pilots import create_pilot, set_pilot_status
from smartmoves.pathway.setup.users import add_account
from smartmoves.settings import Settings

from services import ADMIN, new_workspace
from webutil import PASSWORD, load_demo_org, logged_in, login_as

# email -> (role, person_id)
PEOPLE_LOGINS = {
    "p03@bank.example": ("member", "P03"),  # in the workgroup
    "p10@bank.example": ("member", "P10"),  # not in it
    "p08@bank.example": ("supervisor", "P08"),  # its coach
    "p00@bank.example": ("supervisor", "P00"),  # another supervisor
}
UNITS_KEYS = {"min_group_size", "units", "unit_matrix", "communities", "summary", "parameters"}


@pytest.fixture(scope="module")
def site(module_store_backend: str | None, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("network-web")
    settings = load_demo_org(new_workspace(folder / "ws", module_store_backend), folder)
    for email, (role, person) in PEOPLE_LOGINS.items():
        add_account(settings, email, role, PASSWORD, person_id=person)
    return settings


@pytest.fixture(scope="module")
def workgroup(site: Settings) -> tuple[int, int]:
    pilot = create_pilot(site, ADMIN, "Receivables", unit_id="AR", opportunity="late payments")
    set_pilot_status(site, ADMIN, pilot.id, "running")  # members never see a draft
    with db.transaction(store(site)) as session:
        group = Workgroup(
            pilot_id=pilot.id, name="Disputes", focus="disputed invoices", coach_id="P08"
        )
        other = Workgroup(pilot_id=pilot.id, name="Calls", focus=None)
        session.add_all([group, other])
        session.flush()
        session.add(WorkgroupMember(pilot_id=pilot.id, workgroup_id=group.id, person_id="P03"))
        session.add(WorkgroupMember(pilot_id=pilot.id, workgroup_id=other.id, person_id="P12"))
        return pilot.id, group.id


@pytest.mark.parametrize(
    ("role", "status"), [("admin", 200), ("champion", 200), ("supervisor", 200), ("member", 403)]
)
def test_unit_view_is_for_champions_supervisors_and_admins(
    site: Settings, role: str, status: int
) -> None:
    client = logged_in(site, role)
    page = client.get("/network")
    assert page.status_code == status
    api = client.get("/api/v1/network/units")
    assert api.status_code == status
    if status != 200:
        return
    assert "Collaboration between units" in page.text and "data-chart" in page.text
    assert "suppressed (fewer than 5 people, or beside" in page.text  # ADV has two people
    data = api.json()
    assert set(data) == UNITS_KEYS
    units = {u["unit_id"]: u for u in data["units"]}
    assert units["ADV"]["suppressed"] and units["ADV"]["ei_index"] is None
    # Its headcount too: hidden units and communities show no size.
    assert units["ADV"]["size"] is None and units["CC"]["size"] == 8
    assert all(c["size"] is None for c in data["communities"] if c["suppressed"])
    assert units["CC"]["internal_ties"] == 4 and units["CC"]["external_ties"] == 3
    # E-I (4 inside, 3 outside: below 0) and the external share, read together.
    assert units["CC"]["reading"] == unit_reading(
        units["CC"]["ei_index"], units["CC"]["external_weight_share"]
    )
    assert units["CC"]["ei_index"] < 0 and units["CC"]["reading"] in page.text
    assert units["ADV"]["reading"] is None
    # No person-level field anywhere: no person ids, no betweenness, no people list.
    text = json.dumps(data)
    assert "person_id" not in text and 'betweenness":' not in text.replace('"betweenness": {', "")
    assert not any(f"P{i:02d}" in text for i in range(16))


def test_supervisor_json_has_no_person_level_fields(site: Settings) -> None:
    client = logged_in(site, "supervisor")
    assert client.get("/api/v1/network/people").status_code == 403
    assert client.get("/admin/network").status_code == 403
    mine = client.get("/api/v1/me/network")  # no person linked to this login
    assert mine.status_code == 403 and "not linked to a person" in mine.json()["detail"]


@pytest.mark.parametrize("role", ["champion", "supervisor", "member"])
def test_person_level_table_is_for_admins_only(site: Settings, role: str) -> None:
    client = logged_in(site, role)
    assert client.get("/admin/network").status_code == 403
    assert client.get("/api/v1/network/people").status_code == 403


def test_admin_sees_people_brokers_and_communities(site: Settings) -> None:
    client = logged_in(site, "admin")
    page = client.get("/admin/network")
    assert page.status_code == 200 and "Brokers" in page.text and "P09" in page.text
    data = client.get("/api/v1/network/people").json()
    people = {p["person_id"]: p for p in data["people"]}
    assert len(people) == 16 and people["P09"]["external_contacts"] == 2
    assert people["P01"]["degree"] == 4  # P00, P02, P03, P08
    assert set(data) >= {"people", "brokers", "communities"}


def test_member_sees_only_their_own_figures(site: Settings) -> None:
    client = login_as(site, "p03@bank.example")
    page = client.get("/me/network")
    assert page.status_code == 200 and "My network" in page.text
    data = client.get("/api/v1/me/network").json()
    assert data["person"]["person_id"] == "P03" and data["person"]["degree"] == 1
    assert "people" not in data and "brokers" not in data
    assert [c["person_id"] for c in data["connections"]] == ["P08"]
    # Whom to meet, without the colleague in between (P01) or any count of shared contacts.
    assert data["connections"][0]["via"] is None
    assert data["connections"][0]["shared_contacts"] is None
    assert "through" not in data["connections"][0]["why"]
    assert "P08" in page.text and "P01" not in page.text
    # Nobody else's row: P01's degree (4) or P09's figures are not in the answer.
    assert data["unit"]["unit_id"] == "CC"
    assert client.get("/admin/network").status_code == 403
    assert client.get("/network").status_code == 403
    assert client.get("/api/v1/network/units").status_code == 403


@pytest.mark.parametrize("role", ["member", "admin"])
def test_a_login_without_a_person_has_no_network_and_is_told_why(site: Settings, role: str) -> None:
    client = logged_in(site, role)
    page = client.get("/me/network")
    assert page.status_code == 200 and "not linked to a person" in page.text
    assert 'href="/me/network"' not in client.get("/").text  # and no link to it
    assert ('href="/admin/network"' in page.text) == (role == "admin")
    assert client.get("/api/v1/me/network").status_code == 403


@pytest.mark.parametrize(
    ("email", "status"),
    [
        ("p03@bank.example", 200),  # member of the workgroup
        ("p08@bank.example", 200),  # its coach
        ("p10@bank.example", 403),  # a member of the organization, not of the workgroup
        ("p00@bank.example", 403),  # a supervisor who does not coach it
        ("champion@bank.example", 200),
        ("admin@bank.example", 200),
        ("member@bank.example", 403),
    ],
)
def test_who_may_open_connect(
    site: Settings, workgroup: tuple[int, int], email: str, status: int
) -> None:
    pilot, group = workgroup
    client = login_as(site, email)
    path = f"/pilots/{pilot}/workgroups/{group}/connect"
    assert client.get(path).status_code == status
    assert client.get(f"/api/v1{path}").status_code == status


def test_connect_shows_suggestions_with_reasons(site: Settings, workgroup: tuple[int, int]) -> None:
    pilot, group = workgroup
    client = login_as(site, "p03@bank.example")
    path = f"/pilots/{pilot}/workgroups/{group}/connect"
    data = client.get(f"/api/v1{path}").json()
    assert data["focus"] == "disputed invoices" and data["focus_source"] == "workgroup focus"
    assert [c["person_id"] for c in data["connections"]] == ["P08"]
    # Everyone's skills are "excel; credit": nothing tells P08 apart but the unit.
    assert data["connections"][0]["why"].startswith(
        "works in Accounts receivable, outside the workgroup's units"
    )
    assert data["experts"][0]["person_id"] == "P09"
    # P09 applied about disputed invoices: what they chose to share, and nothing else.
    assert data["experts"][0]["why"] == (
        "applied to work on “Invoices disputed for months” in Accounts receivable"
    )
    assert data["similar"] == []  # found in others' interaction topics: for admins
    assert data["helpers"] is None
    page = client.get(path, params={"help": "invoices"})
    assert page.status_code == 200
    assert "Who can help with “invoices”" in page.text and "P09" in page.text
    assert "through P01" not in page.text and "admins see this list" in page.text
    # "collections" is only a topic of P09's calls: a member is not told who talks of it.
    asked = client.get(f"/api/v1{path}", params={"help": "collections"}).json()
    assert all("collection" not in h["why"] for h in asked["helpers"])
    if asked["matching"] == "tfidf":
        assert asked["helpers"] == []
    admin = logged_in(site, "admin")
    detailed = admin.get(f"/api/v1{path}", params={"help": "collections"}).json()
    assert detailed["helpers"][0]["person_id"] == "P09"
    assert detailed["helpers"][0]["why"] == "talks about collections in Accounts receivable"
    # P09 also faces a similar challenge: listed once, the reason says it.
    nine = next(e for e in detailed["experts"] if e["person_id"] == "P09")
    assert nine["why"].endswith("; faces a similar challenge too")
    assert "P09" not in [s["id"] for s in detailed["similar"]]
    assert "colleague in common" in admin.get(path).text


def test_connect_falls_back_to_the_pilot_opportunity(
    site: Settings, workgroup: tuple[int, int]
) -> None:
    pilot, _ = workgroup
    with db.transaction(store(site)) as session:
        calls = session.query(Workgroup).filter_by(pilot_id=pilot, name="Calls").one().id
    data = logged_in(site, "admin").get(f"/api/v1/pilots/{pilot}/workgroups/{calls}/connect")
    assert data.status_code == 200
    assert data.json()["focus"] == "late payments"
    assert data.json()["focus_source"] == "pilot opportunity"
    missing = logged_in(site, "admin").get(f"/api/v1/pilots/{pilot}/workgroups/999/connect")
    assert missing.status_code == 404


def test_navigation_links(site: Settings, workgroup: tuple[int, int]) -> None:
    champion = logged_in(site, "champion").get("/").text
    assert 'href="/network"' in champion and 'href="/admin/network"' not in champion
    member = login_as(site, "p03@bank.example").get("/").text
    assert 'href="/me/network"' in member and 'href="/network"' not in member
    pilot, _ = workgroup
    assert f'/pilots/{pilot}/workgroups"' in logged_in(site, "admin").get(f"/pilots/{pilot}").text
