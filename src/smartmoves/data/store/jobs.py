"""Background jobs in the operational store: start one (at most one per kind and subject
at a time), record its progress and its outcome. Functions take a session and never
commit, except :func:`record_progress`, which the running job calls on its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from smartmoves.data.store.models import Job
from smartmoves.data.store.models.jobs import ACTIVE_STATUSES

__all__ = [
    "active_job",
    "active_key",
    "add_job",
    "finish_job",
    "get_job",
    "latest_job",
    "record_progress",
    "start_job",
    "unfinished_jobs",
]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def active_key(kind: str, subject: str) -> str:
    return f"{kind}:{subject}"


def get_job(session: Session, job_id: int) -> Job | None:
    return session.get(Job, job_id)


def active_job(session: Session, kind: str, subject: str) -> Job | None:
    """The queued or running job of ``kind`` on ``subject``, if there is one."""
    return session.scalar(select(Job).where(Job.active_key == active_key(kind, subject)))


def latest_job(session: Session, kind: str, subject: str) -> Job | None:
    """The most recent job of ``kind`` on ``subject``, whatever its status."""
    query = (
        select(Job).where(Job.kind == kind, Job.subject == subject).order_by(Job.id.desc()).limit(1)
    )
    return session.scalar(query)


def add_job(session: Session, kind: str, subject: str, params: dict[str, Any], **who: Any) -> Job:
    """A queued job (flushed, so its id is known). The caller checks :func:`active_job`
    first; the unique ``active_key`` refuses a second one that slipped past."""
    job = Job(
        kind=kind,
        subject=subject,
        active_key=active_key(kind, subject),
        status="queued",
        params=params,
        done=0,
        total=0,
        **who,
    )
    session.add(job)
    session.flush()
    return job


def start_job(session: Session, job_id: int, owner: str) -> Job | None:
    """Mark a queued job running by ``owner``; ``None`` if it is not queued any more."""
    job = session.get(Job, job_id)
    if job is None or job.status != "queued":
        return None
    job.status, job.owner, job.started_at = "running", owner, _now()
    return job


def record_progress(session: Session, job_id: int, stage: str, done: int, total: int) -> None:
    session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "running")
        .values(stage=stage, done=done, total=total)
    )


def finish_job(
    session: Session,
    job_id: int,
    *,
    failed: bool,
    message: str,
    problems: list[str] | None = None,
    result: dict[str, Any] | None = None,
) -> None:
    """Record the outcome and free the kind and subject for the next job."""
    job = session.get(Job, job_id)
    if job is None:
        return
    job.status = "failed" if failed else "done"
    job.message, job.problems, job.result = message, problems, result
    job.active_key, job.finished_at = None, _now()


def unfinished_jobs(session: Session) -> list[Job]:
    """Jobs still queued or running (those of a stopped server are among them)."""
    return list(session.scalars(select(Job).where(Job.status.in_(ACTIVE_STATUSES))))
