"""Long lists on the web: searched, sorted and downloaded through the query string, the
download audited, and no query string a 500 (the paging itself is in tests/pathway/
test_lists.py, and a page 2 in Chromium in test_browser.py)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import select

from smartmoves.data.store import db
from smartmoves.data.store.models import AuditEntry
from smartmoves.pathway._store import store
from smartmoves.pathway.create import volunteers
from smartmoves.pathway.pilots import create_pilot
from smartmoves.settings import Settings

from services import ADMIN, account, new_workspace
from webutil import load_demo_org, logged_in

# The person cell (templates/_person.html): this organization has no names, so the id.
PERSON_CELL = re.compile(r'<tr><td><span class="person">\s*<span><span class="id">(P\d\d)</span>')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("lists-web")
    return load_demo_org(new_workspace(folder / "ws", None), folder)


def _people(html: str) -> list[str]:
    section = html.split("<h2>People</h2>")[1]
    return PERSON_CELL.findall(section)


def test_the_network_table_searches_and_sorts_by_the_query_string(site: Settings) -> None:
    admin = logged_in(site, "admin")
    everyone = _people(admin.get("/admin/network").text)
    assert len(everyone) == 16 and "Rows 1–16 of 16" in admin.get("/admin/network").text
    found = admin.get("/admin/network?q=p0").text
    assert _people(found) == [p for p in everyone if p.startswith("P0")]  # case-insensitive
    assert "Rows 1–10 of 10 matching “p0” (16 in all)" in found
    by_id = _people(admin.get("/admin/network?sort=person").text)
    assert by_id == sorted(everyone)
    assert _people(admin.get("/admin/network?sort=person&desc=1").text) == by_id[::-1]
    # The degree sorts as a number: P01 has 4 contacts, the most, so it is first.
    assert _people(admin.get("/admin/network?sort=degree&desc=1").text)[0] == "P01"
    page = admin.get("/admin/network?sort=degree").text
    assert 'aria-sort="ascending"><a href="/admin/network?sort=degree&amp;desc=1"' in page


def test_the_download_is_what_the_search_left_and_is_audited(site: Settings) -> None:
    admin = logged_in(site, "admin")
    response = admin.get("/admin/network?q=AR&download=csv&page=3")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "smartmoves-people.csv" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {r["Unit"] for r in rows} == {"AR"} and len(rows) == 6  # AR is P08-P13
    assert list(rows[0]) == [
        "Person",
        "Id",
        "Unit",
        "Degree",
        "Strength",
        "Strong",
        "Weak",
        "Outside unit",
        "Betweenness",
        "Constraint",
        "Community",
    ]
    with db.transaction(store(site)) as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last is not None
        assert (last.action, last.target) == ("export", "people")
        assert last.detail == {"rows": 6, "search": "AR"}
    # Only admins see the table, so only they download it.
    assert logged_in(site, "champion").get("/admin/network?download=csv").status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=-4",
        "page=99999999999999999999999",
        "page=2&sort=nope&desc=maybe",
        "q=" + "x" * 5000,
        "q=%00%ff&sort=betweenness",
        "brokers_page=0&brokers_sort=rank&brokers_desc=1&brokers_q=P",
    ],
)
def test_no_query_string_is_a_500(site: Settings, query: str) -> None:
    response = logged_in(site, "admin").get(f"/admin/network?{query}")
    assert response.status_code == 200
    assert "Rows 1–" in response.text or "No row" in response.text


LIST_KEYS = ["page", "q", "sort", "desc", "brokers_page", "brokers_sort", "download"]


@hypothesis_settings(max_examples=25, deadline=None)
@given(
    st.sampled_from(["/admin/network", "/admin/users", "/admin/audit"]),
    st.dictionaries(st.sampled_from(LIST_KEYS[:-1]), st.text(max_size=30), max_size=4),
)
def test_any_query_string_is_answered(site: Settings, path: str, query: dict[str, str]) -> None:
    response = logged_in(site, "admin").get(path, params=query)
    assert response.status_code == 200, response.text[:300]


def test_the_volunteers_list_keeps_its_filters_and_downloads(site: Settings) -> None:
    pilot = create_pilot(site, ADMIN, "Receivables", unit_id="AR", min_pilot=1)
    volunteers.save_call(site, ADMIN, pilot.id, None, open_call=True)
    volunteers.apply(site, account("member", "P10"), pilot.id, "Disputes", "=HYPERLINK(1)")
    admin = logged_in(site, "admin")
    # The list's own keys are no filters (an unknown filter is refused).
    page = admin.get(f"/pilots/{pilot.id}/volunteers?unit_id=AR&q=p10&sort=person&page=7")
    assert page.status_code == 200
    assert "Rows 1–1 of 1 matching “p10”" in page.text and ">P09<" not in page.text
    assert '<input type="hidden" name="unit_id" value="AR">' in page.text  # kept by a search
    csv_text = admin.get(f"/pilots/{pilot.id}/volunteers?unit_id=AR&download=csv").text
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert {r["Person"] for r in rows} == {"P09", "P10"}
    assert next(r for r in rows if r["Person"] == "P10")["Why"] == "'=HYPERLINK(1)"


def test_the_users_list_searches_sorts_and_downloads(site: Settings) -> None:
    admin = logged_in(site, "admin")
    found = admin.get("/admin/users?q=CHAMP").text
    assert "champion@bank.example" in found and "member@bank.example" not in found
    emails = re.findall(
        r"<tr><td>([a-z]+@bank\.example)</td>", admin.get("/admin/users?sort=email&desc=1").text
    )
    assert emails == sorted(emails, reverse=True) and len(emails) == 4
    rows = list(csv.DictReader(io.StringIO(admin.get("/admin/users?download=csv").text)))
    assert {r["Email"] for r in rows} == set(emails) and rows[0]["Status"] == "active"
    with db.transaction(store(site)) as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last is not None and (last.action, last.target) == ("export", "users")


def test_a_name_finds_the_person_where_the_table_shows_names(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The person column reads as the page shows it: a search for a name finds them, and
    the download keeps the id beside the name."""
    from smartmoves.pathway.setup.imports import find_table_files, import_files

    from orgfiles import named_people_csv, write_org

    folder = tmp_path_factory.mktemp("lists-named")
    settings = load_demo_org(new_workspace(folder / "ws", None), folder)
    import_files(settings, find_table_files(write_org(folder / "org", people=named_people_csv())))
    admin = logged_in(settings, "admin")
    found = admin.get("/admin/network?q=ines ibarra").text
    assert "Rows 1–1 of 1 matching" in found and "Ines Ibarra" in found
    rows = list(csv.DictReader(io.StringIO(admin.get("/admin/network?q=ibarra&download=csv").text)))
    assert [(r["Person"], r["Id"]) for r in rows] == [("Ines Ibarra", "P08")]
