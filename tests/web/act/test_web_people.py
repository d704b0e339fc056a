"""People by name in the pages and their API answers: who is named where, and how.

The organization is ``orgfiles``' with names (none for P14 and P15). P03, a member, is
in the workgroup "Disputes" with P14; P08 is two steps from P03, and P09's application
matches the focus (see test_web_connect_privacy)."""

from __future__ import annotations

import pytest

from smartmoves.data.store import db
from smartmoves.data.store.models import Workgroup, WorkgroupMember
from smartmoves.pathway._store import store
from smartmoves.pathway.pilots import create_pilot, set_pilot_status
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.pathway.setup.users import add_account
from smartmoves.settings import Settings

from orgfiles import named_people_csv, write_org
from services import ADMIN, new_workspace
from webutil import PASSWORD, login_as


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, str]:
    folder = tmp_path_factory.mktemp("people-web")
    settings = new_workspace(folder / "ws", None)
    import_files(settings, find_table_files(write_org(folder / "org", people=named_people_csv())))
    add_account(settings, "p03@bank.example", "member", PASSWORD, person_id="P03")
    add_account(settings, "admin@bank.example", "admin", PASSWORD)
    pilot = create_pilot(settings, ADMIN, "Receivables", unit_id="AR")
    set_pilot_status(settings, ADMIN, pilot.id, "running")
    with db.transaction(store(settings)) as session:
        group = Workgroup(pilot_id=pilot.id, name="Disputes", focus="disputed invoices")
        session.add(group)
        session.flush()
        for person in ("P03", "P14"):
            session.add(WorkgroupMember(pilot_id=pilot.id, workgroup_id=group.id, person_id=person))
        other = Workgroup(pilot_id=pilot.id, name="Others", focus=None)
        session.add(other)
        session.flush()
        session.add(WorkgroupMember(pilot_id=pilot.id, workgroup_id=other.id, person_id="P11"))
        return settings, f"/pilots/{pilot.id}/workgroups/{group.id}"


def test_connect_answers_name_whom_they_suggest_with_a_way_to_reach_them(
    site: tuple[Settings, str],
) -> None:
    settings, path = site
    member = login_as(settings, "p03@bank.example")
    data = member.get(f"/api/v1{path}/connect").json()
    assert [c["person_id"] for c in data["connections"]] == ["P08"]
    assert data["who"]["P08"] == {
        "person_id": "P08",
        "name": "Ines Ibarra",
        "email": "ines.ibarra@bank.example",
        "role": "agent",
        "unit_id": "AR",
        "unit_name": "Accounts receivable",
        "shown": "Ines Ibarra",
    }
    assert data["who"]["P14"]["shown"] == "P14" and data["who"]["P14"]["email"] is None
    page = member.get(f"{path}/connect").text
    assert 'href="mailto:ines.ibarra@bank.example"' in page
    mine = member.get("/api/v1/me/network").json()
    assert mine["who"]["P08"]["name"] == "Ines Ibarra"


def test_a_member_sees_named_only_the_people_of_their_own_workgroup(
    site: tuple[Settings, str],
) -> None:
    settings, path = site
    member = login_as(settings, "p03@bank.example")
    data = member.get(f"/api/v1{path.rsplit('/', 1)[0]}").json()
    assert set(data["who"]) == {"P03", "P14"}  # not P11, of the other workgroup
    page = member.get(path.rsplit("/", 1)[0]).text
    assert "Dara Dahl" in page and "Lara Lind" not in page  # P03; P11
    assert member.get("/api/v1/network/people").status_code == 403


def test_admins_read_names_in_the_network_table(site: tuple[Settings, str]) -> None:
    settings, _ = site
    admin = login_as(settings, "admin@bank.example")
    data = admin.get("/api/v1/network/people").json()
    named = {p["person_id"] for p in data["people"]}
    assert named <= set(data["who"]) and data["who"]["P01"]["name"] == "Bruno Banks"
    assert "Bruno Banks" in admin.get("/admin/network").text
