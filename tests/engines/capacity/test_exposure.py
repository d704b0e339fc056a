"""The exposure model: validation, predictions, explanations, persistence, determinism."""

from __future__ import annotations

import dataclasses
import io
import json
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartmoves.engines import _sentences
from smartmoves.engines.capacity.exposure import (
    LABELS,
    ExposureModel,
    load_exposure_model,
    train_exposure_model,
)
from smartmoves.engines.capacity.exposure._text import VERB_WEIGHT, TextFeatures, activity_text
from smartmoves.errors import ConfigError, DataError

from services import spread_occupations

OCCUPATIONS = 40


@pytest.fixture(scope="module")
def labels(shared_dir: Path) -> pd.DataFrame:
    """Every 18th occupation in SOC order: about 40, spread over all major groups."""
    return spread_occupations(shared_dir, OCCUPATIONS)


@pytest.fixture(scope="module")
def model(labels: pd.DataFrame) -> ExposureModel:
    return train_exposure_model(labels, seed=0)


def activities(*names: str, descriptions: list[object] | None = None) -> pd.DataFrame:
    frame = pd.DataFrame({"activity_id": [f"a{i}" for i in range(len(names))], "name": names})
    if descriptions is not None:
        frame["description"] = descriptions
    return frame


SAMPLE = activities(
    "Prepare monthly invoices",
    "Weld steel beams on site",
    "Answer customer questions by email",
    "Écrire des rapports",
    descriptions=["for every client", None, "", "résumé 📄"],
)


# --- labels are checked before anything is learnt ---------------------------------


@pytest.mark.parametrize("column", ["soc_code", "occupation", "task_id", "task", "human_exposure"])
def test_missing_label_column_is_named(labels: pd.DataFrame, column: str) -> None:
    with pytest.raises(DataError, match=column):
        train_exposure_model(labels.drop(columns=column))


def test_bad_label_values_are_reported_with_their_rows(labels: pd.DataFrame) -> None:
    broken = labels.copy()
    broken.loc[3, "human_exposure"] = "E3"
    broken.loc[7, "task"] = "   "
    with pytest.raises(DataError) as caught:
        train_exposure_model(broken)
    where = {(p.row, p.column) for p in caught.value.problems}
    assert where == {(5, "human_exposure"), (9, "task")}
    assert "E3" in caught.value.message


def test_too_few_occupations_is_a_data_error(labels: pd.DataFrame) -> None:
    two = labels[labels["soc_code"].isin(labels["soc_code"].unique()[:2])]
    with pytest.raises(DataError, match="at least 3 occupations"):
        train_exposure_model(two)


def test_a_label_nobody_used_is_a_data_error(labels: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="E1"):
        train_exposure_model(labels[labels["human_exposure"] != "E1"])


def test_inner_folds_below_two_is_a_config_error(labels: pd.DataFrame) -> None:
    with pytest.raises(ConfigError, match="inner_folds"):
        train_exposure_model(labels, inner_folds=1)


