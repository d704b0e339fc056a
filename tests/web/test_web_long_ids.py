"""A number too long to be any id, in any route's path, is "not found", never a 500.

The routes are discovered from the app; every ``{..._id}`` gets 2**70 (and a number of
5,000 digits, which int() alone refuses), read or written, page or API.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

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
    if not re.search(r"\{\w+_id\}", path):
        return None
    return re.sub(r"\{(\w+)\}", lambda m: value if m.group(1).endswith("_id") else "x", path)


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
