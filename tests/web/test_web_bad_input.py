"""Bad input in a path or a body gets a 4xx with the reason, never a 500.

A number too long to be any id, in any route's path, is "not found": the routes are
discovered from the app, and every ``{..._id}`` gets 2**70 (and a number of 5,000
digits, which int() alone refuses), read or written, page or API. A body's text that is
no valid Unicode, or longer than the limit, is a 422 naming the field, and nothing is
stored. Every text field of every form (found from the app, with the charter's, which
its route reads from the form itself) refuses a text one character beyond its limit
and a NUL character the same way, and the store is left as it was.
"""

from __future__ import annotations

import re
from typing import get_args

import pytest
from fastapi.testclient import TestClient

from smartmoves.api.bodies import TEXT_LIMIT
from smartmoves.data.store import db
from smartmoves.pathway import texts
from smartmoves.pathway.create.coaching import FIELDS as CHARTER_FIELDS
from smartmoves.settings import Settings
from smartmoves.web.permissions import app_routes

from services import new_workspace
from webutil import csrf_of, load_demo_org, logged_in

LONG_IDS = [str(2**70), "9" * 5000, "-" + str(2**64)]


@pytest.fixture(scope="module")
def admin(tmp_path_factory: pytest.TempPathFactory) -> tuple[TestClient, str]:
    folder = tmp_path_factory.mktemp("long-ids")
    settings: Settings = load_demo_org(new_workspace(folder / "ws", None), folder)
    browser = logged_in(settings, "admin")
    client = TestClient(
        browser.app,
        base_url="https://testserver",
        raise_server_exceptions=False,
        cookies=browser.cookies,
    )
    return client, csrf_of(client.get("/").text)


def _with_ids(path: str, value: str) -> str | None:
    if not re.search(r"\{\w+_id(:\w+)?\}", path):
        return None
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: value if m.group(1).endswith("_id") else "x", path)


@pytest.mark.parametrize("value", LONG_IDS, ids=["2**70", "5000 digits", "-2**64"])
def test_an_id_beyond_any_row_is_not_found_on_every_route(admin, value: str) -> None:
    client, token = admin
    checked = 0
    for route in app_routes(client.app):
        url = _with_ids(route.path, value)
        if url is None:
            continue
        for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
            response = client.request(method, url, headers={"X-CSRF-Token": token})
            assert response.status_code == 404, (method, route.path, response.text[:200])
            checked += 1
    assert checked >= 20  # the pilots, workgroups, jobs... routes were all reached


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ('"a\\ud800b"', "string_unicode"),  # a lone surrogate, as JSON can spell it
        ('"' + "n" * (TEXT_LIMIT + 1) + '"', "string_too_long"),
    ],
    ids=["lone-surrogate", "too-long"],
)
def test_a_bad_text_in_a_body_is_refused_naming_the_field(admin, name: str, kind: str) -> None:
    client, token = admin
    headers = {"X-CSRF-Token": token, "content-type": "application/json"}
    before = client.get("/api/v1/pilots").json()
    response = client.post("/api/v1/pilots", content=f'{{"name": {name}}}', headers=headers)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", "name"] and problem["type"] == kind
    assert "input" not in problem  # never echoed: it may be what no response can carry
    assert client.get("/api/v1/pilots").json() == before


def test_a_text_at_the_limit_is_kept_whole(admin) -> None:
    client, token = admin
    name, opportunity = "n" * texts.NAME, "o" * TEXT_LIMIT
    body = {"name": name, "opportunity": opportunity}
    response = client.post("/api/v1/pilots", json=body, headers={"X-CSRF-Token": token})
    assert response.status_code == 201
    assert response.json()["name"] == name and response.json()["opportunity"] == opportunity


@pytest.mark.parametrize(
    ("body", "field", "kind"),
    [
        ({"name": "n" * (texts.NAME + 1)}, "name", "string_too_long"),
        ({"name": "a\x00b"}, "name", "string_nul"),
        ({"name": "x", "opportunity": "o\x00"}, "opportunity", "string_nul"),
        ({"name": "x", "unit_id": "u" * (texts.NAME + 1)}, "unit_id", "string_too_long"),
    ],
    ids=["long-name", "nul-name", "nul-text", "long-id"],
)
def test_the_api_refuses_a_name_where_the_form_does(admin, body, field: str, kind: str) -> None:
    """A name's limit is the same in a form and a body (200), and NUL is refused in both."""
    client, token = admin
    before = client.get("/api/v1/pilots").json()
    response = client.post("/api/v1/pilots", json=body, headers={"X-CSRF-Token": token})
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", field] and problem["type"] == kind
    form = {**body, "csrf": token}
    page = client.post("/pilots", data=form, follow_redirects=False)
    assert page.status_code == 422 and field in page.text
    assert client.get("/api/v1/pilots").json() == before


def _kinds(schema: dict) -> set[str]:
    return {schema.get("type", "")} | {part.get("type", "") for part in schema.get("anyOf", [])}


