"""``smartmoves network`` in process: on a small hand-made network whose answers are known,
and on a workspace.

Units: A (a1-a5), B (b1-b5), S (s1 alone: suppressed at the default minimum group size 5).
a1 and a2 write to each other; a1 writes to a2 and a3 together; a3 writes to b1; b1, b2
and b3 meet for an hour; s1 writes to a1; a4 writes to an external id. a5, b4 and b5
only attend a meeting of 26 people, which ties nobody.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from smartmoves.cli.main import app
from smartmoves.data.store import db
from smartmoves.data.store.models import Workgroup, WorkgroupMember
from smartmoves.pathway._store import store
from smartmoves.pathway.pilots import create_pilot
from smartmoves.settings import get_settings

from orgfiles import write_org
from services import ADMIN, skip_or_fail

runner = CliRunner()

PEOPLE = (
    "person_id,unit_id,skills\n"
    + "".join(
        f"{p},{p[0].upper()},{'pricing' if p == 'b2' else ''}\n"
        for p in ["a1", "a2", "a3", "a4", "a5", "b1", "b2", "b3", "b4", "b5", "s1"]
    )
    + "".join(f"t{i},T,\n" for i in range(4))
)  # S and T, hidden together, are five people
CROWD = ";".join(["a1", "b4", "b5", *[f"X{i:02d}" for i in range(22)]])  # 25 + the sender
EVENTS = f"""timestamp,sender_id,recipient_ids,channel,duration_minutes,topic
2024-03-01T09:00:00,a1,a2,email,,pricing
2024-03-01T10:00:00,a1,a2;a3,email,,pricing;churn
2024-03-02T09:00:00,a2,a1,chat,,pricing
2024-03-02T11:00:00,a3,b1,email,,churn
2024-03-03T14:00:00,b1,b2;b3,meeting,60,churn
2024-03-04T09:00:00,s1,a1,email,,payroll
2024-03-04T10:00:00,a4,EXT-1,email,,vendors
2024-03-05T15:00:00,a5,{CROWD},meeting,60,town hall
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    people = tmp_path / "people.csv"
    events = tmp_path / "interactions.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    events.write_text(EVENTS, encoding="utf-8")
    return events, people


