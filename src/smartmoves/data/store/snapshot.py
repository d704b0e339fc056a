"""Every table of the operational store, read in one snapshot and written back in one
transaction, the same way on SQLite and PostgreSQL.

A table travels as its column names, a codec per column (how its values are written as
JSON) and its rows, in primary-key order. The codecs come from the store's own schema
(reflected, so a table no model knows, such as ``alembic_version``, travels too), which
also lets a SQLite backup be restored into PostgreSQL and back.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy import Connection, Engine

from smartmoves.data.store.db import MIGRATIONS
from smartmoves.data.workspace import restore_staging_dir
from smartmoves.errors import ConfigError

__all__ = [
    "VERSION_TABLE",
    "Codec",
    "Snapshot",
    "TableData",
    "clear",
    "known_revision",
    "load",
    "reading",
    "row_counts",
    "store_kind",
]

VERSION_TABLE = "alembic_version"
# How a column's values are written as JSON (and read back).
Codec = Literal["plain", "json", "datetime", "date", "time", "bytes", "decimal"]
BATCH = 1000


@dataclass(frozen=True)
class TableData:
    """One table: ``columns`` as ``(name, codec)`` pairs, ``rows`` as lists of
    JSON-ready values in that order (an iterator: read it once)."""

    name: str
    columns: tuple[tuple[str, Codec], ...]
    rows: Iterable[list[Any]]


def store_kind(engine: Engine) -> str:
    """``sqlite`` or ``postgresql``."""
    return engine.dialect.name


def _codec(column_type: sa.types.TypeEngine[Any]) -> Codec:
    if isinstance(column_type, sa.JSON):
        return "json"
    if isinstance(column_type, sa.DateTime):
        return "datetime"
    if isinstance(column_type, sa.Date):
        return "date"
    if isinstance(column_type, sa.Time):
        return "time"
    if isinstance(column_type, sa.LargeBinary):
        return "bytes"
    if isinstance(column_type, sa.Numeric) and not isinstance(column_type, sa.Float):
        return "decimal"
    return "plain"


def _encode(value: Any, codec: Codec) -> Any:
    if value is None or codec in ("plain", "json"):
        return value
    if codec == "datetime" and value.tzinfo is not None:
        # One zone for every instant: SQLite keeps no offset, so UTC restores the same
        # moment into either store.
        return value.astimezone(dt.UTC).isoformat()
    if codec in ("datetime", "date", "time"):
        return value.isoformat()
    if codec == "bytes":
        return base64.b64encode(value).decode("ascii")
    return str(value)  # decimal: exact, as text


_DECODE: dict[str, Any] = {
    "datetime": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat,
    "time": dt.time.fromisoformat,
    "bytes": base64.b64decode,
    "decimal": decimal.Decimal,
}


def _decode(value: Any, codec: Codec) -> Any:
    if value is None or codec in ("plain", "json"):
        return value
    return _DECODE[codec](value)


def _tables(conn: Connection) -> list[sa.Table]:
    """The store's tables, parents before the tables that refer to them."""
    metadata = sa.MetaData()
    metadata.reflect(conn)
    return list(metadata.sorted_tables)


def _rows(conn: Connection, table: sa.Table, codecs: list[Codec]) -> Iterator[list[Any]]:
    # yield_per: PostgreSQL streams the rows from a server-side cursor, not all at once.
    query = sa.select(table).order_by(*table.primary_key.columns).execution_options(yield_per=BATCH)
    for row in conn.execute(query):
        yield [_encode(v, c) for v, c in zip(row, codecs, strict=True)]


class Snapshot:
    """The store as it was at one instant: its kind and its tables, read lazily."""

    def __init__(self, conn: Connection, kind: str) -> None:
        self._conn = conn
        self.kind = kind

    def tables(self) -> Iterator[TableData]:
        for table in _tables(self._conn):
            codecs = [_codec(c.type) for c in table.columns]
            columns = tuple(zip([c.name for c in table.columns], codecs, strict=True))
            yield TableData(table.name, columns, _rows(self._conn, table, codecs))

    def revision(self) -> str | None:
        """The schema revision the snapshot holds (its ``alembic_version``)."""
        table = sa.table(VERSION_TABLE, sa.column("version_num"))
        revision = self._conn.execute(sa.select(table.c.version_num)).scalar_one_or_none()
        return None if revision is None else str(revision)


@contextmanager
def reading(engine: Engine) -> Iterator[Snapshot]:
    """A consistent snapshot of the whole store while others keep writing.

    SQLite: ``VACUUM INTO`` copies the database in one read transaction (a complete
    image, whatever commits meanwhile in WAL mode), then the copy is read. PostgreSQL:
    one ``REPEATABLE READ`` read-only transaction for every table, so all tables are
    seen as of its first query, with no client tools needed.
    """
    kind = store_kind(engine)
    if kind == "sqlite":
        with _sqlite_copy(engine) as copy, copy.connect() as conn:
            yield Snapshot(conn, kind)
        return
    options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    with engine.connect().execution_options(**options) as conn, conn.begin():
        yield Snapshot(conn, kind)


