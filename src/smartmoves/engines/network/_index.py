"""A searchable text index over profiles: who matches a text, and which words matched.

:func:`profile_index` builds a :class:`ProfileIndex` from profile rows ``owner, field,
text, weight`` (see :mod:`._profiles`): TF-IDF over each owner's words (sublinear term
counts, cosine similarity), or sentence embeddings when an encoder is available.
Building it is the costly part of every suggestion (each phrase is split into words in
Python); searching it is cheap. So a caller that asks several questions of the same
profiles builds it once and hands it to :func:`find_experts`, :func:`suggest_connections`
or :func:`similar_challenges` as ``index=``: the answers are the same as when each
builds its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from smartmoves.engines._common import EngineResult, require_columns
from smartmoves.engines.network._meaning import (
    Meaning,
    build_meaning,
    fused,
    phrase_shares,
)
from smartmoves.errors import ConfigError

__all__ = [
    "DEFAULT_MODEL",
    "Encoder",
    "Method",
    "ProfileIndex",
    "index_for",
    "phrase_counts",
    "profile_index",
    "sentence_encoder",
    "words",
]

DEFAULT_MODEL = "all-MiniLM-L6-v2"
Encoder = Callable[[list[str]], np.ndarray]
Method = Literal["auto", "tfidf", "embeddings"]
METHODS = ("auto", "tfidf", "embeddings")


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


def sentence_encoder(model: str = DEFAULT_MODEL) -> Encoder | None:
    """An encoder from the ``embeddings`` extra, or ``None`` when it is not installed.

    The default model is the one the extra ships as a package, loaded once a process (and
    each text embedded once, :func:`smartmoves.engines._sentences.embed_texts`); another
    must be available offline (a folder, or already in the local cache): nothing is
    downloaded.
    """
    from smartmoves.engines._sentences import embed_texts, model_path, offline

    offline()
    try:
        if model == DEFAULT_MODEL:
            model_path()
            return embed_texts
        from sentence_transformers import SentenceTransformer

        loaded = SentenceTransformer(model)
    except (ImportError, ConfigError):
        return None
    except Exception:  # no local copy of the model: behave as if the extra were missing
        return None

    def encode(texts: list[str]) -> np.ndarray:
        return np.asarray(loaded.encode(texts, normalize_embeddings=True))

    return encode


@dataclass(frozen=True, eq=False)
class ProfileIndex(EngineResult):
    """Owners (people, by default) searchable by text; built by :func:`profile_index`.

    Frozen and never changed by a search, so one index can answer many questions, from
    several threads at once.

    ``method`` tells which ran (``tfidf``, or ``embeddings``: meaning fused with exact
    words, see :mod:`._meaning`); ``owners`` are the owners' ids, sorted (a position in
    the index is a position in ``owners``); ``terms`` the vocabulary, sorted; ``profiles``
    a copy of the rows it was built from (so that a function handed the index can check
    it was built from the profiles it was given); ``phrases`` the distinct phrases,
    ``shares`` owners x phrases (each owner's phrases weighed, summing to 1) and
    ``phrase_fields`` the fields holding each owner's phrase: what a reason quotes.
    """

    method: str
    owner: str
    owners: np.ndarray = field(repr=False)
    terms: np.ndarray = field(repr=False)
    profiles: pd.DataFrame = field(repr=False)
    vectorizer: Any = field(repr=False)
    tfidf: Any = field(repr=False)
    documents: Any = field(repr=False)  # owners x terms, TF-IDF rows of unit length
    fields: dict[str, Any] = field(repr=False)  # field -> owners x terms, True where it holds
    encoder: Encoder | None = field(repr=False)
    phrases: np.ndarray = field(repr=False)
    shares: Any = field(repr=False)
    phrase_fields: dict[str, Any] = field(repr=False)  # field -> owners x phrases
    phrase_words: Any = field(repr=False)  # phrases x terms, TF-IDF rows of unit length
    meaning: Meaning | None = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "owner": self.owner,
            "owners": [str(o) for o in self.owners],
            "terms": [str(t) for t in self.terms],
        }

    def to_frame(self) -> pd.DataFrame:
        """``owner, term, weight``: each owner's words by TF-IDF weight, heaviest first."""
        rows = self.documents.tocoo()
        frame = pd.DataFrame(
            {
                self.owner: self.owners[rows.row].astype(str),
                "term": self.terms[rows.col].astype(str),
                "weight": rows.data,
            }
        )
        frame = frame.sort_values([self.owner, "weight", "term"], ascending=[True, False, True])
        return frame.reset_index(drop=True)

    def built_from(self, profiles: pd.DataFrame) -> bool:
        """Whether ``profiles`` are the rows this index was built from (values, labels
        and types alike: anything else could rank differently)."""
        return profiles is self.profiles or profiles.equals(self.profiles)

    def query_vector(self, text: str) -> Any:
        """The TF-IDF vector of ``text`` in this index's vocabulary."""
        return self.tfidf.transform(self.vectorizer.transform([text])).tocsr()

    def scores(self, text: str) -> np.ndarray:
        """Similarity of every owner to ``text``, in the order of :attr:`owners`: the
        cosine of TF-IDF rows, or that fused with meaning (``embeddings``)."""
        words = np.asarray((self.documents @ self.query_vector(text).T).todense()).ravel()
        if self.meaning is None:
            return words
        return fused(self.meaning.scores(self.meaning.likeness(text)), words)

    def phrase_scores(self, text: str) -> np.ndarray:
        """How well each of :attr:`phrases` answers ``text`` (as :meth:`scores` does an
        owner): what :meth:`closest` picks a person's phrase by."""
        words = np.asarray((self.phrase_words @ self.query_vector(text).T).todense()).ravel()
        if self.meaning is None:
            return words
        return fused(self.meaning.likeness(text), words)

    def closest(self, position: int, phrase_scores: np.ndarray) -> tuple[str, list[str]] | None:
        """The phrase of one owner that answers best (by :meth:`phrase_scores`), with the
        fields holding it; ``None`` when none of their phrases answers at all.

        >>> rows = pd.DataFrame({"person_id": ["ana", "ana", "bo"],
        ...                      "field": ["skills", "topics", "skills"],
        ...                      "text": ["pricing models", "payroll", "payroll"], "weight": 1.0})
        >>> index = profile_index(rows)
        >>> index.closest(0, index.phrase_scores("pricing"))
        ('pricing models', ['skills'])

        A phrase everyone holds tells no one apart, and is never the reason:

        >>> index.closest(1, index.phrase_scores("payroll")) is None
        True
        """
        row = self.shares[position]
        if row.nnz == 0:
            return None
        weighted = row.data * phrase_scores[row.indices]
        if weighted.max() <= 0:
            return None
        # Ties go to the phrase first met in the profiles: the same answer every run.
        best = int(row.indices[np.lexsort((row.indices, -weighted))[0]])
        where = [f for f, m in self.phrase_fields.items() if m[position, best]]
        return str(self.phrases[best]), where

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
        for term in self.matched_terms(self.documents[position], focus, limit):
            column = int(np.searchsorted(self.terms, term))
            where = [f for f, m in self.fields.items() if m[position, column]]
            found.append((term, where))
        return found

    def document(self, position: int) -> Any:
        """One owner's TF-IDF row."""
        return self.documents[position]

    def pooled(self, positions: Sequence[int]) -> Any:
        """Several owners' TF-IDF rows pooled into one unit vector (a workgroup's focus)."""
        from sklearn.preprocessing import normalize

        rows = self.documents[np.asarray(positions, dtype=np.int64)]
        return normalize(np.asarray(rows.sum(axis=0)))

    def similarity_to(self, vector: Any) -> np.ndarray:
        """Cosine of every owner's TF-IDF row with a pooled ``vector``."""
        return np.asarray(self.documents @ np.asarray(vector).ravel()).ravel()

    def position(self, owner: str) -> int:
        """Where ``owner`` is in :attr:`owners`, or -1."""
        found = int(np.searchsorted(self.owners, owner))
        return found if found < len(self.owners) and self.owners[found] == owner else -1

    def group_scores(self, groups: Sequence[Sequence[int]], text: str) -> np.ndarray:
        """Similarity of each group of owners, pooled, to ``text``."""
        query = np.asarray(self.query_vector(text).todense()).ravel()
        words = np.array([float((self.pooled(g) @ query)[0]) if len(g) else 0.0 for g in groups])
        if self.meaning is None:
            return words
        likeness = self.meaning.likeness(text)
        return fused(self.meaning.group_scores([list(g) for g in groups], likeness), words)


def check_method(method: str) -> None:
    if method not in METHODS:
        raise ConfigError(f"method must be auto, tfidf or embeddings, not {method!r}")


def profile_index(
    profiles: pd.DataFrame,
    *,
    owner: str = "person_id",
    method: Method = "tfidf",
    encoder: Encoder | None = None,
) -> ProfileIndex:
    """Index profile rows for search by text.

    Parameters
    ----------
    profiles
        Rows ``owner, field, text, weight`` (see :func:`expert_profiles`).
    owner
        The column naming each row's owner.
    method
        ``tfidf``, ``embeddings`` (needs ``encoder`` or the embeddings extra), or ``auto``
        (embeddings when available, else TF-IDF). The result's ``method`` tells which ran.
    encoder
        A function turning a list of texts into an array of vectors (one row each).

    Returns
    -------
    ProfileIndex
        Frozen; hand it to the suggestion functions as ``index=`` with the same profiles.

    Raises
    ------
    ConfigError
        An unknown ``method``; ``embeddings`` without an encoder or the extra.
    DataError
        A column is missing.

    Examples
    --------
    >>> rows = pd.DataFrame({"person_id": ["ana", "bo"], "field": "skills",
    ...                      "text": ["pricing models", "payroll"], "weight": 1.0})
    >>> index = profile_index(rows)
    >>> index.scores("who knows pricing?").round(2).tolist()
    [0.71, 0.0]
    >>> index.matches(0, "who knows pricing?")
    [('pricing', ['skills'])]
    """
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.preprocessing import normalize

    check_method(method)
    require_columns(profiles, [owner, "field", "text", "weight"], what="profiles")
    if method != "tfidf" and encoder is None:
        encoder = sentence_encoder()
        if encoder is None and method == "embeddings":
            raise ConfigError(
                "the embeddings method needs the embeddings extra and its model: "
                "pip install 'smartmoves[embeddings]'"
            )
    used = "tfidf" if encoder is None or method == "tfidf" else "embeddings"
    owners, codes = np.unique(profiles[owner].astype(str).to_numpy(), return_inverse=True)
    vectorizer, phrase_terms = phrase_counts(profiles["text"].astype(str))
    fields = profiles["field"].astype(str).to_numpy()
    in_field = {
        name: _sum_rows(len(owners), codes[fields == name], None, phrase_terms[fields == name]) > 0
        for name in sorted(set(fields))
    }
    # A mention counts at least once, so that small weights never turn a match negative.
    weight = np.maximum(pd.to_numeric(profiles["weight"]).to_numpy(np.float64), 1.0)
    counts = _sum_rows(len(owners), codes, weight, phrase_terms)
    tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
    documents = tfidf.transform(counts).tocsr()
    # The matrices stay as scipy made them (their indices unsorted): sorting them would
    # change the order of the sums in every search, and so the last bits of the scores.
    owners.flags.writeable = False
    terms = vectorizer.get_feature_names_out()
    terms.flags.writeable = False
    kept = encoder if used == "embeddings" else None
    phrase_codes, phrases = pd.factorize(profiles["text"].astype(str), sort=False)
    shape = (len(owners), len(phrases))
    in_phrase = sparse.csr_matrix((weight, (codes, phrase_codes)), shape=shape)
    shares = phrase_shares(in_phrase)
    phrase_fields = {}
    for name in sorted(set(fields)):
        held = fields == name
        cells = (np.ones(int(held.sum())), (codes[held], phrase_codes[held]))
        phrase_fields[name] = sparse.csr_matrix(cells, shape=shape) > 0
    phrase_words = normalize(tfidf.transform(vectorizer.transform(list(phrases))))
    meaning = build_meaning(list(phrases), shares, kept) if kept is not None else None
    return ProfileIndex(
        method=used,
        owner=owner,
        owners=owners,
        terms=terms,
        profiles=profiles.copy(),  # a copy: the caller may change its frame afterwards
        vectorizer=vectorizer,
        tfidf=tfidf,
        documents=documents,
        fields=in_field,
        encoder=kept,
        phrases=np.asarray(phrases, dtype=object),
        shares=shares,
        phrase_fields=phrase_fields,
        phrase_words=phrase_words,
        meaning=meaning,
    )


def phrase_counts(texts: pd.Series) -> tuple[Any, Any]:
    """A fitted ``CountVectorizer(analyzer=words)`` and its phrases x terms counts.

    The very matrix ``fit_transform`` makes of ``texts`` (the order of the indices within
    each row included, on which the last bits of later sums depend), but each distinct
    phrase is split into words once: profiles repeat a few hundred phrases (the same
    topic, skill or activity) over a hundred thousand rows, and splitting words in Python
    is what building an index costs. The distinct phrases go in the order they first
    appear, so that the vocabulary is met in the same order as over every row.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    codes, distinct = pd.factorize(texts, sort=False)
    vectorizer = CountVectorizer(analyzer=words)
    try:
        counts = vectorizer.fit_transform(distinct.tolist())
    except ValueError:  # no words at all (or only stop words): nothing can match
        vectorizer = CountVectorizer(analyzer=words).fit(["vocabulary"])
        return vectorizer, vectorizer.transform(["" for _ in range(len(texts))])
    return vectorizer, counts[codes]


def index_for(
    profiles: pd.DataFrame,
    *,
    index: ProfileIndex | None,
    method: Method,
    encoder: Encoder | None,
) -> ProfileIndex:
    """``index`` when it was built from ``profiles`` with ``method``, else a new one.

    What each suggestion function does with its ``index=``: an index built from other
    rows, or with another method, would answer differently from the one the function
    would build, so it is refused rather than used.
    """
    if index is None:
        return profile_index(profiles, method=method, encoder=encoder)
    check_method(method)
    if not isinstance(index, ProfileIndex):
        raise ConfigError(f"index must be a ProfileIndex (profile_index), not {type(index)}")
    if encoder is not None:
        raise ConfigError("give the encoder to profile_index, not beside a built index")
    if method != "auto" and method != index.method:
        raise ConfigError(f"the index was built for method {index.method!r}, not {method!r}")
    if index.owner != "person_id" or not index.built_from(profiles):
        raise ConfigError("the index was built from other profiles than the ones given")
    return index


def _sum_rows(owners: int, codes: np.ndarray, weight: np.ndarray | None, phrase_terms: Any) -> Any:
    """Each owner's row: the sum of their phrases' rows (weighted)."""
    from scipy import sparse

    data = np.ones(len(codes)) if weight is None else weight
    pick = sparse.csr_matrix((data, (codes, np.arange(len(codes)))), shape=(owners, len(codes)))
    return (pick @ phrase_terms).tocsr()
