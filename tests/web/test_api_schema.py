"""The API answers as its schema says: schemathesis against ``/api/v1/openapi.json``.

Every operation of the schema is called with requests generated from it (valid ones and
ones that break it, plus schemathesis's boundary cases), as the admin of the demo bank
with a live session and its CSRF token, a bounded number of times so that the run stays
within a minute or two. Each answer must be no server error, with a status code the
schema lists for the operation, of the documented media type, with a body that matches
the documented schema (times with their zone, refusals with their ``detail``). The
longer run, with more examples and every role, is ``benchmarks/fuzz_api.py``.

The other tests read the schema itself: every route says what it may refuse, in line
with the policy.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import schemathesis
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import checks
from schemathesis.generation import GenerationMode

from smartmoves.pathway.policy import PERMISSIONS, ROLES
from smartmoves.settings import get_settings
from smartmoves.web import create_app
from smartmoves.web.app import API_ROUTERS  # the API's routers, as the app includes them
from smartmoves.web.permissions import ACTION_KEY

from demoworkspace import Demo, small_demo
from webutil import csrf_of

# Generated requests per operation and kind (valid, invalid): bounded for `make test`.
EXAMPLES = 12
UNSAFE = {"post", "put", "patch", "delete"}
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return small_demo(tmp_path_factory.mktemp("api-schema") / "demo")


@pytest.fixture(scope="module")
def app(demo: Demo) -> Any:
    # Jobs run inside the request that starts them: no worker process outlives the test.
    return create_app(get_settings(demo.folder, job_workers=0))


@pytest.fixture(scope="module")
def admin(demo: Demo, app: Any) -> dict[str, Any]:
    """The admin's session cookie and CSRF header, as a browser would send them."""
    login = next(x for x in demo.logins if x.role == "admin")
    client = TestClient(app, base_url="https://testserver")
    form = {"email": login.email, "password": login.password, "next": "/"}
    form["csrf"] = csrf_of(client.get("/login").text)
    assert client.post("/login", data=form, follow_redirects=False).status_code == 303
    return {
        "cookies": dict(client.cookies),
        "headers": {"X-CSRF-Token": csrf_of(client.get("/").text)},
    }


@pytest.fixture(scope="module")
def api_schema(app: Any) -> Any:
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)


@pytest.fixture(scope="module")
def openapi(app: Any) -> dict[str, Any]:
    document: dict[str, Any] = app.openapi()
    return document


# The operations, from the routers without building an app, so that pytest-xdist can share
# them out (schemathesis's own lazy parametrization runs them all in one test).
OPERATIONS = sorted(
    (method, f"/api/v1{route.path_format}")
    for router in API_ROUTERS
    for route in router.routes
    if isinstance(route, APIRoute)
    for method in route.methods
)


@pytest.mark.slow
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
def test_every_operation_answers_as_its_schema_says(
    api_schema: Any, admin: dict[str, Any], method: str, path: str, mode: GenerationMode
) -> None:
    operation = api_schema[path][method]

    @seed(13)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.generate],  # no shrinking: a failure is reported as it was found
        suppress_health_check=list(HealthCheck),
    )
    @given(operation.as_strategy(generation_mode=mode))
    def answers_as_documented(case: Any) -> None:
        case.call_and_validate(**admin, checks=CHECKS)

    try:
        answers_as_documented()
    except Unsatisfiable:
        # No parameter and no body: no request can break the schema.
        assert mode is GenerationMode.NEGATIVE


def _operations(openapi: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, methods in openapi["paths"].items()
        for method, operation in methods.items()
    ]


def test_the_schema_lists_every_operation_of_the_api(openapi: dict[str, Any]) -> None:
    operations = _operations(openapi)
    assert len(operations) >= 37
    assert all(path.startswith("/api/v1/") for _, path, _ in operations)


def test_every_operation_documents_its_refusals(openapi: dict[str, Any]) -> None:
    """401 everywhere (a login is needed), 403 where the policy may refuse or a write
    needs the CSRF token, 404 and 422 where the path names something, 422 for a body."""
    missing = []
    for method, path, operation in _operations(openapi):
        rule = PERMISSIONS[operation[ACTION_KEY]]
        everyone = set(rule.roles) == set(ROLES) and not rule.needs_person
        expected = {"401"}
        if method in UNSAFE or not everyone:
            expected.add("403")
        if re.search(r"\{\w+\}", path):
            expected |= {"404", "422"}
        if "requestBody" in operation:
            expected.add("422")
        lacking = expected - set(operation["responses"])
        if lacking:
            missing.append(f"{method.upper()} {path}: {sorted(lacking)}")
    assert not missing


def test_a_refusal_has_one_documented_body(openapi: dict[str, Any]) -> None:
    """A 4xx body is a ``Refusal`` (``detail`` in words) or, for a 422, ``Invalid``;
    FastAPI's own 422 model, which the app's bodies do not follow, is gone."""
    schemas = openapi["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    for method, path, operation in _operations(openapi):
        for status, answer in operation["responses"].items():
            if not status.startswith("4"):
                continue
            ref = answer["content"]["application/json"]["schema"]["$ref"]
            expected = "Invalid" if status == "422" else "Refusal"
            assert ref.endswith("/" + expected), (method, path, status, ref)
    assert schemas["Refusal"]["required"] == ["detail"]


def test_every_time_in_an_answer_carries_its_zone(app: Any, admin: dict[str, Any]) -> None:
    """SQLite hands times back without their zone; the API says they are UTC."""
    client = TestClient(app, base_url="https://testserver", cookies=admin["cookies"])
    pilots = client.get("/api/v1/pilots").json()
    sessions = client.get("/api/v1/account/sessions").json()["sessions"]
    times = [p["created_at"] for p in pilots] + [s["started"] for s in sessions]
    assert times
    assert all(t.endswith(("+00:00", "Z")) for t in times), times
