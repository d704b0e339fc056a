"""The labelled O*NET tasks shipped as package data: they load, validate, and travel with
their licence and attribution."""

from __future__ import annotations

import importlib.util
import tomllib
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from smartmoves.data.reference import (
    EXPOSURE_LABELS,
    EXPOSURE_VECTORS,
    exposure_labels,
    exposure_task_vectors,
    spread_occupations,
)
from smartmoves.engines.capacity.exposure import LABELS, read_labels

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_labels_load_and_validate() -> None:
    frame = exposure_labels()
    assert list(frame.columns[:4]) == ["soc_code", "occupation", "task_id", "task"]
    assert len(frame) == 15_493 and frame["soc_code"].nunique() == 741
    tasks = read_labels(frame)  # raises on any empty task or unknown label
    assert np.bincount(tasks.codes, minlength=3).tolist() == [
        int((frame["human_exposure"] == label).sum()) for label in LABELS
    ]
    assert min(np.bincount(tasks.codes)) > 1000  # every label well represented
    assert frame["task_id"].is_unique
    assert set(frame["gpt4_exposure"]) == set(LABELS)


def test_licence_and_attribution_travel_with_the_file() -> None:
    folder = resources.files("smartmoves.data.reference")
    licence = folder.joinpath("ONET_EXPOSURE_LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "Copyright (c) 2024 OpenAI" in licence
    note = folder.joinpath("ONET_EXPOSURE.md").read_text(encoding="utf-8")
    assert "Eloundou" in note and "GPTs are GPTs" in note and "ONET_EXPOSURE_LICENSE" in note


def test_the_wheel_includes_them() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["smartmoves"]
    for name in (EXPOSURE_LABELS, EXPOSURE_VECTORS, "ONET_EXPOSURE_LICENSE", "ONET_EXPOSURE.md"):
        assert any(fnmatch(f"data/reference/{name}", p) for p in patterns), name


def test_a_spread_sample_reaches_most_major_groups() -> None:
    full = exposure_labels()
    sample = exposure_labels(occupations=40)
    assert sample["soc_code"].nunique() == 40
    majors = {code[:2] for code in full["soc_code"]}
    assert len({code[:2] for code in sample["soc_code"]}) >= 0.75 * len(majors)
    # Whole occupations: every task of a kept occupation is kept.
    kept = full[full["soc_code"].isin(set(sample["soc_code"]))]
    assert len(kept) == len(sample)
    with pytest.raises(ValueError, match="at least 1"):
        spread_occupations(full, 0)


def test_the_shipped_vectors_are_the_shipped_tasks_read_by_minilm() -> None:
    shipped = exposure_task_vectors()
    assert shipped is not None
    texts, vectors = shipped
    assert vectors.shape == (len(exposure_labels()), 384)
    assert texts[0] == exposure_labels()["task"].iloc[0].strip()
    # Unit length up to the int8 steps (1/127 each).
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=0.03)
    if importlib.util.find_spec("sentence_transformers") is None:
        pytest.skip("the embeddings extra is not installed")
    from smartmoves.engines._sentences import _encoder

    fresh = _encoder().encode(texts[:5], normalize_embeddings=True)
    np.testing.assert_allclose(vectors[:5], fresh, atol=0.5 / 127 + 1e-4)
