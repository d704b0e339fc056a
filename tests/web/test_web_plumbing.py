"""The web's plumbing, in one place for every page: CSRF on every unsafe route, HTMX
answers that never fail silently, error pages that keep the navigation, the login
cookie's Secure flag."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from smartmoves.pathway.create import volunteers
from smartmoves.pathway.pilots import create_pilot
from smartmoves.settings import Settings
from smartmoves.web import create_app
from smartmoves.web.permissions import app_routes

from services import ADMIN, new_workspace
from webutil import client_for, load_demo_org, logged_in

HTMX = {"HX-Request": "true", "HX-Current-URL": "https://testserver/pilots/1/volunteers"}


@pytest.fixture(scope="module")
def site(module_store_backend: str | None, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("plumbing")
    settings = load_demo_org(new_workspace(folder / "ws", module_store_backend), folder)
    pilot = create_pilot(settings, ADMIN, "Receivables", unit_id="AR", min_pilot=1)
    volunteers.save_call(settings, ADMIN, pilot.id, None, open_call=True)
    return settings


def _unsafe_routes(settings: Settings) -> list[tuple[str, str]]:
    found = []
    for route in app_routes(create_app(settings)):
        for method in route.methods & {"POST", "PUT", "PATCH", "DELETE"}:
            found.append((method, route.path.replace("{pilot_id}", "1")))
    return found


def test_every_unsafe_route_refuses_a_request_without_the_csrf_token(site: Settings) -> None:
    client = logged_in(site, "admin")
    routes = _unsafe_routes(site)
    assert len(routes) > 15  # every router's writes, discovered from the app
    for method, path in routes:
        path = path.replace("{workgroup_id}", "1").replace("{coach_id}", "P00")
        path = path.replace("{workgroup_id:id}", "1").replace("{part}", "focus")
        path = path.replace("{catalyst_id:id}", "1")
        answer = client.request(method, path, data={"csrf": "not the token"})
        assert answer.status_code == 403, (method, path, answer.status_code)
        assert "the form expired" in answer.text


def test_a_stale_form_says_it_expired_where_the_user_acted(site: Settings) -> None:
    client = logged_in(site, "admin")
    answer = client.post("/pilots/1/status", data={"status": "running"}, headers=HTMX)
    assert answer.status_code == 403
    assert "data-problem" in answer.text and "The form expired" in answer.text
    assert "<nav" not in answer.text  # a fragment, not a page swapped into the form


def test_an_expired_login_sends_htmx_to_the_login_page(site: Settings) -> None:
    client = logged_in(site, "admin")
    client.post("/logout", headers={"X-CSRF-Token": _token(client)}, follow_redirects=False)
    answer = client.post("/pilots/1/status", data={"status": "x"}, headers=HTMX)
    assert answer.status_code == 401
    assert answer.headers["HX-Redirect"] == "/login?next=/pilots/1/volunteers"
    assert answer.text == ""  # never the login page swapped into a fragment
    page = client.get("/pilots/1", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/pilots/1"


def _token(client: TestClient) -> str:
    from webutil import csrf_of

    return csrf_of(client.get("/").text)


def test_a_field_that_does_not_parse_is_named_at_the_form(site: Settings) -> None:
    client = logged_in(site, "admin")
    headers = HTMX | {"X-CSRF-Token": _token(client)}
    answer = client.post("/pilots/1/status", data={}, headers=headers)
    assert answer.status_code == 422
    assert "data-problem" in answer.text and "status: field required" in answer.text
    plain = client.post("/pilots/1/status", data={"csrf": _token(client)})
    assert plain.status_code == 422 and "status: field required" in plain.text
    assert 'aria-label="Pathway"' in plain.text  # the error page keeps the navigation


def test_a_refused_htmx_post_shows_its_message_with_its_status(site: Settings) -> None:
    client = logged_in(site, "admin")
    headers = HTMX | {"X-CSRF-Token": _token(client)}
    nothing = client.post("/pilots/1/volunteers/select", data={}, headers=headers)
    assert nothing.status_code == 422
    assert "data-problem" in nothing.text and "tick at least one applicant" in nothing.text
    nobody = client.post("/pilots/1/volunteers/select", data={"person_id": "P99"}, headers=headers)
    assert nobody.status_code == 422 and "P99 did not apply to this pilot" in nobody.text
    assert "<strong>Selection:1:" in nobody.text  # the message's own capitals stay
    member = logged_in(site, "member")
    forbidden = member.post(
        "/pilots/1/volunteers/call",
        data={"text": "Mine now"},
        headers=HTMX | {"X-CSRF-Token": _token(member)},
    )
    assert forbidden.status_code == 403 and "Admins and champions write the call" in forbidden.text
    assert volunteers.call_view(site, ADMIN, 1).is_default  # nothing changed


@pytest.mark.parametrize("path", ["/no/such/page", "/pilots/999", "/admin/users"])
def test_error_pages_keep_the_navigation(site: Settings, path: str) -> None:
    client = logged_in(site, "member")
    page = client.get(path)
    assert page.status_code in (403, 404)
    assert 'aria-label="Pathway"' in page.text and "Log out" in page.text


def test_the_login_cookie_is_secure_except_on_loopback_and_in_development(
    site: Settings, tmp_path: Path
) -> None:
    def cookie(app_settings: Settings, *, loopback: bool = False) -> str:
        client = TestClient(create_app(app_settings, loopback=loopback))
        return client.get("/login").headers["set-cookie"].lower()

    assert "; secure" in cookie(site)
    assert "; secure" not in cookie(site, loopback=True)
    assert "; secure" in cookie(site.model_copy(update={"cookie_secure": True}), loopback=True)
    assert "; secure" not in cookie(site.model_copy(update={"environment": "development"}))
    assert "httponly" in cookie(site) and "samesite=lax" in cookie(site)


def test_the_https_client_logs_in(site: Settings) -> None:
    assert client_for(site).get("/", follow_redirects=False).status_code == 303


def test_a_server_answers_on_as_many_threads_as_its_setting_says(tmp_path: Path) -> None:
    # Page work shares one interpreter lock: a few threads a process answer 50 busy users
    # faster than Starlette's forty (benchmarks/load.py), so the server starts with the
    # setting's number, and a blocking request past it waits for a free thread.
    import anyio
    from anyio import to_thread

    settings = new_workspace(tmp_path / "ws", None).model_copy(
        update={"request_threads": 3, "job_workers": 0}
    )
    app = create_app(settings)

    async def serving() -> tuple[float, float]:
        before = to_thread.current_default_thread_limiter().total_tokens
        async with app.router.lifespan_context(app):
            return before, to_thread.current_default_thread_limiter().total_tokens

    assert anyio.run(serving) == (40, 3)
