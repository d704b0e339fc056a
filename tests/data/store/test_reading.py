"""``db.reading``: a unit of work that only reads. It sees what was committed, on
PostgreSQL without a transaction held open around its statements, and the store itself
refuses any write in it, so a save put there by mistake fails instead of half-saving."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from smartmoves.data.store import db, optouts
from smartmoves.data.store.models import SuggestionOptOut
from smartmoves.settings import Settings


def test_it_reads_what_was_committed_and_the_rows_outlive_it(workspace: Settings) -> None:
    engine = db.engine_for(workspace.sqlalchemy_url)
    with db.transaction(engine) as session:
        optouts.set_suggested(session, "P07", False)
    with db.reading(engine) as session:
        assert optouts.opted_out(session) == ("P07",)
        row = session.get(SuggestionOptOut, "P07")
    assert row is not None and row.person_id == "P07" and row.at is not None
    with db.transaction(engine) as session:
        optouts.set_suggested(session, "P07", True)
    with db.reading(engine) as session:  # a later read sees the later commit
        assert optouts.opted_out(session) == ()


@pytest.mark.parametrize("how", ["orm", "sql"])
def test_a_write_in_it_is_refused_and_nothing_is_kept(workspace: Settings, how: str) -> None:
    engine = db.engine_for(workspace.sqlalchemy_url)
    with pytest.raises(DBAPIError, match=r"read-only|readonly"), db.reading(engine) as session:
        if how == "orm":
            session.add(SuggestionOptOut(person_id="P03"))
            session.flush()
        else:
            session.execute(sa.insert(SuggestionOptOut).values(person_id="P03"))
    with db.transaction(engine) as session:
        assert optouts.opted_out(session) == ()
        optouts.set_suggested(session, "P03", False)  # the ordinary engine still writes
    with db.reading(engine) as session:
        assert optouts.opted_out(session) == ("P03",)


def test_on_postgresql_no_transaction_is_held_around_its_statements(
    workspace: Settings,
) -> None:
    engine = db.engine_for(workspace.sqlalchemy_url)
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite's driver opens no transaction for a read already")
    import psycopg.pq

    with db.reading(engine) as session:
        optouts.opted_out(session)
        driver = session.connection().connection.dbapi_connection
        assert driver.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    with db.transaction(engine) as session:
        optouts.opted_out(session)
        driver = session.connection().connection.dbapi_connection
        assert driver.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
