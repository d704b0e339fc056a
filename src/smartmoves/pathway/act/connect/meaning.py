"""Matching suggestions by meaning in a workspace, where the ``embeddings`` extra is
installed: what is embedded when, so that no page waits for the sentence model.

- The profiles' distinct phrases (topics, skills, activities, applications: a few hundred
  on the demo) are embedded once per analysis, by the job that analyzes the network (and
  after an import), and kept beside it in ``analytics/meaning/<key>/``.
- The model itself (seconds to load) is loaded when the server starts, in a thread
  (:func:`warm_model`); until it is, a page answers by exact words and says so, and asks
  the thread to start. A command loads it first (``network experts``, ``network
  suggest``, an import); nothing else ever loads it while someone waits.
- A phrase added since (a new application) is embedded when its index is built: a few
  short texts, milliseconds once the model is in memory. Many (no phrases were kept for
  this analysis) are embedded by a job, meanwhile pages answer by exact words.

Without the extra everything answers by exact words (TF-IDF), and the pages say so.
"""

from __future__ import annotations

import functools
import importlib.util
import shutil
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from smartmoves.data.analytics.bundles import read_bundle, write_bundle
from smartmoves.engines._sentences import EMBEDDING_MODEL
from smartmoves.pathway._cache import Kept
from smartmoves.pathway.act.connect.analysis import Network
from smartmoves.pathway.jobs import JobKind, Outcome, in_background, register, submit
from smartmoves.pathway.policy import Account
from smartmoves.settings import Settings

__all__ = [
    "MEANING_JOB",
    "Matching",
    "embed_profiles",
    "encoder_for",
    "installed",
    "matching_for",
    "model_ready",
    "warm_model",
]

FOLDER = "meaning"
# Phrases an index may embed while a page waits (once the model is loaded); more go to a job.
INLINE_PHRASES = 64

_lock = threading.Lock()
_loading: threading.Thread | None = None
_kept: dict[str, dict[str, np.ndarray]] = {}  # by analysis key: phrase -> vector


@functools.cache  # looking costs a tenth of a millisecond, and pages ask on every view
def installed() -> bool:
    """Whether the ``embeddings`` extra is installed (without importing it); installing
    it takes a new process to be seen."""
    return all(
        importlib.util.find_spec(m) is not None
        for m in ("sentence_transformers", "all_minilm_l6_v2")
    )


def model_ready() -> bool:
    """Whether the sentence model is in this process' memory."""
    from smartmoves.engines import _sentences

    return _sentences._encoder.cache_info().currsize > 0


def warm_model() -> bool:
    """Load the sentence model now (a server's start thread, a command); ``False``
    without the extra."""
    from smartmoves.engines._sentences import embed_texts
    from smartmoves.errors import ConfigError

    if not installed():
        return False
    try:
        embed_texts(["warm"])
    except ConfigError:
        return False
    return True


def _start_loading() -> None:
    global _loading
    with _lock:
        if _loading is None or not _loading.is_alive():
            _loading = threading.Thread(target=warm_model, name="warm-meaning", daemon=True)
            _loading.start()


def _folder(settings: Settings, key: str) -> Path:
    return settings.analytics_dir / FOLDER / key


def _distinct_phrases(network: Network) -> tuple[str, ...]:
    texts = network.profiles["text"].astype(str).tolist()
    if network.recent_topics is not None:
        texts += network.recent_topics["topic"].astype(str).tolist()
    return tuple(dict.fromkeys(texts))


# The distinct phrases of an analysis and its profiles: every suggestion asks whether
# any is still unread, and listing them from the frames costs a page tens of ms.
_PHRASES: Kept[tuple[str, ...]] = Kept(4)


def _phrases(network: Network) -> tuple[str, ...]:
    return _PHRASES.get((network.key, network.profiles_key), lambda: _distinct_phrases(network))


