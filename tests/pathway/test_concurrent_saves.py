"""Concurrent saves, on SQLite and PostgreSQL: threads save the same thing at the same
moment, as a busy Monday morning does through the web. Every save is acknowledged or
refused in words (never an IntegrityError), and no acknowledged save is lost."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from smartmoves.data.store import coaching as coaching_store
from smartmoves.data.store import db
from smartmoves.errors import SmartMovesError
from smartmoves.pathway import jobs
from smartmoves.pathway._store import store
from smartmoves.pathway.create import coaching, volunteers
from smartmoves.pathway.create.coaching.charters import CharterContent
from smartmoves.pathway.create.volunteers.selection import SelectionIn
from smartmoves.pathway.pilots import create_pilot, set_pilot_status
from smartmoves.pathway.setup import users
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.settings import Settings

from orgfiles import write_org
from services import ADMIN, account, new_workspace, quick_password_hashes

SAVES = 12  # threads at once: more than a pool's connections would only queue


@pytest.fixture
def site(store_backend: str | None, tmp_path: Path) -> Settings:
    settings = new_workspace(tmp_path / "ws", store_backend)
    import_files(settings, find_table_files(write_org(tmp_path / "org")))
    return settings


def at_once(count: int, save: Callable[[int], Any]) -> list[Any]:
    """Run ``save(0)`` ... ``save(count - 1)`` in threads released together; each
    outcome is what the save returned or the exception it raised."""
    start = threading.Barrier(count)
    outcomes: list[Any] = [None] * count

    def run(i: int) -> None:
        start.wait()
        try:
            outcomes[i] = save(i)
        except Exception as exc:  # the test looks at each one
            outcomes[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def no_crash(outcomes: list[Any]) -> None:
    """Every save ended as a result or as one of the product's own errors."""
    crashes = [o for o in outcomes if isinstance(o, Exception)]
    crashes = [o for o in crashes if not isinstance(o, SmartMovesError)]
    assert not crashes, crashes[:3]


def _pilot(site: Settings, status: str = "running") -> int:
    pilot = create_pilot(site, ADMIN, "AR pilot", unit_id="AR", min_pilot=1).id
    set_pilot_status(site, ADMIN, pilot, status)
    return pilot


def test_concurrent_charter_saves_all_become_versions(site: Settings) -> None:
    pilot = _pilot(site)
    with db.transaction(store(site)) as session:
        group = coaching_store.add_workgroup(session, pilot, "Group 1", ["P09", "P12"]).id

    def save(i: int) -> int:
        content = CharterContent(objective=f"Objective {i}", starting_problem=f"Problem {i}")
        view = coaching.save_charter(site, ADMIN, group, content, pilot_id=pilot)
        assert view.current is not None
        return view.current.version

    outcomes = at_once(SAVES, save)
    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert sorted(outcomes) == list(range(1, SAVES + 1))  # each saw the one before
    stored = coaching.charter_view(site, ADMIN, group).versions
    assert sorted(v.version for v in stored) == list(range(1, SAVES + 1))
    said = {v.content.objective for v in stored}
    assert said == {f"Objective {i}" for i in range(SAVES)}  # no acknowledged save lost


def test_concurrent_saves_from_one_version_keep_one_and_refuse_the_rest(site: Settings) -> None:
    pilot = _pilot(site)
    with db.transaction(store(site)) as session:
        group = coaching_store.add_workgroup(session, pilot, "Group 1", ["P09"]).id

    def save(i: int) -> int:
        content = CharterContent(objective=f"Objective {i}", starting_problem="Arrears")
        view = coaching.save_charter(site, ADMIN, group, content, base_version=0)
        return view.version

    outcomes = at_once(SAVES, save)
    no_crash(outcomes)
    assert outcomes.count(1) == 1  # the first save wins; the others read a Conflict
    refused = [o for o in outcomes if isinstance(o, SmartMovesError)]
    assert len(refused) == SAVES - 1 and all(e.http_status == 409 for e in refused)
    assert [v.version for v in coaching.charter_view(site, ADMIN, group).versions] == [1]


