"""Hand-made interactions with known ties, and one Spark backend for the whole session."""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from services import skip_or_fail


def _meeting(host: str, others: list[str], minutes: float | None, day: str) -> dict:
    return {
        "timestamp": pd.Timestamp(day),
        "sender_id": host,
        "recipient_ids": ";".join(others),
        "channel": "meeting",
        "duration_minutes": minutes,
        "topic": "all hands",
    }


def _message(sender: str, recipients: str, channel: str | None, day: str, topic: str) -> dict:
    return {
        "timestamp": pd.Timestamp(day),
        "sender_id": sender,
        "recipient_ids": recipients,
        "channel": channel,
        "duration_minutes": None,
        "topic": topic,
    }


@pytest.fixture(scope="session")
def hand_made_events() -> pd.DataFrame:
    """Events whose ties are worked out in test_network_ties_query.py."""
    rows = [
        _message("a", "b;c", "email", "2024-01-02 09:00", "Pricing; churn"),
        _message("b", "a", "email", "2024-01-03 09:00", "pricing"),
        _message("c", "a; a ;", "chat", "2024-01-04 09:00", "churn"),
        {**_meeting("d", ["e", "f", "d"], 90, "2024-01-05 10:00"), "topic": "budget"},
        _meeting("m00", [f"m{i:02d}" for i in range(1, 26)], 60, "2024-01-06 10:00"),
        _meeting("n00", [f"n{i:02d}" for i in range(1, 25)], 48, "2024-01-07 10:00"),
        {**_meeting("a", ["x_ext"], 30, "2024-01-08 10:00"), "channel": "call", "topic": None},
        _message("a", "a", "email", "2024-01-09 09:00", "note to self"),
        _message("e", "f", None, "2024-01-10 09:00", "budget"),
        {**_meeting("g", ["h"], None, "2024-01-11 10:00"), "channel": "Meeting"},
        _message("b", "c", "email", "2024-03-01 09:00", ""),
    ]
    return pd.DataFrame(rows)


@pytest.fixture(scope="session")
def events_parquet(
    hand_made_events: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    path = tmp_path_factory.mktemp("events") / "interactions.parquet"
    hand_made_events.to_parquet(path, index=False)
    return path


@pytest.fixture(scope="session")
def events_csv(hand_made_events: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("events_csv") / "interactions.csv"
    frame = hand_made_events.assign(
        timestamp=hand_made_events["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S")
    )
    frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def spark_backend(request: pytest.FixtureRequest) -> Iterator[Any]:
    """One local Spark session for every test that needs it (it takes seconds to start)."""
    if importlib.util.find_spec("pyspark") is None:
        skip_or_fail("PySpark is not installed (the spark extra)")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        skip_or_fail("Java is not installed; Spark needs it")
    from smartmoves.data.analytics import get_backend
    from smartmoves.errors import ConfigError

    try:
        backend = get_backend("spark")
    except ConfigError as exc:
        skip_or_fail(str(exc))
    yield backend
    backend.close()
