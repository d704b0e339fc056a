"""A pilot page asks the store little: the session with its account in one query, the
pilot with its state in one more. Under load on PostgreSQL each round trip counts; these
counts fail if the pages drift back to a query per table."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Connection, Engine, event

from smartmoves.data.store import db, volunteers
from smartmoves.data.store.models import Charter, Workgroup
from smartmoves.pathway import pilots
from smartmoves.settings import Settings

from services import account, new_workspace
from webutil import load_demo_org, logged_in

# Statements a page may send, warm (the session already touched this minute).
BUDGET = {
    "/pilots/{id}/workgroups": 9,
    "/pilots/{id}/volunteers": 7,
    "/pilots/{id}/cells": 6,
    "/pilots/{id}": 2,
    "/api/v1/pilots/{id}": 2,
    "/pilots": 3,
    "/api/v1/pilots": 2,
}


@pytest.fixture(scope="module")
def site(module_store_backend: str | None, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("pilot-queries")
    return load_demo_org(new_workspace(folder / "ws", module_store_backend), folder)


@pytest.fixture(scope="module")
def pilot_id(site: Settings) -> int:
    """A recruiting pilot with 3 selected volunteers (1 not), 2 workgroups, 1 coached
    and chartered (twice: two versions of one charter)."""
    pilot = pilots.create_pilot(site, account("champion"), "Receivables pilot", unit_id="AR")
    pilots.set_pilot_status(site, account("champion"), pilot.id, "recruiting")
    with db.transaction(db.engine_for(site.sqlalchemy_url)) as session:
        for person, status in (("P01", "selected"), ("P02", "selected"), ("P03", "selected")):
            volunteers.save_selection(session, pilot.id, person, status, "admin")
        volunteers.save_selection(session, pilot.id, "P04", "not_selected", "admin")
        coached = Workgroup(pilot_id=pilot.id, name="Workgroup 1", coach_id="P05")
        session.add_all([coached, Workgroup(pilot_id=pilot.id, name="Workgroup 2")])
        session.flush()
        session.add_all([Charter(workgroup_id=coached.id, version=v) for v in (1, 2)])
    return pilot.id


@contextmanager
def counted(settings: Settings) -> Iterator[list[str]]:
    statements: list[str] = []
    url = db.engine_for(settings.sqlalchemy_url).url

    def seen(conn: Connection, cursor: object, statement: str, *args: object) -> None:
        if conn.engine.url == url:  # the store's engine and its read-only twin (db.reading)
            statements.append(statement)

    event.listen(Engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", seen)


@pytest.mark.parametrize("path", sorted(BUDGET))
@pytest.mark.parametrize("role", ["admin", "member"])
def test_a_pilot_page_reads_the_store_in_few_queries(
    site: Settings, pilot_id: int, path: str, role: str
) -> None:
    client = logged_in(site, role)
    url = path.format(id=pilot_id)
    assert client.get(url).status_code == 200  # warm: the first request may touch more
    with counted(site) as statements:
        answer = client.get(url)
    assert answer.status_code == 200
    assert len(statements) <= BUDGET[path], "\n".join(statements)


def test_the_state_read_in_one_query_is_the_pilots_progress(site: Settings, pilot_id: int) -> None:
    with counted(site) as statements:
        pilot = pilots.get_pilot(site, account("admin"), pilot_id)
    assert len(statements) == 1
    assert pilot.unit_name == "Accounts receivable"
    assert pilot.next_step == (
        "2 workgroups (1 with a coach, 1 with a charter) are formed: set the pilot to running "
        "when they start."
    )
    listed = {p.id: p for p in pilots.list_pilots(site, account("champion"))}
    assert listed[pilot_id] == pilot
    assert pilots.get_pilot(site, account("member", "P03"), pilot_id).next_step is None


def test_a_member_still_cannot_know_of_a_draft(site: Settings) -> None:
    draft = pilots.create_pilot(site, account("admin"), "Planned", unit_id="AR")
    member = logged_in(site, "member")
    assert member.get(f"/pilots/{draft.id}").status_code == 404
    assert member.get(f"/api/v1/pilots/{draft.id}").status_code == 404
    assert draft.id not in {p["id"] for p in member.get("/api/v1/pilots").json()}
