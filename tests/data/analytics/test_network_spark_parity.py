"""The Spark backend builds exactly the ties (and topics) DuckDB builds on the same input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from smartmoves.data.analytics import build_ties, person_topics

pytestmark = pytest.mark.spark


def _same_ties(spark: pd.DataFrame, duck: pd.DataFrame) -> None:
    assert len(spark) == len(duck) > 0
    for column in ("person_a", "person_b", "reciprocal", "events", "source"):
        assert spark[column].tolist() == duck[column].tolist(), column
    np.testing.assert_allclose(spark["weight"], duck["weight"], rtol=0, atol=1e-12)


@pytest.mark.parametrize("kind", ["parquet", "csv"])
def test_spark_builds_the_same_ties_as_duckdb(
    spark_backend: Any, events_parquet: Path, events_csv: Path, kind: str
) -> None:
    source = events_parquet if kind == "parquet" else events_csv
    _same_ties(build_ties(source, backend=spark_backend), build_ties(source, backend="duckdb"))


def test_spark_and_duckdb_agree_on_windows_and_imported_ties(
    spark_backend: Any, events_parquet: Path, tmp_path: Path
) -> None:
    imported = tmp_path / "ties.parquet"
    pd.DataFrame(
        {"person_a": ["c", "zed"], "person_b": ["b", "a"], "weight": [2.0, 0.25], "source": "viva"}
    ).to_parquet(imported, index=False)
    options = {"since": "2024-01-03", "until": "2024-01-08", "imported": imported}
    _same_ties(
        build_ties(events_parquet, backend=spark_backend, **options),
        build_ties(events_parquet, backend="duckdb", **options),
    )


def test_spark_and_duckdb_agree_on_random_events(spark_backend: Any, tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    n = 400
    people = np.array([f"p{i:02d}" for i in range(30)])
    recipients = [
        ";".join(rng.choice(people, size=rng.integers(1, 30), replace=True)) for _ in range(n)
    ]
    frame = pd.DataFrame(
        {
            "timestamp": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 90, n), "D"),
            "sender_id": rng.choice(people, n),
            "recipient_ids": recipients,
            "channel": rng.choice(["email", "chat", "meeting", "call", "other"], n),
            "duration_minutes": rng.choice([15.0, 30.0, 45.0, np.nan], n),
            "topic": rng.choice(["pricing; churn", "payroll", "claims;pricing"], n),
        }
    )
    path = tmp_path / "random.parquet"
    frame.to_parquet(path, index=False)
    _same_ties(build_ties(path, backend=spark_backend), build_ties(path))
    spark_topics = person_topics(path, backend=spark_backend)
    pd.testing.assert_frame_equal(spark_topics, person_topics(path))
    spark_recent = person_topics(path, backend=spark_backend, recent_since="2024-03-15")
    pd.testing.assert_frame_equal(spark_recent, person_topics(path, recent_since="2024-03-15"))
