"""The workspace's network: computed once (as a job when a page needs it), kept as
Parquet and JSON by the data's fingerprint and the options, and shown by role."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from smartmoves.data.store import db
from smartmoves.data.store.models import Workgroup, WorkgroupMember
from smartmoves.errors import ConfigError, Forbidden, NotFound
from smartmoves.pathway._store import store
from smartmoves.pathway.act import connect
from smartmoves.pathway.act.connect import analysis
from smartmoves.pathway.pilots import create_pilot, set_pilot_status
from smartmoves.pathway.policy import Account, Subject, may
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.settings import Settings

from orgfiles import INTERACTIONS, write_org
from services import ADMIN


def _account(role: str, person: str | None = None) -> Account:
    return Account(1, f"{role}@bank.example", role, person, None)


@pytest.fixture
def loaded(workspace: Settings, tmp_path: Path) -> Settings:
    import_files(workspace, find_table_files(write_org(tmp_path / "org")))
    analysis._memory.clear()
    return workspace


def _count_computations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    compute = analysis._compute

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return compute(*args, **kwargs)

    monkeypatch.setattr(analysis, "_compute", counted)
    return calls


def test_the_analysis_is_cached_by_fingerprint_and_options(
    loaded: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_computations(monkeypatch)
    first = connect.workspace_network(loaded)
    assert len(calls) == 1 and first.analysis.summary["people"] == 16
    assert connect.workspace_network(loaded).key == first.key and len(calls) == 1
    analysis._memory.clear()  # a new process: read from what the workspace kept
    again = connect.workspace_network(loaded)
    assert len(calls) == 1 and again.analysis.to_dict() == first.analysis.to_dict()
    kept = loaded.analytics_dir / "network" / first.key
    assert (kept / "meta.json").is_file() and (kept / "people.parquet").is_file()
    assert not list(loaded.analytics_dir.rglob("*.pickle"))  # nothing is ever pickled

    options = connect.NetworkOptions(min_group_size=10_000)
    larger = connect.workspace_network(loaded, options)
    assert len(calls) == 2 and larger.key != first.key
    assert all(u["suppressed"] for u in larger.analysis.to_dict()["units"])

    # New interactions: a new fingerprint, a new analysis; the old cache file goes.
    more = INTERACTIONS + "2024-01-06T09:00:00,P14,P15,email,,advice\n"
    import_files(loaded, find_table_files(write_org(tmp_path / "org2", interactions=more)))
    fresh = connect.workspace_network(loaded)
    assert len(calls) == 3 and fresh.key not in (first.key, larger.key)
    kept_now = sorted(p.name for p in (loaded.analytics_dir / "network").iterdir())
    assert kept_now == [fresh.key]


def test_a_copied_workspace_keeps_its_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key names the data's content (the import records' sha256), not where the files
    are nor when they were written: ``cp -r`` of a workspace gives new modification times,
    and must not start a new analysis. SQLite only: copying the folder copies its store."""
    from smartmoves.data.store import db as store_db
    from smartmoves.pathway import jobs
    from smartmoves.settings import get_settings

    from services import new_workspace

    original = new_workspace(tmp_path / "ws", None)
    import_files(original, find_table_files(write_org(tmp_path / "org")))
    kept = connect.workspace_network(original, compute=True)
    store_db.release(original.sqlalchemy_url)

    copy = tmp_path / "copy"
    shutil.copytree(original.workspace, copy)
    later = time.time() + 3600
    for path in copy.rglob("*"):
        os.utime(path, (later, later))
    analysis._memory.clear()  # a new process on the copy
    calls = _count_computations(monkeypatch)
    copied = get_settings(copy)
    try:
        view = connect.units_view(copied, _account("supervisor"))  # a page of the copy
        assert view.summary["people"] == 16
        assert connect.workspace_network(copied).key == kept.key
        assert calls == []
        assert jobs.latest_job(copied, ADMIN, connect.ANALYSIS_JOB, "workspace") is None
    finally:
        store_db.release(copied.sqlalchemy_url)


