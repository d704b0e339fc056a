"""The report's file on the web, written by a background job: drawing the charts and the
PDF takes seconds (2-4 s warm on the demo), longer than a request should hold a thread.

A file is kept under a key made of everything it is drawn from (the pilot's state, its
workgroups and coaches, the reader's role, the start, the format), in the workspace's
``reports/`` folder; a download finds it there, or starts the job and shows its progress
(the page reloads when it is done and the download follows). Without workers (tests, the
command line) the job runs at once and the file is served in the same request. Each
download is recorded in the audit log, not each file written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from smartmoves.data.store import db, teams
from smartmoves.errors import ConfigError
from smartmoves.pathway._cache import pilot_state
from smartmoves.pathway._store import pilot_for, store
from smartmoves.pathway.act import report
from smartmoves.pathway.act.report_files import MEDIA_TYPES, report_file
from smartmoves.pathway.jobs import (
    JobFailed,
    JobKind,
    JobPending,
    Outcome,
    Progress,
    register,
    submit,
)
from smartmoves.pathway.policy import Account, require
from smartmoves.settings import Settings

__all__ = ["REPORTS", "REPORT_JOB", "download_report"]

REPORTS = Path("reports")


def _path(settings: Settings, pilot_id: int, key: str, kind: str) -> Path:
    return settings.workspace / REPORTS / f"pilot-{pilot_id}-{key}.{kind}"


def _run(
    settings: Settings, account: Account, params: dict[str, Any], progress: Progress
) -> Outcome:
    pilot_id, kind = int(params["pilot_id"]), str(params["kind"])
    start = dt.date.fromisoformat(params["start"]) if params.get("start") else None
    progress("drawing the charts and the report", 0, 0)
    body = report_file(settings, account, pilot_id, kind, start=start, audited=False)
    path = _path(settings, pilot_id, str(params["key"]), kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".part")
    partial.write_bytes(body)
    partial.replace(path)  # one rename: a download never reads half a file
    return Outcome(f"the {kind.upper()} report of pilot {pilot_id} is ready", {"file": path.name})


REPORT_JOB = register(JobKind("report", "Writing the pilot's report", "report.read", _run))


def _key(settings: Settings, account: Account, pilot_id: int, kind: str,
         start: dt.date | None) -> tuple[str, dt.date | None]:  # fmt: skip
    with db.transaction(store(settings)) as session:
        pilot = pilot_for(session, account, pilot_id)
        groups = [(g.id, g.name, g.focus, g.coach_id) for g in teams.workgroups(session, pilot_id)]
        members = sorted(teams.workgroup_members(session, pilot_id).items())
        begun = report._pilot_start(pilot, start)
        state = (pilot_state(session, settings, pilot), groups, members, begun, kind,
                 account.role, dt.datetime.now(dt.UTC).date())  # fmt: skip
    return hashlib.sha256(repr(state).encode()).hexdigest()[:20], begun


def download_report(
    settings: Settings,
    account: Account,
    pilot_id: int,
    kind: str,
    *,
    start: dt.date | None = None,
) -> tuple[bytes, str]:
    """The report's bytes and media type, kept or written by a job; the download audited.

    Raises
    ------
    JobPending
        The job is writing it (the page shows its progress and reloads when done).
    JobFailed
        The job failed, in its own words.
    """
    require(account, "report.read")
    if kind not in MEDIA_TYPES:
        raise ConfigError(f"a report is html or pdf, not {kind[:20]!r}")
    key, begun = _key(settings, account, pilot_id, kind, start)
    path = _path(settings, pilot_id, key, kind)
    params = {"pilot_id": pilot_id, "kind": kind, "key": key,
              "start": begun.isoformat() if begun else None}  # fmt: skip
    # Twice at most: a job already under way may be writing another key's file.
    for _ in range(2):
        if path.is_file():
            break
        job = submit(settings, account, REPORT_JOB, f"pilot:{pilot_id}:report:{kind}", params)
        if job.active:
            raise JobPending(job)
        if job.status == "failed":
            raise JobFailed(job)
    if not path.is_file():
        raise ConfigError("the report could not be written: try again in a moment")
    body = path.read_bytes()  # the job ran at once (no worker pool), or a kept file
    report.record_download(settings, account, pilot_id, kind)
    return body, MEDIA_TYPES[kind]
