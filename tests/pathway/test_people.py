"""Who a person is (pathway/people.py): names where the data has them, the id where it
has none, and only under an action the policy grants the reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmoves.data.store import db
from smartmoves.errors import Forbidden
from smartmoves.pathway._store import store
from smartmoves.pathway.people import people_of, who_is
from smartmoves.pathway.policy import Account, Subject
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.settings import Settings

from orgfiles import named_people_csv, write_org
from services import ADMIN, new_workspace

MEMBER = Account(5, "p03@bank.example", "member", "P03", None)


@pytest.fixture(scope="module")
def site(module_store_backend: str | None, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder: Path = tmp_path_factory.mktemp("people")
    settings = new_workspace(folder / "ws", module_store_backend)
    import_files(settings, find_table_files(write_org(folder / "org", people=named_people_csv())))
    return settings


def test_a_card_names_the_person_with_role_unit_and_email(site: Settings) -> None:
    found = people_of(site, ADMIN, ["P08", "P03"], "network.people")
    assert list(found) == ["P03", "P08"]
    ines = found["P08"]
    assert (ines.name, ines.email, ines.role, ines.unit_id, ines.unit_name) == (
        "Ines Ibarra",
        "ines.ibarra@bank.example",
        "agent",
        "AR",
        "Accounts receivable",
    )
    assert ines.shown == "Ines Ibarra" and ines.about == "agent · Accounts receivable"
    assert ines.model_dump()["shown"] == "Ines Ibarra"  # the API answer carries it too


def test_without_a_name_the_card_shows_the_id_and_an_unknown_id_is_kept(site: Settings) -> None:
    found = people_of(site, ADMIN, ["P14", "VENDOR-1", ""], "network.people")
    assert set(found) == {"P14", "VENDOR-1"}  # an empty id is no one
    hashed = found["P14"]
    assert (hashed.shown, hashed.name, hashed.email) == ("P14", None, None)
    assert hashed.about == "agent · Small-business advisory"  # never a blank
    outside = found["VENDOR-1"]
    assert (outside.shown, outside.about) == ("VENDOR-1", "")


def test_the_policy_decides_whom_a_reader_may_see_named(site: Settings) -> None:
    with db.transaction(store(site)) as session:
        with pytest.raises(Forbidden, match="person-level network figures are for admins"):
            who_is(session, MEMBER, ["P08"], "network.people")
        with pytest.raises(Forbidden, match="a member sees the page of their own workgroup"):
            who_is(session, MEMBER, ["P08"], "workgroup.read", Subject.workgroup(None, ["P08"]))
        mine = who_is(session, MEMBER, ["P08"], "workgroup.read", Subject.workgroup(None, ["P03"]))
    assert mine["P08"].name == "Ines Ibarra"
