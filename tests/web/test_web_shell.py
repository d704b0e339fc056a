"""The web shell: logins, roles, the overview and unit pages and their JSON twins."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmoves.errors import ConfigError
from smartmoves.settings import Settings, get_settings
from smartmoves.web import create_app

from services import new_workspace
from webutil import PASSWORD, ROLES, client_for, csrf_of, load_demo_org, logged_in


@pytest.fixture(scope="module")
def site(module_store_backend: str | None, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """One loaded workspace per store for the whole module: these tests only read."""
    folder = tmp_path_factory.mktemp("site")
    return load_demo_org(new_workspace(folder / "ws", module_store_backend), folder)


PAGES = ["/", "/units/CC", "/admin/users"]
API = ["/api/v1/me", "/api/v1/overview", "/api/v1/units/CC", "/api/v1/admin/users"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_needs_a_login(site: Settings, path: str) -> None:
    response = client_for(site).get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next={path}"


@pytest.mark.parametrize("path", API)
def test_every_api_route_needs_a_login(site: Settings, path: str) -> None:
    response = client_for(site).get(path)
    assert response.status_code == 401
    assert response.json() == {"detail": "please log in"}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_the_overview(site: Settings, role: str) -> None:
    client = logged_in(site, role)
    page = client.get("/")
    assert page.status_code == 200
    assert "Contact center" in page.text and "Hours by activity category" in page.text
    assert client.get("/api/v1/me").json()["role"] == role


@pytest.mark.parametrize("role", ["champion", "supervisor", "member"])
def test_only_admins_reach_admin_pages(site: Settings, role: str) -> None:
    client = logged_in(site, role)
    assert client.get("/admin/users").status_code == 403
    assert client.get("/api/v1/admin/users").status_code == 403
    assert "/admin/users" not in client.get("/").text


def test_admin_sees_users(site: Settings) -> None:
    client = logged_in(site, "admin")
    emails = [u["email"] for u in client.get("/api/v1/admin/users").json()]
    assert sorted(emails) == sorted(f"{r}@bank.example" for r in ROLES)
    assert "member@bank.example" in client.get("/admin/users").text


def test_wrong_password_and_unknown_user_look_the_same(site: Settings) -> None:
    client = client_for(site)
    token = csrf_of(client.get("/login").text)
    for email, password in [("admin@bank.example", "nope nope nope"), ("x@y.example", PASSWORD)]:
        response = client.post("/login", data={"email": email, "password": password, "csrf": token})
        assert response.status_code == 401
        assert "Wrong email or password." in response.text
    assert client.get("/api/v1/me").status_code == 401


def test_login_without_csrf_token_is_refused(site: Settings) -> None:
    client = client_for(site)
    client.get("/login")
    response = client.post("/login", data={"email": "admin@bank.example", "password": PASSWORD})
    assert response.status_code == 403


def test_login_never_redirects_off_site(site: Settings) -> None:
    client = client_for(site)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={
            "email": "admin@bank.example",
            "password": PASSWORD,
            "csrf": token,
            "next": "https://evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_logout_ends_the_session(site: Settings) -> None:
    client = logged_in(site, "member")
    token = csrf_of(client.get("/").text)
    assert client.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    assert client.get("/api/v1/me").status_code == 401


def test_small_groups_are_suppressed(site: Settings) -> None:
    overview = logged_in(site, "champion").get("/api/v1/overview").json()
    units = {u["unit_id"]: u for u in overview["units"]}
    # 8 people in the contact center, 6 in receivables, 2 in the edge business.
    assert units["CC"]["headcount"] == 8 and not units["CC"]["suppressed"]
    assert units["ADV"]["headcount"] is None and units["ADV"]["suppressed"]
    assert units["BANK"]["headcount"] == 16  # the units below roll up
    assert overview["headcount"] == 16
    categories = {c["category"]: c for c in overview["hours_by_category"]}
    assert categories["routine"]["hours_per_week"] == 16 * 15
    assert categories["service"]["people"] == 16
    unit = logged_in(site, "member").get("/api/v1/units/ADV").json()
    assert unit["unit"]["suppressed"] and unit["supervisors"] is None
    assert all(c["suppressed"] and c["hours_per_week"] is None for c in unit["hours_by_category"])
    html = logged_in(site, "member").get("/units/ADV").text
    assert "suppressed" in html and ">2<" not in html


def test_unit_page_and_its_twin_agree(site: Settings) -> None:
    client = logged_in(site, "supervisor")
    twin = client.get("/api/v1/units/CC").json()
    assert twin["unit"]["headcount"] == 8
    assert [p["unit_id"] for p in twin["path"]] == ["BANK"]
    service = next(c for c in twin["hours_by_category"] if c["category"] == "service")
    assert service["hours_per_week"] == 190  # the fixture's allocations of CC's eight
    page = client.get("/units/CC").text
    assert "Contact center" in page and "190" in page
    # The bank's 16 minus CC's 8 and AR's 6 would be ADV's 2: AR is hidden too, saying why.
    ar = client.get("/api/v1/units/AR").json()["unit"]
    assert ar["headcount"] is None and "would reveal fewer than 5" in ar["hidden_because"]
    assert client.get("/units/NOPE").status_code == 404
    assert client.get("/api/v1/units/NOPE").json() == {"detail": "no unit 'NOPE'"}


def test_data_freshness_lists_every_table(site: Settings) -> None:
    overview = logged_in(site, "admin").get("/api/v1/overview").json()
    freshness = {f["table"]: f for f in overview["freshness"]}
    assert freshness["people"]["file"] == "people.csv" and freshness["people"]["rows"] == 16
    assert freshness["ties"]["file"] is None


def test_openapi_schema_lists_the_twins(site: Settings) -> None:
    schema = client_for(site).get("/api/v1/openapi.json").json()
    assert {"/api/v1/overview", "/api/v1/units/{unit_id}", "/api/v1/me"} <= set(schema["paths"])
    assert not any(path in schema["paths"] for path in ["/", "/login"])


def test_app_refuses_a_placeholder_secret(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="placeholder"):
        create_app(get_settings(tmp_path))


def test_static_assets_are_vendored(site: Settings) -> None:
    client = client_for(site)
    for asset in ["vendor/vega-embed.min.js", "vendor/htmx.min.js", "vendor/pico.min.css"]:
        assert client.get(f"/static/{asset}").status_code == 200
