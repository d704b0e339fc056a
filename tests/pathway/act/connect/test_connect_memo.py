"""Connect pages share one text index per analysis: built once, kept in a small memo."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from smartmoves.data.store import db
from smartmoves.data.store.models import Workgroup, WorkgroupMember
from smartmoves.engines.network import find_experts, suggest_connections
from smartmoves.pathway._store import store
from smartmoves.pathway.act import connect
from smartmoves.pathway.act.connect import analysis, meaning, memo
from smartmoves.pathway.pilots import create_pilot, set_pilot_status
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.settings import Settings

from orgfiles import APPLICATIONS, write_org
from services import ADMIN


@pytest.fixture
def loaded(workspace: Settings, tmp_path: Path) -> Settings:
    import_files(workspace, find_table_files(write_org(tmp_path / "org")))
    analysis._memory.clear()
    memo.INDEXES.clear()
    memo.ANSWERS.clear()
    connect.suggestions.LISTS.clear()
    # Pages match by meaning once the model is in memory, and a command loads it: load it
    # first, so that every page and the command use one method whatever ran before.
    meaning.warm_model()
    return workspace


def _pilot_with_workgroups(settings: Settings) -> tuple[int, list[int]]:
    pilot = create_pilot(settings, ADMIN, "Receivables", unit_id="AR")
    set_pilot_status(settings, ADMIN, pilot.id, "running")
    with db.transaction(store(settings)) as session:
        groups = [
            Workgroup(pilot_id=pilot.id, name="Disputes", focus="invoices disputed"),
            Workgroup(pilot_id=pilot.id, name="Refunds", focus="refunds"),
            Workgroup(pilot_id=pilot.id, name="Billing"),
        ]
        session.add_all(groups)
        session.flush()
        for group, person in zip(groups, ["P03", "P04", "P09"], strict=True):
            session.add(WorkgroupMember(pilot_id=pilot.id, workgroup_id=group.id, person_id=person))
        return pilot.id, [g.id for g in groups]


def test_every_workgroup_page_searches_the_same_two_indexes(
    loaded: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str] = []
    build = memo.profile_index

    def counted(profiles: Any, **options: Any) -> Any:
        built.append(",".join(sorted(set(profiles["field"]))))
        return build(profiles, **options)

    monkeypatch.setattr(memo, "profile_index", counted)
    pilot, groups = _pilot_with_workgroups(loaded)
    for group in groups:
        view = connect.connect_view(loaded, ADMIN, pilot, group, help_text="refunds")
        assert view.helpers is not None
    # One index over every profile, one over the recent topics: not one per question.
    assert sorted(built) == ["activities,applications,skills,topics", "topics"]
    connect.experts(loaded, ADMIN, "disputed invoices")  # the command line's search too
    assert len(built) == 2, built


def test_an_index_from_the_memo_gives_the_answers_a_new_one_would(loaded: Settings) -> None:
    network = connect.workspace_network(loaded)
    assert memo.profiles_index(network) is memo.profiles_index(network)
    # The same method as the pages: meaning where the extra is installed, else words.
    encoder = meaning.encoder_for(loaded, network)
    method = "embeddings" if encoder is not None else "tfidf"
    asked = {"person": "P03", "about": "invoices", "profiles": network.profiles}
    alone = suggest_connections(network.analysis, **asked, method=method, encoder=encoder)
    assert connect.suggest(loaded, ADMIN, person="P03", about="invoices").to_dict() == (
        alone.to_dict()
    )
    experts = find_experts(
        network.profiles,
        "disputed invoices",
        people=network.people,
        method=method,
        encoder=encoder,
    )
    assert connect.experts(loaded, ADMIN, "disputed invoices").to_dict() == experts.to_dict()


def test_new_profiles_get_a_new_index(loaded: Settings, tmp_path: Path) -> None:
    before = connect.workspace_network(loaded)
    first = memo.profiles_index(before)
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "applications.csv").write_text(  # the same interactions: the same analysis
        APPLICATIONS + "P05,Payroll errors,I fix payroll every month,2024-03-01T09:00:00\n",
        encoding="utf-8",
    )
    import_files(loaded, find_table_files(folder))
    network = connect.workspace_network(loaded)
    assert network.key == before.key and network.profiles_key != before.profiles_key
    again = memo.profiles_index(network)
    assert again is not first and again is not None and "payroll" in set(again.terms)


def test_a_value_is_computed_once_however_many_threads_ask() -> None:
    kept: memo.Memo[object] = memo.Memo(2)
    calls: list[int] = []

    def slow() -> object:
        calls.append(1)
        time.sleep(0.2)  # long enough for every thread to ask while it is computed
        return object()

    found: list[object] = []
    threads = [threading.Thread(target=lambda: found.append(kept.get("k", slow))) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and len(found) == 6 and all(f is found[0] for f in found)


def test_the_memo_keeps_the_most_recently_used() -> None:
    kept: memo.Memo[str] = memo.Memo(2)
    for key in ("a", "b", "a", "c"):
        kept.get(key, lambda key=key: key.upper())  # type: ignore[misc]
    assert len(kept) == 2
    assert kept.get("a", lambda: "again") == "A"  # used last but one: kept
    assert kept.get("b", lambda: "again") == "again"  # the least recently used went


def test_a_failed_computation_keeps_nothing() -> None:
    kept: memo.Memo[str] = memo.Memo(2)

    def fail() -> str:
        raise RuntimeError("the analysis went away")

    with pytest.raises(RuntimeError):
        kept.get("k", fail)
    assert len(kept) == 0 and kept.get("k", lambda: "v") == "v"


def test_a_connect_page_seen_again_is_not_searched_or_worded_again(
    loaded: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smartmoves.pathway.act.connect import suggestions

    calls: list[int] = []
    word = suggestions.worded

    def counted(rows: Any, **options: Any) -> Any:
        calls.append(len(rows))
        return word(rows, **options)

    monkeypatch.setattr(suggestions, "worded", counted)
    pilot, groups = _pilot_with_workgroups(loaded)
    first = connect.connect_view(loaded, ADMIN, pilot, groups[0])
    worded_once = len(calls)
    assert worded_once > 0
    again = connect.connect_view(loaded, ADMIN, pilot, groups[0])
    assert len(calls) == worded_once  # the kept lists, not a new search
    assert again == first
    # Another focus is another question: searched and worded anew.
    with db.transaction(store(loaded)) as session:
        session.get(Workgroup, groups[0]).focus = "refunds"
    changed = connect.connect_view(loaded, ADMIN, pilot, groups[0])
    assert len(calls) > worded_once and changed.focus == "refunds"


def test_the_phrases_to_read_are_listed_once_per_analysis_and_profiles(
    loaded: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed: list[str] = []
    distinct = meaning._distinct_phrases

    def counting(network: analysis.Network) -> tuple[str, ...]:
        listed.append(network.profiles_key)
        return distinct(network)

    monkeypatch.setattr(meaning, "_distinct_phrases", counting)
    meaning._PHRASES.clear()
    before = connect.workspace_network(loaded)
    first = meaning._phrases(before)
    assert meaning._phrases(before) == first and len(listed) == 1  # every page asks again
    assert set(before.profiles["text"].astype(str)) <= set(first)
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "applications.csv").write_text(
        APPLICATIONS + "P05,Payroll errors,I fix payroll every month,2024-03-01T09:00:00\n",
        encoding="utf-8",
    )
    import_files(loaded, find_table_files(folder))
    network = connect.workspace_network(loaded)
    fresh = meaning._phrases(network)
    assert len(listed) == 2 and set(fresh) - set(first)  # the new application's phrases
