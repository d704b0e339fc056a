"""The long fuzzing run of the API: schemathesis against ``/api/v1/openapi.json``, with
many more generated requests than ``make test``'s ``tests/web/test_api_schema.py``, as
every role of the demo bank.

    python benchmarks/fuzz_api.py                        # 100 valid + 100 invalid per operation
    python benchmarks/fuzz_api.py --examples 500 --roles admin member --seed 7

Every operation gets ``--examples`` requests that fit its schema and as many that break
it, from a logged-in session with its CSRF token. Each answer must be no server error,
have a status code and media type the schema documents, and a body that matches the
schema. Prints, per role and operation, the requests sent, the failures and the seconds;
then each distinct failure (operation, check) once with the request that found it. The
exit code is 1 when anything failed. Jobs run inside the request that starts them (no
worker process), on a demo workspace built in ``--workdir`` (kept for later runs; the
fuzzing writes to it, so delete it for a clean start).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as fixed_seed
from hypothesis.errors import Unsatisfiable
from schemathesis import checks
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.generation import GenerationMode

from smartmoves.pathway.demo.build import DemoLogin, build_demo
from smartmoves.settings import get_settings
from smartmoves.web import create_app

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
ROLES = ("admin", "champion", "supervisor", "member")


@dataclass
class Found:
    """Failures by (role, operation, check): the first request that showed each."""

    first: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def add(self, role: str, label: str, failure: Failure, case: Any) -> None:
        key = (role, label, failure.title)
        if key not in self.first:
            request = case.as_curl_command(headers={"X-CSRF-Token": "…"})
            self.first[key] = f"{failure.message.strip()[:600]}\n    {request[:600]}"


def _session(app: Any, login: DemoLogin) -> tuple[dict[str, str], dict[str, str]]:
    """The cookies and headers of a logged-in browser."""
    client = TestClient(app, base_url="https://testserver")

    def csrf(html: str) -> str:
        return html.split('name="csrf" value="', 1)[1].split('"', 1)[0]

    form = {"email": login.email, "password": login.password, "next": "/"}
    form["csrf"] = csrf(client.get("/login").text)
    answer = client.post("/login", data=form, follow_redirects=False)
    assert answer.status_code == 303, f"could not log in as {login.role}"
    return dict(client.cookies), {"X-CSRF-Token": csrf(client.get("/").text)}


def _fuzz(
    operation: Any,
    mode: GenerationMode,
    examples: int,
    seed: int,
    send: dict[str, Any],
    on_failure: Any,
) -> int:
    """Send ``examples`` requests of ``mode`` to ``operation``; the number sent."""
    sent = 0

    @fixed_seed(seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        nonlocal sent
        sent += 1
        try:
            case.call_and_validate(**send, checks=CHECKS)
        except FailureGroup as group:
            for failure in group.exceptions:
                on_failure(failure, case)
        except Failure as failure:
            on_failure(failure, case)

    # An operation without parameters nor body has no invalid request to send.
    with contextlib.suppress(Unsatisfiable):
        run()
    return sent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=100, help="per operation and kind")
    parser.add_argument("--roles", nargs="+", choices=ROLES, default=list(ROLES))
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "sm-fuzz")
    args = parser.parse_args()

    folder = args.workdir / f"demo-{args.people}"
    started = time.perf_counter()
    logins = build_demo(folder, people=args.people, weeks=4, seed=0)
    app = create_app(get_settings(folder, job_workers=0))
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    print(f"demo of {args.people} people in {folder} ({time.perf_counter() - started:.0f} s)")
    print(f"{len(operations)} operations, {args.examples} valid + {args.examples} invalid each")

    found = Found()
    total = 0
    for role in args.roles:
        login = next(x for x in logins if x.role == role)
        cookies, headers = _session(app, login)
        send = {"cookies": cookies, "headers": headers}
        for operation in operations:
            before, clock = len(found.first), time.perf_counter()
            record = functools.partial(found.add, role, operation.label)
            sent = sum(
                _fuzz(operation, mode, args.examples, args.seed, send, record)
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
            )
            total += sent
            print(
                f"{role:10} {operation.label:66} {sent:5} sent "
                f"{len(found.first) - before:2} failing {time.perf_counter() - clock:6.1f} s",
                flush=True,
            )
    print(
        f"\n{total} requests in {time.perf_counter() - started:.0f} s, "
        f"{len(found.first)} distinct failures"
    )
    for (role, label, title), detail in found.first.items():
        print(f"\n[{role}] {label}: {title}\n    {detail}")
    return 1 if found.first else 0


if __name__ == "__main__":
    sys.exit(main())
