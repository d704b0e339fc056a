"""Long work leaves the request: background jobs with progress and a stored outcome.

Work that can take more than a couple of seconds (a consolidation plan, a workgroup
formation, a network analysis; later entry-point scores and impact estimates) is started
as a job: :func:`submit` records it in the store and hands it to the runner, the page
polls :func:`job_view` for its progress, and the work stores its result where it belongs
(the plan with the pilot's plans, the analysis in the workspace's analytics).

- **One per kind and subject.** A second plan for the same pilot while one runs is not
  started: the running one is returned (``already_running``).
- **Bounded.** At most :data:`MAX_ACTIVE` jobs wait or run at once; more is refused with
  :class:`Busy` (503), which says to try again shortly.
- **Where it runs.** The web server starts a pool of worker processes once
  (:func:`start_workers`, a *spawn* context: a threaded server must never fork), and jobs
  run there, so a long computation never holds the server. Without a pool (the command
  line, tests) a job runs at once in the calling thread, with the same bookkeeping.
- **Interrupted.** A job whose runner died (the server stopped) is marked failed the next
  time workers start, with a message saying so.

A kind of job is declared by the phase that owns the work (:class:`JobKind`, with the
function that runs it); this module knows no phase.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

from smartmoves.data.engine_words import without_paths
from smartmoves.data.store import db
from smartmoves.data.store import jobs as store_jobs
from smartmoves.data.store.models import Job
from smartmoves.errors import NotFound, SmartMovesError
from smartmoves.pathway._store import store
from smartmoves.pathway._views import UtcTime, View
from smartmoves.pathway.policy import Account, require
from smartmoves.settings import Settings

__all__ = [
    "MAX_ACTIVE",
    "Busy",
    "JobFailed",
    "JobKind",
    "JobPending",
    "JobView",
    "Outcome",
    "Progress",
    "in_background",
    "job_view",
    "latest_job",
    "no_progress",
    "start_workers",
    "stop_workers",
    "submit",
]

_log = logging.getLogger("smartmoves.jobs")
MAX_ACTIVE = 8  # jobs waiting or running at once, over the whole workspace
PROGRESS_EVERY = 0.5  # seconds between two progress writes of one job
Progress = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    """The progress of work no one follows (a plain call, not a job)."""


class Busy(SmartMovesError):
    """Too many jobs are waiting or running; nothing was started."""

    exit_code = 1
    http_status = 503


@dataclass(frozen=True)
class Outcome:
    """What a finished job tells the user, and where its result is."""

    message: str
    result: dict[str, Any] = field(default_factory=dict)


Runner = Callable[[Settings, Account, dict[str, Any], Progress], Outcome]


@dataclass(frozen=True)
class JobKind:
    """A kind of long work: its name, what the page says while it runs, who may follow
    it (an action of the policy), and the function that does it.

    ``run(settings, account, params, progress)`` calls the use case (which checks the
    policy again) and returns an :class:`Outcome`; a :class:`SmartMovesError` it raises
    becomes the job's failure, in the same words.
    """

    name: str
    title: str
    read_action: str
    run: Runner

    @property
    def runner_path(self) -> str:
        return f"{self.run.__module__}:{self.run.__qualname__}"


_kinds: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    """Declare a kind of job (a phase does, next to the work it runs)."""
    _kinds[kind.name] = kind
    return kind


class JobView(View):
    id: int
    kind: str
    title: str
    subject: str
    status: str  # queued, running, done, failed
    active: bool
    stage: str | None
    done: int
    total: int
    percent: int | None  # of the current stage, when it counts
    message: str | None
    problems: list[str]
    result: dict[str, Any]
    started_by: str
    created_at: UtcTime
    finished_at: UtcTime | None
    seconds: float | None  # running for, or took
    already_running: bool = False


class JobPending(SmartMovesError):
    """What was asked for is being computed by a job: the page shows its progress."""

    exit_code = 1
    http_status = 202

    def __init__(self, job: JobView) -> None:
        super().__init__(f"{job.title}: {job.stage or job.status}")
        self.job = job


class JobFailed(SmartMovesError):
    """The job that was to compute what was asked for failed; its own words say why.

    A 503, not a 500: the server is sound, what was asked for is not available now, and
    asking again starts the job again (a failed job is never returned as the running
    one), which helps once what it failed on (a file, a worker) is put right.
    """

    exit_code = 1
    http_status = 503
    AGAIN = "Asking again (reloading the page) starts it again."

    def __init__(self, job: JobView) -> None:
        super().__init__(f"{job.title} failed: {job.message or 'no reason given'}")
        self.job = job
        self.headline = f"{job.title} failed"  # a page's heading; the reason goes below

    def reasons(self) -> list[str]:
        """Why, then what to do: the lines a page shows under :attr:`headline`."""
        # The job's first problem is its message.
        details = [line for line in self.job.problems if line != self.job.message]
        return [self.job.message or "no reason given", *details, self.AGAIN]

    def lines(self) -> list[str]:
        return [self.message, *self.reasons()[1:]]


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)  # SQLite keeps no time zone
    return value


def _view(job: Job, *, already: bool = False) -> JobView:
    kind = _kinds.get(job.kind)
    started, finished = _aware(job.started_at), _aware(job.finished_at)
    seconds = None
    if started is not None:
        seconds = ((finished or dt.datetime.now(dt.UTC)) - started).total_seconds()
    return JobView(
        id=job.id,
        kind=job.kind,
        title=kind.title if kind else job.kind,
        subject=job.subject,
        status=job.status,
        active=job.status in ("queued", "running"),
        stage=job.stage,
        done=job.done,
        total=job.total,
        percent=round(100 * job.done / job.total) if job.total else None,
        message=job.message,
        problems=list(job.problems or []),
        result=dict(job.result or {}),
        started_by=job.account_email,
        created_at=_aware(job.created_at) or dt.datetime.now(dt.UTC),
        finished_at=finished,
        seconds=round(seconds, 1) if seconds is not None else None,
        already_running=already,
    )


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def submit(
    settings: Settings, account: Account, kind: JobKind, subject: str, params: dict[str, Any]
) -> JobView:
    """Start ``kind`` on ``subject`` (``"pilot:3"``) with ``params`` (JSON-ready), or
    return the one already running. The caller has checked the policy for the work.

    Raises
    ------
    Busy
        :data:`MAX_ACTIVE` jobs are already waiting or running.
    """
    register(kind)
    with db.transaction(store(settings)) as session:
        # Submits one after the other: one job per kind and subject, MAX_ACTIVE exact.
        db.hold_name(session, "jobs")
        running = store_jobs.active_job(session, kind.name, subject)
        if running is not None:
            return _view(running, already=True)
        if len(store_jobs.unfinished_jobs(session)) >= MAX_ACTIVE:
            raise Busy(f"{MAX_ACTIVE} jobs are already waiting or running: try again in a minute")
        job = store_jobs.add_job(
            session,
            kind.name,
            subject,
            params,
            owner=_owner(),
            account_id=account.id,
            account_email=account.email,
            account_role=account.role,
            account_person=account.person_id,
        )
        job_id = job.id
    _dispatch(settings, kind, job_id)
    return job_view(settings, account, job_id, kind=kind)


def job_view(
    settings: Settings, account: Account, job_id: int, *, kind: JobKind | None = None
) -> JobView:
    """A job's progress or outcome, for whoever may follow its kind of work."""
    with db.transaction(store(settings)) as session:
        job = store_jobs.get_job(session, job_id)
        if job is None:
            raise NotFound(f"no job {job_id}")
        found = kind or _kinds.get(job.kind)
        require(account, "jobs.read")
        require(account, found.read_action if found else "users.manage")
        return _view(job)


