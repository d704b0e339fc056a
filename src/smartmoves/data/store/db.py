"""Engines, transactions and schema migrations for the operational store."""

from __future__ import annotations

import hashlib
import os
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Executable, create_engine, event, inspect, text
from sqlalchemy.engine import CursorResult, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    DisconnectionError,
    IntegrityError,
    OperationalError,
)
from sqlalchemy.orm import Session, sessionmaker

from smartmoves.errors import ConfigError, Conflict, StoreBusy

__all__ = [
    "LARGEST_INTEGER",
    "connect",
    "current_revision",
    "engine_for",
    "head_revision",
    "hold",
    "hold_name",
    "read",
    "reading",
    "release",
    "require_current",
    "transaction",
    "upgrade",
]

# The store keeps integers (ids, counts, seeds) as signed 64 bits, on SQLite as on
# PostgreSQL (BIGINT): a larger number names nothing and overflows the driver.
LARGEST_INTEGER = 2**63 - 1

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the web app read while an import writes; the busy timeout makes a
    # second writer wait instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _create_private(path: Path) -> None:
    """Create the database file for its owner alone before SQLite opens it: SQLite gives
    its -wal and -shm files the database's mode, so they are private too."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return  # an existing database keeps the mode its owner gave it
    path.chmod(0o600)  # whatever the umask


def _sqlite_reader_pragmas(dbapi_connection: Any, record: Any) -> None:
    _sqlite_pragmas(dbapi_connection, record)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")  # a write on this connection fails
    cursor.close()


def connect(url: str, *, reader: bool = False, **options: Any) -> Engine:
    """An engine for ``url`` (SQLite file or PostgreSQL), configured for our use; with
    ``reader``, one whose connections may only read (see :func:`reading`)."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(f"database_url {url!r} is not a database URL") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).parent
            if not folder.is_dir():
                raise ConfigError(f"no workspace at {folder} (run `smartmoves init {folder}`)")
            _create_private(Path(parsed.database))
        engine = create_engine(url, **options)
        event.listen(engine, "connect", _sqlite_reader_pragmas if reader else _sqlite_pragmas)
        return engine
    if reader:
        # Each statement is its own transaction, and the server refuses any write.
        given = parsed.query.get("options", "")
        given = given if isinstance(given, str) else " ".join(given)
        options["isolation_level"] = "AUTOCOMMIT"
        options["connect_args"] = {"options": f"{given} -c default_transaction_read_only=on"}
    engine = create_engine(url, **options)
    event.listen(engine, "checkout", _ping_if_idle(engine.dialect))
    event.listen(engine, "checkin", _note_return)
    return engine


# A pooled connection is tried (a round trip) before use only when it has been idle that
# long: under load connections come back within milliseconds, and the ping was one round
# trip in four. An idle one may have been dropped (a server restarted, a proxy's
# timeout), and is replaced unseen; one dropped meanwhile fails its statement, which
# transaction() and reading() turn into StoreBusy (a 503: try again).
IDLE_PING_SECONDS = 1.0


def _note_return(_dbapi_connection: Any, record: Any) -> None:
    record.info["returned"] = time.monotonic()


def _ping_if_idle(dialect: Any) -> Any:
    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get("returned")
        if returned is not None and time.monotonic() - returned < IDLE_PING_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as exc:  # the driver's own error, whatever broke the connection
            # The pool drops this connection and hands out a new one.
            raise DisconnectionError("the pooled connection was dropped") from exc

    return checkout


@lru_cache(maxsize=32)
def _factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


SAVED_MEANWHILE = (
    "someone saved the same thing at the same moment: nothing of this save was kept; "
    "look at what is there now, then try again"
)


STORE_BUSY = (
    "the store is busy with another save (an import?): nothing of this save was kept; "
    "try again in a moment"
)
# PostgreSQL's deadlock, serialization failure and lock not available; SQLite's locks.
_BUSY_STATES = ("40P01", "40001", "55P03")
_BUSY_WORDS = ("database is locked", "database table is locked")


def _busy(exc: DBAPIError) -> bool:
    """A lock waited for too long, a deadlock broken, or the connection dropped under a
    statement: nothing was kept, and trying again will do."""
    orig = exc.orig
    return (
        exc.connection_invalidated
        or getattr(orig, "sqlstate", None) in _BUSY_STATES
        or any(words in str(orig) for words in _BUSY_WORDS)
    )


