"""``smartmoves backup`` and ``smartmoves restore``, in process, on SQLite and PostgreSQL.

A demo workspace goes through a backup and a restore into a new workspace, and every
table is compared row by row, the analytics files byte by byte; a backup taken while
another thread writes holds one instant of the store; a damaged, foreign or newer
archive, and a workspace that holds data, are refused with one line and exit code 2,
leaving the workspace as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import hashlib
import io
import json
import os
import subprocess
import threading
import tomllib
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from smartmoves.cli.main import app
from smartmoves.data import archive
from smartmoves.data.store import db, org, snapshot
from smartmoves.data.store.models import User
from smartmoves.pathway.setup import imports
from smartmoves.settings import get_settings

from demoworkspace import small_demo
from orgfiles import write_org
from services import postgres_schema

runner = CliRunner()


# -- what a workspace holds, to compare two of them ----------------------------------


def _plain(value: Any) -> Any:
    # SQLite gives naive UTC datetimes, PostgreSQL aware ones: compare instants.
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def tables_of(folder: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of the workspace's store, every row, in primary-key order."""
    engine = sa.create_engine(get_settings(folder).sqlalchemy_url)
    try:
        metadata = sa.MetaData()
        metadata.reflect(engine)
        with engine.connect() as conn:
            return {
                table.name: [
                    tuple(_plain(v) for v in row)
                    for row in conn.execute(sa.select(table).order_by(*table.primary_key.columns))
                ]
                for table in metadata.sorted_tables
            }
    finally:
        engine.dispose()


def files_of(folder: Path) -> dict[str, str]:
    """The analytics folder's files (dot names aside) and their sha256."""
    root = folder / "analytics"
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    }


def settings_of(folder: Path) -> dict[str, Any]:
    values = tomllib.loads((folder / "smartmoves.toml").read_text(encoding="utf-8"))
    return dict(values["smartmoves"])


def state_of(folder: Path) -> tuple[Any, ...]:
    return tables_of(folder), files_of(folder), (folder / "smartmoves.toml").read_bytes()


# -- workspaces -----------------------------------------------------------------------


def _configure(folder: Path, url: str | None) -> Path:
    """Point the workspace's settings at ``url`` (a PostgreSQL schema of the test)."""
    if url:
        path = folder / "smartmoves.toml"
        text = path.read_text(encoding="utf-8") if path.exists() else "[smartmoves]\n"
        path.write_text(text.replace("[smartmoves]\n", f'[smartmoves]\ndatabase_url = "{url}"\n'))
    return folder


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, module_store_backend: str | None) -> Path:
    """A small demo bank (imports, pilot, workgroups, users, network analysis)."""
    folder = tmp_path_factory.mktemp("backup") / "demo"
    with pytest.MonkeyPatch.context() as patch:
        if module_store_backend:
            patch.setenv("SMARTMOVES_DATABASE_URL", module_store_backend)
        small_demo(folder)
        db.release(get_settings(folder).sqlalchemy_url)
    return _configure(folder, module_store_backend)


@pytest.fixture
def fresh_url(
    module_store_backend: str | None, request: pytest.FixtureRequest
) -> Iterator[str | None]:
    """A store of the same kind as the demo's, empty: ``None`` (SQLite in the folder) or
    a new PostgreSQL schema."""
    if module_store_backend is None:
        yield None
        return
    with postgres_schema(request.getfixturevalue("postgres_url")) as url:
        yield url


def _target(folder: Path, url: str | None) -> Path:
    """A folder to restore into: new (SQLite), or holding only settings that name an
    empty PostgreSQL schema."""
    if url:
        folder.mkdir()
        _configure(folder, url)
    return folder


