"""DuckDB prints nothing: its progress bar would land in the server's log during a network
analysis, so every connection the data layer opens has it off."""

from __future__ import annotations

import re
from pathlib import Path

import smartmoves
from smartmoves.data.analytics._backends import DuckDBBackend


def test_the_analytics_backend_draws_no_progress_bar() -> None:
    with DuckDBBackend() as backend:
        setting = backend._con.execute("SELECT current_setting('enable_progress_bar')")
        assert setting.fetchone() == (False,)


def test_every_connection_is_opened_by_the_one_helper() -> None:
    source = Path(smartmoves.__file__).parent
    direct = [
        str(path.relative_to(source))
        for path in source.rglob("*.py")
        if path.name != "_duckdb.py" and re.search(r"duckdb\.connect\(", path.read_text("utf-8"))
    ]
    assert direct == [], "open DuckDB with smartmoves.data._duckdb.connect()"