def test_a_file_no_import_recorded_is_named_by_its_content(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "ties.parquet", tmp_path / "b" / "ties.parquet"
    for path, when in ((first, 1_000_000), (second, 2_000_000)):
        path.parent.mkdir()
        path.write_bytes(b"the same bytes")
        os.utime(path, (when, when))
    assert analysis._fingerprint(first, None) == analysis._fingerprint(second, None)
    second.write_bytes(b"other bytes, same name")
    assert analysis._fingerprint(first, None) != analysis._fingerprint(second, None)


def test_what_is_kept_reads_back_as_the_same_analysis(loaded: Settings) -> None:
    first = connect.workspace_network(loaded)
    analysis._memory.clear()
    again = connect.workspace_network(loaded)
    graph, read = first.analysis.graph, again.analysis.graph
    for name in ("person_ids", "unit_ids", "unit_of", "a", "b", "weight", "reciprocal"):
        assert (getattr(graph, name) == getattr(read, name)).all(), name
    assert read.counts == graph.counts
    assert again.topics.equals(first.topics)
    suggested = connect.suggest(loaded, ADMIN, person="P03").to_dict()
    analysis._memory.clear()
    assert connect.suggest(loaded, ADMIN, person="P03").to_dict() == suggested


def test_a_damaged_or_older_bundle_is_recomputed_never_trusted(
    loaded: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_computations(monkeypatch)
    first = connect.workspace_network(loaded)
    meta = loaded.analytics_dir / "network" / first.key / "meta.json"
    for damage in ('{"frames": ["people"', '{"frames": [], "meta": {"version": 1}}'):
        meta.write_text(damage, encoding="utf-8")
        analysis._memory.clear()
        again = connect.workspace_network(loaded)
        assert again.analysis.to_dict() == first.analysis.to_dict()
    assert len(calls) == 3


def test_recent_topics_and_profiles(loaded: Settings) -> None:
    found = connect.workspace_network(loaded)
    assert found.recent_topics is not None
    assert set(found.recent_topics["topic"]) >= {"invoices", "refunds"}
    fields = set(found.profiles["field"])
    assert {"topics", "skills", "activities", "applications"} <= fields


def test_nothing_imported_yet(workspace: Settings) -> None:
    with pytest.raises(ConfigError, match="no interactions imported yet"):
        connect.workspace_network(workspace)


def test_files_without_people_are_one_unknown_unit(tmp_path: Path) -> None:
    events = tmp_path / "interactions.csv"
    events.write_text(INTERACTIONS, encoding="utf-8")
    result = connect.analyze_files(events, None, connect.NetworkOptions())
    assert list(result.units["unit_id"]) == [connect.UNKNOWN_UNIT]
    assert result.summary["external_ids"] == 0 and result.summary["people"] == 8


def test_views_by_role(loaded: Settings) -> None:
    units = connect.units_view(loaded, _account("supervisor"))
    assert "person_id" not in units.model_dump_json()
    with pytest.raises(Forbidden):
        connect.units_view(loaded, _account("member", "P03"))
    with pytest.raises(Forbidden):
        connect.people_view(loaded, _account("champion"))
    assert len(connect.people_view(loaded, _account("admin")).people) == 16
    mine = connect.my_network(loaded, _account("member", "P03"))
    assert mine.person.person_id == "P03" and mine.person.degree == 1
    with pytest.raises(Forbidden, match="not linked"):
        connect.my_network(loaded, _account("member"))


def test_who_may_connect() -> None:
    group = Subject.workgroup("P08", ["P03", "P04"])
    assert may(_account("admin"), "connect.open", group)
    assert may(_account("champion"), "connect.open", group)
    assert may(_account("supervisor", "P08"), "connect.open", group)  # its coach
    assert may(_account("member", "P04"), "connect.open", group)  # a member
    assert not may(_account("supervisor", "P00"), "connect.open", group)
    assert not may(_account("member", "P10"), "connect.open", group)
    assert not may(_account("member"), "connect.open", Subject.workgroup(None, ["P03"]))


def test_suggest_and_experts_on_a_workspace(loaded: Settings) -> None:
    found = connect.suggest(loaded, ADMIN, person="P03")
    assert list(found.suggestions["person_id"]) == ["P08"]
    assert found.suggestions["via"].tolist() == [["P01"]]  # an admin reads the details
    # The member themselves: the same person to meet, no one in between, nothing counted,
    # and words matched only in what P08 chose to share.
    own = connect.suggest(loaded, _account("member", "P03"), person="P03").suggestions
    assert list(own["person_id"]) == ["P08"]
    assert own["via"].tolist() == [None] and own["shared_contacts"].tolist() == [None]
    assert "P01" not in own["why"].iloc[0] and "through" not in own["why"].iloc[0]
    assert all(set(f) <= {"skills", "applications"} for f in own["matched_in"].iloc[0].values())
    with pytest.raises(Forbidden):  # whom someone else might meet is for admins
        connect.suggest(loaded, _account("member", "P04"), person="P03")
    experts = connect.experts(loaded, ADMIN, "disputed invoices")
    assert experts.suggestions["person_id"].iloc[0] == "P09"
    with pytest.raises(Forbidden):
        connect.experts(loaded, _account("champion"), "disputed invoices")
    with pytest.raises(ConfigError):
        connect.suggest(loaded, ADMIN)
    with pytest.raises(NotFound):
        connect.suggest(loaded, ADMIN, workgroup=99)


def test_connect_names_similar_workgroups(loaded: Settings) -> None:
    pilot = create_pilot(loaded, ADMIN, "Receivables", unit_id="AR")
    set_pilot_status(loaded, ADMIN, pilot.id, "running")  # members never see a draft
    with db.transaction(store(loaded)) as session:
        ours = Workgroup(pilot_id=pilot.id, name="Disputes", focus="invoices disputed")
        theirs = Workgroup(pilot_id=pilot.id, name="Billing")
        session.add_all([ours, theirs])
        session.flush()
        session.add(WorkgroupMember(pilot_id=pilot.id, workgroup_id=ours.id, person_id="P03"))
        session.add(WorkgroupMember(pilot_id=pilot.id, workgroup_id=theirs.id, person_id="P09"))
        ids = ours.id, theirs.id
    # Found in other people's recent interaction topics: an admin's to read, not a member's.
    assert connect.connect_view(loaded, _account("member", "P03"), pilot.id, ids[0]).similar == []
    view = connect.connect_view(loaded, _account("admin"), pilot.id, ids[0])
    similar = {(s.kind, s.id): s for s in view.similar}
    # P09 can help (their application) and faces the same challenge: listed once, among
    # who can help, and the reason says the other.
    assert ("workgroup", str(ids[1])) in similar and ("person", "P09") not in similar
    nine = next(e for e in view.experts if e.person_id == "P09")
    assert nine.why.endswith("; faces a similar challenge too")
    assert similar[("workgroup", str(ids[1]))].name == "Billing"
    assert "no tie between the two workgroups yet" in similar[("workgroup", str(ids[1]))].why
    with pytest.raises(Forbidden):
        connect.connect_view(loaded, _account("member", "P09"), pilot.id, ids[0])
    with pytest.raises(NotFound):
        connect.connect_view(loaded, _account("admin"), pilot.id + 1, ids[0])


def test_a_page_that_needs_the_analysis_starts_it_as_a_job(loaded: Settings) -> None:
    from smartmoves.pathway import jobs

    view = connect.units_view(loaded, _account("supervisor"))  # no pool: the job runs here
    assert view.summary["people"] == 16
    job = jobs.latest_job(loaded, ADMIN, connect.ANALYSIS_JOB, "workspace")
    assert job is not None and job.status == "done" and job.started_by == "supervisor@bank.example"
    assert job.message == "analyzed 16 people and 14 ties" or job.message.startswith("analyzed 16")


def test_warming_reads_what_was_kept_and_computes_nothing(
    loaded: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_computations(monkeypatch)
    assert connect.warm(loaded) is False and calls == []  # nothing kept: no work, no job
    connect.workspace_network(loaded, compute=True)
    analysis._memory.clear()  # a server just started
    assert connect.warm(loaded) is True and len(calls) == 1
    assert len(analysis._memory) == 1  # the first page finds it in memory


def test_warming_a_workspace_with_nothing_imported(workspace: Settings) -> None:
    assert connect.warm(workspace) is False