@contextmanager
def _sqlite_copy(engine: Engine) -> Iterator[Engine]:
    source = engine.url.database
    if not source or source == ":memory:":
        raise ConfigError("an in-memory store cannot be backed up")
    # Beside the store, on its disk, in a folder only the owner can open (mkdtemp: 0700).
    folder = restore_staging_dir(Path(source).parent, "backup")  # its process' id in the name
    copy = folder / "store.db"
    try:
        con = sqlite3.connect(source, isolation_level=None)
        try:
            con.execute("PRAGMA busy_timeout=10000")
            con.execute("VACUUM INTO ?", (str(copy),))
        finally:
            con.close()
        copied = sa.create_engine(f"sqlite:///{copy}")
        try:
            yield copied
        finally:
            copied.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def row_counts(conn: Connection) -> dict[str, int]:
    """How many rows each table holds (the schema's version table included)."""
    return {
        t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
        for t in _tables(conn)
    }


def clear(conn: Connection) -> None:
    """Delete every row but the schema version, children before their parents."""
    for table in reversed(_tables(conn)):
        if table.name != VERSION_TABLE:
            conn.execute(table.delete())


def load(conn: Connection, tables: Iterable[TableData]) -> dict[str, int]:
    """Insert ``tables`` into the (cleared) store of ``conn``, whose schema is already
    at the revision they were read at; the store's own version row is kept. Returns the
    rows written per table.

    Raises
    ------
    ConfigError
        A table or column the store does not have (a backup of another product).
    """
    targets = {t.name: t for t in _tables(conn)}
    written: dict[str, int] = {}
    for data in tables:
        target = targets.get(data.name)
        if target is None:
            raise ConfigError(f"the backup has a table {data.name!r} that this store does not")
        unknown = [name for name, _ in data.columns if name not in target.columns]
        if unknown:
            raise ConfigError(f"the backup's table {data.name} has unknown columns {unknown}")
        count = 0
        if data.name != VERSION_TABLE:
            count = _insert(conn, target, data)
        else:
            for _ in data.rows:  # read through, so the archive's reader moves on
                count += 1
        written[data.name] = count
    if conn.dialect.name == "postgresql":
        _reset_sequences(conn, list(targets.values()))
    return written


def _as_written(table: sa.Table) -> sa.Table:
    """``table`` whose JSON columns write ``None`` as SQL NULL, as it was read (by
    default SQLAlchemy writes it as the JSON text ``null``)."""
    columns = []
    for column in table.columns:
        kind = column.type
        if isinstance(kind, sa.JSON):
            kind = type(kind)(none_as_null=True)
        columns.append(sa.Column(column.name, kind, primary_key=column.primary_key))
    return sa.Table(table.name, sa.MetaData(), *columns)


def _insert(conn: Connection, table: sa.Table, data: TableData) -> int:
    target = _as_written(table)
    names = [name for name, _ in data.columns]
    codecs = [codec for _, codec in data.columns]
    batch: list[dict[str, Any]] = []
    count = 0
    for number, row in enumerate(data.rows, start=1):
        if len(row) != len(names):
            raise ConfigError(f"the backup's table {data.name}, row {number}: wrong length")
        try:
            batch.append({n: _decode(v, c) for n, v, c in zip(names, row, codecs, strict=True)})
        except (ValueError, TypeError, ArithmeticError) as exc:
            raise ConfigError(f"the backup's table {data.name}, row {number}: {exc}") from None
        if len(batch) == BATCH:
            count += _write(conn, target, batch)
            batch = []
    return count + (_write(conn, target, batch) if batch else 0)


def _write(conn: Connection, target: sa.Table, batch: list[dict[str, Any]]) -> int:
    try:
        conn.execute(target.insert(), batch)
    except sa.exc.StatementError as exc:
        # A duplicate key or a value the column refuses: the caller's transaction rolls
        # back, and the user reads which table, not a traceback.
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise ConfigError(f"the backup's table {target.name} cannot be written: {reason}") from None
    return len(batch)


def _reset_sequences(conn: Connection, tables: list[sa.Table]) -> None:
    """Rows came with their ids: move each id sequence past the largest, so the next
    row the product adds does not collide with a restored one."""
    for table in tables:
        for column in table.primary_key.columns:
            if not isinstance(column.type, sa.Integer):
                continue
            sequence = conn.execute(
                sa.select(sa.func.pg_get_serial_sequence(table.name, column.name))
            ).scalar_one_or_none()
            if sequence is None:
                continue
            largest = conn.execute(sa.select(sa.func.max(column))).scalar_one_or_none()
            conn.execute(sa.select(sa.func.setval(sequence, largest or 1, largest is not None)))


def known_revision(revision: str) -> bool:
    """Whether this version's migrations know ``revision`` (older or current)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from alembic.script.revision import RevisionError
    from alembic.util import CommandError

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        return ScriptDirectory.from_config(config).get_revision(revision) is not None
    except (CommandError, RevisionError):
        return False
