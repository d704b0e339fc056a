"""Named queries over the analytics store: events -> ties, and who talked about what.

Every query is written once against a backend's vocabulary (see :mod:`._backends`), so
DuckDB and Spark run the same definitions and return the same rows. The definitions are
those of ``docs/network.md``:

- email, chat and other messages tie the sender to each distinct recipient with weight
  ``1 / recipients``;
- meetings and calls tie every pair of participants (sender and recipients) when there
  are at most ``meeting_limit`` of them, with weight ``hours / (participants - 1)``;
- self-ties are dropped, ties are undirected (``person_a < person_b``), and a tie is
  ``reciprocal`` when each person started an event to the other or they shared a meeting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypeAlias, overload

import pandas as pd

from smartmoves.data.analytics._backends import AnalyticsBackend, DuckDBBackend
from smartmoves.data.analytics._coded import CodedEvents, code_events
from smartmoves.data.analytics._counted import coded_ties
from smartmoves.data.analytics._sources import TableSource, resolve_source
from smartmoves.data.analytics._sql import (
    Source,
    When,
    finish,
    open_backend,
    raw_events,
    register,
    register_events,
)
from smartmoves.errors import ConfigError

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["TIE_COLUMNS", "build_ties"]

TIE_COLUMNS = ("person_a", "person_b", "weight", "reciprocal", "events", "source")
IMPORTED_TIE_COLUMNS = ("person_a", "person_b", "weight")
MEETING_CHANNELS = ("meeting", "call")


def _event_ties_sql(
    backend: AnalyticsBackend,
    view: str,
    columns: list[str],
    window: str,
    meeting_limit: int,
    meeting_minutes: float,
) -> str:
    b = backend
    size = b.sql("size", list="recipients")
    meetings = ", ".join(f"'{c}'" for c in MEETING_CHANNELS)
    attendees = b.sql("prepend", item="sender", list="recipients")
    # Messages and meetings in two branches: a single pass with per-row CASEs measured
    # slower on DuckDB, which re-evaluates the recipient list for every reference.
    return f"""{raw_events(b, view, columns, window)},
