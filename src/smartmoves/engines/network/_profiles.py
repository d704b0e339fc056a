"""What each person knows about, in words: profiles and a searchable index over them.

A profile is a long table ``person_id, field, text, weight``: the topic keywords of the
interactions a person took part in (weight: events), their skills, the activities they
spend hours on (weight: hours a week) and the problems they applied to work on. The
:class:`ProfileIndex` ranks people against a text by TF-IDF (sublinear term counts,
cosine similarity), or by sentence embeddings when an encoder is available, and says
which words matched in which fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from smartmoves.engines._common import require_columns
from smartmoves.errors import ConfigError

__all__ = [
    "PROFILE_FIELDS",
    "Encoder",
    "ProfileIndex",
    "expert_profiles",
    "sentence_encoder",
    "words",
]

PROFILE_FIELDS = ("topics", "skills", "activities", "applications")
PROFILE_COLUMNS = ["person_id", "field", "text", "weight"]
DEFAULT_MODEL = "all-MiniLM-L6-v2"
Encoder = Callable[[list[str]], np.ndarray]
Method = Literal["auto", "tfidf", "embeddings"]


_WORD = re.compile(r"(?u)\b\w\w+\b")


# Words of spoken English that say nothing about a subject: an application's "I would like
# to come and help" must not match a focus on what customers "would like" to do.
_CHATTER_WORDS = (
    "like want wants wanted come comes think really just make way lot lots thing things "
    "got know feel maybe actually pretty stuff sure"
)
CHATTER = frozenset(_CHATTER_WORDS.split())


def words(text: str) -> list[str]:
    """Lower-cased words of ``text`` without English stop words, plurals folded.

    A light touch on purpose: "customers" meets "customer", "processes" meets "process",
    and nothing else is guessed.

    >>> words("Why do customers leave our processes?")
    ['customer', 'leave', 'process']
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    found = []
    for word in _WORD.findall(text.lower()):
        if word in ENGLISH_STOP_WORDS or word in CHATTER:
            continue
        if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes")):
            word = word[:-2]
        elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
        found.append(word)
    return found


def _split(values: pd.Series) -> pd.Series:
    return values.dropna().astype(str).str.split(";").explode().str.strip()


