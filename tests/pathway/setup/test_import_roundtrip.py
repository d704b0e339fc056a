"""Valid imports: what lands in the stores, idempotence, replacement, formats, Viva."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from smartmoves.data.store import db, org
from smartmoves.pathway.setup.imports import ImportItem, find_table_files, import_files
from smartmoves.settings import Settings

from orgfiles import people_csv, write_org
from test_import_bad_input import snapshot


def _read(settings: Settings, table: str) -> pd.DataFrame:
    with db.transaction(db.engine_for(settings.sqlalchemy_url)) as session:
        return org.read_table(session, table)


def test_import_all_lands_every_table(workspace: Settings, tmp_path: Path) -> None:
    report = import_files(workspace, find_table_files(write_org(tmp_path / "org")))
    by_table = {o.table: o for o in report.outcomes}
    assert {t: o.rows for t, o in by_table.items()} == {
        "units": 4,
        "people": 16,
        "activities": 3,
        "allocations": 48,
        "metrics": 3,
        "metric_values": 5,
        "applications": 2,
        "interactions": 5,
    }
    assert all(o.status == "imported" for o in report.outcomes)
    people = _read(workspace, "people").set_index("person_id")
    # Extra columns are kept as attributes; numeric ones as numbers.
    assert people.loc["P03", "skills"] == "excel;credit"
    assert people.loc["P03", "tenure_years"] == 4
    assert people.loc["P05", "contracted_hours"] == 30
    assert bool(people.loc["P00", "is_supervisor"]) and not bool(people.loc["P01", "is_supervisor"])
    assert str(people.loc["P00", "hire_date"]) == "2019-01-15"
    units = _read(workspace, "units").set_index("unit_id")
    assert units.loc["CC", "region"] == "North" and units.loc["ADV", "position"] == "edge"
    activities = _read(workspace, "activities").set_index("activity_id")
    assert pd.isna(activities.loc["A-REPORT", "automation_potential"])  # empty = estimate it
    # Interactions with ids outside people are kept, and counted as external contacts.
    assert by_table["interactions"].summary["external_contacts"] == 2
    events = pd.read_parquet(workspace.analytics_dir / "interactions.parquet")
    assert len(events) == 5 and "VENDOR-1" in set(events["recipient_ids"])
    assert events["timestamp"].iloc[0] == pd.Timestamp("2024-01-02 09:00:00")
    values = pd.read_parquet(workspace.analytics_dir / "metric_values.parquet")
    assert values["value"].tolist() == [0.61, 0.62, 120, 14, 1_000_000]


def test_reimporting_the_same_files_changes_nothing(workspace: Settings, tmp_path: Path) -> None:
    items = find_table_files(write_org(tmp_path / "org"))
    import_files(workspace, items)
    before = snapshot(workspace)
    report = import_files(workspace, items)
    assert {o.status for o in report.outcomes} == {"unchanged"}
    assert snapshot(workspace) == before


def test_a_corrected_file_replaces_the_rows(workspace: Settings, tmp_path: Path) -> None:
    import_files(workspace, find_table_files(write_org(tmp_path / "org")))
    fixed = tmp_path / "fixed" / "people.csv"
    fixed.parent.mkdir()
    fixed.write_text(people_csv().replace(",agent,", ",advisor,"), encoding="utf-8")
    report = import_files(workspace, [ImportItem("people", fixed)])
    assert report.outcomes[0].status == "imported"
    people = _read(workspace, "people")
    assert len(people) == 16 and set(people["role"]) == {"advisor"}


def test_check_only_writes_nothing(workspace: Settings, tmp_path: Path) -> None:
    before = snapshot(workspace)
    report = import_files(workspace, find_table_files(write_org(tmp_path / "org")), check_only=True)
    assert {o.status for o in report.outcomes} == {"valid"}
    assert snapshot(workspace) == before


@pytest.mark.parametrize("suffix", [".parquet", ".xlsx"])
def test_parquet_and_excel_files_import_like_csv(
    workspace: Settings, tmp_path: Path, suffix: str
) -> None:
    csv_dir = write_org(tmp_path / "csv")
    other = tmp_path / "other"
    other.mkdir()
    for path in csv_dir.glob("*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        target = other / f"{path.stem}{suffix}"
        if suffix == ".parquet":
            frame.to_parquet(target)
        else:
            frame.to_excel(target, index=False)
    import_files(workspace, find_table_files(other))
    people = _read(workspace, "people").set_index("person_id")
    assert len(people) == 16 and people.loc["P03", "tenure_years"] == 4
    assert len(pd.read_parquet(workspace.analytics_dir / "interactions.parquet")) == 5


def _viva_sample(name: str) -> Path:
    spec = importlib.util.find_spec("vivainsights")
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "data" / name


def test_viva_person_query_becomes_units_people_and_hours(workspace: Settings) -> None:
    report = import_files(
        workspace,
        [ImportItem("people", _viva_sample("pq_data.csv"), "viva-person", "Organization")],
    )
    assert {o.table for o in report.outcomes} == {"units", "people", "activities", "allocations"}
    units = _read(workspace, "units")
    assert sorted(units["unit_id"]) == [
        "Finance",
        "HR",
        "IT",
        "Legal",
        "Operations",
        "Research",
        "Sales",
    ]
    people = _read(workspace, "people")
    assert len(people) == 300 and {"FunctionType", "Level"} <= set(people.columns)
    source = pd.read_csv(_viva_sample("pq_data.csv"))
    allocations = _read(workspace, "allocations")
    collaboration = allocations[allocations["activity_id"] != "viva-other"]
    per_person = collaboration.groupby("person_id")["hours_per_week"].sum()
    expected = source.groupby("PersonId")["Collaboration_hours"].mean()
    # The parts are scaled to the query's own collaboration total (rounded to 0.01 h).
    assert (per_person - expected.loc[per_person.index]).abs().max() < 0.03


def test_viva_person_to_person_query_becomes_ties(workspace: Settings) -> None:
    report = import_files(
        workspace, [ImportItem("interactions", _viva_sample("p2p_data.csv"), "viva-p2p")]
    )
    assert report.outcomes[0].table == "ties"
    ties = pd.read_parquet(workspace.analytics_dir / "ties.parquet")
    assert len(ties) == report.outcomes[0].rows > 1000
    assert (ties["person_a"] < ties["person_b"]).all()
    assert set(ties.columns) >= {"person_a", "person_b", "weight", "reciprocal", "source"}
