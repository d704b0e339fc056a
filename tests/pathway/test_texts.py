"""The limits of texts (``pathway/texts.py``): one table, the same answer for a form, a
body and the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartmoves.errors import ConfigError
from smartmoves.pathway import texts
from smartmoves.pathway.pilots import create_pilot, list_pilots

from services import ADMIN, new_workspace


@given(field=st.sampled_from([*texts.FIELDS, "notes"]), size=st.integers(0, 21_000))
def test_a_text_is_refused_exactly_beyond_its_limit(field: str, size: int) -> None:
    problem = texts.text_problem(field, "x" * size)
    assert (problem is None) == (size <= texts.limit_of(field))
    if problem is not None:
        assert problem == ("string_too_long", f"at most {texts.limit_of(field):,} characters")


@given(before=st.text(max_size=20), after=st.text(max_size=20))
def test_a_nul_is_refused_anywhere_in_any_text(before: str, after: str) -> None:
    assert texts.text_problem("notes", f"{before}\x00{after}") == (
        "string_nul",
        "must not contain a NUL character",
    )


def test_the_command_line_refuses_a_pilot_name_beyond_the_limit(tmp_path: Path) -> None:
    settings = new_workspace(tmp_path / "ws", None)
    create_pilot(settings, ADMIN, "n" * texts.NAME)  # at the limit: kept
    with pytest.raises(ConfigError, match="the pilot's name: at most 200 characters"):
        create_pilot(settings, ADMIN, "n" * (texts.NAME + 1))
    with pytest.raises(ConfigError, match="the pilot's opportunity: must not contain a NUL"):
        create_pilot(settings, ADMIN, "Pilot", opportunity="a\x00b")
    assert [p.name for p in list_pilots(settings, ADMIN)] == ["n" * texts.NAME]
