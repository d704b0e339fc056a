"""Logins under attack: repeated wrong passwords lock an email or an address for a while,
with one message that tells nothing about whether the account exists; a flood of logins
is checked a few at a time off the event loop, and another user's page still answers
while it runs (shown by the order things finish in, never by timing)."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import threading
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient

from smartmoves.pathway.setup import users
from smartmoves.settings import Settings
from smartmoves.web import create_app

from services import Clock, new_workspace
from webutil import PASSWORD, csrf_of, load_demo_org


@pytest.fixture
def site(store_backend: str | None, tmp_path) -> Settings:
    return load_demo_org(new_workspace(tmp_path / "ws", store_backend), tmp_path)


def _client(settings: Settings, clock: Clock) -> TestClient:
    client = TestClient(create_app(settings), base_url="https://testserver")
    client.app.state.clock = clock  # type: ignore[attr-defined]
    return client


def _try(client: TestClient, email: str, password: str) -> Any:
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf": token},
        follow_redirects=False,
    )


def _message(answer: Any) -> str:
    found = re.search(r'<p class="error" role="alert">([^<]*)</p>', answer.text)
    assert found, answer.text
    return found.group(1)


def test_the_lockout_engages_after_n_failures_and_releases_after_the_window(site: Settings):
    clock = Clock()
    client = _client(site, clock)
    for _ in range(site.login_max_failures - 1):
        wrong = _try(client, "member@bank.example", "not the password")
        assert wrong.status_code == 401 and _message(wrong) == "Wrong email or password."
    locked = _try(client, "member@bank.example", "not the password")
    assert locked.status_code == 429
    assert (
        _message(locked) == f"Too many attempts, try again in {site.login_lockout_minutes} minutes"
    )
    assert locked.headers["Retry-After"] == str(site.login_lockout_minutes * 60)
    refused = _try(client, "member@bank.example", PASSWORD)  # the right password, too soon
    assert refused.status_code == 429 and "try again in" in _message(refused)
    assert client.get("/api/v1/me").status_code == 401
    clock.now += dt.timedelta(minutes=site.login_lockout_minutes - 1)
    assert "try again in 1 minute" in _try(client, "member@bank.example", PASSWORD).text
    clock.now += dt.timedelta(minutes=1, seconds=1)
    assert _try(client, "member@bank.example", PASSWORD).status_code == 303
    assert client.get("/api/v1/me").json()["email"] == "member@bank.example"


def test_the_lockout_tells_nothing_about_whether_the_account_exists(site: Settings) -> None:
    answers = {}
    for email in ("member@bank.example", "nobody@bank.example"):
        client = _client(site, Clock())
        for _ in range(site.login_max_failures + 1):
            last = _try(client, email, "not the password")
        page = last.text.replace(email, "EMAIL").replace(csrf_of(last.text), "TOKEN")
        answers[email] = (last.status_code, dict(last.headers).get("retry-after"), page)
    assert answers["member@bank.example"] == answers["nobody@bank.example"]


def test_other_accounts_log_in_while_one_is_locked(site: Settings) -> None:
    client = _client(site, Clock())
    for _ in range(site.login_max_failures):
        _try(client, "member@bank.example", "not the password")
    assert _try(client, "champion@bank.example", PASSWORD).status_code == 303


def test_one_address_guessing_many_emails_is_locked(site: Settings) -> None:
    settings = site.model_copy(update={"login_max_failures_per_address": 4})
    client = _client(settings, Clock())
    answers = [_try(client, f"guess{n}@bank.example", "password!!").status_code for n in range(5)]
    assert answers == [401, 401, 401, 429, 429]
    assert _try(client, "admin@bank.example", PASSWORD).status_code == 429


def test_a_stale_login_form_says_it_expired(site: Settings) -> None:
    client = _client(site, Clock())
    client.get("/login")
    data = {"email": "member@bank.example", "password": PASSWORD, "csrf": "stale"}
    answer = client.post("/login", data=data)
    assert answer.status_code == 403 and "The form expired" in answer.text


class BlockingChecks:
    """A password hasher whose checks wait until released, counting how many run at
    once: the flood holds the password threads for as long as the test wants."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0
        self.started = 0

    def verify(self, hashed: str, password: str) -> bool:
        with self.lock:
            self.running += 1
            self.started += 1
            self.most = max(self.most, self.running)
        try:
            assert self.release.wait(120), "never released"
            return bool(self.real.verify(hashed, password))
        finally:
            with self.lock:
                self.running -= 1

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


FLOOD = 60  # more than the 40 threads that serve sync routes: they must not be needed


def test_a_flood_of_wrong_passwords_does_not_hold_other_users_pages(
    site: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = site.model_copy(update={"login_max_failures_per_address": 10_000})
    app = create_app(settings)
    workers = settings.password_hash_workers

    async def scenario() -> None:
        transport = httpx2.ASGITransport(app=app)
        base = "https://testserver"
        async with (
            httpx2.AsyncClient(transport=transport, base_url=base) as admin,
            httpx2.AsyncClient(transport=transport, base_url=base) as flooder,
        ):
            token = csrf_of((await admin.get("/login")).text)
            data = {"email": "admin@bank.example", "password": PASSWORD, "csrf": token}
            assert (await admin.post("/login", data=data)).status_code == 303

            checks = BlockingChecks(users._hasher)
            monkeypatch.setattr(users, "_hasher", checks)
            form = csrf_of((await flooder.get("/login")).text)
            flood = [
                asyncio.create_task(
                    flooder.post(
                        "/login",
                        data={"email": f"x{n}@bank.example", "password": "wrong", "csrf": form},
                    )
                )
                for n in range(FLOOD)
            ]
            while checks.started < workers:  # the password threads are all taken
                await asyncio.sleep(0.01)
            page = await asyncio.wait_for(admin.get("/"), timeout=120)  # a deadlock guard only
            assert page.status_code == 200 and "Contact center" in page.text
            assert not any(t.done() for t in flood), "a login finished before its check ran"
            assert checks.started == workers  # the rest wait their turn, holding no thread
            checks.release.set()
            answers = await asyncio.gather(*flood)
            assert {a.status_code for a in answers} == {401}
            assert checks.started == FLOOD and checks.most == workers

    asyncio.run(scenario())