def _unique_violation(exc: IntegrityError) -> bool:
    # PostgreSQL names the failure by SQLSTATE 23505; SQLite only in its message.
    orig = exc.orig
    return getattr(orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(orig)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: commits when the block ends, rolls back on any error.

    Saves that compute what they write from what is stored call :func:`hold` first, so
    they never collide. Should two writes still meet on a unique key, the second is
    rolled back and refused as a :class:`Conflict` (a 409), never a crash; a save that
    waited longer than the busy timeout (or that PostgreSQL chose to break a deadlock)
    is rolled back as :class:`StoreBusy` (a 503, to try again).
    """
    session = _factory(engine)()
    try:
        with session.begin():
            yield session
    except IntegrityError as exc:
        if not _unique_violation(exc):
            raise
        raise Conflict(SAVED_MEANWHILE) from exc
    except OperationalError as exc:
        if not _busy(exc):
            raise
        raise StoreBusy(STORE_BUSY) from exc
    finally:
        session.close()


# By engine, not kept alive by it: a test's engine thrown away takes its twin along.
_readers: weakref.WeakKeyDictionary[Engine, Engine] = weakref.WeakKeyDictionary()
_readers_lock = threading.Lock()


def _reader(engine: Engine) -> Engine:
    """The read-only twin of ``engine``: the same store, a pool of its own."""
    found = _readers.get(engine)
    if found is not None:
        return found
    with _readers_lock:
        found = _readers.get(engine)
        if found is not None:
            return found
        if engine.url.get_backend_name() == "sqlite" and engine.url.database in (
            None,
            "",
            ":memory:",
        ):
            return engine  # a database in memory has no twin
        found = _readers[engine] = connect(
            engine.url.render_as_string(hide_password=False), reader=True
        )
    return found


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A unit of work that only reads, and costs the store less than a :func:`transaction`.

    On PostgreSQL its statements go to the server without the BEGIN and COMMIT a
    transaction adds around them (two of the round trips of a page that runs two
    queries). They read the same: at the store's isolation (READ COMMITTED) every
    statement sees what was committed when it started, in a transaction or not. A write
    is refused by the store itself (a read-only session on PostgreSQL, ``query_only`` on
    SQLite); saves, and reads a save is computed from, use :func:`transaction`.
    """
    session = _factory(_reader(engine))()
    try:
        yield session
    except OperationalError as exc:
        if not _busy(exc):
            raise
        raise StoreBusy(STORE_BUSY) from exc
    finally:
        session.close()


def read(
    session: Session, statement: Executable, params: Any = None
) -> CursorResult[*tuple[Any, ...]]:
    """The rows of a Core statement (columns, not stored objects), run on the session's
    connection: in its transaction, if it has one, but without the ORM's execution layer,
    about a quarter of what such a statement costs (measured: 323 against 431
    microseconds on PostgreSQL). Hot reads that every page runs go through here.

    While the session holds changes not yet sent, the ORM sends them first (as its own
    ``execute`` would), so the statement sees them.
    """
    if session.new or session.dirty or session.deleted:
        session.flush()
    return session.connection().execute(statement, params)


def _write_lock(session: Session) -> bool:
    """On SQLite, take the database's write lock now (``BEGIN IMMEDIATE``), waiting up
    to the busy timeout for another writer to commit. Returns ``False`` on other stores.

    The sqlite3 driver opens a transaction only at the first write, so the reads before
    it see the database as it was when each ran; from here on, reads see every commit
    before ours and no other writer starts until ours ends. A transaction that has
    written already holds the lock.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return False
    driver = connection.connection.dbapi_connection
    if driver is not None and not driver.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    return True


def hold(session: Session, row: Any) -> None:
    """Hold ``row`` (a stored object) until the transaction ends, and read it again.

    Call it before reading what a save is computed from (the latest version of a
    charter, the checklist a coach has, who is selected): a second save holding the same
    row waits here until the first commits, then reads what the first wrote. PostgreSQL
    locks the row (``SELECT ... FOR UPDATE``); SQLite, which writes one transaction at a
    time, takes its write lock.
    """
    if _write_lock(session):
        session.refresh(row)
    else:
        session.refresh(row, with_for_update=True)


def hold_name(session: Session, name: str) -> None:
    """Like :func:`hold`, for what no stored row stands for yet (a new account's email,
    the jobs being started): every transaction holding ``name`` runs after the other.
    PostgreSQL takes a transaction-level advisory lock on a 64-bit hash of ``name``."""
    if _write_lock(session):
        return
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    key = int.from_bytes(digest, "big", signed=True)
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Bring the schema up to ``revision``; returns the revision now in place."""
    from alembic import command

    try:
        command.upgrade(_alembic_config(engine), revision)
    except OperationalError as exc:
        raise ConfigError(f"cannot reach the operational store: {exc.orig}") from exc
    return current_revision(engine)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(None)).get_current_head()  # type: ignore[arg-type]


def require_current(engine: Engine) -> None:
    """Fail clearly when the schema is missing or behind the code."""
    try:
        names = set(inspect(engine).get_table_names())
    except OperationalError as exc:
        raise ConfigError(f"cannot reach the operational store: {exc.orig}") from exc
    if "alembic_version" not in names:
        raise ConfigError("the store has no schema yet: run `smartmoves db upgrade`")
    if current_revision(engine) != head_revision():
        raise ConfigError("the store's schema is behind this version: run `smartmoves db upgrade`")


_engines: dict[str, Engine] = {}


def engine_for(url: str) -> Engine:
    """One shared engine (and connection pool) per store URL in this process."""
    engine = _engines.get(url)
    if engine is None:
        engine = _engines[url] = connect(url)
    return engine


def release(url: str) -> None:
    """Close the shared engine of ``url`` (its pooled connections) if there is one."""
    engine = _engines.pop(url, None)
    if engine is not None:
        reader = _readers.pop(engine, None)
        if reader is not None:
            reader.dispose()
        engine.dispose()
