"""``smartmoves exposure`` in process: train on labelled O*NET tasks, predict activities,
evaluate against GPT-4's labels. A slice of the real labels file keeps it fast; the file
stays in ``../shared`` and never enters the repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartmoves.cli.main import app
from smartmoves.engines.capacity.exposure import load_exposure_model

from orgfiles import ACTIVITIES

runner = CliRunner()
ACTIVITY_KEYS = {
    "activity_id",
    "p_e0",
    "p_e1",
    "p_e2",
    "alpha",
    "beta",
    "gamma",
    "label",
    "similar",
}


def _first_occupations(shared_dir: Path, folder: Path, count: int) -> Path:
    """The tasks of the first ``count`` occupations of the labels file."""
    source = shared_dir / "data" / "onet-exposure" / "tasks_train.tsv"
    if not source.is_file():
        pytest.skip(f"{source} is not there")
    lines = source.read_text(encoding="utf-8").splitlines()
    occupations: list[str] = []
    kept = [lines[0]]
    for line in lines[1:]:
        code = line.split("\t", 1)[0]
        if code not in occupations:
            occupations.append(code)
        if len(occupations) > count:
            break
        kept.append(line)
    path = folder / f"tasks-{count}.tsv"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def labels(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 700 labelled tasks of 40 occupations."""
    return _first_occupations(shared_dir, tmp_path_factory.mktemp("labels"), 40)


@pytest.fixture(scope="module")
def model(labels: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("model") / "models" / "exposure.npz"
    result = runner.invoke(
        app, ["exposure", "train", "--labels", str(labels), "--out", str(out), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["occupations"] == 40 and summary["model"] == str(out)
    assert (
        sum(summary["labels"].values())
        == summary["tasks"]
        == len(labels.read_text(encoding="utf-8").splitlines()) - 1
    )
    return out


def test_predict_prints_the_issues_keys(model: Path, tmp_path: Path) -> None:
    activities = tmp_path / "activities.csv"
    activities.write_text(ACTIVITIES, encoding="utf-8")
    args = ["exposure", "predict", "--model", str(model), "--activities", str(activities)]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert list(found) == ["activities"]
    assert [a["activity_id"] for a in found["activities"]] == ["A-CALLS", "A-RECON", "A-REPORT"]
    for a in found["activities"]:
        assert set(a) == ACTIVITY_KEYS and a["label"] in ("E0", "E1", "E2")
        assert a["p_e0"] + a["p_e1"] + a["p_e2"] == pytest.approx(1)
        assert a["alpha"] <= a["beta"] <= a["gamma"]
        assert all({"task", "label", "similarity"} <= set(s) for s in a["similar"])
    # The file holds the model: loading it again predicts the same.
    again = load_exposure_model(model)
    assert model.suffix == ".npz" and again.labels
    assert json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout) == found
    table = runner.invoke(app, args)
    assert table.exit_code == 0 and "A-RECON" in table.stdout


def test_evaluate_compares_with_gpt4(shared_dir: Path, tmp_path: Path) -> None:
    labels = _first_occupations(shared_dir, tmp_path, 16)
    result = runner.invoke(
        app, ["exposure", "evaluate", "--labels", str(labels), "--folds", "2", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    folds = json.loads(result.stdout)["folds"]
    assert {f["method"] for f in folds} == {"model", "baseline", "gpt4"}
    assert sorted({f["fold"] for f in folds}) == [1, 2]
    assert all(-1 <= f["kappa"] <= 1 for f in folds)
    assert sum(f["occupations"] for f in folds if f["method"] == "model") == 16


def test_bad_labels_are_one_line_per_row(tmp_path: Path) -> None:
    bad = tmp_path / "labels.tsv"
    bad.write_text(
        "soc_code\toccupation\ttask_id\ttask\thuman_exposure\n"
        "1\tClerk\t1\tFile papers\tE4\n"
        "1\tClerk\t2\t\tE1\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["exposure", "train", "--labels", str(bad), "--out", str(tmp_path / "m.npz")]
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: exposure labels:2: column human_exposure: unknown label 'E4' "
        "(expected E0, E1 or E2)",
        "error: exposure labels:3: column task: is empty",
    ]
    assert not (tmp_path / "m.npz").exists()
    activities = tmp_path / "activities.csv"
    activities.write_text(ACTIVITIES, encoding="utf-8")
    missing = runner.invoke(
        app,
        [
            "exposure",
            "predict",
            "--model",
            str(tmp_path / "none.npz"),
            "--activities",
            str(activities),
        ],
    )
    assert missing.exit_code == 2 and len(missing.stderr.splitlines()) == 1
    assert "none.npz" in missing.stderr


def test_train_with_embeddings_fine_tunes_a_reader(shared_dir: Path, tmp_path: Path) -> None:
    import importlib.util

    from services import skip_or_fail

    if importlib.util.find_spec("sentence_transformers") is None:
        skip_or_fail("the embeddings extra is not installed")
    labels = _first_occupations(shared_dir, tmp_path, 8)
    out = tmp_path / "exposure.npz"
    args = ["exposure", "train", "--labels", str(labels), "--out", str(out), "--fine-tune"]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["embeddings"] is True and summary["fine_tuned"] is True
    activities = tmp_path / "activities.csv"
    activities.write_text(ACTIVITIES, encoding="utf-8")
    predicted = runner.invoke(
        app, ["exposure", "predict", "--model", str(out), "--activities", str(activities)]
    )
    assert predicted.exit_code == 0, predicted.output
    assert load_exposure_model(out).reader is not None


def test_train_without_labels_uses_the_shipped_tasks(tmp_path: Path) -> None:
    out = tmp_path / "exposure.npz"
    args = ["exposure", "train", "--occupations", "30", "--out", str(out), "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["labels_file"] == "the labelled O*NET tasks shipped with smartmoves"
    assert summary["occupations"] == 30 and summary["model"] == str(out)
    model = load_exposure_model(out)
    assert len(model.tasks) == summary["tasks"] and set(model.labels) == {"E0", "E1", "E2"}


def test_train_writes_the_workspace_model_by_default(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(folder)]).exit_code == 0
    result = runner.invoke(app, ["exposure", "train", "--occupations", "20", "-w", str(folder)])
    assert result.exit_code == 0, result.output
    assert "trained on" in result.stdout
    assert load_exposure_model(folder / "models" / "exposure.npz").labels
    # Outside a workspace there is nowhere to put it: one line, exit code 2.
    nowhere = runner.invoke(
        app, ["exposure", "train", "--occupations", "20", "-w", str(tmp_path / "none")]
    )
    assert nowhere.exit_code == 2 and len(nowhere.stderr.splitlines()) == 1
    assert "not a smartmoves workspace" in nowhere.stderr
    assert not (tmp_path / "none" / "models").exists()


def test_words_only_is_the_model_of_a_workspace_without_the_extra(tmp_path: Path) -> None:
    out = tmp_path / "exposure.npz"
    args = ["exposure", "train", "--occupations", "20", "--words-only", "--out", str(out)]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["embeddings"] is False and "words alone" in summary["reads"]
    model = load_exposure_model(out)
    assert not model.embeddings and not model.votes


def test_the_default_reads_meaning_where_the_extra_is_installed(tmp_path: Path) -> None:
    import importlib.util

    from services import skip_or_fail

    if importlib.util.find_spec("sentence_transformers") is None:
        skip_or_fail("the embeddings extra is not installed")
    out = tmp_path / "exposure.npz"
    args = ["exposure", "train", "--occupations", "20", "--out", str(out), "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["embeddings"] is True
    model = load_exposure_model(out)
    assert model.votes and model.reader is None
