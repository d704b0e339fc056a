"""Named queries over the analytics store (Parquet), on DuckDB or Spark.

``build_ties`` turns interaction events into the ties the network engine reads;
``person_topics`` collects who took part in events on which topics; ``ties_and_topics``
gives both from one reading. The backend is a setting (``analytics_engine``): both give
the same rows (DuckDB by a faster road, :mod:`._coded`, to the same definitions).
"""

from smartmoves.data.analytics._backends import (
    BACKENDS,
    AnalyticsBackend,
    DuckDBBackend,
    get_backend,
)
from smartmoves.data.analytics._interactions import ties_and_topics
from smartmoves.data.analytics._sources import TableSource, resolve_source
from smartmoves.data.analytics._ties import TIE_COLUMNS, build_ties
from smartmoves.data.analytics._topics import TOPIC_COLUMNS, person_topics

__all__ = [
    "BACKENDS",
    "TIE_COLUMNS",
    "TOPIC_COLUMNS",
    "AnalyticsBackend",
    "DuckDBBackend",
    "TableSource",
    "build_ties",
    "get_backend",
    "person_topics",
    "resolve_source",
    "ties_and_topics",
]
