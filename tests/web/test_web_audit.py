"""The audit log on the web: what it records (logins good and bad, logouts, views of
person-level figures, exports) with who, when and from where; the admins' page, newest
first and paged; the CSV download, itself recorded."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from smartmoves.data.store import db
from smartmoves.data.store.models import AuditEntry
from smartmoves.pathway._store import store
from smartmoves.pathway.pilots import create_pilot
from smartmoves.settings import Settings
from smartmoves.web import create_app

from services import ADMIN, new_workspace
from webutil import PASSWORD, csrf_of, load_demo_org, logged_in


@pytest.fixture(scope="module")
def site(module_store_backend: str | None, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("audit-web")
    return load_demo_org(new_workspace(folder / "ws", module_store_backend), folder)


def _entries(settings: Settings, **where: str) -> list[AuditEntry]:
    with db.transaction(store(settings)) as session:
        statement = select(AuditEntry).order_by(AuditEntry.id)
        for column, value in where.items():
            statement = statement.where(getattr(AuditEntry, column) == value)
        return list(session.scalars(statement))


def test_logins_failures_and_logouts_are_recorded_with_the_address(site: Settings) -> None:
    client = TestClient(create_app(site), base_url="https://testserver")
    token = csrf_of(client.get("/login").text)
    form = {"email": "champion@bank.example", "csrf": token}
    client.post("/login", data=form | {"password": "not it at all"})
    client.post("/login", data=form | {"password": PASSWORD}, follow_redirects=False)
    client.post("/logout", data={"csrf": csrf_of(client.get("/").text)}, follow_redirects=False)
    mine = [(e.action, e.address) for e in _entries(site, actor="champion@bank.example")]
    assert mine[-3:] == [
        ("login failed", "testclient"),
        ("login", "testclient"),
        ("logout", "testclient"),
    ]


def test_views_of_person_level_figures_are_recorded_and_aggregates_are_not(site: Settings):
    pilot = create_pilot(site, ADMIN, "Receivables", unit_id="AR", min_pilot=1).id
    admin, champion = logged_in(site, "admin"), logged_in(site, "champion")
    before = len(_entries(site, action="view person-level"))
    assert champion.get(f"/pilots/{pilot}/capacity").status_code == 200  # aggregates only
    assert champion.get(f"/pilots/{pilot}/volunteers").status_code == 200
    assert len(_entries(site, action="view person-level")) == before
    assert admin.get(f"/pilots/{pilot}/capacity").status_code == 200
    assert admin.get(f"/pilots/{pilot}/volunteers").status_code == 200
    assert admin.get("/admin/network").status_code == 200
    assert admin.get("/api/v1/network/people").status_code == 200
    seen = [
        (e.actor, e.target, e.detail["what"], e.address)
        for e in _entries(site, action="view person-level")[before:]
    ]
    assert seen == [
        ("admin@bank.example", f"pilot {pilot} capacity", "capacity.person_level", "testclient"),
        (
            "admin@bank.example",
            f"pilot {pilot} applicants",
            "volunteers.person_level",
            "testclient",
        ),
        ("admin@bank.example", "network people", "network.people", "testclient"),
        ("admin@bank.example", "network people", "network.people", "testclient"),
    ]


def test_the_audit_page_is_newest_first_and_paged(site: Settings) -> None:
    admin = logged_in(site, "admin")
    total = len(_entries(site))
    for _ in range(60 - min(total, 60)):  # at least two pages of fifty
        logged_in(site, "supervisor")
    page = admin.get("/admin/audit")
    assert page.status_code == 200
    assert page.text.count('<td class="when">') == 50
    data = admin.get("/api/v1/admin/audit").json()
    ids = [r["id"] for r in data["rows"]]
    assert ids == sorted(ids, reverse=True) and data["page"] == 1 and data["pages"] >= 2
    second = admin.get("/api/v1/admin/audit?page=2").json()
    assert max(r["id"] for r in second["rows"]) < min(ids)
    assert 'href="/admin/audit?page=2"' in page.text and "Older" in page.text
    last = admin.get(f"/api/v1/admin/audit?page={data['pages'] + 5}").json()
    assert last["page"] == data["pages"]  # past the end: the last page
    assert admin.get("/admin/audit?page=0").status_code == 200  # the first, not a 500
    assert admin.get("/admin/audit?page=x&q=%25").status_code == 200
    assert 'href="/admin/audit"' in admin.get("/").text  # admins find it in the top bar


def test_the_audit_page_searches_in_the_store(site: Settings) -> None:
    admin = logged_in(site, "admin")
    logged_in(site, "supervisor")
    page = admin.get("/admin/audit?q=SUPERVISOR@")
    rows = re.findall(r'<td class="when">[^<]*</td>\s*<td>([^<]*)</td>', page.text)
    expected = [e for e in _entries(site) if "supervisor@" in f"{e.actor} {e.target}"]
    assert rows and len(rows) == min(50, len(expected))
    assert "matching “SUPERVISOR@”" in page.text and 'value="SUPERVISOR@"' in page.text
    # "%" and "_" are the characters typed, not wildcards that match every entry.
    assert "No entry holds “%”" in admin.get("/admin/audit?q=%25").text


@pytest.mark.parametrize("role", ["champion", "supervisor", "member"])
def test_only_admins_read_or_export_the_log(site: Settings, role: str) -> None:
    client = logged_in(site, role)
    for path in ["/admin/audit", "/admin/audit.csv", "/api/v1/admin/audit"]:
        assert client.get(path).status_code == 403, path
    assert 'href="/admin/audit"' not in client.get("/").text


def test_the_csv_download_is_the_whole_log_and_is_recorded(site: Settings) -> None:
    admin = logged_in(site, "admin")
    answer = admin.get("/admin/audit.csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert len(rows) == len(_entries(site))
    assert (rows[0]["actor"], rows[0]["action"], rows[0]["target"]) == (
        "admin@bank.example",
        "export",
        "audit log",
    )
    assert rows[0]["address"] == "testclient"
    assert 'href="/admin/audit.csv"' in admin.get("/admin/audit").text


def test_the_csv_download_shows_formulas_as_text(site: Settings) -> None:
    client = TestClient(create_app(site), base_url="https://testserver")
    page = client.get("/login")
    client.post(
        "/login",
        data={"email": "=HYPERLINK(1)@x.example", "password": "wrong", "csrf": csrf_of(page.text)},
    )
    rows = list(csv.DictReader(io.StringIO(logged_in(site, "admin").get("/admin/audit.csv").text)))
    failed = next(r for r in rows if "hyperlink" in r["actor"].lower())
    assert failed["actor"].lower() == "'=hyperlink(1)@x.example"
    assert int(failed["id"]) > 0  # ids stay plain numbers


def test_writes_made_on_the_web_record_the_address(site: Settings) -> None:
    champion = logged_in(site, "champion")
    token = csrf_of(champion.get("/pilots").text)
    answer = champion.post(
        "/pilots",
        data={"name": "From the web", "unit_id": "CC", "csrf": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    entry = _entries(site, action="create pilot")[-1]
    assert (entry.actor, entry.address) == ("champion@bank.example", "testclient")
