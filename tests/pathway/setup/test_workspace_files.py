"""The workspace's files are its owner's alone, and an import killed halfway leaves
nothing behind that a later one would trip on."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from smartmoves.data.store import db
from smartmoves.pathway._store import forget, store
from smartmoves.pathway.act import connect
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.settings import Settings

from orgfiles import write_org
from services import new_workspace


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that lets everyone read new files, as many machines have."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_store_and_analytics_files_are_the_owners_alone(
    open_umask: None, tmp_path: Path, store_backend: str | None
) -> None:
    settings = new_workspace(tmp_path / "ws", store_backend)
    try:
        import_files(settings, find_table_files(write_org(tmp_path / "org")))
        connect.analyze_imported(settings)  # as `smartmoves import` does next
        analytics = settings.analytics_dir
        assert (analytics / "interactions.parquet").is_file()  # written later, by the import
        assert any((analytics / "network").iterdir())  # the analysis the import ran
        folders = [analytics, *(p for p in analytics.rglob("*") if p.is_dir())]
        files = [p for p in analytics.rglob("*") if p.is_file()]
        files.append(settings.workspace / "smartmoves.toml")
        if store_backend is None:
            files += list(settings.workspace.glob("smartmoves.db*"))
            assert settings.workspace / "smartmoves.db" in files
        assert {str(p): _mode(p) for p in folders} == {str(p): 0o700 for p in folders}
        assert {str(p): _mode(p) for p in files} == {str(p): 0o600 for p in files}
    finally:
        db.release(settings.sqlalchemy_url)


def _finished_pid() -> int:
    """The id of a process that has ended (as a killed import has)."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def _leftover(settings: Settings, pid: int) -> Path:
    path = settings.analytics_dir / f".interactions.{pid}.staging.parquet"
    path.write_bytes(b"half a parquet file")
    return path


def test_the_next_import_removes_a_killed_imports_staging_file(
    workspace: Settings, tmp_path: Path
) -> None:
    stale = _leftover(workspace, _finished_pid())
    running = _leftover(workspace, os.getppid())  # another import, still at work
    import_files(workspace, find_table_files(write_org(tmp_path / "org")))
    assert not stale.exists()
    assert running.exists()
    staged = [p.name for p in workspace.analytics_dir.glob(".*staging*")]
    assert staged == [running.name]


def test_opening_the_workspace_removes_a_killed_imports_staging_file(
    workspace: Settings,
) -> None:
    store(workspace)
    stale = _leftover(workspace, _finished_pid())
    forget(workspace)  # as a new process would: the workspace is opened afresh
    store(workspace)
    assert not stale.exists()


def _restore_leftovers(folder: Path, pid: int) -> list[Path]:
    """What a restore (or backup) killed halfway leaves in the workspace folder: the
    analytics it unpacked, a scratch store, the folder it replaced, its settings file."""
    unpacked = folder / f".analytics.restore-{pid}-k2j4x_q1"
    (unpacked / "network").mkdir(parents=True)
    (unpacked / "interactions.parquet").write_bytes(b"people's interactions")
    scratch = folder / f".restore-{pid}-a8fz"
    scratch.mkdir()
    (scratch / "store.db").write_bytes(b"a migrated store")
    copy = folder / f".backup-{pid}-0k1b"
    copy.mkdir()
    replaced = folder / f".analytics.{pid}.old"
    replaced.mkdir()
    settings_file = folder / f".smartmoves.toml.{pid}.restore"
    settings_file.write_text("[smartmoves]\n")
    return [unpacked, scratch, copy, replaced, settings_file]


def test_opening_the_workspace_removes_what_a_killed_restore_left(workspace: Settings) -> None:
    store(workspace)
    folder = workspace.workspace
    stale = _restore_leftovers(folder, _finished_pid())
    older = folder / ".analytics.restore-x7_q2k"  # an older version's name: no process id
    older.mkdir()
    running = _restore_leftovers(folder, os.getppid())  # a restore at work right now
    kept = {p.name for p in folder.iterdir()} - {p.name for p in [*stale, older]}
    forget(workspace)  # as a new process would: the workspace is opened afresh
    store(workspace)
    assert not [p for p in [*stale, older] if p.exists()]
    assert all(p.exists() for p in running)
    assert {p.name for p in folder.iterdir()} == kept  # the lock, the store, the settings