def expert_profiles(
    people: pd.DataFrame,
    *,
    topics: pd.DataFrame | None = None,
    activities: pd.DataFrame | None = None,
    allocations: pd.DataFrame | None = None,
    applications: pd.DataFrame | None = None,
    skills_column: str = "skills",
) -> pd.DataFrame:
    """Gather every person's words from the tables that have them.

    Parameters
    ----------
    people
        ``person_id`` and, when present, ``skills_column`` (``;``-separated skills).
    topics
        ``person_id, topic, events`` (``smartmoves.data.analytics.person_topics``).
    activities, allocations
        The activity catalog (``activity_id, name`` and optionally ``skill``) and the
        activity inventory (``person_id, activity_id, hours_per_week``).
    applications
        ``person_id, problem, why``.

    Returns
    -------
    pandas.DataFrame
        ``person_id, field, text, weight``, one row per person and phrase; only people
        of the people table.

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": ["ana"], "unit_id": ["u"], "skills": ["SQL; pricing"]})
    >>> expert_profiles(people)
      person_id   field     text  weight
    0       ana  skills      SQL     1.0
    1       ana  skills  pricing     1.0
    """
    require_columns(people, ["person_id"], what="people")
    parts = []
    if skills_column in people.columns:
        skills = _split(people.set_index(people["person_id"].astype(str))[skills_column])
        parts.append(
            pd.DataFrame(
                {"person_id": skills.index, "field": "skills", "text": skills.values, "weight": 1.0}
            )
        )
    if topics is not None:
        require_columns(topics, ["person_id", "topic", "events"], what="topics")
        parts.append(
            pd.DataFrame(
                {
                    "person_id": topics["person_id"].astype(str),
                    "field": "topics",
                    "text": topics["topic"].astype(str),
                    "weight": pd.to_numeric(topics["events"]).astype(float),
                }
            )
        )
    if allocations is not None and activities is not None:
        require_columns(activities, ["activity_id", "name"], what="activities")
        require_columns(
            allocations, ["person_id", "activity_id", "hours_per_week"], what="allocations"
        )
        catalog = activities.set_index(activities["activity_id"].astype(str))
        labels = catalog["name"].astype(str)
        if "skill" in catalog.columns:
            labels = labels + " " + catalog["skill"].fillna("").astype(str)
        text = allocations["activity_id"].astype(str).map(labels)
        parts.append(
            pd.DataFrame(
                {
                    "person_id": allocations["person_id"].astype(str),
                    "field": "activities",
                    "text": text,
                    "weight": pd.to_numeric(allocations["hours_per_week"]).astype(float),
                }
            )
        )
    if applications is not None:
        require_columns(applications, ["person_id", "problem", "why"], what="applications")
        text = (
            applications["problem"].fillna("").astype(str)
            + " "
            + applications["why"].fillna("").astype(str)
        )
        parts.append(
            pd.DataFrame(
                {
                    "person_id": applications["person_id"].astype(str),
                    "field": "applications",
                    "text": text,
                    "weight": 1.0,
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=PROFILE_COLUMNS)
    profiles = pd.concat(parts, ignore_index=True)
    known = profiles["person_id"].isin(set(people["person_id"].astype(str)))
    profiles = profiles[known & profiles["text"].notna() & (profiles["text"].str.strip() != "")]
    return profiles.reset_index(drop=True)[PROFILE_COLUMNS]


def sentence_encoder(model: str = DEFAULT_MODEL) -> Encoder | None:
    """An encoder from the ``embeddings`` extra, or ``None`` when it is not installed.

    The default model is the one the extra ships as a package; another must be available
    offline (a folder, or already in the local cache): nothing is downloaded.
    """
    from smartmoves.engines._sentences import model_path, offline

    offline()
    try:
        from sentence_transformers import SentenceTransformer

        loaded = SentenceTransformer(model_path() if model == DEFAULT_MODEL else model)
    except ImportError:
        return None
    except Exception:  # no local copy of the model: behave as if the extra were missing
        return None

    def encode(texts: list[str]) -> np.ndarray:
        return np.asarray(loaded.encode(texts, normalize_embeddings=True))

    return encode


class ProfileIndex:
    """Owners (people, by default) searchable by text.

    Parameters
    ----------
    profiles
        Rows ``owner, field, text, weight``; ``owner`` names the owner's id column.
    method
        ``tfidf``, ``embeddings`` (needs ``encoder`` or the embeddings extra), or ``auto``
        (embeddings when available, else TF-IDF). :attr:`method` tells which ran.
    encoder
        A function turning a list of texts into an array of vectors (one row each).

    Examples
    --------
    >>> rows = pd.DataFrame({"person_id": ["ana", "bo"], "field": "skills",
    ...                      "text": ["pricing models", "payroll"], "weight": 1.0})
    >>> index = ProfileIndex(rows)
    >>> index.scores("who knows pricing?").round(2).tolist()
    [0.71, 0.0]
    >>> index.matches(0, "who knows pricing?")
    [('pricing', ['skills'])]
    """

    def __init__(
        self,
        profiles: pd.DataFrame,
        *,
        owner: str = "person_id",
        method: Method = "tfidf",
        encoder: Encoder | None = None,
    ) -> None:
        from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

        if method not in ("auto", "tfidf", "embeddings"):
            raise ConfigError(f"method must be auto, tfidf or embeddings, not {method!r}")
        require_columns(profiles, [owner, "field", "text", "weight"], what="profiles")
        if method != "tfidf" and encoder is None:
            encoder = sentence_encoder()
            if encoder is None and method == "embeddings":
                raise ConfigError(
                    "the embeddings method needs the embeddings extra and its model: "
                    "pip install 'smartmoves[embeddings]'"
                )
        self.method: str = "tfidf" if encoder is None or method == "tfidf" else "embeddings"
        owners = profiles[owner].astype(str).to_numpy()
        self.owners, codes = np.unique(owners, return_inverse=True)
        texts = profiles["text"].astype(str).tolist()
        self._vectorizer = CountVectorizer(analyzer=words)
        try:
            phrase_terms = self._vectorizer.fit_transform(texts)
        except ValueError:  # no words at all (or only stop words): nothing can match
            self._vectorizer = CountVectorizer(analyzer=words).fit(["vocabulary"])
            phrase_terms = self._vectorizer.transform(["" for _ in texts])
        self.terms = self._vectorizer.get_feature_names_out()
        fields = profiles["field"].astype(str).to_numpy()
        self._fields = {
            name: self._sum_rows(codes[fields == name], None, phrase_terms[fields == name]) > 0
            for name in sorted(set(fields))
        }
        # A mention counts at least once, so that small weights never turn a match negative.
        weight = np.maximum(pd.to_numeric(profiles["weight"]).to_numpy(np.float64), 1.0)
        counts = self._sum_rows(codes, weight, phrase_terms)
        self._tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
        self._documents = self._tfidf.transform(counts).tocsr()
        self._encoder = encoder if self.method == "embeddings" else None
        self._embeddings = (
            _unit_rows(self._encoder(_owner_texts(profiles, owner, self.owners)))
            if self._encoder is not None
            else None
        )

    def _sum_rows(self, codes: np.ndarray, weight: np.ndarray | None, phrase_terms: Any) -> Any:
        from scipy import sparse

        data = np.ones(len(codes)) if weight is None else weight
        pick = sparse.csr_matrix(
            (data, (codes, np.arange(len(codes)))), shape=(len(self.owners), len(codes))
        )
        return (pick @ phrase_terms).tocsr()

    def query_vector(self, text: str) -> Any:
        """The TF-IDF vector of ``text`` in this index's vocabulary."""
        return self._tfidf.transform(self._vectorizer.transform([text])).tocsr()

    def scores(self, text: str) -> np.ndarray:
        """Similarity of every owner to ``text`` (cosine), in the order of :attr:`owners`."""
        if self._encoder is not None and self._embeddings is not None:
            return self._embeddings @ _unit_rows(self._encoder([text]))[0]
        return np.asarray((self._documents @ self.query_vector(text).T).todense()).ravel()

    def matched_terms(self, document: Any, focus: str | Any, limit: int = 3) -> list[str]:
        """The words that weigh most in both ``document`` (a TF-IDF row) and ``focus``.

        ``focus`` is a text or another TF-IDF vector (a workgroup's pooled profile).
        """
        from scipy import sparse

        other = self.query_vector(focus) if isinstance(focus, str) else sparse.csr_matrix(focus)
        product = sparse.csr_matrix(document).multiply(other).tocoo()
        order = np.lexsort((product.col, -product.data))[:limit]
        return [str(self.terms[c]) for c in product.col[order]]

    def matches(
        self, position: int, focus: str | Any, limit: int = 3
    ) -> list[tuple[str, list[str]]]:
        """The words of ``focus`` that count most for one owner, with the fields holding them."""
        found = []
        for term in self.matched_terms(self._documents[position], focus, limit):
            column = int(np.searchsorted(self.terms, term))
            where = [f for f, m in self._fields.items() if m[position, column]]
            found.append((term, where))
        return found

    def document(self, position: int) -> Any:
        """One owner's TF-IDF row."""
        return self._documents[position]

    def pooled(self, positions: Sequence[int]) -> Any:
        """Several owners' TF-IDF rows pooled into one unit vector (a workgroup's focus)."""
        from sklearn.preprocessing import normalize

        rows = self._documents[np.asarray(positions, dtype=np.int64)]
        return normalize(np.asarray(rows.sum(axis=0)))

    def similarity_to(self, vector: Any) -> np.ndarray:
        """Cosine of every owner's TF-IDF row with a pooled ``vector``."""
        return np.asarray(self._documents @ np.asarray(vector).ravel()).ravel()

    def position(self, owner: str) -> int:
        """Where ``owner`` is in :attr:`owners`, or -1."""
        found = int(np.searchsorted(self.owners, owner))
        return found if found < len(self.owners) and self.owners[found] == owner else -1

    def group_scores(self, groups: Sequence[Sequence[int]], text: str) -> np.ndarray:
        """Similarity of each group of owners, pooled, to ``text``."""
        if self._encoder is not None and self._embeddings is not None:
            query = _unit_rows(self._encoder([text]))[0]
            means = [
                self._embeddings[list(g)].mean(axis=0) if len(g) else query * 0 for g in groups
            ]
            return _unit_rows(np.vstack(means)) @ query if means else np.zeros(0)
        query = np.asarray(self.query_vector(text).todense()).ravel()
        return np.array([float((self.pooled(g) @ query)[0]) if len(g) else 0.0 for g in groups])


def _owner_texts(profiles: pd.DataFrame, owner: str, owners: np.ndarray) -> list[str]:
    """Each owner's phrases, heaviest first, as one text for a sentence encoder."""
    ordered = profiles.assign(_owner=profiles[owner].astype(str)).sort_values(
        ["_owner", "weight", "text"], ascending=[True, False, True]
    )
    joined = ordered.groupby("_owner")["text"].agg(
        lambda s: "; ".join(dict.fromkeys(s.astype(str)))
    )
    return [str(joined.get(o, "")) for o in owners]


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float64))
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
