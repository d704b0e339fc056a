"""A workspace is a folder: ``smartmoves.toml``, ``smartmoves.db`` and ``analytics/``.

This module knows where things live in it and how to replace an analytics table
atomically (write beside, then rename), so a crash never leaves half a table.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from smartmoves.errors import ConfigError
from smartmoves.settings import WORKSPACE_FILE, Settings, new_secret_key

__all__ = [
    "ANALYTICS_TABLES",
    "analytics_lock",
    "analytics_path",
    "create_workspace",
    "file_sha256",
    "is_workspace",
    "private_dir",
    "private_file",
    "remove_stale_restores",
    "remove_stale_staging",
    "replace_file",
    "replace_folder",
    "require_workspace",
    "restore_staging_dir",
    "staging_path",
]

# The workspace holds people's data: its files are the owner's alone, whatever the umask.
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700

# Tables kept as Parquet in analytics/ rather than in the operational store.
ANALYTICS_TABLES = ("interactions", "metric_values", "ties")


def is_workspace(folder: Path) -> bool:
    return (folder / WORKSPACE_FILE).is_file()


def require_workspace(settings: Settings) -> Path:
    """The workspace folder, or a clear error telling how to create one."""
    if not is_workspace(settings.workspace):
        raise ConfigError(
            f"{settings.workspace} is not a smartmoves workspace "
            f"(run `smartmoves init {settings.workspace}` or pass --workspace)"
        )
    return settings.workspace


def create_workspace(folder: Path, *, min_group_size: int = 5) -> Path:
    """Create the workspace files in ``folder`` (which may exist but must not be one)."""
    folder = folder.expanduser().resolve()
    if is_workspace(folder):
        raise ConfigError(f"{folder} is already a workspace")
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"{folder} exists and is not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    private_dir(folder / "analytics")
    text = (
        "# smartmoves workspace settings; SMARTMOVES_* environment variables override them.\n"
        "[smartmoves]\n"
        f'secret_key = "{new_secret_key()}"\n'
        f"min_group_size = {min_group_size}\n"
        '# database_url = "postgresql+psycopg://user@host/db"  (default: smartmoves.db here)\n'
        '# analytics_engine = "duckdb"  (or "spark")\n'
    )
    target = folder / WORKSPACE_FILE
    target.write_text(text, encoding="utf-8")
    private_file(target)  # the secret key signs logins
    return folder


def analytics_path(settings: Settings, table: str) -> Path:
    """Where the Parquet file of an analytics table lives (it may not exist yet)."""
    if table not in ANALYTICS_TABLES:
        raise ConfigError(f"{table!r} is not an analytics table")
    return settings.analytics_dir / f"{table}.parquet"


def private_dir(folder: Path) -> Path:
    """Make ``folder`` (and missing parents) and leave it to its owner alone."""
    folder.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    folder.chmod(PRIVATE_DIR)
    return folder


def private_file(path: Path) -> Path:
    """Leave the file ``path`` readable by its owner alone."""
    path.chmod(PRIVATE_FILE)
    return path


def staging_path(final: Path) -> Path:
    """A file beside ``final`` to write into before :func:`replace_file`."""
    private_dir(final.parent)
    return final.with_name(f".{final.stem}.{os.getpid()}{_STAGING}{final.suffix}")


_STAGING = ".staging"


def replace_file(staged: Path, final: Path) -> None:
    """Put ``staged`` in place of ``final`` in one step (rename is atomic on POSIX)."""
    with staged.open("rb") as handle:
        os.fsync(handle.fileno())
    private_file(staged)  # before the rename: the table is never readable by others
    os.replace(staged, final)


def remove_stale_staging(folder: Path) -> list[Path]:
    """Delete the staging files in ``folder`` whose import is no longer running.

    An import killed halfway leaves ``.TABLE.PID.staging.parquet`` behind; nothing reads
    it, but it holds people's data and disk space. A file of a process that still runs
    (another import, right now) is kept. Returns the files deleted.
    """
    removed = []
    for path in folder.glob(f".*{_STAGING}.*") if folder.is_dir() else ():
        pid = path.name.split(".")[2] if path.name.count(".") >= 3 else ""
        if pid.isdigit() and _running(int(pid)):
            continue
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


# What a restore (or a backup of a SQLite store) stages in the workspace folder, each named
# with its process' id so that a later start can tell a leftover from work under way: the
# analytics unpacked (``.analytics.restore-PID-*``), a scratch store migrating an older
# backup (``.restore-PID-*``), a copy of the store being archived (``.backup-PID-*``),
# the analytics folder a restore replaced (``.analytics.PID.old``) and the settings file it
# writes (``.smartmoves.toml.PID.restore``). Older versions named the folders without the
# id: those count as leftovers too.
_RESTORE_STAGING = re.compile(
    r"^\.(?:analytics\.restore|restore|backup)-(?:(?P<staged>\d+)-)?"
    r"|^\.analytics\.(?P<replaced>\d+)\.old$"
    r"|^\..+\.(?P<settings>\d+)\.restore$"
)


def restore_staging_dir(folder: Path, what: str) -> Path:
    """A new private folder in ``folder`` for a restore or backup to stage ``what``
    (``analytics.restore``, ``restore``, ``backup``) in; see :func:`remove_stale_restores`."""
    return Path(tempfile.mkdtemp(prefix=f".{what}-{os.getpid()}-", dir=folder))  # 0700


def remove_stale_restores(workspace: Path) -> list[Path]:
    """Delete what an interrupted restore or backup left in the workspace folder.

    A restore killed halfway leaves the analytics it unpacked (people's data, as large as
    the workspace's) and perhaps a scratch store; nothing reads them. What a process that
    still runs staged (a restore right now) is kept. Returns what was deleted.
    """
    removed = []
    for path in workspace.glob(".*") if workspace.is_dir() else ():
        found = _RESTORE_STAGING.match(path.name)
        if found is None:
            continue
        pid = next((int(v) for v in found.groupdict().values() if v), None)
        if pid is not None and _running(pid):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def file_sha256(path: Path, *, chunk_size: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def analytics_lock(workspace: Path, *, shared: bool = False) -> Iterator[None]:
    """Hold the workspace's analytics lock while the block runs.

    An import renames analytics files into place and commits the store together under
    the exclusive lock; a backup holds it shared while it reads both, so it never
    archives the files of one import with the store rows of another. An advisory
    ``flock`` on a file beside ``analytics/`` (a restore replaces that folder), released
    by the kernel if the process dies.
    """
    path = workspace / ".analytics.lock"
    fd = os.open(path, os.O_CREAT | os.O_RDWR, PRIVATE_FILE)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def replace_folder(staged: Path, final: Path) -> None:
    """Put the folder ``staged`` in place of ``final`` (two renames: a reader may find no
    folder for an instant, never a mix of the old and the new)."""
    old = final.with_name(f".{final.name}.{os.getpid()}.old")
    if final.exists():
        final.rename(old)
    staged.rename(final)
    shutil.rmtree(old, ignore_errors=True)
