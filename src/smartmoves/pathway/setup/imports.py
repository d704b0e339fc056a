"""Import the organization's data into a workspace: all or nothing.

Every file of a batch is validated before anything is written, and every problem of
every file is reported together. Then one transaction replaces the tables' rows and the
analytics files are renamed into place just before it commits. Importing the same file
again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal, TypeVar

from smartmoves.data.analytics.stored import distinct_values
from smartmoves.data.contracts import CONTRACTS, FORMATS, IMPORT_ORDER, contract
from smartmoves.data.imports.events import stage_events
from smartmoves.data.imports.viva import read_viva_people, stage_viva_ties
from smartmoves.data.readers import TextTable, file_format, read_text_table
from smartmoves.data.store import assessments, db, org
from smartmoves.data.validate import ValidTable, validate_table
from smartmoves.data.workspace import (
    analytics_lock,
    analytics_path,
    file_sha256,
    remove_stale_staging,
    replace_file,
    staging_path,
)
from smartmoves.errors import ConfigError, DataError, Problem
from smartmoves.pathway._store import store
from smartmoves.settings import Settings

__all__ = [
    "FORMATS",
    "ImportItem",
    "ImportReport",
    "TableOutcome",
    "find_table_files",
    "import_files",
]

# Tables whose imports add to a history rather than replace their rows.
_HISTORIES = frozenset({"unit_assessments"})

# An allocation may exceed contracted hours by this share (overtime in the inventory).
HOURS_TOLERANCE = 0.10

Progress = Callable[[str, int, int], None]
T = TypeVar("T")


@dataclass(frozen=True)
class ImportItem:
    """One file to import as ``table`` (its contract name), in a given ``format``."""

    table: str
    path: Path
    format: str = "contract"
    unit_column: str | None = None


@dataclass(frozen=True)
class TableOutcome:
    table: str
    file: str
    rows: int
    status: Literal["imported", "unchanged", "valid"]
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportReport:
    outcomes: tuple[TableOutcome, ...]
    check_only: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "check_only": self.check_only,
            "tables": [
                {"table": o.table, "file": o.file, "rows": o.rows, "status": o.status, **o.summary}
                for o in self.outcomes
            ],
        }


@dataclass
class _Batch:
    """What an import has read and validated so far."""

    texts: dict[str, TextTable] = field(default_factory=dict)
    valid: dict[str, ValidTable] = field(default_factory=dict)
    sources: dict[str, tuple[str, Path, str]] = field(default_factory=dict)  # table -> file
    analytics: dict[str, Path] = field(default_factory=dict)  # table -> source file
    staged: dict[str, tuple[Path, int, dict[str, Any]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def collect(self, action: Callable[[], T]) -> T | None:
        try:
            return action()
        except DataError as exc:
            self.problems.extend(exc.problems or [Problem("input", None, None, exc.message)])
            return None


def find_table_files(folder: Path) -> list[ImportItem]:
    """The contract files in ``folder`` (``units.csv``, ``people.parquet``...)."""
    if not folder.is_dir():
        raise ConfigError(f"{folder} is not a folder")
    items = []
    for table in IMPORT_ORDER:
        found = [
            p
            for p in sorted(folder.iterdir())
            if p.stem == table and p.suffix.lower() in (".csv", ".parquet", ".xlsx", ".tsv")
        ]
        if len(found) > 1:
            names = ", ".join(p.name for p in found)
            raise ConfigError(f"{folder}: several files for {table} ({names}); keep one")
        items += [ImportItem(table, found[0])] if found else []
    if not items:
        raise ConfigError(f"{folder}: no table files (expected names like units.csv, people.csv)")
    return items


def _read(batch: _Batch, item: ImportItem) -> None:
    path = item.path
    if item.format == "viva-person":
        if item.table != "people":
            raise ConfigError("--format viva-person imports the people table")
        if not item.unit_column:
            raise ConfigError("--format viva-person needs --unit-column (the HR attribute)")
        viva = batch.collect(lambda: read_viva_people(path, unit_column=item.unit_column or ""))
        if viva is not None:
            for name in ("units", "people", "activities", "allocations"):
                batch.texts[name] = getattr(viva, name)
                batch.sources[name] = (path.name, path, item.format)
        return
    if item.format == "viva-p2p":
        if item.table != "interactions":
            raise ConfigError(
                "--format viva-p2p imports collaboration ties: use `import interactions`"
            )
        batch.analytics["ties"] = path
        batch.sources["ties"] = (path.name, path, item.format)
        return
    if item.format != "contract":
        raise ConfigError(f"unknown format {item.format!r} (expected one of {', '.join(FORMATS)})")
    spec = contract(item.table)
    batch.collect(lambda: file_format(path))
    batch.sources[item.table] = (path.name, path, item.format)
    if spec.store == "analytics":
        batch.analytics[item.table] = path
        return
    text = batch.collect(lambda: read_text_table(path))
    if text is not None:
        batch.texts[item.table] = text


def import_files(
    settings: Settings,
    items: Iterable[ImportItem],
    *,
    check_only: bool = False,
    actor: str = "cli",
    progress: Progress | None = None,
) -> ImportReport:
    """Validate every file, then (unless ``check_only``) write them all in one go.

    Raises
    ------
    DataError
        Listing every problem of every file; nothing was written.
    ConfigError
        No workspace, an unknown table or format.
    """
    items = list(items)
    if not items:
        raise ConfigError("nothing to import")
    tables = [i.table for i in items if i.format != "viva-person"]
    if len(set(tables)) != len(tables):
        raise ConfigError("a table appears twice in one import")
    engine = store(settings)
    remove_stale_staging(settings.analytics_dir)  # an import killed halfway left them
    batch = _Batch()
    try:
        step = _stepper(progress, len(items) + 2)
        for item in items:
            step(f"reading {item.path.name}")
            _read(batch, item)
        # The analytics lock: a backup never sees these files without these rows.
        with analytics_lock(settings.workspace), db.transaction(engine) as session:
            known = {
                t: org.known_ids(session, t) for t in ("units", "people", "activities", "metrics")
            }
            step("validating")
            _validate_operational(batch, known)
            _check_hours(batch, session)
            _check_dependents(batch, session, known, settings)
            _stage_analytics(batch, settings, known)
            if batch.problems:
                raise DataError(batch.problems)
            return _write(batch, settings, session, check_only=check_only, actor=actor)
    finally:
        for staged, _, _ in batch.staged.values():
            staged.unlink(missing_ok=True)  # renamed into place, or not wanted


def _stepper(progress: Progress | None, total: int) -> Callable[[str], None]:
    done = [0]

    def step(stage: str) -> None:
        if progress is not None:
            progress(stage, done[0], total)
        done[0] += 1

    return step


def _validate_operational(batch: _Batch, known: dict[str, set[str]]) -> None:
    for table in IMPORT_ORDER:
        text = batch.texts.get(table)
        if text is None:
            continue
        valid = batch.collect(partial(validate_table, text, CONTRACTS[table], known=known))
        if valid is None:
            # Ids of a broken file are unknown: don't report every reference to it again.
            known[table] = known.get(table, set()) | _raw_ids(text, table)
            continue
        batch.valid[table] = valid
        key = CONTRACTS[table].key
        if len(key) == 1:
            known[table] = valid.ids(key[0])


def _raw_ids(text: TextTable, table: str) -> set[str]:
    key = CONTRACTS[table].key
    if len(key) != 1 or key[0] not in text.frame.columns:
        return set()
    return {v.strip() for v in text.frame[key[0]] if v.strip()}


def _check_hours(batch: _Batch, session: Any) -> None:
    """A person's allocated hours may exceed contracted_hours by at most 10%."""
    people, allocations = batch.valid.get("people"), batch.valid.get("allocations")
    if people is None and allocations is None:
        return
    if ("people" in batch.texts and people is None) or (
        "allocations" in batch.texts and allocations is None
    ):
        return  # the broken file is already reported
    if people is not None:
        hours_of = dict(
            zip(people.frame["person_id"], people.frame["contracted_hours"], strict=True)
        )
    else:
        hours_of = org.contracted_hours(session)
    if allocations is not None:
        frame = allocations.frame.reset_index(drop=True)
        totals = frame.groupby("person_id")["hours_per_week"].sum()
        last_row = frame.groupby("person_id").tail(1)
        text = batch.texts["allocations"]
        for pos, pid in zip(last_row.index, last_row["person_id"], strict=True):
            limit = float(hours_of.get(pid, 40.0)) * (1 + HOURS_TOLERANCE)
            if totals[pid] > limit + 1e-9:
                batch.problems.append(
                    Problem(
                        allocations.label,
                        text.row_number(int(pos)),
                        "hours_per_week",
                        f"person {pid} has {totals[pid]:g} hours in total, over {limit:g}",
                        f"at most contracted_hours {float(hours_of.get(pid, 40.0)):g} + 10%",
                    )
                )
        return
    assert people is not None
    allocated = org.hours_by_person(session)
    text = batch.texts["people"]
    for pos, (pid, hours) in enumerate(
        zip(people.frame["person_id"], people.frame["contracted_hours"], strict=True)
    ):
        limit = float(hours) * (1 + HOURS_TOLERANCE)
        if allocated.get(pid, 0.0) > limit + 1e-9:
            batch.problems.append(
                Problem(
                    people.label,
                    text.row_number(pos),
                    "contracted_hours",
                    f"person {pid} already has {allocated[pid]:g} allocated hours, over {limit:g}",
                    "contracted hours that cover the stored allocations",
                )
            )


