"""What every named query shares: the time window, the source's columns, and the events
with their recipients cleaned (see :mod:`._ties` and :mod:`._topics`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

import pandas as pd

from smartmoves.data.analytics._backends import AnalyticsBackend, get_backend
from smartmoves.data.analytics._sources import TableSource
from smartmoves.errors import ConfigError, DataError, Problem

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "Source",
    "When",
    "finish",
    "open_backend",
    "raw_events",
    "register",
    "register_events",
    "split_list",
    "window",
]

When: TypeAlias = str | dt.date | dt.datetime | pd.Timestamp | None
Source: TypeAlias = str | Path


def _timestamp(value: When, name: str) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise ConfigError(f"{name}: not a date or date-time: {value!r}") from None
    if stamp is pd.NaT:
        raise ConfigError(f"{name}: not a date or date-time: {value!r}")
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return stamp


def window(backend: AnalyticsBackend, since: When, until: When) -> str:
    """SQL condition for ``since <= timestamp < until`` (half-open, so windows tile)."""
    start, end = _timestamp(since, "since"), _timestamp(until, "until")
    if start is not None and end is not None and start >= end:
        raise ConfigError(f"since ({start}) must come before until ({end})")
    stamp = f"TRY_CAST({backend.ident('timestamp')} AS TIMESTAMP)"
    parts = ["TRUE"]
    if start is not None:
        parts.append(f"{stamp} >= TIMESTAMP '{start:%Y-%m-%d %H:%M:%S.%f}'")
    if end is not None:
        parts.append(f"{stamp} < TIMESTAMP '{end:%Y-%m-%d %H:%M:%S.%f}'")
    return " AND ".join(parts)


def register(
    backend: AnalyticsBackend, source: TableSource, required: Sequence[str]
) -> tuple[str, list[str]]:
    view = backend.register(source)
    columns = backend.columns(view)
    missing = [c for c in required if c not in columns]
    if missing:
        raise DataError(
            [
                Problem(source.label, 1, c, "missing required column", f"a column {c}")
                for c in missing
            ]
        )
    return view, columns


def register_events(
    backend: AnalyticsBackend,
    source: TableSource,
    since: When,
    until: When,
    *,
    recent_since: When = None,
    topics: bool = False,
) -> tuple[str, list[str], str, str | None]:
    """Interactions as a view with the columns the queries read: ``(view, columns,
    window, recent)``, the last two SQL conditions (``recent`` None without
    ``recent_since``). ``timestamp`` is required only when a window reads it."""
    required = ["sender_id", "recipient_ids"] + (["topic"] if topics else [])
    condition = window(backend, since, until)
    recent = window(backend, recent_since, None) if recent_since is not None else None
    if condition != "TRUE" or recent is not None:
        required.append("timestamp")
    view, columns = register(backend, source, required)
    return view, columns, condition, recent


def split_list(backend: AnalyticsBackend, text: str, *, each: str, keep: str) -> str:
    """SQL for the distinct items of the ``;``-separated ``text``: each item ``x`` becomes
    ``each`` and stays when ``keep`` holds."""
    b = backend
    items = b.sql("transform", list=b.sql("split", text=text), body=each)
    return b.sql("distinct", list=b.sql("filter", list=items, body=keep))


def raw_events(
    backend: AnalyticsBackend,
    view: str,
    columns: list[str],
    window: str,
    extra: dict[str, str] | None = None,
) -> str:
    """CTEs ``raw`` and ``events``: one row per event, recipients cleaned and distinct;
    ``extra`` adds columns (name -> SQL expression over the source) to both."""
    b = backend
    more = "".join(f", {sql} AS {name}" for name, sql in (extra or {}).items())
    passed = "".join(f", {name}" for name in (extra or {}))

    def text(column: str) -> str:
        if column not in columns:
            return "NULL"
        return f"trim(CAST({b.ident(column)} AS {b.string_type}))"

    channel = f"coalesce(lower({text('channel')}), 'other')"
    minutes = (
        f"TRY_CAST({b.ident('duration_minutes')} AS DOUBLE)"
        if "duration_minutes" in columns
        else "CAST(NULL AS DOUBLE)"
    )
    cleaned = split_list(b, "listed", each="trim(x)", keep="x <> '' AND x <> sender")
    # Most events name one recipient: skip the list functions (the costliest part of
    # the query) when there is nothing to split, trim or drop.
    single = (
        "instr(listed, ';') = 0 AND instr(listed, ' ') = 0 AND listed <> '' AND listed <> sender"
    )
    return f"""
raw AS (
    SELECT {text("sender_id")} AS sender, {text("recipient_ids")} AS listed,
           {channel} AS channel, {minutes} AS minutes{more}
    FROM {view} WHERE {window}
),
events AS (
    SELECT sender,
           CASE WHEN {single} THEN {b.sql("list_of", item="listed")} ELSE {cleaned} END
               AS recipients,
           channel, minutes{passed}
    FROM raw WHERE sender IS NOT NULL AND sender <> '' AND listed IS NOT NULL
)"""


def finish(table: pa.Table, schema: pa.Schema, as_arrow: bool) -> pa.Table | pd.DataFrame:
    table = table.select(schema.names).cast(schema)
    return table if as_arrow else table.to_pandas()


def open_backend(backend: str | AnalyticsBackend) -> tuple[AnalyticsBackend, bool]:
    if isinstance(backend, AnalyticsBackend):
        return backend, False
    return get_backend(backend), True
