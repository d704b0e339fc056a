"""What a member learns about others on Connect and My network, what an admin learns, and
people who opt out of being suggested.

The organization is ``orgfiles``'s. P03 (CC) works with P01 only; P01 also works with P00,
P02 and P08 (AR), so P08 is two steps from P03, through P01. Everyone declared the skills excel and
credit; P09 applied about disputed invoices, and the topics of P09's calls are invoices
and collections; P08's only topic is the backlog meeting with P00.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from smartmoves.data.store import db
from smartmoves.data.store.models import AuditEntry, Workgroup, WorkgroupMember
from smartmoves.pathway._store import store
from smartmoves.pathway.pilots import create_pilot, set_pilot_status
from smartmoves.pathway.setup.users import add_account
from smartmoves.settings import Settings

from services import ADMIN, new_workspace
from webutil import PASSWORD, csrf_of, load_demo_org, login_as

LOGINS = {
    "p03@bank.example": ("member", "P03"),  # in the workgroup
    "p08@bank.example": ("supervisor", "P08"),  # the person P03 might meet
    "p09@bank.example": ("member", "P09"),  # who can help with disputed invoices
    "a03@bank.example": ("admin", "P03"),  # an admin linked to the same person as p03
}
# Words that are other people's records: their interaction topics, their activities, and
# how reasons spoke of contacts in between.
OTHERS = ("backlog", "collections", "interaction topics", "activities", "through", "shared")
PERSON = re.compile(r"\bP\d\d\b")


@pytest.fixture(scope="module")
def site(module_store_backend: str | None, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("connect-privacy")
    settings = load_demo_org(new_workspace(folder / "ws", module_store_backend), folder)
    for email, (role, person) in LOGINS.items():
        add_account(settings, email, role, PASSWORD, person_id=person)
    return settings


@pytest.fixture(scope="module")
def connect_path(site: Settings) -> str:
    pilot = create_pilot(site, ADMIN, "Receivables", unit_id="AR", opportunity="late payments")
    set_pilot_status(site, ADMIN, pilot.id, "running")
    with db.transaction(store(site)) as session:
        group = Workgroup(pilot_id=pilot.id, name="Disputes", focus="disputed invoices")
        session.add(group)
        session.flush()
        session.add(WorkgroupMember(pilot_id=pilot.id, workgroup_id=group.id, person_id="P03"))
        return f"/pilots/{pilot.id}/workgroups/{group.id}/connect"


def _others_named(row: dict[str, Any]) -> set[str]:
    """The people a suggestion's row names besides the one it suggests."""
    return set(PERSON.findall(json.dumps(row))) - {row["person_id"]}