def _check_dependents(
    batch: _Batch, session: Any, known: Mapping[str, set[str]], settings: Settings
) -> None:
    """Stored rows of other tables must still find what they refer to."""
    for table, valid in batch.valid.items():
        key = CONTRACTS[table].key
        if len(key) != 1:
            continue
        new_ids = known[table]
        for other in CONTRACTS.values():
            if other.name in batch.texts or other.name in batch.analytics:
                continue
            if other.name in _HISTORIES:
                continue  # the history of a unit that is gone stays, and counts no more
            for ref in other.references:
                if ref.table != table or ref.external_ok or other.name == table:
                    continue
                if other.store == "operational":
                    used = org.used_ids(session, other.name, ref.column)
                else:
                    used = distinct_values(
                        analytics_path(settings, other.name), ref.column, when=ref.when
                    )
                lost = sorted(used - new_ids)
                if lost:
                    shown = ", ".join(lost[:5]) + (" ..." if len(lost) > 5 else "")
                    batch.problems.append(
                        Problem(
                            valid.label,
                            None,
                            key[0],
                            f"{len(lost)} {ref.target}(s) still used in {other.name} are missing: "
                            f"{shown}",
                            f"every {ref.target} that {other.name} refers to, or import "
                            f"{other.name} too",
                        )
                    )


