"""Restore a workspace from a backup: all of it or nothing.

The archive is verified whole (manifest, format, every checksum, a schema revision this
version knows) before anything is written, and a workspace that holds data is replaced
only when asked. The analytics files are unpacked beside the workspace first; then one
transaction empties the store and writes every table back (on PostgreSQL, one
transaction; on SQLite too), and only once it has committed do the unpacked files take
the place of ``analytics/`` and the settings file its own.

The store written is the one the target workspace is configured for (``SMARTMOVES_
DATABASE_URL`` or its settings file), never the archive's ``database_url``: a backup
must not reach into a database it names. A SQLite backup restores into PostgreSQL and
back; a backup of an older schema passes through this version's migrations on the way.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tomllib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from smartmoves.data import archive
from smartmoves.data.store import db, snapshot
from smartmoves.data.workspace import (
    PRIVATE_FILE,
    analytics_lock,
    private_dir,
    remove_stale_restores,
    replace_file,
    replace_folder,
    restore_staging_dir,
)
from smartmoves.errors import ConfigError
from smartmoves.pathway._store import forget
from smartmoves.pathway.audit import record
from smartmoves.pathway.policy import Account, require
from smartmoves.pathway.setup.backup import analytics_files
from smartmoves.settings import WORKSPACE_FILE, Settings

__all__ = ["RestoreReport", "restore_workspace"]

_DATABASE_URL = re.compile(r"^\s*database_url\s*=")


@dataclass(frozen=True)
class RestoreReport:
    workspace: Path
    store: str
    backup_store: str
    backup_created_at: dt.datetime
    rows: dict[str, int]
    analytics_files: int


def restore_workspace(
    settings: Settings, account: Account, source: Path, *, replace: bool = False
) -> RestoreReport:
    """Replace the workspace of ``settings`` (created if the folder is none) with the
    backup ``source``.

    Raises
    ------
    ConfigError
        A damaged or foreign archive, a schema newer than this version, or a workspace
        that holds data without ``replace``; nothing was written.
    """
    require(account, "workspace.restore")
    folder = settings.workspace
    source = source.expanduser().resolve()
    with archive.opened(source) as backup:
        manifest = backup.manifest
        revision = manifest.store.revision
        if not snapshot.known_revision(revision):
            raise ConfigError(
                f"{source}: its store is at schema revision {revision}, newer than this "
                f"version of smartmoves knows ({db.head_revision()}): restore it with a "
                "newer smartmoves"
            )
        text = _settings_text(source, backup.read_text(archive.SETTINGS_MEMBER), folder)
        if folder.exists() and not folder.is_dir():
            raise ConfigError(f"{folder} exists and is not a folder")
        if not replace and _holds_data(settings):
            raise ConfigError(
                f"{folder} already holds data: pass --replace to overwrite it with the backup"
            )
        private_dir(folder)
        remove_stale_restores(folder)  # a restore killed halfway left its staging behind
        staged = restore_staging_dir(folder, "analytics.restore")
        try:
            files = backup.extract_analytics(staged)
            rows = _restore(settings, account, backup, source, staged, text)
        finally:
            shutil.rmtree(staged, ignore_errors=True)
    return RestoreReport(
        workspace=folder,
        store=make_url(settings.sqlalchemy_url).get_backend_name(),
        backup_store=manifest.store.kind,
        backup_created_at=manifest.created_at,
        rows=rows,
        analytics_files=files,
    )


def _restore(
    settings: Settings,
    account: Account,
    backup: archive.Archive,
    source: Path,
    staged: Path,
    text: str,
) -> dict[str, int]:
    url = settings.sqlalchemy_url
    engine = db.connect(url)
    try:
        db.upgrade(engine)
        with analytics_lock(settings.workspace):
            with db.transaction(engine) as session:
                conn = session.connection()
                snapshot.clear(conn)
                with _at_head(backup, settings.workspace) as tables:
                    rows = snapshot.load(conn, tables)
                record(
                    session,
                    account,
                    "restore",
                    source.name,
                    path=str(source),
                    backup_created_at=backup.manifest.created_at.isoformat(),
                    backup_store=backup.manifest.store.kind,
                )
            # Committed: now the files the rows refer to, then the settings.
            replace_folder(staged, settings.analytics_dir)
            _write_settings(settings.workspace / WORKSPACE_FILE, text)
    finally:
        engine.dispose()
        db.release(url)  # pooled connections of this process saw the old rows
        forget(settings)
    return rows


@contextmanager
def _at_head(backup: archive.Archive, folder: Path) -> Iterator[Iterable[snapshot.TableData]]:
    """The archive's tables as this version's schema has them: as they are when the
    backup is of the current revision, else migrated in a scratch SQLite store."""
    revision = backup.manifest.store.revision
    if revision == db.head_revision():
        yield backup.tables()
        return
    scratch = restore_staging_dir(folder, "restore")
    engine = db.connect(f"sqlite:///{scratch / 'store.db'}")
    try:
        db.upgrade(engine, revision)
        with engine.begin() as conn:
            snapshot.load(conn, backup.tables())
        db.upgrade(engine)
        with engine.connect() as conn:
            yield snapshot.Snapshot(conn, "sqlite").tables()
    finally:
        engine.dispose()
        shutil.rmtree(scratch, ignore_errors=True)


def _holds_data(settings: Settings) -> bool:
    """Whether the workspace has analytics files or any row in its store (a workspace
    just made by ``init`` has neither)."""
    if next(analytics_files(settings.analytics_dir), None) is not None:
        return True
    url = make_url(settings.sqlalchemy_url)
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
        return False  # no store yet (and looking must not create one)
    engine = db.connect(settings.sqlalchemy_url)
    try:
        with engine.connect() as conn:
            counts = snapshot.row_counts(conn)
    except OperationalError as exc:
        raise ConfigError(f"cannot reach the operational store: {exc.orig}") from exc
    finally:
        engine.dispose()
    return any(n for table, n in counts.items() if table != snapshot.VERSION_TABLE)


def _settings_text(source: Path, archived: str | None, folder: Path) -> str:
    """The archive's settings file, with the target's own ``database_url`` (or none)."""
    damaged = ConfigError(f"{source}: damaged backup (its settings file is not valid TOML)")
    if archived is None:
        raise ConfigError(f"{source}: damaged backup (no settings file)")
    try:
        tomllib.loads(archived)
    except tomllib.TOMLDecodeError:
        raise damaged from None
    lines = [line for line in archived.splitlines() if not _DATABASE_URL.match(line)]
    current = _current_database_url(folder)
    if current is not None:
        at = next((i + 1 for i, line in enumerate(lines) if line.strip() == "[smartmoves]"), None)
        if at is None:
            lines += ["[smartmoves]"]
            at = len(lines)
        lines.insert(at, f"database_url = {json.dumps(current)}")
    text = "\n".join(lines) + "\n"
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        raise damaged from None
    return text


def _current_database_url(folder: Path) -> str | None:
    path = folder / WORKSPACE_FILE
    if not path.is_file():
        return None
    try:
        section = tomllib.loads(path.read_text(encoding="utf-8")).get("smartmoves", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    value = section.get("database_url") if isinstance(section, dict) else None
    return value if isinstance(value, str) else None


def _write_settings(path: Path, text: str) -> None:
    staged = path.with_name(f".{path.name}.{os.getpid()}.restore")
    # Private from its first byte: the secret key signs logins.
    fd = os.open(staged, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, PRIVATE_FILE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    replace_file(staged, path)  # 0600 whatever the umask