def embed_profiles(settings: Settings, network: Network) -> int:
    """Embed the network's profile phrases and keep them with its analysis (the job's
    work, and the import's); the phrases embedded, 0 without the extra."""
    if not warm_model():
        return 0
    from smartmoves.engines._sentences import embed_texts

    phrases = list(_phrases(network))
    vectors = embed_texts(phrases).astype(np.float32)
    frame = pd.DataFrame(vectors, columns=[f"d{i:03d}" for i in range(vectors.shape[1])])
    frame.insert(0, "text", phrases)
    write_bundle(_folder(settings, network.key), {"phrases": frame}, {"model": EMBEDDING_MODEL})
    for old in (settings.analytics_dir / FOLDER).iterdir():  # one analysis a workspace
        if old.name != network.key and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)
    with _lock:
        _kept.clear()
    return len(phrases)


def _stored(settings: Settings, key: str) -> dict[str, np.ndarray] | None:
    with _lock:
        if key in _kept:
            return _kept[key]
    found = read_bundle(_folder(settings, key))
    if found is None or "phrases" not in found[0]:
        return None
    frame = found[0]["phrases"]
    vectors = frame.drop(columns="text").to_numpy(np.float64)
    kept = dict(zip(frame["text"].astype(str), vectors, strict=True))
    with _lock:
        _kept.clear()
        _kept[key] = kept
    return kept


class Matching:
    """How suggestions are matched now: ``method`` (``embeddings`` or ``tfidf``) and
    ``note``, the sentence a page shows about it."""

    def __init__(self, method: str, note: str) -> None:
        self.method, self.note = method, note


BY_MEANING = (
    "Matched by meaning (a sentence model, all-MiniLM-L6-v2, reading every phrase) "
    "and by exact words."
)
NO_EXTRA = (
    "Matched by exact words only (TF-IDF): the sentence model is not installed "
    "(pip install 'smartmoves[embeddings]'), so a request in other words may find no one."
)
LOADING = (
    "Matched by exact words only (TF-IDF) for now: the sentence model is still loading, "
    "or the profiles are being read for meaning. Ask again in a minute to match by meaning."
)


def _run_embed(
    settings: Settings, account: Account, params: dict[str, Any], progress: Any
) -> Outcome:
    from smartmoves.pathway.act.connect.analysis import workspace_network

    network = workspace_network(settings, compute=True, progress=progress)
    return Outcome(f"read {embed_profiles(settings, network):,} phrases for meaning", {})


MEANING_JOB = register(
    JobKind("profile-meaning", "Reading the profiles for meaning", "organization.read", _run_embed)
)


def encoder_for(settings: Settings, network: Network, account: Account | None = None) -> Any:
    """The encoder an index of this network should use now, or ``None`` (exact words)."""
    if not installed():
        return None
    if not model_ready():  # never loaded inside a request: a server loads it in a thread
        if in_background():
            _start_loading()
        return None
    stored = _stored(settings, network.key)
    if stored is None:
        if in_background():
            submit(settings, account or Account.system("web"), MEANING_JOB, "workspace", {})
            return None
        embed_profiles(settings, network)
        stored = _stored(settings, network.key) or {}
    from smartmoves.engines._sentences import embed_texts

    def encode(texts: list[str]) -> np.ndarray:
        missing = [t for t in texts if t not in stored]
        fresh = dict(zip(missing, embed_texts(missing), strict=True)) if missing else {}
        return np.array([stored[t] if t in stored else fresh[t] for t in texts])

    unread = sum(1 for phrase in _phrases(network) if phrase not in stored)
    if unread > INLINE_PHRASES and in_background():
        submit(settings, account or Account.system("web"), MEANING_JOB, "workspace", {})
        return None
    return encode


def matching_for(method: str) -> Matching:
    """What a page says about how its suggestions were matched."""
    if method == "embeddings":
        return Matching("embeddings", BY_MEANING)
    return Matching("tfidf", LOADING if installed() else NO_EXTRA)
