"""Server-side sessions and login throttling, on both stores, with a clock the tests move
(nothing sleeps): sessions end at logout, after the idle and absolute timeouts, and when
their user changes; failed logins lock an email or an address for a while, then let go."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from smartmoves.data.store import db
from smartmoves.data.store.models import AuditEntry, LoginSession, LoginThrottle
from smartmoves.errors import ConfigError, Forbidden, NotFound, TooManyAttempts
from smartmoves.pathway._store import store
from smartmoves.pathway.setup import logins, users
from smartmoves.settings import Settings

from services import ADMIN, T0, account, quick_password_hashes

PASSWORD = "correct horse battery"
HERE = "10.0.0.1"


@pytest.fixture(autouse=True)
def quick_hashes() -> Iterator[None]:
    with quick_password_hashes():
        yield


@pytest.fixture
def site(workspace: Settings) -> Settings:
    users.add_account(workspace, "ana@bank.example", "member", PASSWORD)
    users.add_account(workspace, "bo@bank.example", "admin", PASSWORD)
    return workspace


def _login(settings: Settings, email: str = "ana@bank.example", **kw) -> logins.Login:
    found = logins.log_in(
        settings, email, kw.pop("password", PASSWORD), address=kw.pop("address", HERE),
        now=kw.pop("now", T0), **kw,
    )  # fmt: skip
    assert found is not None
    return found


def _audit(settings: Settings) -> list[AuditEntry]:
    with db.transaction(store(settings)) as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_the_cookie_token_is_random_and_the_store_keeps_only_its_keyed_hash(site: Settings):
    first, second = _login(site), _login(site)
    assert first.token != second.token and len(first.token) >= 40
    with db.transaction(store(site)) as session:
        keys = set(session.scalars(select(LoginSession.id)))
    assert first.token not in keys and second.token not in keys
    assert len(keys) == 2
    live = logins.current_session(site, first.token, now=T0)
    assert live is not None and live.account.email == "ana@bank.example"
    assert live.csrf == first.csrf


def test_a_changed_secret_key_ends_every_session(site: Settings) -> None:
    login = _login(site)
    rotated = site.model_copy(update={"secret_key": "another-secret-key-for-this-workspace"})
    assert logins.current_session(rotated, login.token, now=T0) is None


@pytest.mark.parametrize("token", [None, "", "nope", "x" * 5000])
def test_no_session_for_a_token_that_was_never_handed_out(site: Settings, token) -> None:
    assert logins.current_session(site, token, now=T0) is None


def test_logout_ends_the_session_for_good(site: Settings) -> None:
    login = _login(site)
    logins.log_out(site, login.token, address=HERE)
    assert logins.current_session(site, login.token, now=T0) is None
    logins.log_out(site, login.token, address=HERE)  # a second logout is harmless
    assert [e.action for e in _audit(site)][-1] == "logout"


def test_an_idle_session_ends_and_an_active_one_lasts(site: Settings) -> None:
    idle = dt.timedelta(minutes=site.session_idle_minutes)
    login = _login(site)
    assert logins.current_session(site, login.token, now=T0 + idle) is not None  # used: kept
    assert logins.current_session(site, login.token, now=T0 + 2 * idle) is not None
    beyond = T0 + 3 * idle + dt.timedelta(minutes=1, seconds=1)
    assert logins.current_session(site, login.token, now=beyond) is None
    # ...and for good: going back in time does not bring it back.
    assert logins.current_session(site, login.token, now=T0 + 2 * idle) is None


def test_a_session_ends_at_the_absolute_timeout_however_active(site: Settings) -> None:
    login = _login(site)
    step = dt.timedelta(minutes=site.session_idle_minutes - 1)
    moment = T0
    while moment + step < T0 + dt.timedelta(hours=site.session_hours):
        moment += step
        assert logins.current_session(site, login.token, now=moment) is not None, moment
    late = T0 + dt.timedelta(hours=site.session_hours, seconds=1)
    assert logins.current_session(site, login.token, now=late) is None


def test_last_use_is_written_at_most_once_a_minute(site: Settings) -> None:
    login = _login(site)

    def seen() -> dt.datetime:
        with db.transaction(store(site)) as session:
            return logins.utc(session.scalars(select(LoginSession.seen_at)).one())

    logins.current_session(site, login.token, now=T0 + dt.timedelta(seconds=30))
    assert seen() == T0
    logins.current_session(site, login.token, now=T0 + dt.timedelta(seconds=90))
    assert seen() == T0 + dt.timedelta(seconds=90)


def test_logging_in_again_ends_the_session_the_browser_had(site: Settings) -> None:
    old = _login(site)
    new = _login(site, replacing=old.token)
    assert new.token != old.token
    assert logins.current_session(site, old.token, now=T0) is None
    assert logins.current_session(site, new.token, now=T0) is not None


def test_log_out_everywhere_ends_every_session_of_that_user_only(site: Settings) -> None:
    mine = [_login(site), _login(site)]
    theirs = _login(site, "bo@bank.example")
    current = logins.current_session(site, mine[0].token, now=T0)
    assert current is not None
    assert logins.log_out_everywhere(site, current.account) == 2
    assert all(logins.current_session(site, s.token, now=T0) is None for s in mine)
    assert logins.current_session(site, theirs.token, now=T0) is not None


@pytest.mark.parametrize(
    "change",
    [
        lambda s: users.deactivate_account(s, ADMIN, "ana@bank.example"),
        lambda s: users.set_role(s, ADMIN, "Ana@Bank.example", "supervisor"),
        lambda s: users.reset_password(s, ADMIN, "ana@bank.example", "a brand new password"),
    ],
    ids=["deactivated", "new role", "new password"],
)
def test_sessions_end_when_their_user_changes(site: Settings, change) -> None:
    login, other = _login(site), _login(site, "bo@bank.example")
    assert change(site) == 1
    assert logins.current_session(site, login.token, now=T0) is None
    assert logins.current_session(site, other.token, now=T0) is not None


def test_user_changes_are_checked_and_recorded(site: Settings) -> None:
    with pytest.raises(NotFound, match=r"no user nobody@bank\.example"):
        users.deactivate_account(site, ADMIN, "Nobody@bank.example")
    with pytest.raises(ConfigError, match="unknown role 'boss'"):
        users.set_role(site, ADMIN, "ana@bank.example", "boss")
    with pytest.raises(ConfigError, match="member already"):
        users.set_role(site, ADMIN, "ana@bank.example", "member")
    with pytest.raises(ConfigError, match="at least 10 characters"):
        users.reset_password(site, ADMIN, "ana@bank.example", "short")
    with pytest.raises(Forbidden):
        users.deactivate_account(site, account("champion"), "ana@bank.example")
    users.set_role(site, ADMIN, "ana@bank.example", "champion")
    users.reset_password(site, ADMIN, "ana@bank.example", "a brand new password")
    users.deactivate_account(site, ADMIN, "ana@bank.example")
    with pytest.raises(ConfigError, match="deactivated already"):
        users.deactivate_account(site, ADMIN, "ana@bank.example")
    entries = [(e.actor, e.action, e.target, e.detail) for e in _audit(site)]
    assert (
        "cli",
        "set role",
        "ana@bank.example",
        {"before": "member", "after": "champion"},
    ) in entries
    assert ("cli", "reset password", "ana@bank.example", {"sessions_ended": 0}) in entries
    assert ("cli", "deactivate user", "ana@bank.example", {"sessions_ended": 0}) in entries
    assert not any("brand new" in str(e) for e in entries)  # never the password
    assert users.authenticate(site, "ana@bank.example", "a brand new password") is None
    users.activate_account(site, ADMIN, "ana@bank.example")
    assert users.authenticate(site, "ana@bank.example", "a brand new password") is not None


def _fail(settings: Settings, email: str, *, now: dt.datetime, address: str = HERE):
    return logins.log_in(settings, email, "wrong password!", address=address, now=now)


@pytest.mark.parametrize("email", ["ana@bank.example", "nobody@bank.example"])
def test_failures_lock_an_email_whether_or_not_it_has_an_account(site: Settings, email) -> None:
    limit = site.login_max_failures
    for n in range(limit - 1):
        assert _fail(site, email, now=T0 + dt.timedelta(seconds=n)) is None
    with pytest.raises(TooManyAttempts) as locked:  # the failure that locks says so
        _fail(site, email, now=T0 + dt.timedelta(minutes=1))
    assert str(locked.value) == "too many attempts, try again in 15 minutes"
    with pytest.raises(TooManyAttempts) as again:  # even the right password is refused
        _login(site, email, now=T0 + dt.timedelta(minutes=2), address="10.9.9.9")
    assert again.value.message == "too many attempts, try again in 14 minutes"
    assert again.value.retry_after == 14 * 60
    actions = [e.action for e in _audit(site) if e.actor == email]
    assert actions.count("login failed") == limit and actions.count("login locked") == 1
    assert actions[-1] == "login locked"  # a refused attempt is neither checked nor counted
    released = T0 + dt.timedelta(minutes=1 + site.login_lockout_minutes, seconds=1)
    if email.startswith("ana"):
        assert _login(site, email, now=released).account.email == email
    else:
        assert _fail(site, email, now=released) is None


def test_the_lockout_message_is_the_same_for_an_account_and_for_nobody(site: Settings) -> None:
    messages = []
    for email in ("ana@bank.example", "nobody@bank.example"):
        with pytest.raises(TooManyAttempts) as locked:
            for n in range(site.login_max_failures):
                _fail(site, email, now=T0 + dt.timedelta(seconds=n), address=f"10.1.1.{n}")
        messages.append((locked.value.message, locked.value.http_status))
    assert messages[0] == messages[1]


def test_failures_outside_the_window_do_not_add_up(site: Settings) -> None:
    window = dt.timedelta(minutes=site.login_window_minutes)
    moment = T0
    for _ in range(3 * site.login_max_failures):
        assert _fail(site, "ana@bank.example", now=moment) is None
        moment += window / (site.login_max_failures - 1)
    assert _login(site, now=moment).account.email == "ana@bank.example"


def test_a_success_clears_its_email_count_but_not_its_address(site: Settings) -> None:
    for n in range(site.login_max_failures - 1):
        _fail(site, "ana@bank.example", now=T0 + dt.timedelta(seconds=n))
    _login(site, now=T0 + dt.timedelta(seconds=10))
    for n in range(site.login_max_failures - 1):  # counted from zero again
        assert _fail(site, "ana@bank.example", now=T0 + dt.timedelta(seconds=20 + n)) is None
    with db.transaction(store(site)) as session:
        counts = sorted(session.scalars(select(LoginThrottle.failures)))
    assert counts == [site.login_max_failures - 1, 2 * (site.login_max_failures - 1)]


def test_one_address_trying_many_emails_is_locked(site: Settings) -> None:
    settings = site.model_copy(update={"login_max_failures_per_address": 6})
    for n in range(5):
        assert _fail(settings, f"guess{n}@bank.example", now=T0) is None
    with pytest.raises(TooManyAttempts):
        _fail(settings, "guess5@bank.example", now=T0)
    with pytest.raises(TooManyAttempts):  # any email, from that address
        _login(settings, now=T0 + dt.timedelta(minutes=1))
    assert _login(settings, address="10.0.0.2", now=T0 + dt.timedelta(minutes=1))


def test_concurrent_failures_are_each_counted(site: Settings) -> None:
    settings = site.model_copy(update={"login_max_failures": 1000})
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda n: _fail(settings, "ana@bank.example", now=T0), range(12)))
    with db.transaction(store(site)) as session:
        counts = sorted(session.scalars(select(LoginThrottle.failures)))
    assert counts == [12, 12]  # the email's count and the address's


def test_stale_counts_are_dropped_at_the_next_login(site: Settings) -> None:
    for n in range(site.login_max_failures):
        assert _fail(site, f"typo{n % 2}@bank.example", now=T0, address=f"10.2.0.{n}") is None
    late = T0 + dt.timedelta(minutes=site.login_window_minutes + 1)
    _login(site, now=late)
    with db.transaction(store(site)) as session:
        assert session.scalars(select(LoginThrottle.key)).all() == []


def test_the_throttle_keeps_no_email_anyone_typed(site: Settings) -> None:
    _fail(site, "my-secret-password@oops", now=T0)
    with db.transaction(store(site)) as session:
        keys = list(session.scalars(select(LoginThrottle.key)))
    assert keys and not any("oops" in k or "@" in k for k in keys)


def test_the_account_lists_its_live_sessions(site: Settings) -> None:
    first = _login(site, user_agent="Firefox")
    later = T0 + dt.timedelta(minutes=5)
    second = _login(site, user_agent="Chromium", now=later, address="10.0.0.7")
    current = logins.current_session(site, second.token, now=later)
    assert current is not None
    view = logins.sessions_view(site, current.account, current.key, now=later)
    assert [(s.browser, s.current, s.address) for s in view.sessions] == [
        ("Chromium", True, "10.0.0.7"),
        ("Firefox", False, HERE),
    ]
    long_after = T0 + dt.timedelta(minutes=site.session_idle_minutes + 2)
    view = logins.sessions_view(site, current.account, current.key, now=long_after)
    assert [s.browser for s in view.sessions] == ["Chromium"]  # the idle one is not shown
    assert first.token != second.token


def test_a_clock_without_a_zone_is_refused(site: Settings) -> None:
    with pytest.raises(ValueError, match="aware"):
        logins.current_session(site, "token", now=dt.datetime(2026, 12, 3))
