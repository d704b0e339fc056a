"""Unit assessments: a bad file is refused one line per bad cell and writes nothing;
every import and every save adds to the history and the newest per unit counts; the
entry points name the assessment as the source, fall back to the measured figures, and
list an input nobody gave as missing; raising a unit's supervisors' motivation never
lowers its likelihood."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartmoves.data.store import assessments as stored
from smartmoves.data.store import db
from smartmoves.engines.entry import UnitEvidence, score_entry_points
from smartmoves.errors import DataError, Forbidden, NotFound
from smartmoves.pathway._store import store
from smartmoves.pathway.recognize import entry_points, save_assessment, unit_assessment
from smartmoves.pathway.recognize.entry import _judged
from smartmoves.pathway.setup.imports import ImportItem, find_table_files, import_files
from smartmoves.settings import Settings

from orgfiles import write_org
from services import ADMIN, account, new_workspace

HEADER = "unit_id,leader_support,supervisor_motivation,champion_influence,opportunity_size,notes,assessed_by,assessed_at\n"  # noqa: E501


@pytest.fixture
def workspace(tmp_path: Path) -> Settings:
    settings = new_workspace(tmp_path / "ws", None)
    import_files(settings, find_table_files(write_org(tmp_path / "org")))
    return settings


def _import(settings: Settings, folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(HEADER + text, encoding="utf-8")
    return import_files(settings, [ImportItem("unit_assessments", path)]).outcomes[0].status


def test_a_bad_file_is_refused_one_line_each_and_writes_nothing(
    workspace: Settings, tmp_path: Path
) -> None:
    rows = (
        "CC,7,3,high,,,ana,2026-01-05T09:00\n"
        "AR,3,3,huge,,,ana,2026-01-05T09:00\n"
        "NOPE,3,3,low,,,ana,2026-01-05T09:00\n"
        "ADV,3,3,low,-2,,ana,yesterday\n"
    )
    with pytest.raises(DataError) as caught:
        _import(workspace, tmp_path, "unit_assessments.csv", rows)
    lines = caught.value.lines()
    assert "unit_assessments.csv:2: column leader_support: out of range: 7 (expected a number " \
           "from 1 to 5)" in lines  # fmt: skip
    assert any(
        line.startswith("unit_assessments.csv:3: column champion_influence:")
        and "expected one of high, medium, low" in line
        for line in lines
    )
    assert any(line.startswith("unit_assessments.csv:4: column unit_id:") for line in lines)
    assert any(
        line.startswith("unit_assessments.csv:5: column opportunity_size:") for line in lines
    )
    assert any(line.startswith("unit_assessments.csv:5: column assessed_at:") for line in lines)
    with db.transaction(store(workspace)) as session:
        assert stored.newest(session) == {}


def test_imports_and_saves_add_to_the_history_and_the_newest_counts(
    workspace: Settings, tmp_path: Path
) -> None:
    first = "CC,2,2,low,,first look,ana,2026-01-05T09:00\nAR,3,3,medium,,,ana,2026-01-05T09:00\n"
    assert _import(workspace, tmp_path, "a.csv", first) == "imported"
    later = "CC,4,4.5,high,120,new head,bo,2026-02-01T09:00\nAR,5,5,high,,,bo,2025-12-01T09:00\n"
    assert _import(workspace, tmp_path, "b.csv", later) == "imported"
    assert _import(workspace, tmp_path, "b.csv", later) == "unchanged"  # nothing added
    with db.transaction(store(workspace)) as session:
        newest = stored.newest(session)
    assert newest["CC"]["supervisor_motivation"] == 4.5 and newest["CC"]["assessed_by"] == "bo"
    # Imported later but assessed earlier: the older judgement does not win.
    assert newest["AR"]["leader_support"] == 3 and newest["AR"]["assessed_by"] == "ana"
    view = unit_assessment(workspace, account("supervisor"), "CC")
    assert [h.assessed_by for h in view.history] == ["bo", "ana"]
    changed = {c.field: (c.before, c.after) for c in view.history[0].changed}
    assert changed["leader_support"] == (2, 4) and changed["opportunity_size"] == (None, 120)
    saved = save_assessment(workspace, account("champion"), "CC", {"leader_support": "5"})
    assert saved.current is not None and saved.current.source == "web"
    assert saved.current.leader_support == 5 and saved.current.supervisor_motivation is None
    assert [h.assessed_by for h in saved.history][:2] == ["champion@bank.example", "bo"]
    with pytest.raises(Forbidden, match="admins and champions assess units"):
        save_assessment(workspace, account("supervisor"), "CC", {"leader_support": "5"})
    with pytest.raises(NotFound):
        save_assessment(workspace, ADMIN, "NOPE", {})
    with pytest.raises(DataError, match="column supervisor_motivation: out of range: 0"):
        save_assessment(workspace, ADMIN, "CC", {"supervisor_motivation": "0"})


def test_entry_points_name_the_assessment_fall_back_and_list_what_is_missing(
    workspace: Settings, tmp_path: Path
) -> None:
    before = {e.unit_id: e for e in entry_points(workspace, ADMIN).entry_points}
    assert "supportive_leadership" in before["CC"].missing_inputs  # nobody said: no crash
    _import(workspace, tmp_path, "a.csv", "CC,4,,high,50,,ana,2026-01-05T09:00\n")
    after = {e.unit_id: e for e in entry_points(workspace, ADMIN).entry_points}
    factors = {f.name: f for f in after["CC"].factors}
    assert factors["supportive_leadership"].source == (
        "unit_assessments, assessed by ana on 2026-01-05"
    )
    assert factors["opportunity_size"].value == 50
    assert "motivated_supervisors" in after["CC"].missing_inputs  # left empty, none measured
    assert after["CC"].confidence > before["CC"].confidence


def test_an_empty_judgement_falls_back_to_the_measured_figure() -> None:
    at = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
    judged = _judged(
        {"leader_support": None, "supervisor_motivation": 2.0, "champion_influence": None,
         "opportunity_size": None, "assessed_by": "ana", "assessed_at": at},
        {"supportive_leadership": (3.5, "units.leader_support"),
         "motivated_supervisors": (4.0, "people.change_readiness (supervisors)"),
         "champion_influence": (None, "units.champion_influence"),
         "opportunity_size": (None, "unit_assessments.opportunity_size")},
    )  # fmt: skip
    assert judged.values["supportive_leadership"] == 3.5
    assert judged.sources["supportive_leadership"] == "units.leader_support"
    assert judged.values["motivated_supervisors"] == 2.0
    assert (
        judged.sources["motivated_supervisors"] == "unit_assessments, assessed by ana on 2026-01-05"
    )
    assert judged.values["champion_influence"] is None


_FALLBACK = {
    "supportive_leadership": (None, "units.leader_support"),
    "motivated_supervisors": (3.0, "people.change_readiness (supervisors)"),
    "champion_influence": (None, "units.champion_influence"),
    "opportunity_size": (None, "unit_assessments.opportunity_size"),
}


@settings(max_examples=60, deadline=None)
@given(
    motivation=st.one_of(st.none(), st.floats(1, 5)),
    raise_by=st.floats(0, 4),
    leader=st.one_of(st.none(), st.floats(1, 5)),
    influence=st.sampled_from([None, "high", "medium", "low"]),
)
def test_raising_supervisor_motivation_never_lowers_the_likelihood(
    motivation: float | None, raise_by: float, leader: float | None, influence: str | None
) -> None:
    at = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)

    def likelihood(value: float | None) -> float:
        judged = _judged(
            {"leader_support": leader, "supervisor_motivation": value,
             "champion_influence": influence, "opportunity_size": None,
             "assessed_by": "ana", "assessed_at": at},
            _FALLBACK,
        )  # fmt: skip
        unit = UnitEvidence(
            "U1", people=40, freeable_share=0.5, freeable_volunteers=20, impact=1.0,
            leader_support=judged.values["supportive_leadership"],
            supervisor_motivation=judged.values["motivated_supervisors"],
            champion_influence=judged.values["champion_influence"], sources=judged.sources,
        )  # fmt: skip
        other = UnitEvidence("U2", people=40, freeable_share=0.5, freeable_volunteers=20,
                             impact=1.0, supervisor_motivation=3.0)  # fmt: skip
        ranked = {e.unit_id: e for e in score_entry_points([unit, other]).entry_points}
        return ranked["U1"].likelihood

    start = 1.0 if motivation is None else motivation
    assert likelihood(min(5.0, start + raise_by)) >= likelihood(start) - 1e-12


def test_teams_of_the_unit_say_whether_workgroups_exist_where_the_units_do_not() -> None:
    import pandas as pd

    from smartmoves.pathway.recognize.entry import _teams_exist

    assert _teams_exist(pd.Series(["T1", "T1", "T1", "T2", None])) is True
    assert _teams_exist(pd.Series(["T1", "T2", "T3", "T1"])) is False  # pairs and singles
    assert _teams_exist(pd.Series([None, "", None])) is None  # not known