def test_concurrent_checklist_updates_make_one_checklist(site: Settings) -> None:
    pilot = _pilot(site)
    with db.transaction(store(site)) as session:
        group = coaching_store.add_workgroup(session, pilot, "Group 1", ["P09"])
        group.coach_id = "P08"  # a supervisor; the checklist is made on its first update

    def update(i: int) -> str:
        view = coaching.update_check(site, ADMIN, pilot, "P08", "focus", notes=f"note {i}")
        return next(str(c.notes) for c in view.checklist if c.part == "focus")

    outcomes = at_once(SAVES, update)
    no_crash(outcomes)
    assert all(isinstance(o, str) for o in outcomes)
    view = coaching.coach_of(site, ADMIN, pilot, "P08")
    assert sorted(c.part for c in view.checklist) == sorted(
        ["expectations", "performance", "development", "focus", "support"]
    )


def test_concurrent_applications_and_selections_keep_one_row_each(site: Settings) -> None:
    pilot = create_pilot(site, ADMIN, "AR pilot", unit_id="AR", min_pilot=1).id
    volunteers.save_call(site, ADMIN, pilot, None, open_call=True)
    member = account("member", "P10")

    outcomes = at_once(SAVES, lambda i: volunteers.apply(site, member, pilot, f"P{i}", "why"))
    no_crash(outcomes)
    mine = volunteers.my_application(site, member, pilot)
    assert mine is not None and mine.problem in {f"P{i}" for i in range(SAVES)}
    with db.transaction(store(site)) as session:
        web = [
            r for r in volunteers_rows(session, pilot) if r.person_id == "P10" and r.source == "web"
        ]
    assert len(web) == 1  # a second application updates the first, at once or not

    status = ["selected", "not_selected"]
    outcomes = at_once(
        SAVES,
        lambda i: volunteers.decide(
            site, ADMIN, pilot, [SelectionIn(person_id="P10", status=status[i % 2])]
        ),
    )
    no_crash(outcomes)
    assert all(not isinstance(o, Exception) for o in outcomes)


def volunteers_rows(session: Any, pilot: int) -> list[Any]:
    from smartmoves.data.store import volunteers as store_volunteers

    return store_volunteers.applications_of(session, pilot, ["AR"])


def test_concurrent_accounts_with_one_email_make_one_account(site: Settings) -> None:
    with quick_password_hashes():
        outcomes = at_once(
            SAVES,
            lambda i: users.add_account(site, "same@bank.example", "member", "correct horse 1"),
        )
    no_crash(outcomes)
    made = [o for o in outcomes if not isinstance(o, Exception)]
    refused = [o for o in outcomes if isinstance(o, SmartMovesError)]
    assert len(made) == 1 and len(refused) == SAVES - 1
    assert all("exists already" in e.message for e in refused)
    emails = [u.email for u in users.list_users(site, ADMIN)]
    assert emails.count("same@bank.example") == 1


def _slow(settings: Settings, account: Any, params: dict[str, Any], progress: Any) -> Any:
    return jobs.Outcome("done")


def test_concurrent_submits_of_one_job_start_it_once(site: Settings) -> None:
    kind = jobs.JobKind("test-concurrent", "A test job", "jobs.read", _slow)
    outcomes = at_once(SAVES, lambda i: jobs.submit(site, ADMIN, kind, "workspace", {}))
    no_crash(outcomes)
    assert all(isinstance(o, jobs.JobView) for o in outcomes), outcomes


def test_a_save_that_waits_too_long_is_busy_and_rolled_back(tmp_path: Path) -> None:
    """SQLite: a save held up past the busy timeout (an import holding the store) is a
    StoreBusy (503, try again), not a crash; the save that held the store is kept."""
    import sqlalchemy as sa

    from smartmoves.errors import StoreBusy

    (tmp_path / "ws").mkdir()
    engine = db.connect(f"sqlite:///{tmp_path / 'ws' / 'store.db'}")
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE saves (n INTEGER)"))
    try:
        with db.transaction(engine) as first:
            db.hold_name(first, "saves")
            with pytest.raises(StoreBusy, match="try again"), db.transaction(engine) as second:
                second.connection().exec_driver_sql("PRAGMA busy_timeout=50")
                db.hold_name(second, "saves")  # waits 50 ms for the first, in vain
                second.execute(sa.text("INSERT INTO saves VALUES (2)"))
            first.execute(sa.text("INSERT INTO saves VALUES (1)"))
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT n FROM saves")).scalars().all() == [1]
    finally:
        engine.dispose()
