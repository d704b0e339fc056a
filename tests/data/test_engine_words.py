"""An analytics engine's errors reach users in plain words, naming files but never the
server's folders: DuckDB's real messages for a damaged and a missing file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartmoves.data.engine_words import engine_reason, without_paths


def _error(query: str) -> duckdb.Error:
    with pytest.raises(duckdb.Error) as caught:
        duckdb.sql(query).fetchall()
    return caught.value


def test_a_damaged_parquet_file_is_said_to_be_damaged_by_its_name(tmp_path: Path) -> None:
    damaged = tmp_path / "deep" / "folder" / "interactions.parquet"
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes(b"\0" * 4096)
    reason = engine_reason(_error(f"SELECT * FROM read_parquet('{damaged}')"))
    assert reason.startswith("the file is damaged")
    assert reason.endswith("(interactions.parquet)")
    assert str(tmp_path) not in reason and "Error" not in reason


def test_a_missing_file_is_said_to_be_missing(tmp_path: Path) -> None:
    missing = tmp_path / "events.parquet"
    reason = engine_reason(_error(f"SELECT * FROM read_parquet('{missing}')"))
    assert reason == "the file is missing (events.parquet)"


def test_an_unknown_engine_error_keeps_its_words_without_class_or_folders() -> None:
    reason = engine_reason(_error("SELECT no_such_column FROM range(3)"))
    assert "no_such_column" in reason and not reason.startswith("Binder Error")


def test_a_windows_path_is_shortened_too() -> None:
    shortened = without_paths(r"cannot open C:\Users\hr\ws\people.csv now")
    assert shortened == "cannot open people.csv now"


@given(
    st.lists(st.from_regex(r"[a-z0-9_]{1,8}", fullmatch=True), min_size=1, max_size=5),
    st.from_regex(r"[a-z0-9_]{1,8}\.(csv|parquet)", fullmatch=True),
)
def test_any_absolute_path_leaves_only_its_file_name(folders: list[str], name: str) -> None:
    text = f"cannot read '/{'/'.join(folders)}/{name}' today"
    assert without_paths(text) == f"cannot read '{name}' today"
