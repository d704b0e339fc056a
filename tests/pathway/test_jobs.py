"""Background jobs: one per kind and subject, bounded, failures in the user's words, and
jobs of a stopped server marked interrupted."""

from __future__ import annotations

from typing import Any

import pytest

from smartmoves.data.store import db
from smartmoves.data.store import jobs as store_jobs
from smartmoves.errors import ConfigError, Forbidden, NotFound
from smartmoves.pathway import jobs
from smartmoves.pathway._store import store
from smartmoves.pathway.policy import Account
from smartmoves.settings import Settings

from services import ADMIN, account

CALLS: list[dict[str, Any]] = []


def _count(settings: Settings, who: Account, params: dict[str, Any], progress: Any) -> Any:
    CALLS.append(params)
    for i in range(3):
        progress("counting", i + 1, 3)
    return jobs.Outcome(f"counted to {params['to']}", {"to": params["to"]})


def _refuse(settings: Settings, who: Account, params: dict[str, Any], progress: Any) -> Any:
    raise ConfigError("the count must be positive")


def _crash(settings: Settings, who: Account, params: dict[str, Any], progress: Any) -> Any:
    raise RuntimeError("a bug, with a trace nobody should read")


COUNT = jobs.register(jobs.JobKind("test-count", "Counting", "capacity.read", _count))
REFUSE = jobs.register(jobs.JobKind("test-refuse", "Refusing", "capacity.read", _refuse))
CRASH = jobs.register(jobs.JobKind("test-crash", "Crashing", "capacity.read", _crash))


def test_a_job_runs_to_its_end_with_its_progress_and_outcome(workspace: Settings) -> None:
    job = jobs.submit(workspace, ADMIN, COUNT, "pilot:1", {"to": 3})
    assert job.status == "done" and not job.active  # no worker pool: it ran at once
    assert job.message == "counted to 3" and job.result == {"to": 3}
    assert (job.stage, job.done, job.total, job.percent) == ("counting", 3, 3, 100)
    assert job.started_by == "cli" and job.seconds is not None and job.finished_at is not None
    assert jobs.latest_job(workspace, ADMIN, COUNT, "pilot:1") == job
    assert jobs.latest_job(workspace, ADMIN, COUNT, "pilot:2") is None


def test_one_job_per_kind_and_subject_at_a_time(workspace: Settings) -> None:
    with db.transaction(store(workspace)) as session:  # one already waiting
        waiting = store_jobs.add_job(
            session, COUNT.name, "pilot:1", {"to": 1}, owner="elsewhere:1",
            account_id=2, account_email="a@b.example", account_role="admin",
        )  # fmt: skip
        waiting_id = waiting.id
    CALLS.clear()
    again = jobs.submit(workspace, ADMIN, COUNT, "pilot:1", {"to": 9})
    assert again.id == waiting_id and again.already_running and CALLS == []
    other = jobs.submit(workspace, ADMIN, COUNT, "pilot:2", {"to": 2})
    assert other.status == "done" and CALLS == [{"to": 2}]


def test_too_many_jobs_at_once_are_refused(workspace: Settings) -> None:
    with db.transaction(store(workspace)) as session:
        for i in range(jobs.MAX_ACTIVE):
            store_jobs.add_job(
                session, COUNT.name, f"pilot:{i}", {}, owner="elsewhere:1",
                account_id=0, account_email="cli", account_role="admin",
            )  # fmt: skip
    with pytest.raises(jobs.Busy, match="try again in a minute"):
        jobs.submit(workspace, ADMIN, COUNT, "pilot:99", {"to": 1})


def test_a_failed_job_says_why_in_the_users_words(workspace: Settings) -> None:
    refused = jobs.submit(workspace, ADMIN, REFUSE, "pilot:1", {})
    assert refused.status == "failed" and refused.message == "the count must be positive"
    crashed = jobs.submit(workspace, ADMIN, CRASH, "pilot:1", {})
    assert crashed.status == "failed"
    assert crashed.message == "the job failed unexpectedly; nothing was changed"
    assert "trace" not in " ".join(crashed.problems)  # the trace goes to the log only
    assert jobs.submit(workspace, ADMIN, CRASH, "pilot:1", {}).id != crashed.id  # freed


def test_who_may_follow_a_job(workspace: Settings) -> None:
    job = jobs.submit(workspace, ADMIN, COUNT, "pilot:1", {"to": 1})
    assert jobs.job_view(workspace, account("supervisor"), job.id).status == "done"
    with pytest.raises(Forbidden):  # a plan's progress is for those who read capacity
        jobs.job_view(workspace, account("member", "P03"), job.id)
    with pytest.raises(NotFound):
        jobs.job_view(workspace, ADMIN, job.id + 100)


def test_jobs_a_stopped_server_left_are_marked_interrupted(workspace: Settings) -> None:
    import socket

    with db.transaction(store(workspace)) as session:
        dead = store_jobs.add_job(
            session, COUNT.name, "pilot:1", {}, owner=f"{socket.gethostname()}:999999999",
            account_id=0, account_email="cli", account_role="admin",
        )  # fmt: skip
        alive = store_jobs.add_job(
            session, COUNT.name, "pilot:2", {}, owner="another-machine:1",
            account_id=0, account_email="cli", account_role="admin",
        )  # fmt: skip
        ids = dead.id, alive.id
    jobs.start_workers(workspace, 0)
    gone = jobs.job_view(workspace, ADMIN, ids[0])
    assert gone.status == "failed" and gone.message.startswith("interrupted")
    assert jobs.job_view(workspace, ADMIN, ids[1]).status == "queued"  # not ours to judge
