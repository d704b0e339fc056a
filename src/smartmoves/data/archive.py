"""A backup archive: one zip file, readable by its owner alone, that holds a workspace.

Members: ``store/TABLE.jsonl`` (one JSON array per row, columns and codecs in the
manifest), ``analytics/...`` (the analytics folder's files as they are), and
``settings/smartmoves.toml``. ``manifest.json`` says what the archive is (format and
version, the store's kind and schema revision, each table's row count) and the sha256 of
every other member, so a damaged or foreign file is refused before anything is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO, Any, Final, Literal

from pydantic import BaseModel, Field, ValidationError

from smartmoves.data.store.snapshot import Codec, TableData
from smartmoves.data.workspace import PRIVATE_FILE, private_dir, private_file
from smartmoves.errors import ConfigError

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "Archive",
    "ArchiveWriter",
    "Manifest",
    "StoreEntry",
    "TableEntry",
    "check_destination",
    "opened",
    "table_member",
    "writing",
]

FORMAT: Final = "smartmoves-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SETTINGS_MEMBER = "settings/smartmoves.toml"
ANALYTICS = "analytics/"
_PREFIXES = ("store/", ANALYTICS, "settings/")
_CHUNK = 1 << 20


class Member(BaseModel):
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)


class TableEntry(BaseModel):
    rows: int = Field(ge=0)
    columns: list[tuple[str, Codec]]


class StoreEntry(BaseModel):
    kind: str
    revision: str
    tables: dict[str, TableEntry]


class Manifest(BaseModel):
    format: Literal["smartmoves-backup"]
    version: int
    smartmoves: str
    created_at: dt.datetime
    workspace: str
    store: StoreEntry
    members: dict[str, Member]

    def analytics(self) -> list[str]:
        return sorted(m for m in self.members if m.startswith(ANALYTICS))


def table_member(table: str) -> str:
    return f"store/{table}.jsonl"


def _safe_name(name: str) -> bool:
    """A member name that stays inside the folder it is extracted to."""
    path = PurePosixPath(name)
    return (
        name.startswith(_PREFIXES)
        and not path.is_absolute()
        and "\\" not in name
        and all(part not in ("", ".", "..") for part in name.split("/"))
    )


class _Hashing:
    """Counts and hashes what passes through to ``sink``."""

    def __init__(self, sink: IO[bytes]) -> None:
        self.sink = sink
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.digest.update(data)
        self.size += len(data)
        self.sink.write(data)


class ArchiveWriter:
    """Adds members to an archive being written; :meth:`finish` adds the manifest."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self._zf = zf
        self._members: dict[str, Member] = {}

    @contextmanager
    def _member(self, name: str) -> Iterator[_Hashing]:
        if not _safe_name(name) or name in self._members:
            raise ValueError(f"bad archive member {name!r}")
        info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        with self._zf.open(info, "w", force_zip64=True) as sink:
            hashing = _Hashing(sink)
            yield hashing
        self._members[name] = Member(sha256=hashing.digest.hexdigest(), size=hashing.size)

    def add_table(self, table: TableData) -> int:
        """Write the rows of ``table``; returns how many there were."""
        count = 0
        with self._member(table_member(table.name)) as sink:
            for row in table.rows:
                # ASCII escapes: any text the store holds, lone surrogates included.
                sink.write(json.dumps(row, separators=(",", ":")).encode("ascii") + b"\n")
                count += 1
        return count

    def add_file(self, name: str, path: Path) -> None:
        with path.open("rb") as source, self._member(name) as sink:
            while chunk := source.read(_CHUNK):
                sink.write(chunk)

    def finish(self, manifest: dict[str, Any]) -> Manifest:
        done = Manifest(format=FORMAT, version=FORMAT_VERSION, members=self._members, **manifest)
        self._zf.writestr(MANIFEST, done.model_dump_json(indent=2))
        return done


def check_destination(out: Path) -> None:
    """:class:`ConfigError` unless an archive can be written at ``out``."""
    if out.is_dir():
        raise ConfigError(f"{out} is a folder: give the backup file's name")
    if not out.parent.is_dir():
        raise ConfigError(f"no folder {out.parent} for the backup")


