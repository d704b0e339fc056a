"""Back up a whole workspace into one file while the server keeps running.

What goes in: every table of the operational store (SQLite or PostgreSQL) read in one
snapshot, every file under ``analytics/`` (imported tables and computed results such as
network analyses), and ``smartmoves.toml``. The analytics lock is held shared from the
store's snapshot to the last analytics file, so no import can land between the two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from smartmoves import __version__
from smartmoves.data import archive
from smartmoves.data.store import db, snapshot
from smartmoves.data.workspace import analytics_lock
from smartmoves.errors import ConfigError
from smartmoves.pathway._store import store
from smartmoves.pathway.audit import record
from smartmoves.pathway.policy import Account, require
from smartmoves.settings import WORKSPACE_FILE, Settings

__all__ = ["BackupReport", "analytics_files", "backup_workspace"]

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BackupReport:
    path: Path
    store: str
    revision: str
    rows: dict[str, int]
    analytics_files: int
    size: int


def analytics_files(folder: Path) -> Iterator[tuple[str, Path]]:
    """The files of the analytics folder as ``(relative name, path)``, sorted.

    Dot names are left out: staging files of an import in flight and the folders a
    result being replaced passes through hold nothing a reader uses. Symbolic links are
    not followed, so a backup holds the workspace's files and nothing else.
    """
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and not path.is_symlink():
            yield relative.as_posix(), path


def _check_out(settings: Settings, out: Path) -> None:
    """Refuse a destination that would overwrite the workspace's own files or be
    archived again by the next backup; before anything is recorded."""
    if out.is_relative_to(settings.analytics_dir):
        raise ConfigError(f"{out} is inside the analytics folder: write the backup elsewhere")
    own = {settings.workspace / WORKSPACE_FILE, settings.workspace / ".analytics.lock"}
    database = make_url(settings.sqlalchemy_url).database
    if make_url(settings.sqlalchemy_url).get_backend_name() == "sqlite" and database:
        own |= {Path(database + suffix) for suffix in ("", "-wal", "-shm", "-journal")}
    if out in {p.resolve() for p in own}:
        raise ConfigError(f"{out} is one of the workspace's own files: write the backup elsewhere")
    archive.check_destination(out)


def backup_workspace(
    settings: Settings, account: Account, out: Path, *, progress: Progress | None = None
) -> BackupReport:
    """Write the workspace into the archive ``out`` (mode 0600), replacing it if there.

    The backup is recorded in the audit log before it is taken, like any export, so the
    archive holds the record of its own making.
    """
    require(account, "workspace.backup")
    engine = store(settings)
    out = out.expanduser().resolve()
    _check_out(settings, out)
    with db.transaction(engine) as session:
        record(session, account, "backup", out.name, path=str(out))
    step = progress or (lambda stage, done, total: None)
    with analytics_lock(settings.workspace, shared=True), archive.writing(out) as writer:
        with snapshot.reading(engine) as snap:
            revision = snap.revision()
            if revision is None:
                raise ConfigError("the store has no schema revision: run `smartmoves db upgrade`")
            tables: dict[str, archive.TableEntry] = {}
            for table in snap.tables():
                step(f"table {table.name}", len(tables), 0)
                rows = writer.add_table(table)
                tables[table.name] = archive.TableEntry(rows=rows, columns=list(table.columns))
        files = list(analytics_files(settings.analytics_dir))
        for done, (name, path) in enumerate(files):
            step("analytics files", done, len(files))
            writer.add_file(f"{archive.ANALYTICS}{name}", path)
        writer.add_file(archive.SETTINGS_MEMBER, settings.workspace / WORKSPACE_FILE)
        writer.finish(
            {
                "smartmoves": __version__,
                "created_at": dt.datetime.now(dt.UTC),
                "workspace": str(settings.workspace),
                "store": archive.StoreEntry(kind=snap.kind, revision=revision, tables=tables),
            }
        )
    return BackupReport(
        path=out,
        store=snap.kind,
        revision=revision,
        rows={name: entry.rows for name, entry in tables.items()},
        analytics_files=len(files),
        size=out.stat().st_size,
    )
