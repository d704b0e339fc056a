"""The workspace's network: computed once, cached by the data's fingerprint and the
options, and shown by role."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmoves.data.store import db
from smartmoves.data.store.models import Workgroup, WorkgroupMember
from smartmoves.errors import ConfigError, Forbidden, NotFound
from smartmoves.pathway import network, network_views
from smartmoves.pathway._store import store
from smartmoves.pathway.access import Account
from smartmoves.pathway.imports import find_table_files, import_files
from smartmoves.pathway.pilots import create_pilot
from smartmoves.settings import Settings

from orgfiles import INTERACTIONS, write_org


def _account(role: str, person: str | None = None) -> Account:
    return Account(1, f"{role}@bank.example", role, person, None)


@pytest.fixture
def loaded(workspace: Settings, tmp_path: Path) -> Settings:
    import_files(workspace, find_table_files(write_org(tmp_path / "org")))
    network._memory.clear()
    return workspace


def _count_computations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    compute = network._compute

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return compute(*args, **kwargs)

    monkeypatch.setattr(network, "_compute", counted)
    return calls


def test_the_analysis_is_cached_by_fingerprint_and_options(
    loaded: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_computations(monkeypatch)
    first = network.workspace_network(loaded)
    assert len(calls) == 1 and first.analysis.summary["people"] == 16
    assert network.workspace_network(loaded).key == first.key and len(calls) == 1
    network._memory.clear()  # a new process: read from the workspace's cache file
    again = network.workspace_network(loaded)
    assert len(calls) == 1 and again.analysis.to_dict() == first.analysis.to_dict()
    assert (loaded.analytics_dir / "network" / f"{first.key}.pickle").is_file()

    options = network.NetworkOptions(min_group_size=1)
    small = network.workspace_network(loaded, options)
    assert len(calls) == 2 and small.key != first.key
    assert not any(u["suppressed"] for u in small.analysis.to_dict()["units"])

    # New interactions: a new fingerprint, a new analysis; the old cache file goes.
    more = INTERACTIONS + "2024-01-06T09:00:00,P14,P15,email,,advice\n"
    import_files(loaded, find_table_files(write_org(tmp_path / "org2", interactions=more)))
    fresh = network.workspace_network(loaded)
    assert len(calls) == 3 and fresh.key not in (first.key, small.key)
    cached = sorted(p.stem for p in (loaded.analytics_dir / "network").glob("*.pickle"))
    assert cached == [fresh.key]


def test_a_cache_file_this_workspace_did_not_write_is_never_unpickled(
    loaded: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_computations(monkeypatch)
    first = network.workspace_network(loaded)
    path = loaded.analytics_dir / "network" / f"{first.key}.pickle"
    data = path.read_bytes()
    # Same payload, signature of another key: e.g. a file copied in from elsewhere.
    path.write_bytes(bytes(32) + data[32:])
    network._memory.clear()
    again = network.workspace_network(loaded)
    assert len(calls) == 2 and again.analysis.to_dict() == first.analysis.to_dict()
    assert path.read_bytes()[:32] == data[:32]  # recomputed and signed again


def test_recent_topics_and_profiles(loaded: Settings) -> None:
    found = network.workspace_network(loaded)
    assert found.recent_topics is not None
    assert set(found.recent_topics["topic"]) >= {"invoices", "refunds"}
    fields = set(found.profiles["field"])
    assert {"topics", "skills", "activities", "applications"} <= fields


def test_nothing_imported_yet(workspace: Settings) -> None:
    with pytest.raises(ConfigError, match="no interactions imported yet"):
        network.workspace_network(workspace)


def test_files_without_people_are_one_unknown_unit(tmp_path: Path) -> None:
    events = tmp_path / "interactions.csv"
    events.write_text(INTERACTIONS, encoding="utf-8")
    result = network.analyze_files(events, None, network.NetworkOptions(min_group_size=1))
    assert list(result.units["unit_id"]) == [network.UNKNOWN_UNIT]
    assert result.summary["external_ids"] == 0 and result.summary["people"] == 8


def test_views_by_role(loaded: Settings) -> None:
    units = network_views.units_view(loaded, _account("supervisor"))
    assert "person_id" not in units.model_dump_json()
    with pytest.raises(Forbidden):
        network_views.units_view(loaded, _account("member", "P03"))
    with pytest.raises(Forbidden):
        network_views.people_view(loaded, _account("champion"))
    assert len(network_views.people_view(loaded, _account("admin")).people) == 16
    mine = network_views.my_network(loaded, _account("member", "P03"))
    assert mine.person.person_id == "P03" and mine.person.degree == 1
    with pytest.raises(NotFound):
        network_views.my_network(loaded, _account("member"))


def test_who_may_connect() -> None:
    members = ["P03", "P04"]
    assert network_views.may_connect(_account("admin"), "P08", members)
    assert network_views.may_connect(_account("champion"), "P08", members)
    assert network_views.may_connect(_account("supervisor", "P08"), "P08", members)
    assert network_views.may_connect(_account("member", "P04"), "P08", members)
    assert not network_views.may_connect(_account("supervisor", "P00"), "P08", members)
    assert not network_views.may_connect(_account("member", "P10"), "P08", members)
    assert not network_views.may_connect(_account("member"), None, members)


def test_suggest_and_experts_on_a_workspace(loaded: Settings) -> None:
    found = network_views.suggest(loaded, person="P03")
    assert list(found.suggestions["person_id"]) == ["P08"]
    experts = network_views.experts(loaded, "disputed invoices")
    assert experts.suggestions["person_id"].iloc[0] == "P09"
    with pytest.raises(ConfigError):
        network_views.suggest(loaded)
    with pytest.raises(NotFound):
        network_views.suggest(loaded, workgroup=99)


def test_connect_names_similar_workgroups(loaded: Settings) -> None:
    pilot = create_pilot(loaded, "Receivables", unit_id="AR")
    with db.transaction(store(loaded)) as session:
        ours = Workgroup(pilot_id=pilot.id, name="Disputes", focus="invoices disputed")
        theirs = Workgroup(pilot_id=pilot.id, name="Billing")
        session.add_all([ours, theirs])
        session.flush()
        session.add(WorkgroupMember(pilot_id=pilot.id, workgroup_id=ours.id, person_id="P03"))
        session.add(WorkgroupMember(pilot_id=pilot.id, workgroup_id=theirs.id, person_id="P09"))
        ids = ours.id, theirs.id
    view = network_views.connect_view(loaded, _account("member", "P03"), pilot.id, ids[0])
    similar = {(s.kind, s.id): s for s in view.similar}
    assert set(similar) == {("person", "P09"), ("workgroup", str(ids[1]))}
    assert similar[("workgroup", str(ids[1]))].name == "Billing"
    assert "no tie between the two workgroups yet" in similar[("workgroup", str(ids[1]))].why
    with pytest.raises(Forbidden):
        network_views.connect_view(loaded, _account("member", "P09"), pilot.id, ids[0])
    with pytest.raises(NotFound):
        network_views.connect_view(loaded, _account("admin"), pilot.id + 1, ids[0])
