"""``smartmoves workgroups form`` and ``smartmoves cells form`` on small files: the JSON
keys, every constraint kept, and exit code 2 with a clear line for what cannot be."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from smartmoves.cli.main import app

runner = CliRunner()
KEYS = {"groups", "diversity", "dispersion", "max_mean_deviation_sd", "vs_random", "parameters"}
FUNCTIONS = ["ops", "it", "hr"]


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """12 people: 4 per function; p00-p02 one team (keep together); p03 and p04 apart."""
    rows = ["person_id,function,tenure,skills,team,pair"]
    for i in range(12):
        team = "T1" if i < 3 else ""
        pair = "A" if i in (3, 4) else ""
        skills = ["excel;sql", "sql;python", "sales", "excel"][i % 4]
        rows.append(f"p{i:02d},{FUNCTIONS[i % 3]},{1 + (7 * i) % 23},{skills},{team},{pair}")
    (tmp_path / "people.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "fixed.csv").write_text("person_id,group\np05,2\np06,2\n", encoding="utf-8")
    existing = ["person_id,group"] + [f"p{i:02d},{1 + i % 3}" for i in range(9)]
    (tmp_path / "existing.csv").write_text("\n".join(existing) + "\n", encoding="utf-8")
    return tmp_path


def _people(files: Path) -> list[str]:
    return ["workgroups", "form", "--people", str(files / "people.csv")]


def _form(files: Path, *args: str) -> dict[str, Any]:
    result = runner.invoke(
        app,
        ["workgroups", "form", "--people", str(files / "people.csv"), *args, "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _group_of(data: dict[str, Any]) -> dict[str, Any]:
    return {m: g["group"] for g in data["groups"] for m in g["members"]}


def test_json_keys_and_figures(files: Path) -> None:
    data = _form(files, "--features", "function,tenure,skills", "--groups", "3")
    assert set(data) == KEYS
    assert [set(g) for g in data["groups"]] == [{"group", "members", "diversity"}] * 3
    assert sorted(len(g["members"]) for g in data["groups"]) == [4, 4, 4]
    assert data["diversity"] == pytest.approx(sum(g["diversity"] for g in data["groups"]))
    assert data["vs_random"] > 1.0  # better than the mean of random partitions
    assert data["max_mean_deviation_sd"] is not None  # tenure is read as a number
    assert data["parameters"]["features"] == ["function", "tenure", "skills"]
    again = _form(files, "--features", "function,tenure,skills", "--groups", "3")
    assert again == data  # same seed, same workgroups


def test_constraints_hold(files: Path) -> None:
    data = _form(
        files,
        "--features",
        "tenure,skills",
        "--size",
        "4",
        "--keep-together",
        "team",
        "--apart",
        "pair",
        "--balance",
        "function",
        "--fixed",
        str(files / "fixed.csv"),
    )
    group = _group_of(data)
    assert len(data["groups"]) == 3
    assert group["p00"] == group["p01"] == group["p02"]  # kept together
    assert group["p03"] != group["p04"]  # apart
    assert group["p05"] == group["p06"] == 2  # fixed
    for g in data["groups"]:  # balanced: 4 per function over 3 groups -> 1 or 2 each
        counts = [sum(int(m[1:]) % 3 == f for m in g["members"]) for f in range(3)]
        assert set(counts) <= {1, 2}


def test_existing_groups_take_the_newcomers(files: Path) -> None:
    data = _form(files, "--features", "function,tenure", "--existing", str(files / "existing.csv"))
    group = _group_of(data)
    assert all(group[f"p{i:02d}"] == 1 + i % 3 for i in range(9))  # nobody moved
    assert sorted(len(g["members"]) for g in data["groups"]) == [4, 4, 4]


def test_table_output(files: Path) -> None:
    result = runner.invoke(
        app,
        [*_people(files), "--features", "function", "--groups", "2"],
    )
    assert result.exit_code == 0, result.output
    assert "x the mean of random partitions" in result.stdout
    assert "no numeric feature" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--features", "function,bogus", "--groups", "3"], "people.csv: column bogus"),
        (["--features", "function", "--groups", "3", "--apart", "nope"], "column nope"),
        (["--features", "function", "--groups", "2", "--max-size", "5"], "(2 x 5 < 12)"),
        (["--features", "tenure", "--groups", "3", "--apart", "function"], "only 3 workgroups"),
        (["--features", "function", "--groups", "6", "--keep-together", "team"], "'T1' has 3"),
        (["--features", "function", "--groups", "3", "--size", "4"], "not both"),
        (["--features", "function", "--groups", "3", "--save"], "--save"),
        (["--features", "function", "--groups", "3", "--seed", "-1"], "seed must be a whole"),
        (["--groups", "3"], "--features"),
    ],
)
def test_impossible_or_wrong_options_exit_2(files: Path, args: list[str], message: str) -> None:
    result = runner.invoke(
        app, ["workgroups", "form", "--people", str(files / "people.csv"), *args]
    )
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stderr.startswith("error: ") and message in result.stderr


def test_fixed_file_needs_its_columns(files: Path) -> None:
    (files / "bad.csv").write_text("who,group\np01,1\n", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            *_people(files),
            "--features",
            "function",
            "--groups",
            "3",
            "--fixed",
            str(files / "bad.csv"),
        ],
    )
    assert result.exit_code == 2
    assert "bad.csv: needs columns person_id and group" in result.stderr


def test_cells_mix_the_workgroups(files: Path) -> None:
    rows = ["person_id,workgroup"] + [f"p{i:02d},W{1 + i % 3}" for i in range(12)]
    (files / "workgroups.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "cells",
            "form",
            "--workgroups",
            str(files / "workgroups.csv"),
            "--format",
            "json",
            "--min-size",
            "5",
            "--max-size",
            "6",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"cells", "uneven_cells", "parameters"}
    assert sorted(len(c["members"]) for c in data["cells"]) == [6, 6]
    assert all(c["workgroups"] == 3 for c in data["cells"]) and data["uneven_cells"] == 0
    members = sorted(m for c in data["cells"] for m in c["members"])
    assert members == [f"p{i:02d}" for i in range(12)]
    too_big = runner.invoke(
        app, ["cells", "form", "--workgroups", str(files / "workgroups.csv"), "--min-size", "13"]
    )
    assert too_big.exit_code == 2 and "cannot fill one cell of at least 13" in too_big.stderr
    (files / "no-group.csv").write_text("person_id\np01\n", encoding="utf-8")
    missing = runner.invoke(app, ["cells", "form", "--workgroups", str(files / "no-group.csv")])
    assert missing.exit_code == 2 and "column workgroup" in missing.stderr


def test_on_a_pilot_form_save_show_move_and_cells(tmp_path: Path) -> None:
    from smartmoves.data.store import db
    from smartmoves.data.store.models import Selection
    from smartmoves.pathway._store import store
    from smartmoves.pathway.pilots import create_pilot
    from smartmoves.pathway.setup.imports import find_table_files, import_files

    from orgfiles import write_org
    from services import ADMIN, new_workspace

    settings = new_workspace(tmp_path / "ws", None)
    import_files(settings, find_table_files(write_org(tmp_path / "org")))
    pilot = create_pilot(settings, ADMIN, "Bank pilot", unit_id="BANK", min_pilot=1).id
    with db.transaction(store(settings)) as session:
        session.add_all(
            Selection(pilot_id=pilot, person_id=f"P{i:02d}", status="selected") for i in range(12)
        )
    ws = ["--pilot", str(pilot), "--workspace", str(settings.workspace)]
    formed = runner.invoke(app, ["workgroups", "form", *ws, "--groups", "3", "--save"])
    assert formed.exit_code == 0, formed.output
    assert "saved as the workgroups" in formed.stderr and "Workgroup 3" in formed.stdout
    shown = runner.invoke(app, ["workgroups", "show", *ws, "--format", "json"])
    view = json.loads(shown.stdout)
    assert [g["size"] for g in view["workgroups"]] == [4, 4, 4]
    person, target = view["workgroups"][0]["members"][0]["person_id"], view["workgroups"][1]["id"]
    moved = runner.invoke(app, ["workgroups", "move", person, "--to", str(target), *ws])
    assert moved.exit_code == 0 and f"{person} moved to Workgroup 2" in moved.stdout
    second = view["workgroups"][0]["members"][1]["person_id"]
    refused = runner.invoke(app, ["workgroups", "move", second, "--to", str(target), *ws])
    assert refused.exit_code == 2 and "below 3" in refused.stderr
    made = runner.invoke(app, ["cells", "form", *ws, "--save", "--format", "json"])
    assert made.exit_code == 0 and json.loads(made.stdout)["uneven_cells"] == 0
    both = runner.invoke(app, ["workgroups", "form", *ws, "--people", "x.csv"])
    assert both.exit_code == 2 and "--people is for files" in both.stderr
    # The bounds of the page's form, in the same words.
    for args, message in [
        (["--groups", "13"], "groups must be a whole number from 1 to 12 (12 people cannot"),
        (["--groups", "3", "--seed", "-1"], "seed must be a whole number >= 0, not -1"),
        (["--groups", "3", "--min-size", "0"], "min_size must be a whole number >= 1, not 0"),
    ]:
        refused = runner.invoke(app, ["workgroups", "form", *ws, *args])
        assert refused.exit_code == 2 and message in refused.stderr, refused.output
    refused = runner.invoke(app, ["cells", "form", *ws, "--min-size", "9", "--max-size", "8"])
    assert refused.exit_code == 2
    assert "cell sizes need 1 <= min_size <= max_size, not 9..8" in refused.stderr
