"""Security headers on every answer (pages, JSON, static files, redirects, errors, a
500), a Content-Security-Policy that allows no inline script and no eval, templates that
need none, and the API docs behind a login with their assets served from the package."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from smartmoves.settings import Settings
from smartmoves.web import create_app

from services import new_workspace
from webutil import load_demo_org, logged_in

WEB = Path(__file__).resolve().parents[2] / "src" / "smartmoves" / "web"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("headers")
    return load_demo_org(new_workspace(folder / "ws", None), folder)


def _policy(header: str) -> dict[str, list[str]]:
    directives = [d.strip().split() for d in header.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def _assert_secure(answer, *, https: bool = True) -> None:
    headers = answer.headers
    policy = _policy(headers["content-security-policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert not any("unsafe" in v for values in policy.values() for v in values)
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert ("strict-transport-security" in headers) is https


def test_every_kind_of_answer_carries_the_headers(site: Settings) -> None:
    anonymous = TestClient(create_app(site), base_url="https://testserver")
    admin = logged_in(site, "admin")
    answers = {
        "login page": anonymous.get("/login"),
        "redirect to login": anonymous.get("/", follow_redirects=False),
        "api 401": anonymous.get("/api/v1/me"),
        "page": admin.get("/"),
        "json": admin.get("/api/v1/overview"),
        "static js": admin.get("/static/smartmoves.js"),
        "static css": admin.get("/static/vendor/pico.min.css"),
        "404 page": admin.get("/no/such/page"),
        "404 json": admin.get("/api/v1/pilots/999"),
        "403 page": logged_in(site, "member").get("/admin/users"),
        "422 page": admin.get("/admin/audit?page=nope"),
        "405": admin.delete("/login"),
        "csv": admin.get("/admin/audit.csv"),
    }
    for name, answer in answers.items():
        assert answer.status_code < 500, name
        _assert_secure(answer)
    assert answers["static js"].headers["content-type"].startswith("text/javascript")
    assert "no-store" in answers["page"].headers["cache-control"]
    assert "no-store" in answers["json"].headers["cache-control"]
    assert "no-store" not in answers["static js"].headers.get("cache-control", "")


def test_even_a_crash_carries_the_headers(site: Settings) -> None:
    app = create_app(site)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    answer = TestClient(app, raise_server_exceptions=False, base_url="https://testserver").get(
        "/boom"
    )
    assert answer.status_code == 500
    _assert_secure(answer)


def test_hsts_only_over_tls(site: Settings) -> None:
    plain = TestClient(create_app(site, loopback=True)).get("/login")
    _assert_secure(plain, https=False)
    tls = TestClient(create_app(site), base_url="https://testserver").get("/login")
    assert tls.headers["strict-transport-security"] == "max-age=31536000"


def test_a_proxy_s_forwarded_tls_counts_as_tls(site: Settings) -> None:
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    app = ProxyHeadersMiddleware(create_app(site), trusted_hosts="*")
    answer = TestClient(app).get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "strict-transport-security" in answer.headers


TEMPLATES = sorted((WEB / "templates").rglob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_no_template_needs_inline_script_or_style(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert " src=" in tag or 'type="application/json"' in tag, tag
    handlers = re.findall(r"\son[a-z]+\s*=", text)
    assert not handlers, f"inline event handlers: {handlers}"
    assert not re.search(r"\sstyle\s*=", text), "style attributes: the CSP refuses them"
    assert "<style" not in text and "javascript:" not in text


def test_our_scripts_evaluate_no_strings() -> None:
    for script in (WEB / "static").glob("*.js"):
        text = script.read_text(encoding="utf-8")
        assert not re.search(r"\beval\(|new Function|setTimeout\(\s*[\"']", text), script.name
    assert '"allowEval": false' in (WEB / "templates" / "base.html").read_text()


def test_rendered_pages_have_no_inline_script(site: Settings) -> None:
    client = logged_in(site, "admin")
    for path in ["/", "/units/AR", "/pilots", "/account", "/admin/users", "/admin/audit"]:
        html = client.get(path).text
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert " src=" in tag or 'type="application/json"' in tag, (path, tag)


def test_the_api_docs_need_a_login(site: Settings) -> None:
    anonymous = TestClient(create_app(site), base_url="https://testserver")
    answer = anonymous.get("/api/v1/docs", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login?next=/api/v1/docs"


@pytest.mark.parametrize("role", ["admin", "member"])
def test_the_api_docs_are_served_from_the_package(site: Settings, role: str) -> None:
    client = logged_in(site, role)
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in sources
    assert "/static/vendor/swagger-ui/swagger-ui.css" in sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))], sources
    for asset in ("swagger-ui/swagger-ui-bundle.js", "swagger-ui/swagger-ui.css"):
        served = client.get(f"/static/vendor/{asset}")
        assert served.status_code == 200 and len(served.content) > 100_000
    assert "SwaggerUIBundle" in client.get("/static/api-docs.js").text
    assert 'data-csrf="' in page.text  # tried-out requests pass the CSRF check