def latest_job(settings: Settings, account: Account, kind: JobKind, subject: str) -> JobView | None:
    """The most recent job of ``kind`` on ``subject`` (running or finished), if any."""
    require(account, kind.read_action)
    register(kind)
    with db.reading(store(settings)) as session:
        job = store_jobs.latest_job(session, kind.name, subject)
        return _view(job) if job is not None else None


# ---------------------------------------------------------------------------- running
_pool: Executor | None = None
_pool_lock = threading.Lock()


def start_workers(settings: Settings, workers: int) -> None:
    """Run jobs in ``workers`` processes from now on (0: in the calling thread), and mark
    the jobs a stopped server left unfinished as interrupted."""
    global _pool
    _interrupt_orphans(settings)
    with _pool_lock:
        if _pool is not None or workers < 1:
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        _pool = ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("spawn"), initializer=_end_with_parent
        )
        # A spawned worker starts empty: have it import what jobs run now, while no one
        # waits, rather than when the first job comes (seconds of imports).
        _pool.submit(_ready, sorted({kind.run.__module__ for kind in _kinds.values()}))


def in_background() -> bool:
    """Whether jobs run in background workers now (a server), not in the caller's thread."""
    with _pool_lock:
        return _pool is not None


def _end_with_parent() -> None:
    """In a new worker: end when the server process that started it ends, however it
    ends. A worker waits for its next job on a queue it also holds the writing end of,
    so it would never learn on its own that no job can come any more."""
    import multiprocessing

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()  # returns once the parent process is gone
        os._exit(0)  # a job cut short is marked interrupted at the server's next start

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


