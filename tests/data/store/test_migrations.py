"""The Alembic migrations build exactly the schema the models describe, on both stores."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from smartmoves.data.store import db
from smartmoves.data.store.models import Base
from smartmoves.settings import Settings


def test_migrated_schema_matches_the_models(workspace: Settings) -> None:
    engine = db.engine_for(workspace.sqlalchemy_url)
    assert db.current_revision(engine) == db.head_revision()
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_sqlite_store_uses_wal(tmp_path) -> None:
    engine = db.connect(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_migrations_downgrade_and_upgrade_again(workspace: Settings) -> None:
    from alembic import command

    engine = db.engine_for(workspace.sqlalchemy_url)
    config = db._alembic_config(engine)
    command.downgrade(config, "base")
    assert db.current_revision(engine) is None
    assert db.upgrade(engine) == db.head_revision()
