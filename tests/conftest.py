"""Shared test configuration.

Service-backed tests (PostgreSQL, Spark, Chromium) skip with a clear reason when their
service is missing, except when ``SMARTMOVES_REQUIRE_SERVICES=1`` (CI sets it): then a
skip is a failure, so CI can never pass without having run them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from smartmoves.settings import Settings

settings.register_profile(
    "smartmoves",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    max_examples=60,
)
settings.load_profile("smartmoves")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REQUIRE_SERVICES = os.environ.get("SMARTMOVES_REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip a test whose service is missing, or fail when CI requires every service."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the repository: the labelled data the tests read."""
    if not SHARED.is_dir():
        skip_or_fail(f"{SHARED} is not there (CI puts ../shared beside the clone)")
    return SHARED


# --- stores -------------------------------------------------------------------------
# Every test that touches the operational store runs on SQLite and on PostgreSQL.
# PostgreSQL tests each get a schema of their own, so tests can run in parallel.

PG_URL = os.environ.get(
    "SMARTMOVES_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _postgres_reachable() -> str | None:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return "psycopg is not installed"
    conninfo = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        with psycopg.connect(conninfo, connect_timeout=3):
            return None
    except psycopg.OperationalError as exc:
        return f"PostgreSQL not reachable at {PG_URL}: {str(exc).strip().splitlines()[0]}"


@pytest.fixture(scope="session")
def postgres_url() -> str:
    reason = _postgres_reachable()
    if reason:
        skip_or_fail(reason)
    return PG_URL


@contextmanager
def postgres_schema(base: str) -> Iterator[str]:
    """A PostgreSQL URL whose connections use a new schema, dropped afterwards."""
    import uuid

    import sqlalchemy as sa

    from smartmoves.data.store import db

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base}?options=-csearch_path%3D{schema}"
    try:
        yield url
    finally:
        db.release(url)
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def backend_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    if request.param == "sqlite":
        yield None
        return
    with postgres_schema(request.getfixturevalue("postgres_url")) as url:
        yield url


def new_workspace(folder: Path, database_url: str | None) -> Settings:
    """Create a workspace in ``folder`` whose store is ``database_url`` (default SQLite)."""
    from smartmoves.data.workspace import create_workspace
    from smartmoves.pathway.workspace import upgrade_store
    from smartmoves.settings import get_settings

    settings = get_settings(create_workspace(folder), database_url=database_url)
    upgrade_store(settings)
    return settings


@pytest.fixture(params=["sqlite", "postgres"])
def store_backend(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """``None`` for the workspace's SQLite file, or a PostgreSQL URL with its own schema."""
    with backend_url(request) as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def module_store_backend(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """Like ``store_backend``, shared by the tests of one module (read-only tests)."""
    with backend_url(request) as url:
        yield url


@pytest.fixture
def workspace(tmp_path: Path, store_backend: str | None) -> Iterator[Settings]:
    """A fresh workspace whose store is SQLite or PostgreSQL (both, by parametrization)."""
    from smartmoves.data.store import db

    settings = new_workspace(tmp_path / "ws", store_backend)
    yield settings
    db.release(settings.sqlalchemy_url)