def _stage_analytics(batch: _Batch, settings: Settings, known: Mapping[str, set[str]]) -> None:
    for table, path in batch.analytics.items():
        staged = staging_path(analytics_path(settings, table))
        if table == "ties":
            result = batch.collect(partial(stage_viva_ties, path, staged))
            if result is not None:
                batch.staged[table] = (staged, result[0], result[1])
            continue
        events = batch.collect(partial(stage_events, CONTRACTS[table], path, staged, known=known))
        if events is not None:
            batch.staged[table] = (staged, events.rows, events.summary)


def _write(
    batch: _Batch, settings: Settings, session: Any, *, check_only: bool, actor: str
) -> ImportReport:
    outcomes = []
    now = dt.datetime.now(dt.UTC)
    previous = org.last_imports(session)
    to_write = [t for t in IMPORT_ORDER if t in batch.valid] + list(batch.staged)
    digests: dict[Path, str] = {}
    for table in to_write:
        name, path, fmt = batch.sources[table]
        digest = digests.setdefault(path, file_sha256(path))
        if table in batch.valid:
            rows, summary = len(batch.valid[table]), _attributes_summary(batch.valid[table])
        else:
            _, rows, summary = batch.staged[table]
        last = previous.get(table)
        unchanged = last is not None and last.sha256 == digest and last.format == fmt
        status: Literal["imported", "unchanged", "valid"]
        status = "valid" if check_only else "unchanged" if unchanged else "imported"
        outcomes.append(TableOutcome(table, name, rows, status, summary))
        if status != "imported":
            continue
        if table in _HISTORIES:
            frame = batch.valid[table].frame
            assessments.append(session, frame.to_dict(orient="records"), actor=actor,
                               source="import", now=now)  # fmt: skip
        elif table in batch.valid:
            org.replace_table(session, table, batch.valid[table].frame)
        org.record_import(
            session,
            table=table,
            file_name=name,
            sha256=digest,
            format=fmt,
            rows=rows,
            summary=summary,
            actor=actor,
        )
    imported = [o.table for o in outcomes if o.status == "imported"]
    if imported:
        org.audit(session, actor, "import", ",".join(imported), files=[o.file for o in outcomes])
        session.flush()
        # Rename the analytics files last: if the flush above failed, nothing moved.
        for table in imported:
            if table in batch.staged:
                replace_file(batch.staged[table][0], analytics_path(settings, table))
    return ImportReport(tuple(outcomes), check_only)


def _attributes_summary(valid: ValidTable) -> dict[str, Any]:
    return {"attributes": list(valid.attribute_columns)} if valid.attribute_columns else {}