messages AS (
    SELECT sender, {b.sql("explode", list="recipients")} AS other,
           CAST(1 AS DOUBLE) / {size} AS w
    FROM events WHERE channel NOT IN ({meetings}) AND {size} > 0
),
meetings AS (
    SELECT {attendees} AS attendees,
           coalesce(minutes, CAST({float(meeting_minutes)!r} AS DOUBLE)) / CAST(60 AS DOUBLE)
               / {size} AS w
    FROM events WHERE channel IN ({meetings}) AND {size} BETWEEN 1 AND {meeting_limit - 1}
),
attendance AS (
    SELECT attendees, w, {b.sql("explode_with_position", list="attendees", item="a", pos="i")}
    FROM meetings
),
meeting_pairs AS (
    SELECT a, {b.sql("explode", list=b.sql("after", list="attendees", pos="i"))} AS b, w
    FROM attendance
),
pairs AS (
    SELECT least(sender, other) AS person_a, greatest(sender, other) AS person_b, w,
           sender < other AS a_started, sender > other AS b_started
    FROM messages
    UNION ALL
    SELECT least(a, b), greatest(a, b), w, TRUE, TRUE FROM meeting_pairs
),
event_ties AS (
    SELECT person_a, person_b, sum(w) AS weight,
           bool_or(a_started) AND bool_or(b_started) AS reciprocal,
           CAST(count(*) AS BIGINT) AS events, 'events' AS source
    FROM pairs GROUP BY person_a, person_b
)"""


def _imported_ties_sql(backend: AnalyticsBackend, view: str, columns: list[str]) -> str:
    b = backend
    a = f"trim(CAST({b.ident('person_a')} AS {b.string_type}))"
    z = f"trim(CAST({b.ident('person_b')} AS {b.string_type}))"
    reciprocal = (
        f"coalesce(CAST({b.ident('reciprocal')} AS BOOLEAN), FALSE)"
        if "reciprocal" in columns
        else "FALSE"
    )
    source = (
        f"coalesce(CAST({b.ident('source')} AS {b.string_type}), 'imported')"
        if "source" in columns
        else "'imported'"
    )
    return f"""imported_ties AS (
    SELECT least({a}, {z}) AS person_a, greatest({a}, {z}) AS person_b,
           CAST({b.ident("weight")} AS DOUBLE) AS weight, {reciprocal} AS reciprocal,
           CAST(0 AS BIGINT) AS events, {source} AS source
    FROM {view} WHERE {a} <> {z}
)"""


@overload
def build_ties(
    source: Source | None = ...,
    *,
    backend: str | AnalyticsBackend = ...,
    since: When = ...,
    until: When = ...,
    imported: Source | None = ...,
    meeting_limit: int = ...,
    meeting_minutes: float = ...,
    as_arrow: Literal[False] = ...,
) -> pd.DataFrame: ...


@overload
def build_ties(
    source: Source | None = ...,
    *,
    backend: str | AnalyticsBackend = ...,
    since: When = ...,
    until: When = ...,
    imported: Source | None = ...,
    meeting_limit: int = ...,
    meeting_minutes: float = ...,
    as_arrow: Literal[True],
) -> pa.Table: ...


def build_ties(
    source: Source | None = None,
    *,
    backend: str | AnalyticsBackend = "duckdb",
    since: When = None,
    until: When = None,
    imported: Source | None = None,
    meeting_limit: int = 25,
    meeting_minutes: float = 30.0,
    as_arrow: bool = False,
) -> pd.DataFrame | pa.Table:
    """Turn interaction events (and imported ties) into undirected, weighted ties.

    Parameters
    ----------
    source
        Interactions (the ``interactions`` contract): a Parquet or CSV file, a glob, or a
        folder of such files. ``None`` when only ``imported`` ties are used.
    backend
        ``"duckdb"`` (default), ``"spark"``, or an open :class:`AnalyticsBackend`.
    since, until
        Keep events with ``since <= timestamp < until`` (UTC); either may be ``None``.
    imported
        Ties imported from elsewhere (a Viva Insights person-to-person query), a table
        with ``person_a, person_b, weight`` and optionally ``reciprocal, source``.
        Their weights add to the event ties of the same pair; ``reciprocal`` is true
        when either says so. The window does not apply to them.
    meeting_limit
        Meetings and calls with more participants than this add no ties.
    meeting_minutes
        Duration assumed for a meeting or call whose ``duration_minutes`` is empty.
    as_arrow
        Return a ``pyarrow.Table`` instead of a pandas DataFrame.

    Returns
    -------
    pandas.DataFrame or pyarrow.Table
        Columns ``person_a < person_b, weight, reciprocal, events, source`` (``events``:
        events behind the tie; ``source``: ``events`` and/or the imported sources joined
        by ``+``), sorted by ``person_a, person_b``. Ids not in the people table
        (external contacts) are kept; the network engine sets them apart.

    Raises
    ------
    DataError
        A source is missing, unreadable or lacks a required column.
    ConfigError
        Unknown backend, a bad window, or no source at all.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "interactions.csv"
    >>> pd.DataFrame({
    ...     "timestamp": ["2024-03-01T09:00", "2024-03-01T10:00"],
    ...     "sender_id": ["ana", "bo"],
    ...     "recipient_ids": ["bo;cy", "ana;cy"],
    ...     "channel": ["email", "meeting"],
    ...     "duration_minutes": [None, 60],
    ... }).to_csv(path, index=False)
    >>> build_ties(path)[["person_a", "person_b", "weight", "reciprocal"]]
      person_a person_b  weight  reciprocal
    0      ana       bo     1.0        True
    1      ana       cy     1.0        True
    2       bo       cy     0.5        True
    """
    if source is None and imported is None:
        raise ConfigError("build_ties needs interactions, imported ties, or both")
    check_meeting_options(meeting_limit, meeting_minutes)
    events_source = resolve_source(source) if source is not None else None
    imported_source = resolve_source(imported) if imported is not None else None
    engine, owned = open_backend(backend)
    try:
        events: _Events = None
        if events_source is not None:
            view, columns, condition, _ = register_events(engine, events_source, since, until)
            events = (view, columns, condition)
        table = ties_table(engine, events, imported_source, meeting_limit, meeting_minutes)
    finally:
        if owned:
            engine.close()
    return finish(table, tie_schema(), as_arrow)


def check_meeting_options(meeting_limit: int, meeting_minutes: float) -> None:
    if meeting_limit < 2:
        raise ConfigError(f"meeting_limit must be at least 2, not {meeting_limit}")
    if meeting_minutes < 0:
        raise ConfigError(f"meeting_minutes must be >= 0, not {meeting_minutes}")


def tie_schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema(
        [
            ("person_a", pa.string()),
            ("person_b", pa.string()),
            ("weight", pa.float64()),
            ("reciprocal", pa.bool_()),
            ("events", pa.int64()),
            ("source", pa.string()),
        ]
    )


# The events to tie: a registered view with its columns and window (for the SQL), or
# events already coded (DuckDB's road, see ._coded).
_Events: TypeAlias = "tuple[str, list[str], str] | CodedEvents | None"


def ties_table(
    engine: AnalyticsBackend,
    events: _Events,
    imported: TableSource | None,
    meeting_limit: int,
    meeting_minutes: float,
) -> pa.Table:
    """The ties of ``events`` and ``imported`` on an open backend, as Arrow."""
    ctes: list[str] = []
    parts: list[str] = []
    if isinstance(engine, DuckDBBackend) and isinstance(events, tuple):
        events = code_events(engine, *events)
    if isinstance(events, CodedEvents):
        counted = coded_ties(events, meeting_limit=meeting_limit, meeting_minutes=meeting_minutes)
        if imported is None:
            return counted
        parts.append(engine.register_arrow(counted))
    elif events is not None:
        view, columns, condition = events
        ctes.append(
            _event_ties_sql(engine, view, columns, condition, meeting_limit, meeting_minutes)
        )
        parts.append("event_ties")
    if imported is not None:
        view, columns = register(engine, imported, IMPORTED_TIE_COLUMNS)
        ctes.append(_imported_ties_sql(engine, view, columns))
        parts.append("imported_ties")
    selected = ", ".join(TIE_COLUMNS)
    if len(parts) == 1:
        # One kind of tie: already one row per pair, so no second aggregation.
        body = f"SELECT {selected} FROM {parts[0]}"
    else:
        body = f"""SELECT person_a, person_b, sum(weight) AS weight,
       bool_or(reciprocal) AS reciprocal, CAST(sum(events) AS BIGINT) AS events,
       {engine.sql("join_sorted_set", value="source")} AS source
FROM ({" UNION ALL ".join(f"SELECT {selected} FROM {p}" for p in parts)}) AS all_ties
GROUP BY person_a, person_b"""
    return engine.arrow(f"WITH {', '.join(ctes)}\n{body}\nORDER BY person_a, person_b")
