"""From an activity's words to the sparse vectors the exposure model reads.

Two bags of word 1-3 grams side by side: one of the words as written, one of crude stems,
so that "analyze", "analyzes" and "analyzing" share evidence while the exact phrasing
still counts. A third, one-hot block holds the stem of the first word alone: task
statements open with their verb ("Prepare", "Inspect", "Lift"), and knowing which word
leads, not only that it occurs somewhere, raised grouped cross-validation kappa by about
1.2 points (0.547 to 0.559; the first two words together, or the last word, did worse).
Rare n-grams are kept on purpose: O*NET reuses whole phrases across
occupations, and dropping n-grams seen once cost two points of kappa in grouped
cross-validation.

The vocabulary and the idf weights are plain arrays, so that a saved model holds no
pickled object (see ``_store.py``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import scipy.sparse as sp

__all__ = [
    "Analysed",
    "TextFeatures",
    "activity_text",
    "analyse",
    "leading_word",
    "stem_words",
    "words",
]

_WORD = re.compile(r"[a-z0-9]+")

# Longest first: the first suffix that leaves a stem of four letters or more is cut.
_SUFFIXES = (
    "ations",
    "ation",
    "ments",
    "ment",
    "ings",
    "izes",
    "ized",
    "ises",
    "ised",
    "ing",
    "ies",
    "ied",
    "ize",
    "ise",
    "ers",
    "ors",
    "es",
    "ed",
    "ly",
    "er",
    "or",
    "s",
)

NGRAMS = (1, 3)
# Value of the leading-word column; 0.5 to 2 measured within 0.3 points of kappa of 1.
VERB_WEIGHT = 1.0


def activity_text(name: object, description: object = None) -> str:
    """The text the model reads for one activity: its name, then its description.

    >>> activity_text("Prepare invoices", "Monthly, for every client")
    'Prepare invoices. Monthly, for every client'
    >>> activity_text("Prepare invoices", float("nan"))
    'Prepare invoices'
    """
    parts = [_clean(name), _clean(description)]
    return ". ".join(p for p in parts if p)


def _clean(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value).strip()
    return "" if text.lower() in {"nan", "<na>", "none"} else text


def words(text: str) -> list[str]:
    """Lower-case ASCII words of ``text`` (accents folded, punctuation dropped).

    >>> words("Réviser les contrats, e-mail!")
    ['reviser', 'les', 'contrats', 'e', 'mail']
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(folded.lower())


def stem_words(tokens: Sequence[str]) -> list[str]:
    """Cut common English suffixes so that inflections of one verb share a stem.

    >>> stem_words(["analyzes", "analyzing", "records", "prepare"])
    ['analyz', 'analyz', 'record', 'prepare']
    """
    return [_stem(token) for token in tokens]


@lru_cache(maxsize=50_000)
def _stem(token: str) -> str:
    # Cached: task statements reuse a few thousand words, and stemming was most of the
    # time a training spent reading text.
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            return token[: -len(suffix)]
    return token


def _ngrams(tokens: Sequence[str]) -> list[str]:
    low, high = NGRAMS
    return [
        " ".join(tokens[i : i + n])
        for n in range(low, high + 1)
        for i in range(len(tokens) - n + 1)
    ]


@dataclass(frozen=True)
class Analysed:
    """A text's written and stemmed n-grams and its leading stem: read once, then used by
    every fit and transform of one training (its inner folds read the same tasks)."""

    written: list[str]
    stemmed: list[str]
    leading: str


def analyse(texts: Sequence[str]) -> list[Analysed]:
    """The n-grams :meth:`TextFeatures.fit` and :meth:`TextFeatures.transform` read."""
    out = []
    for text in texts:
        tokens = words(text)
        stems = stem_words(tokens)
        out.append(Analysed(_ngrams(tokens), _ngrams(stems), stems[0] if stems else ""))
    return out


def leading_word(text: str) -> str:
    """Stem of the first word (usually the task's verb); empty when there is none.

    >>> leading_word("Analyzes budgets, prepares reports")
    'analyz'
    """
    tokens = stem_words(words(text)[:1])
    return tokens[0] if tokens else ""


