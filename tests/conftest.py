"""Shared fixtures.

Service-backed tests (PostgreSQL, Spark, Chromium) skip with a clear reason when their
service is missing, except when ``SMARTMOVES_REQUIRE_SERVICES=1`` (CI sets it): then a
skip is a failure, so CI can never pass without having run them. Helpers that are not
fixtures live in ``services.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from smartmoves.settings import Settings

from services import (
    PG_URL,
    new_workspace,
    postgres_reachable,
    postgres_schema,
    skip_or_fail,
)

settings.register_profile(
    "smartmoves",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    max_examples=60,
)
settings.load_profile("smartmoves")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the repository: the labelled data the tests read."""
    if not SHARED.is_dir():
        skip_or_fail(f"{SHARED} is not there (CI puts ../shared beside the clone)")
    return SHARED


# Every test that touches the operational store runs on SQLite and on PostgreSQL.
# PostgreSQL tests each get a schema of their own, so tests can run in parallel.


@pytest.fixture(scope="session")
def postgres_url() -> str:
    reason = postgres_reachable()
    if reason:
        skip_or_fail(reason)
    return PG_URL


@contextmanager
def _backend_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    if request.param == "sqlite":
        yield None
        return
    with postgres_schema(request.getfixturevalue("postgres_url")) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
def store_backend(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """``None`` for the workspace's SQLite file, or a PostgreSQL URL with its own schema."""
    with _backend_url(request) as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def module_store_backend(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """Like ``store_backend``, shared by the tests of one module (read-only tests)."""
    with _backend_url(request) as url:
        yield url


@pytest.fixture
def workspace(tmp_path: Path, store_backend: str | None) -> Iterator[Settings]:
    """A fresh workspace whose store is SQLite or PostgreSQL (both, by parametrization)."""
    from smartmoves.data.store import db

    settings = new_workspace(tmp_path / "ws", store_backend)
    yield settings
    db.release(settings.sqlalchemy_url)
