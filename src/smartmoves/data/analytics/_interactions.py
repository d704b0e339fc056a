"""Ties and topics from one reading of the interactions (what the network analysis needs)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, overload

import pandas as pd

from smartmoves.data.analytics._backends import AnalyticsBackend, DuckDBBackend
from smartmoves.data.analytics._coded import code_events
from smartmoves.data.analytics._counted import coded_topics
from smartmoves.data.analytics._sources import resolve_source
from smartmoves.data.analytics._sql import Source, When, finish, open_backend, register_events
from smartmoves.data.analytics._ties import (
    build_ties,
    check_meeting_options,
    tie_schema,
    ties_table,
)
from smartmoves.data.analytics._topics import person_topics, topic_schema

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["ties_and_topics"]


@overload
def ties_and_topics(
    source: Source,
    *,
    backend: str | AnalyticsBackend = ...,
    since: When = ...,
    until: When = ...,
    recent_since: When = ...,
    imported: Source | None = ...,
    meeting_limit: int = ...,
    meeting_minutes: float = ...,
    as_arrow: Literal[False] = ...,
) -> tuple[pd.DataFrame, pd.DataFrame]: ...


@overload
def ties_and_topics(
    source: Source,
    *,
    backend: str | AnalyticsBackend = ...,
    since: When = ...,
    until: When = ...,
    recent_since: When = ...,
    imported: Source | None = ...,
    meeting_limit: int = ...,
    meeting_minutes: float = ...,
    as_arrow: Literal[True],
) -> tuple[pa.Table, pa.Table]: ...


def ties_and_topics(
    source: Source,
    *,
    backend: str | AnalyticsBackend = "duckdb",
    since: When = None,
    until: When = None,
    recent_since: When = None,
    imported: Source | None = None,
    meeting_limit: int = 25,
    meeting_minutes: float = 30.0,
    as_arrow: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame] | tuple[pa.Table, pa.Table]:
    """:func:`build_ties` and :func:`person_topics` of the same events, read once.

    The options are theirs; the rows are the same as calling each. On DuckDB the events
    are read and coded once (half the work of two calls); other backends run both.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "interactions.csv"
    >>> pd.DataFrame({
    ...     "timestamp": ["2024-03-01T09:00", "2024-03-02T09:00"],
    ...     "sender_id": ["ana", "bo"],
    ...     "recipient_ids": ["bo", "ana;cy"],
    ...     "topic": ["pricing", "Pricing"],
    ... }).to_csv(path, index=False)
    >>> ties, topics = ties_and_topics(path)
    >>> ties[["person_a", "person_b", "weight", "reciprocal"]]
      person_a person_b  weight  reciprocal
    0      ana       bo     1.5        True
    1       bo       cy     0.5       False
    >>> topics
      person_id    topic  events
    0       ana  pricing       2
    1        bo  pricing       2
    2        cy  pricing       1
    """
    check_meeting_options(meeting_limit, meeting_minutes)
    events = resolve_source(source)
    extra = resolve_source(imported) if imported is not None else None
    engine, owned = open_backend(backend)
    try:
        if not isinstance(engine, DuckDBBackend):
            ties = build_ties(
                source,
                backend=engine,
                since=since,
                until=until,
                imported=imported,
                meeting_limit=meeting_limit,
                meeting_minutes=meeting_minutes,
                as_arrow=True,
            )
            topics = person_topics(
                source,
                backend=engine,
                since=since,
                until=until,
                recent_since=recent_since,
                as_arrow=True,
            )
            return finish(ties, ties.schema, as_arrow), finish(topics, topics.schema, as_arrow)
        view, columns, condition, recent = register_events(
            engine, events, since, until, recent_since=recent_since, topics=True
        )
        coded = code_events(engine, view, columns, condition, topics=True, recent=recent)
        tie_table = ties_table(engine, coded, extra, meeting_limit, meeting_minutes)
        topic_table = coded_topics(coded)
    finally:
        if owned:
            engine.close()
    return (
        finish(tie_table, tie_schema(), as_arrow),
        finish(topic_table, topic_schema(recent is not None), as_arrow),
    )
