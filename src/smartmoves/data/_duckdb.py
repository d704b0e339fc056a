"""The one way the data layer opens a DuckDB connection."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection that prints nothing.

    DuckDB draws a progress bar on the terminal for any query slower than a couple of
    seconds; inside ``serve`` or a job worker that is noise in the server's log, and our
    own progress (Rich bars, the job panel) already says how far the work is.
    ``enable_progress_bar`` is a per-connection setting (``duckdb.connect(config=...)``
    refuses it as a global option), hence ``SET`` after connecting.

    Examples
    --------
    >>> con = connect()
    >>> con.execute("SELECT current_setting('enable_progress_bar')").fetchone()
    (False,)
    >>> con.close()
    """
    import duckdb  # heavy: only when a query runs

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    return con
