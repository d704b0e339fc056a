"""DuckDB's road to ties and topics (coded events, numpy) gives the SQL's rows."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartmoves.data.analytics import DuckDBBackend, _counted, build_ties, person_topics
from smartmoves.data.analytics._sources import resolve_source
from smartmoves.data.analytics._sql import register, window
from smartmoves.data.analytics._ties import _event_ties_sql
from smartmoves.data.analytics._topics import _topics_sql

RECENT = "2024-02-01"


def _by_sql(path: Path, since: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ties and topics by the SQL definitions, on DuckDB itself."""
    with DuckDBBackend() as backend:
        view, columns = register(backend, resolve_source(path), ["sender_id", "recipient_ids"])
        condition = window(backend, since, None)
        ties = backend.arrow(
            f"WITH {_event_ties_sql(backend, view, columns, condition, 25, 30.0)}\n"
            "SELECT * FROM event_ties ORDER BY person_a, person_b"
        )
        recent = window(backend, RECENT, None)
        topics = backend.arrow(_topics_sql(backend, view, columns, condition, recent))
    return ties.to_pandas(), topics.to_pandas()


def _same(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    ours, theirs = ours.reset_index(drop=True), theirs.reset_index(drop=True)
    pd.testing.assert_frame_equal(ours, theirs[list(ours.columns)], check_dtype=False, atol=1e-12)


ids = st.sampled_from(["a", "b", " c", "d ", "é", "B", "", "a;b"])
words = st.sampled_from(["Pricing", " churn ", "", "pricing", "Café", "a b"])
random_events = st.lists(
    st.fixed_dictionaries(
        {
            "sender_id": st.one_of(ids, st.none()),
            "recipient_ids": st.one_of(
                st.lists(ids, max_size=8).map(";".join), st.none(), st.just("a; a ;b")
            ),
            "channel": st.sampled_from(["email", "meeting", " Call ", "chat", None]),
            "duration_minutes": st.sampled_from([None, 0.0, 15.0, 45.5]),
            "topic": st.one_of(st.lists(words, max_size=3).map(";".join), st.none()),
            "timestamp": st.sampled_from(["2024-01-15 09:00", "2024-02-15 09:00"]),
        }
    ),
    max_size=30,
)


@pytest.mark.parametrize("road", ["packed", "hashed"])
@settings(max_examples=60, deadline=None)
@given(rows=random_events, since=st.sampled_from([None, "2024-02-01"]))
def test_coded_road_gives_the_sql_rows(tmp_path_factory, road: str, rows, since) -> None:
    events = pd.DataFrame(
        rows,
        columns=["sender_id", "recipient_ids", "channel", "duration_minutes", "topic", "timestamp"],
    )
    events["timestamp"] = pd.to_datetime(events["timestamp"])
    events["duration_minutes"] = events["duration_minutes"].astype(float)
    path = tmp_path_factory.mktemp("coded") / "events.parquet"
    events.to_parquet(path, index=False)
    ties, topics = _by_sql(path, since)
    # "hashed": too few bits to pack a pair, so Arrow's hash grouping counts the ties;
    # the topics are then counted by sorting keys, not into an array, a few events at
    # a time.
    word_bits = 64 if road == "packed" else 8
    dense = _counted.DENSE_CELLS if road == "packed" else 0
    chunk = _counted.TOPIC_CHUNK if road == "packed" else 3
    with (
        mock.patch.object(_counted, "WORD_BITS", word_bits),
        mock.patch.object(_counted, "DENSE_CELLS", dense),
        mock.patch.object(_counted, "TOPIC_CHUNK", chunk),
    ):
        _same(build_ties(path, since=since), ties.assign(source="events"))
        _same(person_topics(path, since=since, recent_since=RECENT), topics)


def test_ties_and_topics_read_once_give_what_each_gives(events_parquet: Path) -> None:
    from smartmoves.data.analytics import ties_and_topics

    ties, topics = ties_and_topics(events_parquet, recent_since=RECENT)
    pd.testing.assert_frame_equal(ties, build_ties(events_parquet))
    pd.testing.assert_frame_equal(topics, person_topics(events_parquet, recent_since=RECENT))
    arrow_ties, _ = ties_and_topics(events_parquet, as_arrow=True)
    assert isinstance(arrow_ties, pa.Table) and arrow_ties.num_rows == len(ties)
