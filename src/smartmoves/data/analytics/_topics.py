"""Who talked about what: each person's events per topic keyword.

Only the ``topic`` column and who took part are read, never message content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from smartmoves.data.analytics._backends import AnalyticsBackend, DuckDBBackend
from smartmoves.data.analytics._coded import code_events
from smartmoves.data.analytics._counted import coded_topics
from smartmoves.data.analytics._sources import resolve_source
from smartmoves.data.analytics._sql import (
    Source,
    When,
    finish,
    open_backend,
    raw_events,
    register_events,
    split_list,
)

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["TOPIC_COLUMNS", "person_topics", "topic_schema"]

TOPIC_COLUMNS = ("person_id", "topic", "events")


def person_topics(
    source: Source,
    *,
    backend: str | AnalyticsBackend = "duckdb",
    since: When = None,
    until: When = None,
    recent_since: When = None,
    as_arrow: bool = False,
) -> pd.DataFrame | pa.Table:
    """How often each person took part in events on each topic keyword.

    A topic is split on ``;`` into lower-cased keywords; every participant of an event
    (sender and recipients, at any meeting size) counts it once. With ``recent_since``,
    a column ``recent_events`` also counts the events at or after it, so the whole
    window and its last weeks come from one pass over the events.

    Returns
    -------
    pandas.DataFrame or pyarrow.Table
        ``person_id, topic, events``, sorted by person and topic. Events without a topic
        count nowhere. Feed it to the expert finder and to community topics. With
        ``recent_since``, also ``recent_events``.

    Raises
    ------
    DataError
        The source is missing, unreadable or lacks a required column (``topic`` too).

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "interactions.csv"
    >>> pd.DataFrame({
    ...     "timestamp": ["2024-03-01T09:00", "2024-03-02T09:00"],
    ...     "sender_id": ["ana", "bo"],
    ...     "recipient_ids": ["bo", "ana"],
    ...     "topic": ["Pricing; churn", "pricing"],
    ... }).to_csv(path, index=False)
    >>> person_topics(path)
      person_id    topic  events
    0       ana    churn       1
    1       ana  pricing       2
    2        bo    churn       1
    3        bo  pricing       2
    """
    resolved = resolve_source(source)
    engine, owned = open_backend(backend)
    try:
        view, columns, condition, recent = register_events(
            engine, resolved, since, until, recent_since=recent_since, topics=True
        )
        if isinstance(engine, DuckDBBackend):
            coded = code_events(engine, view, columns, condition, topics=True, recent=recent)
            table = coded_topics(coded)
        else:
            table = engine.arrow(_topics_sql(engine, view, columns, condition, recent))
    finally:
        if owned:
            engine.close()
    return finish(table, topic_schema(recent is not None), as_arrow)


def topic_schema(recent: bool) -> pa.Schema:
    import pyarrow as pa

    fields = [("person_id", pa.string()), ("topic", pa.string()), ("events", pa.int64())]
    if recent:
        fields.append(("recent_events", pa.int64()))
    return pa.schema(fields)


def _topics_sql(
    b: AnalyticsBackend, view: str, columns: list[str], condition: str, recent: str | None
) -> str:
    """The definition, in SQL (the road of every backend but DuckDB's, see ._coded)."""
    topic = f"trim(CAST({b.ident('topic')} AS {b.string_type}))"
    several = split_list(b, "topic", each="lower(trim(x))", keep="x <> ''")
    one = b.sql("list_of", item="lower(topic)")
    keywords = f"CASE WHEN instr(topic, ';') = 0 THEN {one} ELSE {several} END"
    people = b.sql("prepend", item="sender", list="recipients")
    extra = {"topic": topic}
    counted = "CAST(count(*) AS BIGINT) AS events"
    flag = ""
    if recent is not None:
        extra["recent"] = f"coalesce({recent}, FALSE)"
        counted += ", CAST(sum(CASE WHEN recent THEN 1 ELSE 0 END) AS BIGINT) AS recent_events"
        flag = ", recent"
    return f"""WITH {raw_events(b, view, columns, condition, extra=extra)},
attended AS (
    SELECT {b.sql("explode", list=people)} AS person_id, {keywords} AS keywords{flag}
    FROM events WHERE topic IS NOT NULL AND topic <> ''
),
mentions AS (
    SELECT person_id, {b.sql("explode", list="keywords")} AS topic{flag} FROM attended
)
SELECT person_id, topic, {counted}
FROM mentions GROUP BY person_id, topic ORDER BY person_id, topic"""
