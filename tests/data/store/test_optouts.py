"""Who asked not to be suggested: kept by person, idempotent both ways, and the migration
that adds the table goes down and up again without touching the tables before it."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from smartmoves.data.store import db, optouts
from smartmoves.settings import Settings


def test_opting_out_and_in_again(workspace: Settings) -> None:
    engine = db.engine_for(workspace.sqlalchemy_url)
    with db.transaction(engine) as session:
        assert optouts.set_suggested(session, "P08", False) is True
        assert optouts.set_suggested(session, "P08", False) is False  # already out
        assert optouts.set_suggested(session, "P01", False) is True
    with db.transaction(engine) as session:
        assert optouts.opted_out(session) == ("P01", "P08")  # sorted: a stable key
        assert optouts.count_opted_out(session) == 2
        assert optouts.is_opted_out(session, "P08") and not optouts.is_opted_out(session, "P03")
        assert optouts.set_suggested(session, "P08", True) is True
        assert optouts.set_suggested(session, "P08", True) is False  # already in
    with db.transaction(engine) as session:
        assert optouts.opted_out(session) == ("P01",)


def test_a_second_opt_out_written_meanwhile_is_no_error(
    workspace: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two requests opting the same person out at once: the later one finds the row the
    first wrote (here: written after it looked) and answers that nothing changed."""
    engine = db.engine_for(workspace.sqlalchemy_url)
    with db.transaction(engine) as session:
        assert not optouts.is_opted_out(session, "P09")
        with db.transaction(engine) as other:
            optouts.set_suggested(other, "P09", False)
        with monkeypatch.context() as patched:  # it looked before the other one wrote
            patched.setattr(optouts, "is_opted_out", lambda session, person: False)
            assert optouts.set_suggested(session, "P09", False) is False
        optouts.set_suggested(session, "P02", False)  # the transaction goes on
    with db.transaction(engine) as session:
        assert optouts.opted_out(session) == ("P02", "P09")


def test_the_migration_goes_down_and_up_again_on_sqlite(tmp_path: Path) -> None:
    from alembic import command

    engine = db.connect(f"sqlite:///{tmp_path / 'store.db'}")
    assert db.upgrade(engine) == db.head_revision()
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO suggestion_opt_outs (person_id) VALUES ('P08')"))
        conn.execute(
            sa.text(
                "INSERT INTO users (email, password_hash, role, active) "
                "VALUES (:e, 'x', 'member', 1)"
            ),
            {"e": "kept@bank.example"},
        )
        at = conn.execute(sa.text("SELECT at FROM suggestion_opt_outs")).scalar()
    assert at is not None  # the database stamps when

    command.downgrade(db._alembic_config(engine), "0005")
    assert db.current_revision(engine) == "0005"
    tables = sa.inspect(engine).get_table_names()
    assert "suggestion_opt_outs" not in tables and "users" in tables
    assert db.upgrade(engine) == db.head_revision()
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM suggestion_opt_outs")).scalar() == 0
        users = conn.execute(sa.text("SELECT email FROM users")).scalars().all()
    assert users == ["kept@bank.example"]  # the tables before it are untouched