@dataclass(frozen=True)
class TextFeatures:
    """A fitted vocabulary with idf weights for the written and the stemmed bag.

    ``transform`` gives sublinear tf-idf rows, each bag scaled to unit length, the two
    bags side by side, then the leading-word block (``VERB_WEIGHT`` in the column of the
    text's first stem, when training saw it). A model saved before the leading-word block
    existed loads with an empty ``verb_vocabulary`` and scores exactly as it did.
    """

    vocabulary: tuple[str, ...]
    stem_vocabulary: tuple[str, ...]
    idf: np.ndarray
    stem_idf: np.ndarray
    verb_vocabulary: tuple[str, ...] = ()

    @classmethod
    def fit(cls, texts: Sequence[str] | Sequence[Analysed]) -> TextFeatures:
        """Learn both vocabularies and their smoothed idf from ``texts`` (or their
        :func:`analyse`)."""
        analysed = _analysed(texts)
        vocab, idf = _fit_bag([a.written for a in analysed])
        stem_vocab, stem_idf = _fit_bag([a.stemmed for a in analysed])
        idf.flags.writeable = False
        stem_idf.flags.writeable = False
        verbs = tuple(sorted({a.leading for a in analysed} - {""}))
        return cls(vocab, stem_vocab, idf, stem_idf, verbs)

    @property
    def width(self) -> int:
        """Number of columns :meth:`transform` returns."""
        return len(self.vocabulary) + len(self.stem_vocabulary) + len(self.verb_vocabulary)

    @cached_property
    def _indexes(self) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
        return (
            {term: i for i, term in enumerate(self.vocabulary)},
            {term: i for i, term in enumerate(self.stem_vocabulary)},
            {term: i for i, term in enumerate(self.verb_vocabulary)},
        )

    def transform(self, texts: Sequence[str] | Sequence[Analysed]) -> sp.csr_matrix:
        """Tf-idf rows of ``texts`` (or their :func:`analyse`); n-grams outside the
        vocabulary are ignored."""
        analysed = _analysed(texts)
        index, stem_index, verb_index = self._indexes
        written = _bag_rows([a.written for a in analysed], index, self.idf)
        stemmed = _bag_rows([a.stemmed for a in analysed], stem_index, self.stem_idf)
        verbs = _leading_rows([a.leading for a in analysed], verb_index)
        return sp.hstack([written, stemmed, verbs], format="csr")


def _analysed(texts: Sequence[str] | Sequence[Analysed]) -> list[Analysed]:
    return [t if isinstance(t, Analysed) else analyse([t])[0] for t in texts]


def _fit_bag(docs: Sequence[list[str]]) -> tuple[tuple[str, ...], np.ndarray]:
    doc_freq: dict[str, int] = {}
    for grams in docs:
        for term in set(grams):
            doc_freq[term] = doc_freq.get(term, 0) + 1
    vocab = tuple(sorted(doc_freq))
    df = np.array([doc_freq[t] for t in vocab], dtype=float)
    # The smoothed idf scikit-learn uses: as if one extra document held every term.
    idf = np.log((1.0 + len(docs)) / (1.0 + df)) + 1.0
    return vocab, idf


def _leading_rows(leading: Sequence[str], index: dict[str, int]) -> sp.csr_matrix:
    found = [(r, index[word]) for r, word in enumerate(leading) if word in index]
    rows = np.asarray([r for r, _ in found], dtype=np.int64)
    cols = np.asarray([c for _, c in found], dtype=np.int64)
    values = np.full(len(found), VERB_WEIGHT)
    return sp.csr_matrix((values, (rows, cols)), shape=(len(leading), len(index)))


def _bag_rows(docs: Sequence[list[str]], index: dict[str, int], idf: np.ndarray) -> sp.csr_matrix:
    rows: list[int] = []
    cols: list[int] = []
    for r, grams in enumerate(docs):
        found = [col for col in map(index.get, grams) if col is not None]
        rows.extend([r] * len(found))
        cols.extend(found)
    # One entry per n-gram seen; the matrix adds up repeats into counts, columns in order.
    counts = sp.csr_matrix(
        (np.ones(len(cols)), (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
        shape=(len(docs), len(idf)),
    )
    counts.sum_duplicates()
    counts.sort_indices()
    matrix = counts.copy()
    matrix.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)
