"""Matching by meaning: each distinct profile phrase embedded once, a person's likeness
to a question the weighted mean of their phrases' likeness, fused with exact words.

Why phrases and not one text a person: profiles repeat a few hundred phrases (topics,
skills, activities) over thousands of people, so embedding the distinct phrases costs a
second where embedding every person's joined text took minutes, and a long joined text
is cut at the model's 256 word pieces anyway. Each phrase weighs in a person's mean as in
their TF-IDF row (sublinear counts, inverse frequency over people), so a phrase that
everyone shares ("team meeting") counts little.

Why a phrase's likeness is lowered by how much it resembles its nearest phrases (CSLS,
Conneau et al. 2018): a phrase like "customer service" resembles many others ("customer
complaint", "customer advisory"...) and would otherwise answer every question with
"customer" in it; a rarer, specific phrase ("churn signals") does not pay that price.

Why fuse with exact words at a small weight (:data:`MEANING_WEIGHT`): on the synthetic
bank the words alone found almost none of the people a question phrased in other words
was about, and weighting them more let people who share only a common word ("customer")
crowd out the right ones (``benchmarks/suggestions.py``); a small weight still lifts the
people whose own words are asked for, and breaks ties.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "MEANING_WEIGHT",
    "NEIGHBOURS",
    "Meaning",
    "build_meaning",
    "fused",
    "phrase_shares",
]

# Share of the fused score that comes from meaning; the rest from exact words.
MEANING_WEIGHT = 0.9
# How many nearest phrases measure how generic a phrase is.
NEIGHBOURS = 10


@dataclass(frozen=True, eq=False)
class Meaning:
    """The embedded phrases of an index and each owner's share of them.

    ``phrases`` the distinct phrase texts; ``vectors`` their unit-length embeddings (one
    row each); ``hubness`` each phrase's mean cosine with its :data:`NEIGHBOURS` nearest
    other phrases; ``shares`` owners x phrases, each owner's row summing to 1 (0 for an
    owner without phrases); ``encoder`` what turns a question into a vector.
    """

    phrases: np.ndarray = field(repr=False)
    vectors: np.ndarray = field(repr=False)
    hubness: np.ndarray = field(repr=False)
    shares: Any = field(repr=False)
    encoder: Callable[[list[str]], np.ndarray] = field(repr=False)

    def likeness(self, text: str) -> np.ndarray:
        """How close each phrase is to ``text``, less half its hubness, floored at 0."""
        query = unit_rows(self.encoder([text]))[0]
        return np.maximum(self.vectors @ query - self.hubness / 2, 0.0)

    def scores(self, likeness: np.ndarray) -> np.ndarray:
        """Each owner's weighted mean likeness of their phrases."""
        return np.asarray(self.shares @ likeness).ravel()

    def group_scores(self, groups: list[list[int]], likeness: np.ndarray) -> np.ndarray:
        """Each group's mean of its owners' scores (0 for an empty group)."""
        each = self.scores(likeness)
        return np.array([float(each[g].mean()) if len(g) else 0.0 for g in groups])


def phrase_shares(owner_phrases: Any) -> Any:
    """Each owner's phrases weighed as in a TF-IDF row, the row summing to 1.

    ``owner_phrases`` is owners x phrases (sparse): the summed weight of each phrase in
    each owner's profile rows. Counts are sublinear (``1 + log``); the inverse frequency
    is ``log((1 + owners) / (1 + owners holding it))`` without scikit-learn's ``+ 1``: a
    phrase everyone holds (a skill of the whole organization, "team meeting") tells no
    one apart, so it weighs nothing.

    >>> from scipy import sparse
    >>> shares = phrase_shares(sparse.csr_matrix(np.array([[1.0, 5.0], [1.0, 0.0]])))
    >>> shares.toarray().round(2).tolist()
    [[0.0, 1.0], [0.0, 0.0]]
    """
    from scipy import sparse
    from sklearn.preprocessing import normalize

    counts = sparse.csr_matrix(owner_phrases, dtype=np.float64, copy=True)
    counts.data = 1.0 + np.log(np.maximum(counts.data, 1.0))
    holders = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log((1.0 + counts.shape[0]) / (1.0 + holders))
    weighted = (counts @ sparse.diags(idf)).tocsr()
    weighted.eliminate_zeros()
    return normalize(weighted, norm="l1").tocsr()


def build_meaning(
    phrases: list[str], shares: Any, encoder: Callable[[list[str]], np.ndarray]
) -> Meaning:
    """Embed ``phrases`` once (one call of ``encoder``); ``shares`` from :func:`phrase_shares`.

    >>> from scipy import sparse
    >>> def encoder(texts):  # a stand-in model: two directions of meaning
    ...     return np.array([[("churn" in t) + ("leav" in t), "tax" in t, 0.1] for t in texts])
    >>> counts = sparse.csr_matrix(np.array([[3.0, 0.0], [0.0, 2.0]]))
    >>> meaning = build_meaning(["churn signals", "tax returns"], phrase_shares(counts), encoder)
    >>> meaning.scores(meaning.likeness("customers leaving")).round(2).tolist()
    [1.0, 0.0]
    """
    vectors = unit_rows(encoder(list(phrases))) if len(phrases) else np.zeros((0, 1))
    return Meaning(
        phrases=np.asarray(phrases, dtype=object),
        vectors=vectors,
        hubness=hubness(vectors),
        shares=shares,
        encoder=encoder,
    )


def hubness(vectors: np.ndarray, neighbours: int = NEIGHBOURS) -> np.ndarray:
    """Each row's mean cosine with its ``neighbours`` nearest other rows (0 alone).

    >>> hubness(np.eye(3)).tolist()
    [0.0, 0.0, 0.0]
    """
    n = len(vectors)
    k = min(neighbours, n - 1)
    found = np.zeros(n)
    if k < 1:
        return found
    # A block of rows at a time: thousands of phrases (one per application) would make
    # the whole phrases x phrases matrix large.
    for start in range(0, n, 1024):
        similar = vectors[start : start + 1024] @ vectors.T
        rows = np.arange(len(similar))
        similar[rows, start + rows] = -np.inf
        nearest = np.partition(similar, n - k, axis=1)[:, n - k :]
        found[start : start + len(similar)] = nearest.mean(axis=1)
    return found


def fused(meaning: np.ndarray, words: np.ndarray) -> np.ndarray:
    """The score a suggestion ranks by: mostly meaning, a little exact words.

    >>> fused(np.array([0.2, 0.0]), np.array([0.0, 0.5])).round(2).tolist()
    [0.18, 0.05]
    """
    return MEANING_WEIGHT * meaning + (1 - MEANING_WEIGHT) * words


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float64))
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
