"""Reference data shipped with smartmoves, read from the installed package.

``exposure_labels`` gives the labelled O*NET task statements the exposure model learns
from by default (Eloundou, Manning, Mishkin and Rock, "GPTs are GPTs", Science 2024;
released under the MIT license, kept beside the file in ``ONET_EXPOSURE_LICENSE``, with
its attribution in ``ONET_EXPOSURE.md``), and ``exposure_task_vectors`` their
all-MiniLM-L6-v2 sentence vectors, so that a workspace with the ``embeddings`` extra
trains in seconds, not minutes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from importlib import resources

import numpy as np
import pandas as pd

__all__ = [
    "EXPOSURE_LABELS",
    "EXPOSURE_VECTORS",
    "exposure_labels",
    "exposure_task_vectors",
    "spread_occupations",
    "texts_digest",
    "write_exposure_task_vectors",
]

EXPOSURE_LABELS = "onet_exposure.tsv.gz"
EXPOSURE_VECTORS = "onet_exposure_minilm.npz"
# Vectors are unit length, so int8 steps of 1/127 keep them to two decimals: a quarter of
# the size of float32 (3.7 MB), and the exposure model measured within noise of float32
# on them (kappa 0.583 against 0.586, see docs/capacity.md).
_STEPS = 127.0


def texts_digest(texts: Sequence[str]) -> str:
    """SHA-256 of the texts in order, so vectors are never paired with other texts.

    >>> texts_digest(["a"]) == texts_digest(["a"]) != texts_digest(["b"])
    True
    """
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8") + b"\0")
    return digest.hexdigest()


def exposure_task_vectors() -> tuple[list[str], np.ndarray] | None:
    """The shipped tasks' texts (as the model reads them: stripped) and their sentence
    vectors (float64, one row each); ``None`` when the vectors file is missing or was made
    for other texts (then the vectors are computed, slowly, as for any labels)."""
    texts = [str(t).strip() for t in exposure_labels()["task"]]
    source = resources.files(__package__).joinpath(EXPOSURE_VECTORS)
    if not source.is_file():
        return None
    with source.open("rb") as raw, np.load(raw, allow_pickle=False) as stored:
        if str(stored["digest"]) != texts_digest(texts):
            return None
        vectors = stored["vectors"].astype(np.float64) / _STEPS
    return texts, vectors


def write_exposure_task_vectors(vectors: np.ndarray, path: str) -> None:
    """Write the vectors of the shipped tasks (in their order) as the package holds them.

    Made once with ``smartmoves.engines._sentences.embed_texts`` on the stripped task
    statements; see ``ONET_EXPOSURE.md``.
    """
    texts = [str(t).strip() for t in exposure_labels()["task"]]
    if vectors.shape[0] != len(texts):
        raise ValueError(f"{len(texts)} tasks, {vectors.shape[0]} vectors")
    steps = np.round(np.asarray(vectors) * _STEPS).astype(np.int8)
    np.savez_compressed(path, vectors=steps, digest=np.array(texts_digest(texts)))


def exposure_labels(*, occupations: int | None = None) -> pd.DataFrame:
    """The shipped labelled tasks (every cell as text, as a labels file is read).

    Columns: ``soc_code, occupation, task_id, task, task_type, human_exposure,
    gpt4_exposure, gpt4_automation``. With ``occupations``, only that many occupations,
    spread evenly over the SOC order (see :func:`spread_occupations`): a quick model to
    try things with.

    >>> frame = exposure_labels()
    >>> len(frame), frame["soc_code"].nunique()
    (15493, 741)
    >>> exposure_labels(occupations=20)["soc_code"].nunique()
    20
    """
    with resources.files(__package__).joinpath(EXPOSURE_LABELS).open("rb") as raw:
        frame = pd.read_csv(
            raw, sep="\t", compression="gzip", dtype=str, keep_default_na=False, na_filter=False
        )
    return frame if occupations is None else spread_occupations(frame, occupations)


def spread_occupations(frame: pd.DataFrame, count: int) -> pd.DataFrame:
    """The tasks of ``count`` occupations taken at even steps through the SOC order, so
    that every major group is represented in a small sample.

    >>> frame = pd.DataFrame({"soc_code": ["11-1", "11-2", "29-1", "53-1"], "task": list("abcd")})
    >>> spread_occupations(frame, 2)["soc_code"].tolist()
    ['11-1', '29-1']
    """
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count}")
    codes = sorted(frame["soc_code"].unique())
    step = max(len(codes) // count, 1)
    keep = set(codes[::step][:count])
    return frame[frame["soc_code"].isin(keep)].reset_index(drop=True)
