"""The libraries a server process imports before it answers anyone.

Pages and their kept figures import their heavy libraries when first used, so that the
command line and the tests start fast. In a server that is not safe: two threads that
import overlapping libraries at once (two first views, or a view beside the warm-up
threads) can each hold a module the other waits for, and Python then hands one of them
the half-imported module (seen under 50 users: ``module 'altair' has no attribute
'Chart'``, a 500). So ``serve`` imports these in its main thread, before it starts any
thread or listens (:func:`preload`, about 2.5 s once per process).

Left out (:data:`NOT_PRELOADED`): libraries only job processes or commands import (a job
runs in a process of its own, one at a time, ``smartmoves.pathway.jobs``), and those only
one thread of the server ever imports, under a lock of its own (the optional sentence
model, loaded by its warm-up thread without holding up the start; PySpark): no second
thread imports them, so no two can cross. The standard library and what the web package
imports when it is imported are loaded already. ``tests/web/test_web_preload.py`` reads
every import made inside a function of the package and fails on a library in neither
list, so a new one gets decided.
"""

from __future__ import annotations

import importlib

__all__ = ["LIBRARIES", "NOT_PRELOADED", "preload"]

# Imported inside functions that a request or a warm-up thread runs.
LIBRARIES = (
    "altair",  # every chart on a page
    "duckdb",  # the analytics file's queries
    "igraph",  # the network analysis and its suggestions
    "ortools",  # forming cells, in the request that saves them
    "pyarrow.compute",
    "pyarrow.parquet",
    "ruptures",  # the insight scan, warmed at start
    "sqlalchemy.dialects.postgresql",  # a login's upsert, in the store's own dialect
    "sqlalchemy.dialects.sqlite",
    "scipy.optimize",
    "scipy.sparse",
    "scipy.stats",
    "sklearn.feature_extraction.text",  # why two people should meet
    "sklearn.preprocessing",
    "statsmodels.regression.linear_model",  # the metric drivers
    "statsmodels.tools.tools",
    "vl_convert",  # the report page's small charts
)

# Imported only in job processes, by commands, or by one thread under its own lock.
NOT_PRELOADED = (
    "alembic",  # db upgrade
    "all_minilm_l6_v2",  # the packaged sentence model (with sentence_transformers)
    "pyspark",  # the Spark backend imports it under its session's lock
    "rich",  # the command line's tables and progress
    "sentence_transformers",  # the optional sentence model: its warm-up thread, and jobs
    "sklearn.linear_model",  # training and evaluating the exposure model: commands
    "sklearn.metrics",
    "sklearn.model_selection",
    "sklearn.svm",
    "torch",  # with sentence_transformers, and the exposure model's commands
    "transformers",
    "uvicorn",  # serve itself
    "weasyprint",  # report files are written by a job
)


def preload() -> None:
    """Import :data:`LIBRARIES` now, in this thread (a missing optional one is skipped)."""
    for name in LIBRARIES:
        try:
            importlib.import_module(name)
        except ImportError:  # an extra not installed: the page that needs it says so
            continue