def test_an_integer_beyond_64_bits_in_any_body_is_refused_naming_the_field(admin) -> None:
    """Every JSON body of the API, found from its schema; each integer field gets +-2**70
    (JSON has no limit; the store's integers are 64 bits)."""
    client, token = admin
    headers = {"X-CSRF-Token": token}
    pilot = client.post("/api/v1/pilots", json={"name": "wide"}, headers=headers).json()["id"]
    spec = client.get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    checked = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            ref = content.get("application/json", {}).get("schema", {}).get("$ref")
            if ref is None:
                continue
            schema = schemas[ref.rsplit("/", 1)[-1]]
            fields = schema.get("properties", {})
            needed = {
                name: "x" if "string" in _kinds(fields[name]) else 1
                for name in schema.get("required", [])
            }
            url = re.sub(r"\{[^}]+\}", str(pilot), path)
            for name, field in fields.items():
                if "integer" not in _kinds(field):
                    continue
                for value in (2**70, -(2**70)):
                    response = client.request(
                        method.upper(), url, json={**needed, name: value}, headers=headers
                    )
                    assert response.status_code == 422, (method, path, name, response.text)
                    assert any(p["loc"][-1] == name for p in response.json()["detail"])
                    checked += 1
    assert checked >= 10


def test_an_integer_beyond_64_bits_in_any_form_is_refused_where_it_was_posted(admin) -> None:
    """Every page route that reads an integer from a form, found from the app; the field
    gets 2**70 (a coach's workgroup_id was a 500 from the driver)."""
    client, token = admin
    headers = {"X-CSRF-Token": token}
    pilot = client.post("/api/v1/pilots", json={"name": "forms"}, headers=headers).json()["id"]
    checked = 0
    for route in app_routes(client.app):
        if route.path.startswith("/api/") or "POST" not in route.methods:
            continue
        url = re.sub(r"\{[^}]+\}", str(pilot), route.path)
        for param in route.body_params:
            if int not in {param.field_info.annotation, *get_args(param.field_info.annotation)}:
                continue
            form = {p.alias: "1" for p in route.body_params}
            form.update({param.alias: str(2**70), "csrf": token})
            response = client.post(url, data=form, headers={"HX-Request": "true"})
            assert response.status_code == 422, (route.path, param.alias, response.text[:200])
            assert param.alias in response.text  # said in the fragment, where it was posted
            checked += 1
    assert checked >= 3


def _kinds_of(annotation: object) -> set[object]:
    """``str`` for ``str | None`` and ``list[str] | None`` alike."""
    found = {annotation}
    for arg in get_args(annotation):
        found |= _kinds_of(arg)
    return found


def _text_fields(route) -> list[str]:
    """The form fields a page route reads as text."""
    names = [p.alias for p in route.body_params if str in _kinds_of(p.field_info.annotation)]
    if route.path.endswith("/charter"):  # read from the form by the route itself
        names += [f.key for f in CHARTER_FIELDS]
    return [n for n in names if n != "csrf"]  # a wrong token is the CSRF check's (403)


def _store_rows(settings: Settings) -> dict[str, list[tuple]]:
    """Every row of every table but the login sessions (a request marks its own used)."""
    import sqlalchemy as sa

    engine = db.engine_for(settings.sqlalchemy_url)
    rows = {}
    with engine.connect() as conn:
        for name in sa.inspect(engine).get_table_names():
            if name != "login_sessions":
                rows[name] = sorted(map(tuple, conn.execute(sa.text(f'SELECT * FROM "{name}"'))))
    return rows


@pytest.mark.parametrize("bad", ["too long", "NUL"])
def test_every_text_of_every_form_is_refused_naming_the_field(admin, bad: str) -> None:
    """Every page route that reads text from a form, found from the app; each field in
    turn gets one character beyond its limit, or a NUL: a 422 naming it, where it was
    posted, and the store as it was."""
    client, token = admin
    headers = {"X-CSRF-Token": token}
    pilot = client.post("/api/v1/pilots", json={"name": "texts"}, headers=headers).json()["id"]
    settings = client.app.state.settings
    before = _store_rows(settings)
    checked = set()
    for route in app_routes(client.app):
        if route.path.startswith("/api/") or "POST" not in route.methods:
            continue
        url = re.sub(r"\{[^}]+\}", str(pilot), route.path)
        for field in _text_fields(route):
            value = "x" * (texts.limit_of(field) + 1) if bad == "too long" else "a\x00b"
            form = {p.alias: "1" for p in route.body_params}
            form.update({field: value, "csrf": token})
            for htmx in (True, False):
                response = client.post(
                    url, data=form, headers={"HX-Request": "true"} if htmx else {}
                )
                assert response.status_code == 422, (route.path, field, response.text[:200])
                assert f"{field}:" in response.text, (route.path, field)  # said at the form
            checked.add((route.path, field))
    assert len(checked) >= 25  # names, choices, texts, the login's email and password...
    assert {"email", "password", "next", "name", "notes", "objective"} <= {f for _, f in checked}
    assert _store_rows(settings) == before
