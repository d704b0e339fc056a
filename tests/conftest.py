"""Shared test configuration.

Service-backed tests (PostgreSQL, Spark, Chromium) skip with a clear reason when their
service is missing, except when ``SMARTMOVES_REQUIRE_SERVICES=1`` (CI sets it): then a
skip is a failure, so CI can never pass without having run them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

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