def _analyze(files: tuple[Path, Path], *extra: str) -> dict:  # type: ignore[type-arg]
    events, people = files
    args = ["network", "analyze", "--interactions", str(events), "--people", str(people)]
    result = runner.invoke(app, [*args, "--format", "json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_json_on_files_has_the_known_answers(files: tuple[Path, Path]) -> None:
    data = _analyze(files)
    assert set(data) >= {"people", "units", "brokers", "communities", "unit_matrix", "parameters"}
    people = {p["person_id"]: p for p in data["people"]}
    assert set(people["a1"]) >= {
        "person_id",
        "unit_id",
        "degree",
        "strength",
        "strong_ties",
        "weak_ties",
        "external_share",
        "betweenness",
        "constraint",
        "community",
    }
    assert people["a1"]["degree"] == 3  # a2, a3 and s1
    assert people["a1"]["strength"] == pytest.approx(2.5 + 0.5 + 1)
    assert people["a1"]["external_share"] == pytest.approx(1 / 3)  # s1 is in another unit
    # The meeting of 26 people ties nobody: a5, b4 and b5 have no tie at all.
    for alone in ("a5", "b4", "b5"):
        assert people[alone]["degree"] == 0 and people[alone]["community"] is None
    assert people["b2"]["degree"] == 2  # b1 and b3, from the one-hour meeting
    # The external id is counted apart, never as a person.
    assert people["a4"]["degree"] == 0 and people["a4"]["external_contacts"] == 1
    assert data["summary"]["external_ids"] == 1
    units = {u["unit_id"]: u for u in data["units"]}
    assert (units["A"]["internal_ties"], units["A"]["external_ties"]) == (2, 2)
    assert units["A"]["ei_index"] == 0.0
    assert (units["B"]["internal_ties"], units["B"]["external_ties"]) == (3, 1)
    assert units["B"]["ei_index"] == -0.5
    assert units["S"] == {
        "unit_id": "S",
        "size": 1,
        "internal_ties": None,
        "external_ties": None,
        "ei_index": None,
        "external_weight_share": None,
        "top_partners": None,
        "suppressed": True,
    }
    assert all("S" not in (m["unit_a"], m["unit_b"]) for m in data["unit_matrix"])
    assert data["parameters"]["min_group_size"] == 5


@pytest.mark.spark
def test_the_spark_engine_gives_the_answers_duckdb_gives(
    files: tuple[Path, Path], workspace: Path
) -> None:
    for module in ("pyspark",):
        if importlib.util.find_spec(module) is None:
            skip_or_fail("PySpark is not installed (the spark extra)")
    from smartmoves.data.analytics import _spark

    duck, spark = _analyze(files), _analyze(files, "--engine", "spark")
    assert _spark._SESSION is not None  # the ties were built by Spark
    for key in ("summary", "people", "units", "brokers", "communities", "unit_matrix"):
        assert spark[key] == duck[key], key  # the same ties give the same figures
    # On a workspace too, where the engine may also come from the workspace's setting.
    ws = ["-w", str(workspace)]
    on_spark = runner.invoke(
        app, ["network", "analyze", "--engine", "spark", "--format", "json", *ws]
    )
    assert on_spark.exit_code == 0, on_spark.output
    on_duck = runner.invoke(app, ["network", "analyze", "--format", "json", *ws])
    assert json.loads(on_spark.stdout)["units"] == json.loads(on_duck.stdout)["units"]


def test_min_group_size_and_window(files: tuple[Path, Path]) -> None:
    events, people = files
    args = ["network", "analyze", "--interactions", str(events), "--people", str(people)]
    refused = runner.invoke(app, [*args, "--min-group-size", "4"])
    assert refused.exit_code == 2 and "at least 5" in refused.output
    larger = _analyze(files, "--min-group-size", "50")
    assert all(u["suppressed"] for u in larger["units"])
    early = _analyze(files, "--until", "2024-03-02")
    assert {p["person_id"]: p["degree"] for p in early["people"]}["a1"] == 2  # a2 and a3


def test_table_and_out_folder(files: tuple[Path, Path], tmp_path: Path) -> None:
    events, people = files
    out = tmp_path / "tables"
    args = ["network", "analyze", "--interactions", str(events), "--people", str(people)]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "15 people" in result.stdout and "suppressed" in result.stdout
    units = pd.read_parquet(out / "units.parquet")
    assert list(units["unit_id"]) == ["A", "B", "S", "T"]
    assert (out / "people.csv").is_file() and (out / "parameters.json").is_file()
    assert json.loads((out / "parameters.json").read_text())["summary"]["people"] == 15


def test_out_csv_files_show_formulas_as_text(files: tuple[Path, Path], tmp_path: Path) -> None:
    events, people = files
    people.write_text(PEOPLE.replace(",A,", ",=A,"), encoding="utf-8")
    out = tmp_path / "tables"
    args = ["network", "analyze", "--interactions", str(events), "--people", str(people)]
    assert runner.invoke(app, [*args, "--out", str(out)]).exit_code == 0
    rows = pd.read_csv(out / "people.csv", dtype=str)
    assert set(rows.loc[rows["person_id"].str.startswith("a"), "unit_id"]) == {"'=A"}
    assert pd.read_parquet(out / "people.parquet")["unit_id"].str.startswith("=").any()


@pytest.mark.parametrize(
    ("target", "old", "new", "line"),
    [
        (
            "events",
            "2024-03-02T11:00:00,a3",
            "yesterday,a3",
            "error: interactions.csv:5: column timestamp: not a date-time: 'yesterday'",
        ),
        (
            "people",
            "b1,B,",
            ",B,",
            "error: people.csv:7: column person_id: empty",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(
    files: tuple[Path, Path], target: str, old: str, new: str, line: str
) -> None:
    events, people = files
    path = events if target == "events" else people
    path.write_text(path.read_text().replace(old, new, 1), encoding="utf-8")
    result = runner.invoke(
        app, ["network", "analyze", "--interactions", str(events), "--people", str(people)]
    )
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(line)
    assert "Traceback" not in result.output


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["network", "analyze", "--interactions", str(tmp_path / "none.csv")]
    )
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1


@pytest.fixture
def workspace(tmp_path: Path, store_backend: str | None, monkeypatch: pytest.MonkeyPatch) -> Path:
    if store_backend:
        monkeypatch.setenv("SMARTMOVES_DATABASE_URL", store_backend)
    folder = tmp_path / "ws"
    for args in (["init", str(folder)], ["import", "all", str(write_org(tmp_path / "org"))]):
        result = runner.invoke(app, [*args, "-w", str(folder)] if args[0] == "import" else args)
        assert result.exit_code == 0, result.output
    return folder


def test_the_import_analyzes_the_network_unless_told_not_to(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(folder)]).exit_code == 0
    org = write_org(tmp_path / "org")
    quiet = runner.invoke(app, ["import", "all", str(org), "--no-analyze", "-w", str(folder)])
    assert quiet.exit_code == 0 and "network analyzed" not in quiet.stdout
    assert not (folder / "analytics" / "network").exists()
    loud = runner.invoke(
        app, ["import", "interactions", str(org / "interactions.csv"), "-w", str(folder)]
    )
    assert loud.exit_code == 0 and "network analyzed: 16 people" in loud.stdout


def test_on_a_workspace(workspace: Path) -> None:
    ws = ["-w", str(workspace)]
    result = runner.invoke(app, ["network", "analyze", "--format", "json", *ws])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    units = {u["unit_id"]: u for u in data["units"]}
    assert units["ADV"]["suppressed"] and units["ADV"]["size"] == 2
    assert units["CC"]["internal_ties"] == 4  # P00-P01, P00-P02, P01-P02, P01-P03
    kept = list((workspace / "analytics" / "network").iterdir())
    assert len(kept) == 1 and (kept[0] / "meta.json").is_file()  # analyzed at import
    again = runner.invoke(app, ["network", "analyze", "--format", "json", *ws])
    assert json.loads(again.stdout) == data

    experts = runner.invoke(app, ["network", "experts", "invoices", "--format", "json", *ws])
    assert experts.exit_code == 0, experts.output
    found = json.loads(experts.stdout)["suggestions"]
    assert found[0]["person_id"] == "P09" and "'invoice' in application" in found[0]["why"]

    suggest = runner.invoke(app, ["network", "suggest", "--person", "P03", *ws])
    assert suggest.exit_code == 0, suggest.output
    neither = runner.invoke(app, ["network", "suggest", *ws])
    assert neither.exit_code == 2 and "--person ID or --workgroup ID" in neither.stderr


def test_suggest_for_a_workgroup(workspace: Path) -> None:
    settings = get_settings(workspace)
    pilot = create_pilot(settings, ADMIN, "Receivables", unit_id="AR", opportunity="late payments")
    with db.transaction(store(settings)) as session:
        group = Workgroup(pilot_id=pilot.id, name="Disputes", focus="disputed invoices")
        session.add(group)
        session.flush()
        session.add(WorkgroupMember(pilot_id=pilot.id, workgroup_id=group.id, person_id="P03"))
        group_id = group.id
    args = ["network", "suggest", "--workgroup", str(group_id), "--format", "json"]
    result = runner.invoke(app, [*args, "-w", str(workspace)])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["kind"] == "connections" and found["query"]["about"] == "disputed invoices"
    assert [s["person_id"] for s in found["suggestions"]] == ["P08"]
    missing = runner.invoke(app, ["network", "suggest", "--workgroup", "99", "-w", str(workspace)])
    assert missing.exit_code == 2 and missing.stderr.strip() == "error: no workgroup 99"


def test_person_level_output_and_exports_of_a_workspace_are_audited(
    workspace: Path, tmp_path: Path
) -> None:
    import csv
    import io

    ws = ["-w", str(workspace)]
    out = tmp_path / "tables"
    result = runner.invoke(app, ["network", "analyze", "--out", str(out), *ws])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["network", "suggest", "--person", "P03", *ws]).exit_code == 0
    exported = runner.invoke(app, ["audit", "export", *ws])
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    seen = {(r["actor"], r["action"], r["target"]) for r in rows}
    assert ("cli", "view person-level", "network analysis") in seen
    assert ("cli", "export", "network tables") in seen
    assert ("cli", "view person-level", "suggestions for P03") in seen
    assert ("cli", "import", "units,people,activities,allocations,metrics,applications,"
            "metric_values,interactions") in seen  # fmt: skip