def _ready(modules: list[str]) -> None:
    """In a new worker: import the modules the registered jobs run."""
    for name in modules:
        importlib.import_module(name)


def stop_workers() -> None:
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


def _dispatch(settings: Settings, kind: JobKind, job_id: int) -> None:
    with _pool_lock:
        pool = _pool
    values = settings.model_dump(mode="json")
    if pool is None:
        run_job(values, kind.runner_path, job_id)
        return
    future = pool.submit(run_job, values, kind.runner_path, job_id)
    future.add_done_callback(lambda done: _crashed(settings, job_id, done))


def _crashed(settings: Settings, job_id: int, future: Any) -> None:
    """A worker that died (killed, out of memory) leaves its job failed, never running."""
    if future.cancelled() or future.exception() is None:
        return
    with db.transaction(store(settings)) as session:
        job = store_jobs.get_job(session, job_id)
        if job is not None and job.status in ("queued", "running"):
            store_jobs.finish_job(
                session,
                job_id,
                failed=True,
                message="the worker running this job stopped (out of memory?); nothing was "
                "saved; start it again",
            )


def _runner(path: str) -> Runner:
    module, _, name = path.partition(":")
    found: Runner = getattr(importlib.import_module(module), name)
    return found


def run_job(settings_values: dict[str, Any], runner_path: str, job_id: int) -> None:
    """Run one job to its end (in a worker process, or in the caller's thread)."""
    settings = Settings(**settings_values)
    engine = store(settings)
    with db.transaction(engine) as session:
        job = store_jobs.start_job(session, job_id, _owner())
        if job is None:
            return  # cancelled or already taken
        account = Account(
            job.account_id, job.account_email, job.account_role, job.account_person, None
        )
        params = dict(job.params)
    last: dict[str, Any] = {"at": 0.0, "stage": ""}

    def progress(stage: str, done: int, total: int) -> None:
        # Throttled: a stage reporting every item must not turn into a write per item.
        now = time.monotonic()
        if stage == last["stage"] and now - last["at"] < PROGRESS_EVERY and done < total:
            return
        last.update(at=now, stage=stage)
        with db.transaction(engine) as progress_session:
            store_jobs.record_progress(progress_session, job_id, stage, done, total)

    failed, problems, result = False, None, None
    try:
        outcome = _runner(runner_path)(settings, account, params, progress)
        message, result = outcome.message, outcome.result
    except SmartMovesError as exc:
        # The reason is shown on the web: it names files, never the server's folders.
        failed, message = True, without_paths(exc.message)
        problems = [without_paths(line) for line in exc.lines()]
    except Exception:  # a bug: the trace goes to the server's log, the user reads a sentence
        _log.exception("job %s (%s) failed", job_id, runner_path)
        failed, message = True, "the job failed unexpectedly; nothing was changed"
    with db.transaction(engine) as session:
        store_jobs.finish_job(
            session, job_id, failed=failed, message=message, problems=problems, result=result
        )


def _alive(owner: str | None) -> bool:
    if not owner:
        return False
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname():
        return True  # another machine's: not ours to judge
    try:
        os.kill(int(pid), 0)
    except (OSError, ValueError):
        return False
    return True


def _interrupt_orphans(settings: Settings) -> None:
    with db.transaction(store(settings)) as session:
        for job in store_jobs.unfinished_jobs(session):
            if not _alive(job.owner):
                store_jobs.finish_job(
                    session,
                    job.id,
                    failed=True,
                    message="interrupted: the server stopped before it finished; start it again",
                )
