"""What tests share besides fixtures: skipping (or failing) without a service, a
PostgreSQL schema per test, and new workspaces. Import it as ``from services import ...``
(a module of its own: several folders have a conftest.py, so "conftest" is ambiguous)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

from smartmoves.pathway.policy import Account
from smartmoves.settings import Settings

REQUIRE_SERVICES = os.environ.get("SMARTMOVES_REQUIRE_SERVICES") == "1"
PG_URL = os.environ.get(
    "SMARTMOVES_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)

__all__ = [
    "ADMIN",
    "PG_URL",
    "REQUIRE_SERVICES",
    "account",
    "new_workspace",
    "postgres_reachable",
    "postgres_schema",
    "skip_or_fail",
    "spread_occupations",
]


# The command line's account, as use cases see it (an admin recorded as "cli").
ADMIN = Account.system("cli")


def account(role: str, person_id: str | None = None, *, email: str | None = None) -> Account:
    """An account of ``role`` linked to ``person_id``, as a logged-in user would be."""
    return Account(1, email or f"{role}@bank.example", role, person_id, None)


def skip_or_fail(reason: str) -> None:
    """Skip a test whose service is missing, or fail when CI requires every service."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


def postgres_reachable() -> str | None:
    """``None`` when PostgreSQL answers at PG_URL, else why not."""
    import psycopg

    conninfo = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        with psycopg.connect(conninfo, connect_timeout=3):
            return None
    except psycopg.OperationalError as exc:
        return f"PostgreSQL not reachable at {PG_URL}: {str(exc).strip().splitlines()[0]}"


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


def new_workspace(folder: Path, database_url: str | None) -> Settings:
    """Create a workspace in ``folder`` whose store is ``database_url`` (default SQLite)."""
    from smartmoves.data.workspace import create_workspace
    from smartmoves.pathway.setup.workspace import upgrade_store
    from smartmoves.settings import get_settings

    settings = get_settings(create_workspace(folder), database_url=database_url)
    upgrade_store(settings)
    return settings


def spread_occupations(shared_dir: Path, count: int) -> pd.DataFrame:
    """The labelled O*NET tasks of ``count`` occupations taken at even steps through the
    SOC order, so that every major group is represented in a small, fast sample."""
    frame = pd.read_csv(shared_dir / "data/onet-exposure/tasks_train.tsv", sep="\t")
    codes = sorted(frame["soc_code"].unique())
    keep = set(codes[:: len(codes) // count][:count])
    return frame[frame["soc_code"].isin(keep)].reset_index(drop=True)


# A moment the session and login tests start from, and a clock they move by hand.
T0 = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


class Clock:
    """A clock a test sets: sessions and login throttles read it instead of the time."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@contextmanager
def quick_password_hashes() -> Iterator[None]:
    """argon2 at its cheapest, for tests that check many passwords, not argon2's cost."""
    from argon2 import PasswordHasher

    from smartmoves.pathway.setup import users

    kept = users._hasher
    users._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    users._dummy_hash.cache_clear()
    try:
        yield
    finally:
        users._hasher = kept
        users._dummy_hash.cache_clear()
