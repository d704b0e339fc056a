"""Saving and loading an exposure model as one ``.npz`` file of plain arrays.

No pickle anywhere: numbers are float arrays, texts are UTF-8 JSON held in byte arrays,
and the file is read with ``allow_pickle=False``, so opening a model file someone sent you
cannot run code. A format name and version guard against reading something else.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from smartmoves.engines._common import json_ready
from smartmoves.engines.capacity.exposure._model import LABELS, ExposureModel
from smartmoves.engines.capacity.exposure._reader import READER_LAYERS, Reader
from smartmoves.engines.capacity.exposure._text import NGRAMS, VERB_WEIGHT, TextFeatures
from smartmoves.engines.capacity.exposure._votes import VOTES
from smartmoves.errors import ConfigError

__all__ = ["FORMAT", "VERSION", "load_exposure_model", "save_model"]

FORMAT = "smartmoves-exposure-model"
# Version 2 added the leading-word block (``verb_vocabulary``, ``verb_weight``); version 1
# files have none and still load, predicting exactly as they did. Version 3 may hold a
# fine-tuned reader: its arrays are stored under ``reader.`` + the name torch gives them.
# Version 4 may vote by the nearest labelled tasks (``votes`` in the header, see
# ``_votes.py``): a smartmoves that reads only version 3 would score such a file wrongly.
VERSION = 4
_READABLE = (1, 2, 3, 4)
_READER = "reader."
_TEXTS = ("vocabulary", "stem_vocabulary", "task_ids", "tasks", "occupations", "labels")
_NUMBERS = ("idf", "stem_idf", "weights", "bias", "calibration_weights", "calibration_bias")


def save_model(model: ExposureModel, path: Path) -> Path:
    """Write ``model`` to ``path`` in one step (a partial file never replaces a good one)."""
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "labels": list(LABELS),
        "ngrams": list(NGRAMS),
        "verb_weight": VERB_WEIGHT,
        "seed": model.seed,
        "embeddings": model.embeddings,
        "reader_layers": READER_LAYERS if model.reader is not None else 0,
        "votes": model.votes,
    }
    arrays: dict[str, np.ndarray] = {"meta": _encode(meta)}
    texts = {
        "vocabulary": model.features.vocabulary,
        "stem_vocabulary": model.features.stem_vocabulary,
        "verb_vocabulary": model.features.verb_vocabulary,
        "task_ids": model.task_ids,
        "tasks": model.tasks,
        "occupations": model.occupations,
        "labels": model.labels,
    }
    arrays.update({key: _encode(list(value)) for key, value in texts.items()})
    arrays.update(
        idf=model.features.idf,
        stem_idf=model.features.stem_idf,
        weights=model.weights,
        bias=model.bias,
        calibration_weights=model.calibration_weights,
        calibration_bias=model.calibration_bias,
        label_offsets=model.label_offsets,
    )
    if model.task_embeddings is not None:
        arrays["task_embeddings"] = model.task_embeddings.astype(np.float32)
    if model.reader is not None:
        arrays.update({_READER + k: v.astype(np.float32) for k, v in model.reader.arrays.items()})
    buffer = io.BytesIO()
    np.savez_compressed(buffer, allow_pickle=False, **arrays)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(buffer.getvalue())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def load_exposure_model(path: str | Path) -> ExposureModel:
    """Read a model written by :meth:`ExposureModel.save`; it predicts exactly as before.

    Parameters
    ----------
    path : str or Path
        The ``.npz`` file.

    Returns
    -------
    ExposureModel

    Raises
    ------
    ConfigError
        The file is missing, is not an exposure model, is damaged, or was written by a
        newer format version.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "model.npz"
    >>> _ = bad.write_text("not a model")
    >>> load_exposure_model(bad)
    Traceback (most recent call last):
    ...
    smartmoves.errors.ConfigError: ... is not a smartmoves exposure model (not an .npz archive)
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"exposure model {path} does not exist")
    try:
        with np.load(path, allow_pickle=False) as archive:
            stored = {key: archive[key] for key in archive.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise _not_a_model(path, "not an .npz archive") from exc
    try:
        return _build(stored)
    except (KeyError, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise _not_a_model(path, f"damaged: {exc}") from exc


def _build(stored: dict[str, np.ndarray]) -> ExposureModel:
    meta = _decode(stored["meta"])
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ValueError("no smartmoves exposure model header")
    version = meta.get("version")
    if version not in _READABLE:
        raise ConfigError(
            f"exposure model format version {version} is not supported "
            f"(this smartmoves reads versions {', '.join(map(str, _READABLE))}); "
            "train the model again"
        )
    if meta.get("labels") != list(LABELS) or meta.get("ngrams") != list(NGRAMS):
        raise ValueError("labels or n-gram settings differ from this smartmoves")
    texts = {key: _decode(stored[key]) for key in _TEXTS}
    verbs: list[str] = []
    if version >= 2:
        if meta.get("verb_weight") != VERB_WEIGHT:
            raise ValueError("leading-word weight differs from this smartmoves")
        verbs = _decode(stored["verb_vocabulary"])
        if not isinstance(verbs, list) or not all(isinstance(v, str) for v in verbs):
            raise ValueError("verb_vocabulary is not a list of words")
    numbers = {key: _floats(stored[key]) for key in (*_NUMBERS, "label_offsets")}
    features = TextFeatures(
        vocabulary=tuple(texts["vocabulary"]),
        stem_vocabulary=tuple(texts["stem_vocabulary"]),
        idf=numbers["idf"],
        stem_idf=numbers["stem_idf"],
        verb_vocabulary=tuple(verbs),
    )
    embedded = stored.get("task_embeddings")
    dense = None if embedded is None else _floats(embedded.astype(np.float64))
    reader = _reader(meta, stored, dense is not None)
    votes = meta.get("votes", False) is True  # a file from before the votes has none
    if votes and dense is None:
        raise ValueError("the model votes by neighbours but has no task embeddings")
    scores = 3 + (3 if reader is not None else 0) + (VOTES if votes else 0)
    _check_shapes(features, numbers, texts, dense, scores)
    return ExposureModel(
        features=features,
        weights=numbers["weights"],
        bias=numbers["bias"],
        calibration_weights=numbers["calibration_weights"],
        calibration_bias=numbers["calibration_bias"],
        label_offsets=numbers["label_offsets"],
        task_ids=tuple(texts["task_ids"]),
        tasks=tuple(texts["tasks"]),
        occupations=tuple(texts["occupations"]),
        labels=tuple(texts["labels"]),
        task_embeddings=dense,
        seed=int(meta["seed"]),
        reader=reader,
        votes=votes,
    )


def _reader(meta: dict[str, Any], stored: dict[str, np.ndarray], embedded: bool) -> Reader | None:
    arrays = {k[len(_READER) :]: v for k, v in stored.items() if k.startswith(_READER)}
    layers = meta.get("reader_layers", 0)
    if not arrays and not layers:
        return None
    if layers != READER_LAYERS:
        raise ValueError(f"the reader has {layers} layers, this smartmoves reads {READER_LAYERS}")
    if not arrays or not embedded:
        raise ValueError("reader arrays or task embeddings are missing")
    for name, value in arrays.items():
        if value.dtype != np.float32 or not np.all(np.isfinite(value)):
            raise ValueError(f"reader array {name} is not finite float32")
        value.flags.writeable = False
    return Reader(arrays=arrays)


def _check_shapes(
    features: TextFeatures,
    numbers: dict[str, np.ndarray],
    texts: dict[str, Any],
    dense: np.ndarray | None,
    scores: int,
) -> None:
    width = features.width + (0 if dense is None else dense.shape[1])
    expected = {
        "idf": (len(features.vocabulary),),
        "stem_idf": (len(features.stem_vocabulary),),
        "weights": (3, width),
        "bias": (3,),
        "calibration_weights": (3, scores),
        "calibration_bias": (3,),
        "label_offsets": (3,),
    }
    for key, shape in expected.items():
        if numbers[key].shape != shape:
            raise ValueError(f"{key} has shape {numbers[key].shape}, expected {shape}")
    tasks = len(texts["tasks"])
    if any(len(texts[k]) != tasks for k in ("task_ids", "occupations", "labels")):
        raise ValueError("labelled task lists differ in length")
    if dense is not None and dense.shape[0] != tasks:
        raise ValueError("task embeddings do not match the labelled tasks")
    if not set(texts["labels"]) <= set(LABELS):
        raise ValueError("unknown labels among the labelled tasks")


def _encode(value: Any) -> np.ndarray:
    raw = json.dumps(json_ready(value), ensure_ascii=False).encode("utf-8")
    return np.frombuffer(raw, dtype=np.uint8)


def _decode(array: np.ndarray) -> Any:
    if array.dtype != np.uint8 or array.ndim != 1:
        raise ValueError("text field is not UTF-8 bytes")
    return json.loads(array.tobytes().decode("utf-8"))


def _floats(array: np.ndarray) -> np.ndarray:
    if array.dtype.kind != "f" or not np.all(np.isfinite(array)):
        raise ValueError("number field is not finite floats")
    out = np.array(array, dtype=np.float64, copy=True)
    out.flags.writeable = False
    return out


def _not_a_model(path: Path, why: str) -> ConfigError:
    return ConfigError(f"{path} is not a smartmoves exposure model ({why})")