def _assert_reveals_no_third_party(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        assert _others_named(row) == set(), row
        assert row.get("via") is None and row.get("shared_contacts") is None, row
        assert not any(word in row["why"] for word in OTHERS), row["why"]
        assert all(set(f) <= {"skills", "applications"} for f in row["matched_in"].values())


def _audit(settings: Settings, action: str) -> list[AuditEntry]:
    with db.transaction(store(settings)) as session:
        found = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        return list(session.scalars(found))


def _set_suggested(client: TestClient, suggested: Any) -> Any:
    token = csrf_of(client.get("/me/network").text)
    return client.put(
        "/api/v1/me/network/suggestions",
        json={"suggested": suggested},
        headers={"X-CSRF-Token": token},
    )


def test_a_member_learns_whom_to_meet_and_nothing_of_anyone_elses_ties(site: Settings) -> None:
    member = login_as(site, "p03@bank.example")
    data = member.get("/api/v1/me/network").json()
    assert [c["person_id"] for c in data["connections"]] == ["P08"]
    _assert_reveals_no_third_party(data["connections"])
    assert data["connections"][0]["why"] == (
        "works in Accounts receivable, outside your unit; 'credit', 'excel' in their skills"
    )
    assert data["suggested"] is True and data["opted_out"] is None  # the count: admins'
    page = member.get("/me/network").text
    assert "P08" in page and "P01" not in page
    assert not any(word in page for word in ("backlog", "shared contacts", "through P"))
    assert "Do not suggest me to others" in page
    assert data["matching_note"].startswith("Matched by") and data["matching_note"] in page


def test_a_member_on_connect_reads_only_what_people_chose_to_share(
    site: Settings, connect_path: str
) -> None:
    member = login_as(site, "p03@bank.example")
    data = member.get(f"/api/v1{connect_path}", params={"help": "collections"}).json()
    assert [c["person_id"] for c in data["connections"]] == ["P08"]
    assert [e["person_id"] for e in data["experts"]] == ["P09"]
    _assert_reveals_no_third_party(data["connections"])
    _assert_reveals_no_third_party(data["experts"])
    assert data["experts"][0]["matched_in"] == {
        "disputed": ["applications"],
        "invoice": ["applications"],
    }
    assert data["similar"] == []  # found in other people's topics
    # Collections is only ever a topic of P09's calls: by words nobody shares it; by
    # meaning P09's application (disputed invoices) may come close, and says only that.
    _assert_reveals_no_third_party(data["helpers"])
    assert all("collection" not in h["why"] for h in data["helpers"])
    if data["matching"] == "tfidf":
        assert data["helpers"] == []
    page = member.get(connect_path, params={"help": "collections"}).text
    assert "P01" not in page and "through P" not in page and "shared contacts" not in page
    assert "admins see this list" in page


def test_an_admin_reads_the_details(site: Settings, connect_path: str) -> None:
    admin = login_as(site, "a03@bank.example")
    mine = admin.get("/api/v1/me/network").json()  # P03's, as an admin reads it
    assert [c["person_id"] for c in mine["connections"]] == ["P08"]
    eight = mine["connections"][0]
    assert eight["via"] == ["P01"] and eight["shared_contacts"] == 1
    # In plain words: the unit by its name, and how many colleagues they have in common.
    assert eight["why"].startswith(
        "works in Accounts receivable, outside your unit; 1 colleague in common"
    )
    assert mine["opted_out"] == 0
    data = admin.get(f"/api/v1{connect_path}", params={"help": "collections"}).json()
    assert data["connections"][0]["via"] == ["P01"]
    assert data["helpers"][0]["person_id"] == "P09"
    assert data["helpers"][0]["why"] == "talks about collections in Accounts receivable"
    # P09 faces the same challenge, and can help: listed once, among who can help.
    assert ("person", "P09") not in [(s["kind"], s["id"]) for s in data["similar"]]
    nine = next(e for e in data["experts"] if e["person_id"] == "P09")
    assert nine["why"].endswith("; faces a similar challenge too")
    assert "colleague in common" in admin.get(connect_path).text
    # Other people's contacts and topics are person-level: each view is recorded.
    seen = {(e.actor, e.target) for e in _audit(site, "view person-level")}
    group = connect_path.split("/")[4]
    assert ("a03@bank.example", "suggestion details for P03") in seen
    assert ("a03@bank.example", f"connect details for workgroup {group}") in seen
    assert not any(actor == "p03@bank.example" for actor, _ in seen)  # a member's are not


def test_who_opts_out_is_suggested_to_no_one_and_it_is_audited(
    site: Settings, connect_path: str
) -> None:
    eight, member, admin = (
        login_as(site, e) for e in ("p08@bank.example", "p03@bank.example", "a03@bank.example")
    )
    assert _set_suggested(eight, False).json() == {"person_id": "P08", "suggested": False}
    try:
        assert member.get("/api/v1/me/network").json()["connections"] == []
        assert member.get(f"/api/v1{connect_path}").json()["connections"] == []
        assert "P08" not in [
            c["person_id"] for c in admin.get("/api/v1/me/network").json()["connections"]
        ]
        assert admin.get(f"/api/v1{connect_path}").json()["connections"] == []
        # Their own page still shows whom they might meet, and that they are not suggested.
        own = eight.get("/api/v1/me/network").json()
        assert own["suggested"] is False and own["connections"]
        assert "You are not suggested to anyone" in eight.get("/me/network").text
        # Admins see how many, never who.
        assert admin.get("/api/v1/network/people").json()["opted_out"] == 1
        assert "1 person has asked not to be suggested" in admin.get("/admin/network").text
        entries = _audit(site, "network.opt_out")
        assert [(e.actor, e.target) for e in entries] == [("p08@bank.example", "P08")]
        assert _set_suggested(eight, False).status_code == 200  # nothing changes: no entry
        assert len(_audit(site, "network.opt_out")) == 1
    finally:
        # Back in, the way the page does it: the form posted with HTMX.
        token = csrf_of(eight.get("/me/network").text)
        back = eight.post(
            "/me/network/suggestions",
            data={"csrf": token, "suggested": "true"},
            headers={"HX-Request": "true"},
        )
    assert back.status_code == 200 and "Do not suggest me to others" in back.text
    assert [e.target for e in _audit(site, "network.opt_in")] == ["P08"]
    assert [c["person_id"] for c in member.get("/api/v1/me/network").json()["connections"]] == [
        "P08"
    ]


def test_who_opts_out_is_nobodys_expert_nor_similar_challenge(
    site: Settings, connect_path: str
) -> None:
    nine, member, admin = (
        login_as(site, e) for e in ("p09@bank.example", "p03@bank.example", "a03@bank.example")
    )
    plain = nine.post(  # without JavaScript: the form posts and comes back to the page
        "/me/network/suggestions",
        data={"csrf": csrf_of(nine.get("/me/network").text), "suggested": "false"},
        follow_redirects=False,
    )
    assert plain.status_code == 303 and plain.headers["location"] == "/me/network"
    try:
        assert member.get(f"/api/v1{connect_path}").json()["experts"] == []
        detailed = admin.get(f"/api/v1{connect_path}", params={"help": "collections"}).json()
        listed = detailed["experts"] + detailed["helpers"] + detailed["connections"]
        assert "P09" not in [e["person_id"] for e in listed]
        assert "P09" not in [s["id"] for s in detailed["similar"]]
    finally:
        assert _set_suggested(nine, True).json()["suggested"] is True
    assert [e["person_id"] for e in member.get(f"/api/v1{connect_path}").json()["experts"]] == [
        "P09"
    ]


def test_opting_out_needs_a_person_a_boolean_and_the_csrf_token(site: Settings) -> None:
    member = login_as(site, "p03@bank.example")
    for bad in ("no", 0, None):
        refused = _set_suggested(member, bad)
        assert refused.status_code == 422 and "suggested" in refused.text
    no_token = member.put("/api/v1/me/network/suggestions", json={"suggested": False})
    assert no_token.status_code == 403
    nobody = login_as(site, "member@bank.example")  # a login with no person linked
    assert _set_suggested(nobody, False).status_code == 403
    assert member.get("/api/v1/me/network").json()["suggested"] is True  # nothing changed
    assert _audit(site, "network.opt_out") == [] or all(
        e.target != "P03" for e in _audit(site, "network.opt_out")
    )


@pytest.mark.parametrize("email", ["champion@bank.example", "p08@bank.example"])
def test_champions_and_coaches_read_what_members_read(
    site: Settings, connect_path: str, email: str
) -> None:
    """Details are the admins' alone: the sponsor and a coach read the shared words."""
    if email == "p08@bank.example":  # make P08 the workgroup's coach for this test
        with db.transaction(store(site)) as session:
            group = session.get(Workgroup, int(connect_path.split("/")[4]))
            assert group is not None
            group.coach_id = "P08"
    reader = login_as(site, email)
    data = reader.get(f"/api/v1{connect_path}").json()
    assert [c["person_id"] for c in data["connections"]] == ["P08"]
    _assert_reveals_no_third_party(data["connections"] + data["experts"])
    assert data["similar"] == []
