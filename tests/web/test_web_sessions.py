"""Sessions on the web, tried the way an attacker or a forgetful user would: a cookie
replayed after logout, a planted session id, an idle or too-old session, a user changed
while logged in, logging out everywhere. The app's clock is moved, never slept on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from smartmoves.data.store import db
from smartmoves.data.store.models import LoginSession
from smartmoves.pathway._store import store
from smartmoves.pathway.setup import users
from smartmoves.settings import Settings
from smartmoves.web import create_app
from smartmoves.web.session import LOGIN_COOKIE, SESSION_COOKIE

from services import ADMIN, T0, Clock, new_workspace
from webutil import PASSWORD, csrf_of, load_demo_org


@pytest.fixture(scope="module")
def site(module_store_backend: str | None, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("sessions")
    return load_demo_org(new_workspace(folder / "ws", module_store_backend), folder)


_people = iter(range(10_000))


@pytest.fixture
def email(site: Settings) -> str:
    """A member of its own for each test: tests that change a user change only theirs."""
    address = f"user{next(_people)}@bank.example"
    users.add_account(site, address, "member", PASSWORD)
    return address


def _client(settings: Settings, clock: Clock | None = None) -> TestClient:
    client = TestClient(create_app(settings), base_url="https://testserver")
    client.app.state.clock = clock or Clock()  # type: ignore[attr-defined]
    return client


def _log_in(client: TestClient, email: str, password: str = PASSWORD) -> TestClient:
    token = csrf_of(client.get("/login").text)
    answer = client.post(
        "/login",
        data={"email": email, "password": password, "csrf": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return client


def _is_sent_to_login(client: TestClient, path: str = "/") -> bool:
    answer = client.get(path, follow_redirects=False)
    return answer.status_code == 303 and answer.headers["location"].startswith("/login")


def _token(client: TestClient) -> str:
    return csrf_of(client.get("/").text)


def test_a_logged_out_cookie_replayed_opens_nothing(site: Settings, email: str) -> None:
    client = _log_in(_client(site), email)
    stolen = client.cookies[SESSION_COOKIE]
    answer = client.post("/logout", data={"csrf": _token(client)}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    replay = _client(site)
    replay.cookies.set(SESSION_COOKIE, stolen)
    assert _is_sent_to_login(replay)
    assert replay.get("/api/v1/me").status_code == 401
    write = replay.post("/pilots", data={"name": "x"}, follow_redirects=False)
    assert write.status_code == 303 and write.headers["location"].startswith("/login")


def test_the_cookie_holds_a_random_token_and_nothing_else(site: Settings, email: str) -> None:
    first = _log_in(_client(site), email).cookies[SESSION_COOKIE]
    second = _log_in(_client(site), email).cookies[SESSION_COOKIE]
    assert first != second and len(first) >= 40
    for cookie in (first, second):
        assert email.split("@")[0] not in cookie and "member" not in cookie
    with db.transaction(store(site)) as session:
        stored = set(session.scalars(select(LoginSession.id)))
    assert first not in stored and second not in stored  # the store keeps a keyed hash


def test_the_session_cookie_is_httponly_lax_and_secure(site: Settings, email: str) -> None:
    client = _client(site)
    token = csrf_of(client.get("/login").text)
    answer = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf": token}, follow_redirects=False
    )
    cookies = [c.lower() for c in answer.headers.get_list("set-cookie")]
    session = next(c for c in cookies if c.startswith(SESSION_COOKIE))
    assert "httponly" in session and "samesite=lax" in session and "; secure" in session
    assert any(c.startswith(LOGIN_COOKIE) and "max-age=0" in c for c in cookies)


def test_a_planted_session_id_is_replaced_at_login(site: Settings, email: str) -> None:
    attacker = _log_in(_client(site), "member@bank.example")
    planted = attacker.cookies[SESSION_COOKIE]
    victim = _client(site)
    victim.cookies.set(SESSION_COOKIE, planted, domain="testserver.local")  # planted
    _log_in(victim, email)
    assert victim.cookies[SESSION_COOKIE] != planted
    assert victim.get("/api/v1/me").json()["email"] == email
    assert _is_sent_to_login(attacker)  # the planted session ended: it is nobody's now


def test_an_idle_session_beyond_the_timeout_is_refused(site: Settings, email: str) -> None:
    clock = Clock()
    client = _log_in(_client(site, clock), email)
    clock.advance(minutes=site.session_idle_minutes - 1)
    assert client.get("/").status_code == 200  # used in time: it goes on
    clock.advance(minutes=site.session_idle_minutes - 1)
    assert client.get("/").status_code == 200
    clock.advance(minutes=site.session_idle_minutes + 1)
    assert _is_sent_to_login(client, "/pilots")
    assert client.get("/api/v1/me").json() == {"detail": "please log in"}
    clock.now = T0  # and it stays ended
    assert client.get("/api/v1/me").status_code == 401


def test_a_session_ends_after_session_hours_however_active(site: Settings, email: str) -> None:
    clock = Clock()
    client = _log_in(_client(site, clock), email)
    while clock.now + dt.timedelta(minutes=20) < T0 + dt.timedelta(hours=site.session_hours):
        clock.advance(minutes=20)
        assert client.get("/api/v1/me").status_code == 200
    clock.now = T0 + dt.timedelta(hours=site.session_hours, seconds=1)
    assert client.get("/api/v1/me").status_code == 401


def test_an_htmx_request_of_an_ended_session_is_redirected(site: Settings, email: str) -> None:
    clock = Clock()
    client = _log_in(_client(site, clock), email)
    token = _token(client)
    clock.advance(minutes=site.session_idle_minutes + 1)
    answer = client.post(
        "/pilots",
        data={"name": "x", "csrf": token},
        headers={"HX-Request": "true", "HX-Current-URL": "https://testserver/pilots"},
    )
    assert answer.status_code == 401 and answer.headers["HX-Redirect"] == "/login?next=/pilots"


@pytest.mark.parametrize("change", ["deactivate", "set_role", "reset_password"])
def test_a_user_changed_while_logged_in_is_logged_out(site: Settings, email: str, change) -> None:
    client = _log_in(_client(site), email)
    other = _log_in(_client(site), "member@bank.example")
    if change == "deactivate":
        users.deactivate_account(site, ADMIN, email)
    elif change == "set_role":
        users.set_role(site, ADMIN, email, "supervisor")
    else:
        users.reset_password(site, ADMIN, email, "an entirely new password")
    assert _is_sent_to_login(client)
    assert other.get("/").status_code == 200
    if change == "set_role":  # logging in again gives the new role
        assert _log_in(client, email).get("/api/v1/me").json()["role"] == "supervisor"


def test_log_out_everywhere_ends_every_session_of_the_user(site: Settings, email: str) -> None:
    laptop, phone = _log_in(_client(site), email), _log_in(_client(site), email)
    someone_else = _log_in(_client(site), "member@bank.example")
    page = laptop.get("/account")
    assert page.status_code == 200 and "Log out everywhere" in page.text
    assert page.text.count("<tr") == 3  # the header and two sessions
    answer = laptop.post(
        "/account/logout-everywhere", data={"csrf": csrf_of(page.text)}, follow_redirects=False
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?notice=everywhere"
    assert "You are logged out everywhere" in laptop.get(answer.headers["location"]).text
    assert _is_sent_to_login(laptop) and _is_sent_to_login(phone)
    assert someone_else.get("/").status_code == 200


def test_log_out_everywhere_needs_the_form_token(site: Settings, email: str) -> None:
    client = _log_in(_client(site), email)
    answer = client.post("/account/logout-everywhere", data={"csrf": "forged"})
    assert answer.status_code == 403
    assert client.get("/").status_code == 200  # nothing ended


def test_the_account_page_and_its_twin_list_the_sessions(site: Settings, email: str) -> None:
    client = _log_in(_client(site), email)
    _log_in(_client(site), email)
    listed = client.get("/api/v1/account/sessions").json()
    assert listed["email"] == email and listed["idle_minutes"] == site.session_idle_minutes
    assert sorted(s["current"] for s in listed["sessions"]) == [False, True]
    assert all(s["address"] == "testclient" for s in listed["sessions"])
    assert "key" not in str(listed) and "csrf" not in str(listed)


def test_the_top_bar_links_the_account_page(site: Settings, email: str) -> None:
    page = _log_in(_client(site), email).get("/")
    assert 'href="/account"' in page.text


def test_the_login_form_token_is_its_own_and_is_dropped_at_login(
    site: Settings, email: str
) -> None:
    client = _client(site)
    form = client.get("/login")
    before = client.cookies[LOGIN_COOKIE]
    assert csrf_of(form.text) == before
    _log_in(client, email)
    assert LOGIN_COOKIE not in client.cookies
    assert _token(client) != before  # the session has its own token


def test_a_visitor_without_any_cookie_posting_is_sent_to_login(site: Settings) -> None:
    answer = _client(site).post("/login", data={"email": "a@b.example", "password": "x"})
    assert answer.status_code == 200 and "Log in" in answer.text  # redirected to the form


def test_old_cookie_from_before_the_upgrade_opens_nothing(tmp_path: Path) -> None:
    """A signed cookie of the former cookie sessions (user id inside) is just a string."""
    settings = load_demo_org(new_workspace(tmp_path / "ws", None), tmp_path)
    client = _client(settings)
    client.cookies.set(SESSION_COOKIE, "eyJ1c2VyX2lkIjogMX0=.aGVsbG8.c2lnbmF0dXJl")
    assert _is_sent_to_login(client)


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"]
)
def test_a_login_never_sends_anyone_off_site(site: Settings, email: str, target: str) -> None:
    client = _client(site)
    token = csrf_of(client.get("/login").text)
    answer = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf": token, "next": target},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/"
