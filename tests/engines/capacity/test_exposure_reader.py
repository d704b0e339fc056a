"""The fine-tuned reader of the ``embeddings`` extra: it learns, it is seeded, it is saved
without pickle, and a model that has one stacks its scores with the SVM's."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from smartmoves.engines.capacity.exposure import (
    ExposureModel,
    _reader,
    load_exposure_model,
    train_exposure_model,
)
from smartmoves.engines.capacity.exposure._reader import (
    READER_LAYERS,
    fine_tune_reader,
    keep_lower_states,
)
from smartmoves.engines.capacity.exposure._votes import VOTES
from smartmoves.errors import ConfigError

from services import skip_or_fail, spread_occupations

OCCUPATIONS = 12
SAMPLE = pd.DataFrame(
    {
        "activity_id": ["a", "b", "c"],
        "name": [
            "Prepare monthly reports on loan arrears",
            "Lift and carry boxes of records to storage",
            "Write scripts that analyze customer data",
        ],
    }
)


@pytest.fixture(scope="module", autouse=True)
def _extra_installed() -> None:
    for module in ("sentence_transformers", "all_minilm_l6_v2", "torch"):
        if importlib.util.find_spec(module) is None:
            skip_or_fail(f"the embeddings extra is not installed ({module} missing)")


@pytest.fixture(scope="module")
def labels(shared_dir: Path) -> pd.DataFrame:
    """A dozen occupations spread over the SOC order: about 250 tasks."""
    return spread_occupations(shared_dir, OCCUPATIONS)


@pytest.fixture(scope="module")
def model(labels: pd.DataFrame) -> ExposureModel:
    return train_exposure_model(labels, seed=0, embeddings=True, fine_tune=True)


def test_the_reader_learns_what_the_words_say() -> None:
    # Planted: the verb decides the label; held-out tasks pair verbs with new objects.
    verbs = {0: ["Lift", "Weld", "Repair"], 1: ["Draft", "Summarize", "Translate"]}
    verbs[2] = ["Program", "Query", "Automate"]
    objects = ["pipes", "contracts", "invoices", "engines", "manuals", "ledgers", "roofs"]
    texts, codes = [], []
    for code, words in verbs.items():
        for verb in words:
            for thing in objects[:5]:
                texts.append(f"{verb} the {thing}")
                codes.append(code)
    reader = fine_tune_reader(texts, np.array(codes), seed=0, epochs=8)
    held_out = [
        f"{verb} the {thing}" for code in verbs for verb in verbs[code] for thing in objects[5:]
    ]
    truth = [code for code in verbs for _ in verbs[code] for _ in objects[5:]]
    guesses = reader.scores(held_out).argmax(axis=1)
    assert np.mean(guesses == np.array(truth)) >= 0.8


def test_fine_tuning_is_seeded_and_leaves_the_callers_random_state_alone() -> None:
    import torch

    texts = ["Lift boxes", "Draft letters", "Query databases", "Weld pipes"] * 4
    codes = np.array([0, 1, 2, 0] * 4)
    torch.manual_seed(123)
    before = torch.random.get_rng_state()
    first = fine_tune_reader(texts, codes, seed=5, epochs=2)
    assert torch.equal(torch.random.get_rng_state(), before)
    again = fine_tune_reader(texts, codes, seed=5, epochs=2)
    other = fine_tune_reader(texts, codes, seed=6, epochs=2)
    assert np.array_equal(first.scores(texts), again.scores(texts))
    assert not np.array_equal(first.scores(texts), other.scores(texts))


def test_kept_states_change_no_score_and_are_let_go_after_the_block() -> None:
    texts = ["Lift boxes", "Draft letters", "Query databases", "Weld pipes"] * 2
    reader = fine_tune_reader(texts, np.array([0, 1, 2, 0] * 2), seed=1, epochs=1)
    plain = reader.scores(texts)
    with keep_lower_states():
        kept = _reader._STATES.get()
        assert kept is not None
        first = reader.scores(texts)
        with keep_lower_states():  # a nested block shares the outer one's states
            assert _reader._STATES.get() is kept
            again = reader.scores(texts[::-1])
        assert set(kept) == set(texts)
    assert _reader._STATES.get() is None
    np.testing.assert_allclose(first, plain, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(again, plain[::-1], rtol=1e-5, atol=1e-6)


def test_training_keeps_no_states_once_done(model: ExposureModel) -> None:
    assert model.reader is not None and _reader._STATES.get() is None


def test_a_model_with_embeddings_stacks_a_reader(
    labels: pd.DataFrame, model: ExposureModel
) -> None:
    assert model.embeddings and model.reader is not None
    # Three SVM scores, then the reader's three.
    assert model.calibration_weights.shape == (3, 6)
    assert all(v.dtype == np.float32 for v in model.reader.arrays.values())
    layers = {name.split(".")[1] for name in model.reader.arrays if name.startswith("layers.")}
    assert len(layers) == READER_LAYERS
    # The calibration leans on the reader's scores, and together they fit the tasks
    # better than always saying the commonest label.
    assert np.abs(model.calibration_weights[:, 3:]).max() > 0.1
    tasks = pd.DataFrame({"activity_id": labels.index, "name": labels["task"]})
    guessed = [a.label for a in model.predict(tasks).activities]
    commonest = labels["human_exposure"].value_counts(normalize=True).max()
    assert np.mean(np.array(guessed) == labels["human_exposure"].to_numpy()) > commonest + 0.1


def test_training_twice_with_one_seed_gives_one_model(
    labels: pd.DataFrame, model: ExposureModel
) -> None:
    again = train_exposure_model(labels, seed=0, embeddings=True, fine_tune=True)
    assert again.predict(SAMPLE).to_dict() == model.predict(SAMPLE).to_dict()


def test_the_reader_is_saved_and_loaded_without_pickle(
    model: ExposureModel, tmp_path: Path
) -> None:
    path = model.save(tmp_path / "exposure.npz")
    loaded = load_exposure_model(path)
    assert loaded.reader is not None
    assert set(loaded.reader.arrays) == set(model.reader.arrays)  # type: ignore[union-attr]
    assert loaded.predict(SAMPLE).to_dict() == model.predict(SAMPLE).to_dict()
    with np.load(path, allow_pickle=False) as archive:
        meta = json.loads(archive["meta"].tobytes())
    assert meta["version"] == 4 and meta["reader_layers"] == READER_LAYERS


def test_a_reader_of_another_depth_is_refused(model: ExposureModel, tmp_path: Path) -> None:
    path = model.save(tmp_path / "exposure.npz")
    with np.load(path) as archive:
        arrays = {k: archive[k] for k in archive.files}
    meta = json.loads(arrays["meta"].tobytes())
    meta["reader_layers"] = READER_LAYERS + 1
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    np.savez(path, allow_pickle=False, **arrays)
    with pytest.raises(ConfigError, match="reader has 3 layers"):
        load_exposure_model(path)


def test_without_the_reader_the_nearest_tasks_vote(labels: pd.DataFrame, tmp_path: Path) -> None:
    plain = train_exposure_model(labels, seed=0, embeddings=True)
    assert plain.embeddings and plain.reader is None and plain.votes
    # Three SVM scores on the words, then the neighbours' votes; the SVM ignores the
    # vectors, which bring the meaning through the votes.
    assert plain.calibration_weights.shape == (3, 3 + VOTES)
    assert not plain.weights[:, -plain.task_embeddings.shape[1] :].any()  # type: ignore[union-attr]
    assert np.abs(plain.calibration_weights[:, 3:]).max() > 0.1
    # A task the model learnt from is its own nearest neighbour: the votes lean its way.
    tasks = pd.DataFrame({"activity_id": labels.index, "name": labels["task"]})
    guessed = [a.label for a in plain.predict(tasks).activities]
    words = train_exposure_model(labels, seed=0)
    alone = [a.label for a in words.predict(tasks).activities]
    truth = labels["human_exposure"].to_numpy()
    assert np.mean(np.array(guessed) == truth) > np.mean(np.array(alone) == truth)
    loaded = load_exposure_model(plain.save(tmp_path / "votes.npz"))
    assert loaded.votes and loaded.predict(SAMPLE).to_dict() == plain.predict(SAMPLE).to_dict()


def test_beside_the_reader_the_svm_reads_the_words_alone(
    labels: pd.DataFrame, model: ExposureModel
) -> None:
    assert model.task_embeddings is not None
    width = model.task_embeddings.shape[1]
    assert model.weights.shape[1] == model.features.transform(["x"]).shape[1] + width
    assert not model.weights[:, -width:].any()
    assert np.abs(model.weights[:, :-width]).max() > 0
    # So its probabilities are those of the same model without the vectors' columns,
    # which still pick the similar tasks (by meaning as well as by words).
    words_only = dataclasses.replace(model, task_embeddings=None, weights=model.weights[:, :-width])
    ours, theirs = model.predict(SAMPLE).activities, words_only.predict(SAMPLE).activities
    assert [a.label for a in ours] == [a.label for a in theirs]
    np.testing.assert_allclose([a.p_e1 for a in ours], [a.p_e1 for a in theirs], rtol=1e-9)
    assert [a.similar for a in ours] != [a.similar for a in theirs]


def test_fine_tuning_needs_the_embeddings(labels: pd.DataFrame) -> None:
    with pytest.raises(ConfigError, match="fine_tune=True needs embeddings=True"):
        train_exposure_model(labels, fine_tune=True)