@contextmanager
def writing(out: Path) -> Iterator[ArchiveWriter]:
    """Write an archive to ``out``: into a file beside it, created for its owner alone,
    renamed over ``out`` only once complete (a failed backup leaves no partial file)."""
    check_destination(out)
    staged = out.with_name(f".{out.name}.{os.getpid()}.partial")
    fd = os.open(staged, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)  # whatever the umask
        with os.fdopen(fd, "wb") as raw:
            with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
                yield ArchiveWriter(zf)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(staged, out)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


class Archive:
    """An archive whose manifest and every member's checksum have been verified."""

    def __init__(self, zf: zipfile.ZipFile, manifest: Manifest) -> None:
        self._zf = zf
        self.manifest = manifest

    def table(self, name: str) -> TableData:
        """The table ``name`` as the manifest describes it, its rows read lazily."""
        entry = self.manifest.store.tables[name]
        return TableData(name, tuple(entry.columns), self._rows(table_member(name)))

    def tables(self) -> Iterator[TableData]:
        for name in self.manifest.store.tables:
            yield self.table(name)

    def _rows(self, member: str) -> Iterator[list[Any]]:
        with self._zf.open(member) as handle:
            for number, line in enumerate(handle, start=1):
                try:
                    row = json.loads(line)
                except ValueError:
                    row = None
                if not isinstance(row, list):
                    raise ConfigError(f"backup member {member}: line {number} is not a row")
                yield row

    def read_text(self, name: str) -> str | None:
        if name not in self.manifest.members:
            return None
        return self._zf.read(name).decode("utf-8")

    def extract_analytics(self, folder: Path) -> int:
        """Write the analytics members into ``folder`` (private); returns how many."""
        names = self.manifest.analytics()
        for name in names:
            target = folder.joinpath(*name.removeprefix(ANALYTICS).split("/"))
            private_dir(target.parent)
            with self._zf.open(name) as source, target.open("wb") as sink:
                while chunk := source.read(_CHUNK):
                    sink.write(chunk)
            private_file(target)
        return len(names)


def _refuse(path: Path, why: str) -> ConfigError:
    return ConfigError(f"{path}: not a smartmoves backup ({why})")


def _manifest(path: Path, zf: zipfile.ZipFile) -> Manifest:
    try:
        document = json.loads(zf.read(MANIFEST))
    except KeyError:
        raise _refuse(path, "no manifest") from None
    except (ValueError, zipfile.BadZipFile) as exc:
        raise _refuse(path, f"unreadable manifest: {exc}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _refuse(path, "the manifest is not a smartmoves manifest")
    version = document.get("version")
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise ConfigError(
            f"{path}: made by a newer smartmoves (backup format {version}; this version "
            f"reads format {FORMAT_VERSION} and older): restore it with that version"
        )
    try:
        return Manifest.model_validate(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise _refuse(path, f"manifest {where}: {first['msg']}") from None


def _verify(path: Path, zf: zipfile.ZipFile, manifest: Manifest) -> None:
    names = set(zf.namelist()) - {MANIFEST}
    listed = set(manifest.members)
    for name in sorted(listed ^ names):
        where = "missing from the archive" if name in listed else "not in the manifest"
        raise ConfigError(f"{path}: damaged backup ({name} is {where})")
    for name in sorted(listed):
        if not _safe_name(name):
            raise _refuse(path, f"member {name!r} would be written outside the workspace")
    for table in manifest.store.tables:
        if table_member(table) not in listed:
            raise ConfigError(f"{path}: damaged backup (no rows for table {table})")
    for name, member in sorted(manifest.members.items()):
        digest = hashlib.sha256()
        size = 0
        try:
            with zf.open(name) as handle:
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise ConfigError(f"{path}: damaged backup ({name}: {exc})") from None
        if digest.hexdigest() != member.sha256 or size != member.size:
            raise ConfigError(f"{path}: damaged backup ({name} does not match its checksum)")


@contextmanager
def opened(path: Path) -> Iterator[Archive]:
    """The archive at ``path``, verified whole before it is handed out.

    Raises
    ------
    ConfigError
        Not a file, not a zip, no or a foreign manifest, a newer format, a member
        missing, unlisted or whose checksum differs: one line saying which.
    """
    if not path.is_file():
        raise ConfigError(f"{path}: no such backup file")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse(path, str(exc) or "not a zip file") from None
    with zf:
        manifest = _manifest(path, zf)
        _verify(path, zf, manifest)
        yield Archive(zf, manifest)