def test_embeddings_without_the_extra_is_a_config_error(
    labels: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    # None in sys.modules makes the import fail exactly as when the extra is absent.
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    _sentences._encoder.cache_clear()
    _sentences.model_path.cache_clear()
    try:
        with pytest.raises(ConfigError, match=r"smartmoves\[embeddings\]"):
            train_exposure_model(labels, embeddings=True)
    finally:
        _sentences._encoder.cache_clear()
        _sentences.model_path.cache_clear()


def test_prediction_ignores_gpt4_and_task_type(labels: pd.DataFrame, model: ExposureModel) -> None:
    shuffled = labels.copy()
    rng = np.random.default_rng(1)
    for column in ("gpt4_exposure", "gpt4_automation", "task_type"):
        shuffled[column] = rng.permutation(shuffled[column].to_numpy())
    other = train_exposure_model(shuffled, seed=0)
    assert other.predict(SAMPLE).to_dict() == model.predict(SAMPLE).to_dict()


# --- what a prediction says ----------------------------------------------------------


def test_prediction_has_the_documented_shape(model: ExposureModel) -> None:
    out = model.predict(SAMPLE).to_dict()
    assert list(out) == ["activities"]
    keys = ["activity_id", "p_e0", "p_e1", "p_e2", "alpha", "beta", "gamma", "label", "similar"]
    assert [list(a) for a in out["activities"]] == [keys] * len(SAMPLE)
    assert [a["activity_id"] for a in out["activities"]] == list(SAMPLE["activity_id"])
    for similar in out["activities"][0]["similar"]:
        assert list(similar) == ["task_id", "task", "occupation", "label", "similarity"]
    json.dumps(out)  # plain JSON types only


def test_probabilities_and_potentials_follow_their_definitions(model: ExposureModel) -> None:
    for a in model.predict(SAMPLE).activities:
        p = np.array([a.p_e0, a.p_e1, a.p_e2])
        assert np.all((p >= 0) & (p <= 1))
        assert p.sum() == pytest.approx(1.0, abs=1e-12)
        assert a.alpha == a.p_e1
        assert a.beta == pytest.approx(a.p_e1 + 0.5 * a.p_e2, abs=1e-15)
        assert a.gamma == pytest.approx(a.p_e1 + a.p_e2, abs=1e-15)
        shifted = np.log(p) + model.label_offsets
        assert a.label == LABELS[int(np.argmax(shifted))]


def test_without_offsets_the_label_is_the_most_probable(model: ExposureModel) -> None:
    plain = dataclasses.replace(model, label_offsets=np.zeros(3))
    for a in plain.predict(SAMPLE).activities:
        assert a.label == LABELS[int(np.argmax([a.p_e0, a.p_e1, a.p_e2]))]


def test_clear_cases_get_the_expected_exposure(model: ExposureModel) -> None:
    by_id = {
        a.activity_id: a
        for a in model.predict(
            activities("Weld steel beams on site", "Write reports summarizing research findings")
        ).activities
    }
    assert by_id["a0"].label == "E0" and by_id["a0"].p_e0 > 0.6
    assert by_id["a1"].gamma > 0.6


def test_a_labelled_task_is_its_own_nearest_neighbour(
    labels: pd.DataFrame, model: ExposureModel
) -> None:
    unique = labels.drop_duplicates("task", keep=False).iloc[[0, 50, 100]]
    out = model.predict(
        pd.DataFrame({"activity_id": [1, 2, 3], "name": unique["task"].tolist()})
    ).activities
    for a, (_, row) in zip(out, unique.iterrows(), strict=True):
        first = a.similar[0]
        assert (first.task_id, first.task, first.occupation, first.label) == (
            row["task_id"],
            row["task"],
            row["occupation"],
            row["human_exposure"],
        )
        assert first.similarity == pytest.approx(1.0)


def test_similar_tasks_are_the_three_nearest(model: ExposureModel) -> None:
    english = SAMPLE.iloc[:3]  # the French one may share no word with the subset
    prediction = model.predict(english)
    # Brute force: cosine of the model's vectors against every labelled task.
    tasks = model.vectors(list(model.tasks)).toarray()
    tasks /= np.maximum(np.linalg.norm(tasks, axis=1, keepdims=True), 1e-300)
    texts = [
        ". ".join(str(x) for x in (n, d) if isinstance(x, str) and x)
        for n, d in zip(english["name"], english["description"], strict=True)
    ]
    queries = model.vectors(texts).toarray()
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    for a, sims in zip(prediction.activities, queries @ tasks.T, strict=True):
        assert len(a.similar) == 3
        best = np.sort(sims)[::-1][:3]
        assert [s.similarity for s in a.similar] == pytest.approx(best, abs=1e-6)
        for s in a.similar:
            j = model.tasks.index(s.task)
            assert sims[j] == pytest.approx(s.similarity, abs=1e-6)


def test_an_activity_sharing_no_word_gets_no_made_up_neighbours(model: ExposureModel) -> None:
    (a,) = model.predict(activities("zzqx")).activities
    assert a.similar == ()
    assert a.p_e0 + a.p_e1 + a.p_e2 == pytest.approx(1.0)


def test_to_frame_has_one_row_per_activity(model: ExposureModel) -> None:
    frame = model.predict(SAMPLE).to_frame()
    assert list(frame["activity_id"]) == list(SAMPLE["activity_id"])
    assert set(frame["label"]) <= set(LABELS)


@pytest.mark.parametrize(
    ("frame", "column"),
    [
        (pd.DataFrame({"activity_id": [1]}), "name"),
        (pd.DataFrame({"name": ["x"]}), "activity_id"),
        (pd.DataFrame({"activity_id": [1, 1], "name": ["a", "b"]}), "activity_id"),
        (pd.DataFrame({"activity_id": [1, 2], "name": ["a", None]}), "name"),
    ],
)
def test_bad_activities_are_data_errors(
    model: ExposureModel, frame: pd.DataFrame, column: str
) -> None:
    with pytest.raises(DataError, match=column):
        model.predict(frame)


def test_no_activities_no_predictions(model: ExposureModel) -> None:
    empty = pd.DataFrame({"activity_id": [], "name": []})
    assert model.predict(empty).to_dict() == {"activities": []}


@given(
    # "nan", "None" and "<NA>" are how a spreadsheet's empty cell arrives: empty names.
    names=st.lists(st.text(min_size=1, max_size=60).filter(activity_text), min_size=1, max_size=5),
    description=st.one_of(st.none(), st.just(""), st.text(max_size=80)),
)
def test_potentials_are_ordered_shares_for_any_text(
    model: ExposureModel, names: list[str], description: str | None
) -> None:
    frame = activities(*names, descriptions=[description] * len(names))
    for a in model.predict(frame).activities:
        assert 0.0 <= a.alpha <= a.beta <= a.gamma <= 1.0 + 1e-12
        assert a.p_e0 + a.p_e1 + a.p_e2 == pytest.approx(1.0)
        assert a.label in LABELS
        assert len(a.similar) <= 3
        sims = [s.similarity for s in a.similar]
        assert sims == sorted(sims, reverse=True) and all(0 < s <= 1 for s in sims)


# --- persistence and determinism ------------------------------------------------------


def test_save_and_load_predict_identically(model: ExposureModel, tmp_path: Path) -> None:
    path = model.save(tmp_path / "exposure.npz")
    loaded = load_exposure_model(path)
    assert loaded.predict(SAMPLE).to_dict() == model.predict(SAMPLE).to_dict()
    assert np.array_equal(loaded.weights, model.weights)
    assert np.array_equal(loaded.label_offsets, model.label_offsets)
    assert loaded.seed == model.seed and not loaded.embeddings


def test_the_leading_word_has_its_own_column() -> None:
    features = TextFeatures.fit(["Prepare reports", "Lift boxes", "Reports prepared daily"])
    assert features.verb_vocabulary == ("lift", "prepare", "report")
    # Same words, other order: only the leading-word block tells them apart.
    first, second = features.transform(["Prepare reports", "reports prepare"]).toarray()
    verbs = slice(features.width - len(features.verb_vocabulary), features.width)
    assert first[verbs].tolist() == [0.0, VERB_WEIGHT, 0.0]
    assert second[verbs].tolist() == [0.0, 0.0, VERB_WEIGHT]
    unseen = features.transform(["Weld beams"]).toarray()[0]
    assert not unseen[verbs].any()


def test_a_version_1_model_without_leading_words_still_loads(
    model: ExposureModel, tmp_path: Path
) -> None:
    # A version 1 file: no leading-word block, weights as wide as the two bags.
    bags = model.features.width - len(model.features.verb_vocabulary)
    old = dataclasses.replace(
        model,
        features=dataclasses.replace(model.features, verb_vocabulary=()),
        weights=np.ascontiguousarray(model.weights[:, :bags]),
    )
    path = old.save(tmp_path / "old.npz")
    with np.load(path) as archive:
        arrays = {k: archive[k] for k in archive.files if k != "verb_vocabulary"}
    meta = json.loads(arrays["meta"].tobytes())
    meta["version"] = 1
    del meta["verb_weight"]
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=False, **arrays)
    path.write_bytes(buffer.getvalue())
    loaded = load_exposure_model(path)
    assert loaded.features.verb_vocabulary == ()
    assert loaded.predict(SAMPLE).to_dict() == old.predict(SAMPLE).to_dict()


