"""``db.reading``: a unit of work that only reads. It sees what was committed, on
PostgreSQL without a transaction held open around its statements, and the store itself
refuses any write in it, so a save put there by mistake fails instead of half-saving."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from smartmoves.data.store import db, optouts
from smartmoves.data.store.models import SuggestionOptOut
from smartmoves.errors import StoreBusy
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


def _drop(engine: sa.Engine, pid: int) -> None:
    """End connection ``pid`` from the server's side, over a connection of its own."""
    import psycopg

    plain = engine.url.set(drivername="postgresql", query={}).render_as_string(False)
    with psycopg.connect(plain, autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)


@pytest.mark.parametrize("unit", ["transaction", "reading"])
def test_a_connection_dropped_by_the_server_is_replaced_or_a_503_never_a_crash(
    workspace: Settings, unit: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not workspace.sqlalchemy_url.startswith("postgresql"):
        pytest.skip("a SQLite file has no server to drop a connection")
    db.release(workspace.sqlalchemy_url)  # pools with no connection yet
    engine = db.engine_for(workspace.sqlalchemy_url)
    work = db.transaction if unit == "transaction" else db.reading

    def pooled() -> int:  # the pool's one connection, used now
        with work(engine) as session:
            return int(session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one())

    # Idle for long enough (here: any time at all): tried before use, replaced unseen.
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)
    dropped = pooled()
    _drop(engine, dropped)
    assert pooled() != dropped
    # Used a moment ago, so not tried: its statement fails as "try again", and the next
    # unit of work has a new connection.
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 3600.0)
    _drop(engine, pooled())
    with pytest.raises(StoreBusy), work(engine) as session:
        optouts.opted_out(session)
    with work(engine) as session:
        assert optouts.opted_out(session) == ()


def test_a_core_read_in_a_transaction_sees_its_unsent_changes_and_its_rollback(
    workspace: Settings,
) -> None:
    # db.read skips the ORM's execution layer; it must not skip what that layer does for
    # correctness: send pending changes first, and run inside the session's transaction.
    engine = db.engine_for(workspace.sqlalchemy_url)
    with pytest.raises(RuntimeError), db.transaction(engine) as session:
        session.add(SuggestionOptOut(person_id="P11"))  # not flushed yet
        assert optouts.opted_out(session) == ("P11",)
        raise RuntimeError("the save fails after the read")
    with db.reading(engine) as session:
        assert optouts.opted_out(session) == ()  # rolled back with the transaction