def _backup(folder: Path, out: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["backup", "--out", str(out), "-w", str(folder)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as zf:
        manifest: dict[str, Any] = json.loads(zf.read("manifest.json"))
    return manifest


@pytest.fixture(scope="module")
def demo_backup(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """The demo's backup and the demo's state when it was taken."""
    out = tmp_path_factory.mktemp("archives") / "demo.zip"
    _backup(demo, out)
    return out, state_of(demo)


# -- the round trip -------------------------------------------------------------------


def test_a_restored_workspace_has_every_row_and_file_of_the_backed_up_one(
    demo: Path, demo_backup: tuple[Path, Any], fresh_url: str | None, tmp_path: Path
) -> None:
    out, (tables, files, _) = demo_backup
    target = _target(tmp_path / "restored", fresh_url)
    result = runner.invoke(app, ["restore", str(out), "-w", str(target)])
    assert result.exit_code == 0, result.output

    restored = tables_of(target)
    assert set(restored) == set(tables) and "alembic_version" in restored
    assert {"users", "login_sessions", "audit_log", "jobs", "people"} <= set(tables)
    for name, rows in tables.items():
        if name != "audit_log":
            assert restored[name] == rows, name
    # The backup recorded itself before its snapshot; the restore adds its own entry.
    assert restored["audit_log"][:-1] == tables["audit_log"]
    assert tables["audit_log"][-1][3] == "backup"
    assert restored["audit_log"][-1][2:4] == ("cli", "restore")
    assert sum(len(rows) for rows in tables.values()) > 1000  # a real workspace, not an empty one

    assert files_of(target) == files
    assert any(name.startswith("network/") for name in files)  # the network analysis
    assert "interactions.parquet" in files
    source, copy = settings_of(demo), settings_of(target)
    assert copy.pop("database_url", None) == fresh_url  # the target's store, not the demo's
    source.pop("database_url", None)
    assert copy == source  # the secret key included: restored sessions stay valid
    assert (target / "smartmoves.toml").stat().st_mode & 0o777 == 0o600


def test_the_restored_workspace_works_and_its_ids_go_on(
    demo_backup: tuple[Path, Any], fresh_url: str | None, tmp_path: Path
) -> None:
    out, (tables, _, _) = demo_backup
    target = _target(tmp_path / "restored", fresh_url)
    assert runner.invoke(app, ["restore", str(out), "-w", str(target)]).exit_code == 0
    # A new user after the restored ones: on PostgreSQL the id sequences were moved on.
    added = runner.invoke(
        app, ["users", "add", "new@bank.example", "--role", "member", "-w", str(target)]
    )
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["users", "list", "--format", "json", "-w", str(target)])
    emails = {u["email"] for u in json.loads(listed.output)}
    assert emails == {row[1] for row in tables["users"]} | {"new@bank.example"}


def test_the_archive_is_private_and_its_manifest_describes_it(
    demo_backup: tuple[Path, Any],
) -> None:
    out, (tables, files, _) = demo_backup
    assert out.stat().st_mode & 0o777 == 0o600
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["format"] == "smartmoves-backup" and manifest["version"] == 1
        assert manifest["store"]["revision"] == db.head_revision()
        for name, entry in manifest["store"]["tables"].items():
            lines = zf.read(f"store/{name}.jsonl").splitlines()
            assert entry["rows"] == len(lines) == len(tables[name]), name
        for name, member in manifest["members"].items():
            data = zf.read(name)
            assert member == {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        assert {
            n.removeprefix("analytics/") for n in zf.namelist() if n.startswith("analytics/")
        } == set(files)


# -- consistency while others write ---------------------------------------------------


class Writer(threading.Thread):
    """Adds, one transaction at a time, a user and the audit entry that says so."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.engine = db.connect(url)
        self.done = 0
        self.stop = threading.Event()
        self.changed = threading.Condition()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                with db.transaction(self.engine) as session:
                    email = f"writer{self.done}@bank.example"
                    session.add(User(email=email, password_hash="-", role="member"))
                    org.audit(session, "writer", "add user", email)
                with self.changed:
                    self.done += 1
                    self.changed.notify_all()
        except BaseException as exc:  # the test reports it
            self.error = exc
        finally:
            self.engine.dispose()

    def wait_for(self, count: int) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: self.done >= count or self.error, timeout=60)
        assert self.error is None, self.error


def test_a_backup_taken_while_another_thread_writes_holds_one_instant(
    workspace: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _configure(workspace.workspace, workspace.database_url)
    writer = Writer(workspace.sqlalchemy_url)
    writer.start()
    writer.wait_for(5)
    # After each table is archived, let the writer commit twice more: a backup that read
    # tables one by one, each as of its own moment, would archive more users than
    # entries saying they were added (or the other way round).
    add_table = archive.ArchiveWriter.add_table

    def slowly(self: archive.ArchiveWriter, table: Any) -> int:
        rows = add_table(self, table)
        writer.wait_for(writer.done + 2)
        return rows

    monkeypatch.setattr(archive.ArchiveWriter, "add_table", slowly)
    out = tmp_path / "busy.zip"
    try:
        manifest = _backup(folder, out)
    finally:
        writer.stop.set()
        writer.join()

    with zipfile.ZipFile(out) as zf:
        rows = {
            name: [json.loads(line) for line in zf.read(f"store/{name}.jsonl").splitlines()]
            for name in manifest["store"]["tables"]
        }
    for name, entry in manifest["store"]["tables"].items():
        assert entry["rows"] == len(rows[name]), name
    users = {row[1] for row in rows["users"]}
    added = {row[4] for row in rows["audit_log"] if row[2] == "writer"}
    assert users == added and len(users) >= 5
    assert len(users) < writer.done  # what committed after the snapshot is not in it

    target = tmp_path / "restored"
    with _store_for(workspace.database_url) as url:
        assert (
            runner.invoke(app, ["restore", str(out), "-w", str(_target(target, url))]).exit_code
            == 0
        )
        assert {u[1] for u in tables_of(target)["users"]} == users


def _store_for(url: str | None) -> Any:
    """A new empty store of the same kind as ``url``."""
    from contextlib import nullcontext

    if url is None:
        return nullcontext(None)
    return postgres_schema(url.split("?", 1)[0])


# -- refusals leave the workspace as it was -------------------------------------------


@pytest.fixture
def occupied(workspace: Any) -> Path:
    """A workspace that holds data: one user."""
    folder = _configure(workspace.workspace, workspace.database_url)
    result = runner.invoke(
        app, ["users", "add", "kept@bank.example", "--role", "admin", "-w", str(folder)]
    )
    assert result.exit_code == 0, result.output
    return folder


def _rewritten(
    source: Path, out: Path, change: Callable[[dict[str, bytes]], None], *, reseal: bool = True
) -> Path:
    """A copy of the archive ``source`` whose members ``change`` edits (the manifest is
    ``members["manifest.json"]``), its checksums recomputed when ``reseal``."""
    with zipfile.ZipFile(source) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    change(members)
    if reseal and "manifest.json" in members:
        manifest = json.loads(members["manifest.json"])
        manifest["members"] = {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in members.items()
            if name != "manifest.json"
        }
        members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out


def _edit_manifest(edit: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, bytes]], None]:
    def change(members: dict[str, bytes]) -> None:
        manifest = json.loads(members["manifest.json"])
        edit(manifest)
        members["manifest.json"] = json.dumps(manifest).encode()

    return change


def _duplicate_first_user(members: dict[str, bytes]) -> None:
    lines = members["store/users.jsonl"].splitlines(keepends=True)
    members["store/users.jsonl"] += lines[0]
    manifest = json.loads(members["manifest.json"])
    manifest["store"]["tables"]["users"]["rows"] += 1
    members["manifest.json"] = json.dumps(manifest).encode()


def _flip_a_byte(members: dict[str, bytes]) -> None:
    data = bytearray(members["store/users.jsonl"])
    data[len(data) // 2] ^= 0x01
    members["store/users.jsonl"] = bytes(data)


def _drop(name: str) -> Callable[[dict[str, bytes]], None]:
    return lambda members: members.__delitem__(name)


def _text_file(good: Path, out: Path) -> Path:
    out.write_text("person_id,unit_id\nP1,U1\n", encoding="utf-8")
    return out


def _truncated(good: Path, out: Path) -> Path:
    out.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    return out


def _changed(change: Callable[[dict[str, bytes]], None], *, reseal: bool = True) -> Any:
    return lambda good, out: _rewritten(good, out, change, reseal=reseal)


BAD_ARCHIVES: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "a text file": (_text_file, "not a smartmoves backup"),
    "a zip of something else": (_changed(_drop("manifest.json")), "(no manifest)"),
    "a truncated archive": (_truncated, "not a smartmoves backup"),
    "a flipped byte": (
        _changed(_flip_a_byte, reseal=False),
        "damaged backup (store/users.jsonl does not match its checksum)",
    ),
    "a missing table": (
        _changed(_drop("store/users.jsonl")),
        "damaged backup (no rows for table users)",
    ),
    "a member outside the workspace": (
        _changed(lambda members: members.update({"analytics/../../evil": b"x"})),
        "would be written outside the workspace",
    ),
    "a newer schema": (
        _changed(_edit_manifest(lambda m: m["store"].update(revision="9999"))),
        "schema revision 9999, newer than this version",
    ),
    "a newer format": (
        _changed(_edit_manifest(lambda m: m.update(version=2))),
        "made by a newer smartmoves (backup format 2",
    ),
    "a duplicated row": (
        _changed(_duplicate_first_user),
        "the backup's table users cannot be written",
    ),
}


@pytest.mark.parametrize("bad", sorted(BAD_ARCHIVES))
def test_a_bad_archive_is_refused_in_one_line_and_nothing_changes(
    bad: str, occupied: Path, demo_backup: tuple[Path, Any], tmp_path: Path
) -> None:
    make, message = BAD_ARCHIVES[bad]
    archive_file = make(demo_backup[0], tmp_path / "bad.zip")
    before = state_of(occupied)
    result = runner.invoke(app, ["restore", str(archive_file), "--replace", "-w", str(occupied)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert message in lines[0]
    assert state_of(occupied) == before
    assert not [p.name for p in occupied.iterdir() if ".restore" in p.name]  # no staging left


def test_a_workspace_that_holds_data_is_replaced_only_when_asked(
    occupied: Path, demo_backup: tuple[Path, Any]
) -> None:
    out, (tables, files, _) = demo_backup
    before = state_of(occupied)
    refused = runner.invoke(app, ["restore", str(out), "-w", str(occupied)])
    assert refused.exit_code == 2
    assert refused.stderr.strip() == (
        f"error: {occupied} already holds data: pass --replace to overwrite it with the backup"
    )
    assert state_of(occupied) == before

    replaced = runner.invoke(app, ["restore", str(out), "--replace", "-w", str(occupied)])
    assert replaced.exit_code == 0, replaced.output
    # Every row as backed up (the kept user is gone), whichever store each side has:
    # a SQLite backup restores into PostgreSQL and back.
    restored = tables_of(occupied)
    assert {n: r for n, r in restored.items() if n != "audit_log"} == {
        n: r for n, r in tables.items() if n != "audit_log"
    }
    assert restored["audit_log"][:-1] == tables["audit_log"]
    assert files_of(occupied) == files


def test_a_restore_first_removes_what_an_interrupted_one_left(
    occupied: Path, demo_backup: tuple[Path, Any]
) -> None:
    child = subprocess.Popen(["true"])  # a restore killed halfway: its process is gone
    child.wait()
    unpacked = occupied / f".analytics.restore-{child.pid}-3kq_z8"
    unpacked.mkdir()
    (unpacked / "interactions.parquet").write_bytes(b"people's interactions")
    scratch = occupied / f".restore-{child.pid}-p0x1"
    (scratch / "store.db").parent.mkdir()
    (scratch / "store.db").write_bytes(b"a migrated store")
    result = runner.invoke(app, ["restore", str(demo_backup[0]), "--replace", "-w", str(occupied)])
    assert result.exit_code == 0, result.output
    assert not unpacked.exists() and not scratch.exists()
    assert not [p.name for p in occupied.iterdir() if "restore" in p.name]
    assert files_of(occupied) == demo_backup[1][1]  # and the restore itself went through


def test_backup_and_restore_are_audited(occupied: Path, tmp_path: Path) -> None:
    out = tmp_path / "self.zip"
    _backup(occupied, out)
    assert (
        runner.invoke(app, ["restore", str(out), "--replace", "-w", str(occupied)]).exit_code == 0
    )
    audit = runner.invoke(app, ["audit", "export", "-w", str(occupied)])
    rows = list(csv.DictReader(io.StringIO(audit.output)))
    # Newest first: the export itself, the restore, then the backup it restored.
    assert [(r["actor"], r["action"]) for r in rows[:3]] == [
        ("cli", "export"),
        ("cli", "restore"),
        ("cli", "backup"),
    ]
    assert rows[1]["target"] == rows[2]["target"] == "self.zip"


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("analytics/b.zip", "inside the analytics folder"),
        ("smartmoves.toml", "one of the workspace's own files"),
        ("smartmoves.db", "one of the workspace's own files"),
        ("missing/b.zip", "no folder"),
        ("analytics", "inside the analytics folder"),
    ],
)
def test_a_backup_never_overwrites_the_workspace(occupied: Path, where: str, message: str) -> None:
    if where == "smartmoves.db" and get_settings(occupied).database_url:
        pytest.skip("on PostgreSQL, smartmoves.db is none of the workspace's files")
    before = state_of(occupied)
    result = runner.invoke(app, ["backup", "--out", str(occupied / where), "-w", str(occupied)])
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert state_of(occupied) == before  # not even an audit entry for a refused backup


def test_a_backup_of_an_older_schema_is_migrated_on_its_way_in(tmp_path: Path) -> None:
    """A backup taken before login sessions existed (revision 0004) restores into this
    version's schema, its rows carried through the migrations."""
    old = tmp_path / "old"
    old.mkdir()
    (old / "smartmoves.toml").write_text('[smartmoves]\nsecret_key = "kept"\n')
    engine = db.connect(f"sqlite:///{old / 'smartmoves.db'}")
    try:
        db.upgrade(engine, "0004")
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO users (id, email, password_hash, role, active, created_at) "
                    "VALUES (7, 'old@bank.example', '-', 'admin', 1, '2026-01-02 03:04:05')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO audit_log (id, at, actor, action, detail) "
                    "VALUES (3, '2026-01-02 03:04:05', 'cli', 'add user', '{}')"
                )
            )
        out = tmp_path / "old.zip"
        with archive.writing(out) as writer, snapshot.reading(engine) as snap:
            tables = {
                t.name: archive.TableEntry(rows=writer.add_table(t), columns=list(t.columns))
                for t in snap.tables()
            }
            writer.add_file(archive.SETTINGS_MEMBER, old / "smartmoves.toml")
            writer.finish(
                {
                    "smartmoves": "0.old",
                    "created_at": dt.datetime.now(dt.UTC),
                    "workspace": str(old),
                    "store": archive.StoreEntry(kind="sqlite", revision="0004", tables=tables),
                }
            )
    finally:
        engine.dispose()
    assert "login_sessions" not in tables

    target = tmp_path / "new"
    result = runner.invoke(app, ["restore", str(out), "-w", str(target)])
    assert result.exit_code == 0, result.output
    restored = tables_of(target)
    assert restored["alembic_version"] == [(db.head_revision(),)]
    assert [row[:2] for row in restored["users"]] == [(7, "old@bank.example")]
    assert restored["audit_log"][0][:4] == (3, dt.datetime(2026, 1, 2, 3, 4, 5), "cli", "add user")
    assert restored["audit_log"][0][-1] is None  # the address column came with 0005
    assert restored["login_sessions"] == []
    assert settings_of(target) == {"secret_key": "kept"}


def _lock_is_taken(folder: Path, kind: int) -> bool:
    """Whether a lock of ``kind`` on the workspace's analytics lock would have to wait."""
    fd = os.open(folder / ".analytics.lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, kind | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def test_an_import_cannot_land_between_a_backups_rows_and_files(
    occupied: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # While a backup archives, an import (which needs the lock alone) would wait, and
    # another backup (which shares it) would not.
    probes: list[tuple[bool, bool]] = []
    add_table = archive.ArchiveWriter.add_table

    def probing(self: archive.ArchiveWriter, table: Any) -> int:
        probes.append(
            (_lock_is_taken(occupied, fcntl.LOCK_EX), _lock_is_taken(occupied, fcntl.LOCK_SH))
        )
        return add_table(self, table)

    monkeypatch.setattr(archive.ArchiveWriter, "add_table", probing)
    _backup(occupied, tmp_path / "b.zip")
    assert probes and set(probes) == {(True, False)}
    assert not _lock_is_taken(occupied, fcntl.LOCK_EX)  # released when done

    # While an import writes its rows and files, a backup would wait.
    during: list[bool] = []
    write = imports._write

    def watched(*args: Any, **kwargs: Any) -> Any:
        during.append(_lock_is_taken(occupied, fcntl.LOCK_SH))
        return write(*args, **kwargs)

    monkeypatch.setattr(imports, "_write", watched)
    source = write_org(tmp_path / "org")
    result = runner.invoke(app, ["import", "units", str(source / "units.csv"), "-w", str(occupied)])
    assert result.exit_code == 0, result.output
    assert during == [True]
