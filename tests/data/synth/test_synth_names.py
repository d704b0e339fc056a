"""The synthetic bank's people have names and addresses: plainly fictional, one each."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from smartmoves.data.synth.names import DOMAIN, with_names


def test_every_person_of_the_bank_has_a_name_and_an_address_of_their_own(bank):
    people = bank.csv("people")
    assert list(people.columns[:3]) == ["person_id", "name", "email"]
    assert (people["name"].str.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+")).all()
    assert people["email"].str.endswith("@" + DOMAIN).all()
    assert people["email"].is_unique
    first = people["name"].str.split().str[0].str.lower()
    assert (people["email"].str.split(".").str[0] == first).all()  # the address reads as the name


def _people(n: int) -> pd.DataFrame:
    return pd.DataFrame({"person_id": [f"P{i}" for i in range(n)], "unit_id": "U"})


@given(st.integers(0, 5000), st.integers(0, 2**32 - 1))
def test_addresses_never_clash_and_a_seed_gives_the_same_names(n: int, seed: int) -> None:
    named = with_names(_people(n), np.random.default_rng(seed))
    assert named["email"].is_unique and len(named) == n
    assert named["person_id"].tolist() == _people(n)["person_id"].tolist()
    again = with_names(_people(n), np.random.default_rng(seed))
    pd.testing.assert_frame_equal(named, again)


def test_names_leave_the_rest_of_the_people_table_as_it_was() -> None:
    people = _people(50).assign(role="Agent")
    named = with_names(people, np.random.default_rng(3))
    pd.testing.assert_frame_equal(named.drop(columns=["name", "email"]), people)
