"""The audit log: who did what, when, to what, and from which address.

Use cases write an entry in the transaction that does the work (:func:`record`), so an
action and its entry are kept together or not at all. Besides the writes of every phase,
the log records logins (and failed ones), logouts, users deactivated, roles changed,
passwords reset, imports, exports, and every view of person-level figures
(:func:`viewed`). Admins read it page by page, newest first, or export it as CSV.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy.orm import Session

from smartmoves.data.csvsafe import safe_cell
from smartmoves.data.store import audit as store_audit
from smartmoves.data.store import db, org
from smartmoves.data.store.logins import utc
from smartmoves.data.store.models import AuditEntry
from smartmoves.pathway._store import store
from smartmoves.pathway._views import UtcTime, View
from smartmoves.pathway.policy import Account, require
from smartmoves.settings import Settings

__all__ = [
    "CSV_COLUMNS",
    "PER_PAGE",
    "AuditPage",
    "AuditRow",
    "audit_csv",
    "audit_page",
    "exported",
    "record",
    "viewed",
]

PER_PAGE = 50
CSV_COLUMNS = ("id", "at", "actor", "action", "target", "address", "detail")


def record(
    session: Session, account: Account, action: str, target: str | None = None, **detail: Any
) -> None:
    """Add an entry for ``account`` (and the address it asked from) to ``session``'s work."""
    org.audit(session, account.email, action, target, address=account.address, **detail)


def viewed(settings: Settings, account: Account, action: str, target: str) -> None:
    """Record that ``account`` was shown person-level figures (``action``: the policy's
    action that let it, such as ``network.people``) about ``target``."""
    with db.transaction(store(settings)) as session:
        record(session, account, "view person-level", target, what=action)


def exported(settings: Settings, account: Account, what: str, **detail: Any) -> None:
    """Record that ``account`` took ``what`` out of the workspace (files written, a
    download)."""
    with db.transaction(store(settings)) as session:
        record(session, account, "export", what, **detail)


class AuditRow(View):
    id: int
    at: UtcTime
    actor: str
    action: str
    target: str | None
    address: str | None
    detail: dict[str, Any]


class AuditPage(View):
    """One page of the audit log, newest first."""

    rows: list[AuditRow]
    page: int
    pages: int
    total: int  # entries holding the search (all of them without one)
    per_page: int
    search: str = ""
    all_entries: int | None = None  # without the search


def _row(entry: AuditEntry) -> AuditRow:
    return AuditRow(
        id=entry.id,
        at=utc(entry.at),
        actor=entry.actor,
        action=entry.action,
        target=entry.target,
        address=entry.address,
        detail=dict(entry.detail or {}),
    )


def audit_page(
    settings: Settings,
    account: Account,
    page: int = 1,
    *,
    per_page: int = PER_PAGE,
    search: str = "",
) -> AuditPage:
    """Page ``page`` (from 1; past the last, the last) of the audit log, or of its entries
    whose actor, action, object or address holds ``search`` (admins)."""
    require(account, "audit.read")
    with db.transaction(store(settings)) as session:
        total = store_audit.count_entries(session, search)
        pages = max(1, -(-total // per_page))
        page = min(max(1, page), pages)
        offset = (page - 1) * per_page
        rows = store_audit.entries_page(session, offset=offset, limit=per_page, search=search)
        return AuditPage(
            rows=[_row(r) for r in rows],
            page=page,
            pages=pages,
            total=total,
            per_page=per_page,
            search=search,
            all_entries=store_audit.count_entries(session) if search else total,
        )


def audit_csv(settings: Settings, account: Account) -> Iterator[str]:
    """The whole audit log as CSV text, newest first, chunk by chunk (admins). The export
    is itself recorded, before the first line is read."""
    require(account, "audit.export")
    engine = store(settings)
    with db.transaction(engine) as session:
        record(session, account, "export", "audit log")
    return _csv_lines(settings)


def _csv_lines(settings: Settings) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    with db.transaction(store(settings)) as session:
        for n, entry in enumerate(store_audit.every_entry(session), start=1):
            row = _row(entry)
            detail = json.dumps(row.detail, sort_keys=True, default=str) if row.detail else ""
            cells = [row.id, row.at.isoformat(), row.actor, row.action, row.target, row.address]
            writer.writerow([safe_cell(c) for c in [*cells, detail]])
            if n % 500 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue()
