"""``smartmoves serve --workers N``: its bounds, what Uvicorn is asked to run, and that a
login made on one worker process is the same login, CSRF token included, on another."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from smartmoves.cli import serve as serve_module
from smartmoves.cli import serve_workers
from smartmoves.cli.main import app
from smartmoves.settings import Settings

from services import new_workspace, quick_password_hashes
from webutil import PASSWORD, csrf_of, load_demo_org

runner = CliRunner()


@pytest.fixture(autouse=True)
def quick_hashes() -> Iterator[None]:
    with quick_password_hashes():
        yield


@pytest.fixture
def settings(
    tmp_path: Path, store_backend: str | None, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    if store_backend:  # the worker processes read it from the environment they inherit
        monkeypatch.setenv("SMARTMOVES_DATABASE_URL", store_backend)
    return load_demo_org(new_workspace(tmp_path / "ws", store_backend), tmp_path)


@pytest.fixture
def uvicorn_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    """What ``serve`` asks Uvicorn to run, instead of running it."""
    import uvicorn

    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: calls.append((a, k)))

    def workers(config: uvicorn.Config, count: int) -> int:  # as uvicorn.run would be asked
        calls.append(
            ((config.app,), {"factory": config.factory, "workers": count, "port": config.port})
        )
        return 0

    monkeypatch.setattr(serve_workers, "run", workers)
    # Nothing is kept to be read in the background (and the store goes with the test).
    monkeypatch.setattr(serve_module, "_warm_in_background", lambda settings: None)
    monkeypatch.delenv(serve_module.WORKER_ENV, raising=False)
    return calls


def _serve(settings: Settings, *extra: str) -> Any:
    return runner.invoke(app, ["serve", "-w", str(settings.workspace), "--port", "8123", *extra])


@pytest.mark.parametrize("workers", ["0", "-1", "33", "two"])
def test_a_worker_count_out_of_bounds_is_one_line_and_exit_2(
    settings: Settings, uvicorn_calls: list[Any], workers: str
) -> None:
    done = _serve(settings, "--workers", workers)
    assert done.exit_code == 2
    assert "--workers" in done.output
    assert uvicorn_calls == []  # nothing was started


def test_one_worker_serves_the_app_in_this_process(
    settings: Settings, uvicorn_calls: list[Any]
) -> None:
    done = _serve(settings)
    assert done.exit_code == 0, done.output
    ((args, kwargs),) = uvicorn_calls
    assert hasattr(args[0], "router")  # the app itself, not an import string
    assert kwargs["port"] == 8123 and "workers" not in kwargs


def test_workers_run_the_factory_with_the_workspace_in_their_environment(
    settings: Settings, uvicorn_calls: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(serve_module.WORKER_ENV, "{}")  # restored after the test
    done = _serve(settings, "--workers", "3", "--host", "127.0.0.1")
    assert done.exit_code == 0, done.output
    ((args, kwargs),) = uvicorn_calls
    assert args == ("smartmoves.cli.serve:worker_app",)
    assert kwargs["factory"] is True and kwargs["workers"] == 3 and kwargs["port"] == 8123
    given = json.loads(serve_module.os.environ[serve_module.WORKER_ENV])
    assert given == {
        "workspace": str(settings.workspace),
        "environment": "production",
        "loopback": True,
    }


def test_a_workspace_that_cannot_be_served_fails_before_any_worker_starts(
    tmp_path: Path, uvicorn_calls: list[Any]
) -> None:
    done = runner.invoke(app, ["serve", "-w", str(tmp_path / "nowhere"), "--workers", "2"])
    assert done.exit_code != 0
    assert uvicorn_calls == []


def test_a_login_on_one_worker_holds_on_another(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    given = {"workspace": str(settings.workspace), "environment": "production", "loopback": False}
    monkeypatch.setenv(serve_module.WORKER_ENV, json.dumps(given))
    # The analysis is read in the background at a worker's start: not here (none is kept).
    monkeypatch.setattr(serve_module, "_warm_in_background", lambda settings: None)
    first, second = serve_module.worker_app(), serve_module.worker_app()
    assert first is not second
    with (
        TestClient(first, base_url="https://testserver") as one,
        TestClient(second, base_url="https://testserver") as other,
    ):
        token = csrf_of(one.get("/login").text)
        logged = one.post(
            "/login",
            data={"email": "champion@bank.example", "password": PASSWORD, "csrf": token},
            follow_redirects=False,
        )
        assert logged.status_code == 303
        other.cookies.update(one.cookies)  # the browser's next request lands on the other
        page = other.get("/")
        assert page.status_code == 200 and "Champion" in page.text
        # The CSRF token the first worker's page handed out is the one the second expects.
        csrf = csrf_of(one.get("/").text)
        assert csrf_of(page.text) == csrf
        forged = other.post("/logout", data={"csrf": "forged" * 4}, follow_redirects=False)
        assert forged.status_code == 403
        out = other.post("/logout", data={"csrf": csrf}, follow_redirects=False)
        assert out.status_code == 303
        # Logged out on the second worker: the first one knows at once.
        one.cookies.update(other.cookies)
        assert one.get("/", follow_redirects=False).status_code in (302, 303, 307)