def test_saving_over_a_model_replaces_it_whole(model: ExposureModel, tmp_path: Path) -> None:
    path = tmp_path / "exposure.npz"
    path.write_bytes(b"old")
    model.save(path)
    assert load_exposure_model(path).predict(SAMPLE) == model.predict(SAMPLE)
    assert [p.name for p in tmp_path.iterdir()] == ["exposure.npz"]


def test_missing_or_foreign_files_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_exposure_model(tmp_path / "nope.npz")
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ConfigError, match="not a smartmoves exposure model"):
        load_exposure_model(junk)
    other = tmp_path / "other.npz"
    np.savez(other, x=np.arange(3))
    with pytest.raises(ConfigError, match="not a smartmoves exposure model"):
        load_exposure_model(other)


def test_truncated_file_is_a_config_error(model: ExposureModel, tmp_path: Path) -> None:
    path = model.save(tmp_path / "exposure.npz")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(ConfigError, match="not a smartmoves exposure model"):
        load_exposure_model(path)


def _rewrite(path: Path, change: dict[str, np.ndarray]) -> None:
    with np.load(path) as archive:
        arrays = {k: archive[k] for k in archive.files}
    arrays.update(change)
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=True, **arrays)
    path.write_bytes(buffer.getvalue())


def test_newer_format_version_is_refused(model: ExposureModel, tmp_path: Path) -> None:
    path = model.save(tmp_path / "exposure.npz")
    with np.load(path) as archive:
        meta = json.loads(archive["meta"].tobytes())
    meta["version"] = 99
    _rewrite(path, {"meta": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)})
    with pytest.raises(ConfigError, match="version 99"):
        load_exposure_model(path)


def test_damaged_arrays_are_config_errors(model: ExposureModel, tmp_path: Path) -> None:
    path = model.save(tmp_path / "exposure.npz")
    _rewrite(path, {"weights": np.zeros((3, 5))})
    with pytest.raises(ConfigError, match="weights"):
        load_exposure_model(path)


class _Payload:
    ran = False

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (_Payload._run, ())

    @staticmethod
    def _run() -> None:
        _Payload.ran = True


def test_loading_never_unpickles(model: ExposureModel, tmp_path: Path) -> None:
    path = model.save(tmp_path / "exposure.npz")
    payload = np.empty(1, dtype=object)
    payload[0] = _Payload()
    _rewrite(path, {"weights": payload})
    assert "weights.npy" in zipfile.ZipFile(path).namelist()
    with pytest.raises(ConfigError):
        load_exposure_model(path)
    assert not _Payload.ran


def test_same_seed_same_model(labels: pd.DataFrame, model: ExposureModel) -> None:
    again = train_exposure_model(labels, seed=0)
    assert np.array_equal(again.weights, model.weights)
    assert np.array_equal(again.calibration_weights, model.calibration_weights)
    assert again.predict(SAMPLE).to_dict() == model.predict(SAMPLE).to_dict()
