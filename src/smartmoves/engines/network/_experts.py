"""Who can help with a text: people ranked by their profile, and the result type of
every suggestion.

Every suggestion carries ``why``: the words that matched and where, or the path through
the network that makes it a weak, cross-silo tie; and ``matched_in``, each matched word
with the fields holding it, so that whoever shows a suggestion can say why in other words
(without the fields a reader may not see).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from smartmoves.engines._common import EngineResult, json_ready, require_columns
from smartmoves.engines.network._index import Encoder, Method, ProfileIndex, index_for
from smartmoves.errors import ConfigError

__all__ = ["Suggestions", "find_experts"]

FIELD_WORDS = {
    "topics": "interaction topics",
    "skills": "skills",
    "activities": "activities",
    "applications": "application",
}


@dataclass(frozen=True, eq=False)
class Suggestions(EngineResult):
    """Ranked suggestions of one ``kind`` (``experts``, ``connections``, ``similar``).

    ``query`` records what was asked; ``method`` how relevance was judged (``tfidf``,
    ``embeddings``, or ``network`` when only the ties ranked them).
    """

    kind: str
    query: dict[str, Any]
    method: str
    suggestions: pd.DataFrame = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "query": json_ready(self.query),
            "method": self.method,
            "suggestions": json_ready(self.suggestions),
        }

    def to_frame(self) -> pd.DataFrame:
        return self.suggestions.copy()


def required_text(value: str | None, name: str) -> str:
    if value is None or not str(value).strip():
        raise ConfigError(f"{name}: say in a few words what it is about")
    return str(value).strip()


def explain(matches: list[tuple[str, list[str]]]) -> str:
    parts = [
        f"'{term}' in {', '.join(FIELD_WORDS.get(f, f) for f in fields)}"
        for term, fields in matches
    ]
    return "matches " + "; ".join(parts) if parts else ""


def where_matched(matches: list[tuple[str, list[str]]]) -> dict[str, list[str]]:
    """Each matched word and the profile fields that hold it.

    >>> where_matched([("pricing", ["skills", "topics"])])
    {'pricing': ['skills', 'topics']}
    """
    return {term: list(fields) for term, fields in matches}


def ranked(frame: pd.DataFrame, by: list[str], ascending: list[bool], limit: int) -> pd.DataFrame:
    frame = frame.sort_values(by, ascending=ascending, kind="stable").head(limit)
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    return frame.reset_index(drop=True)


# By meaning every phrase is a little like any question: only people at least this share
# of the best match's score are listed (of everyone's, so that leaving someone out never
# changes who else is listed).
RELATIVE_FLOOR = 0.2


def close_enough(scores: np.ndarray, method: str) -> float:
    """The score a match must pass: 0 by words; by meaning, a fifth of the best one.

    >>> close_enough(np.array([0.5, 0.1]), "embeddings"), close_enough(np.array([0.5]), "tfidf")
    (0.1, 0.0)
    """
    if method != "embeddings" or not len(scores):
        return 0.0
    return float(RELATIVE_FLOOR * max(scores.max(), 0.0))


def check_limit(limit: int) -> None:
    # bool is an int to Python, and 2.5 would reach pandas' positional indexing.
    if isinstance(limit, bool) or not isinstance(limit, int | np.integer) or limit < 1:
        raise ConfigError(f"limit must be a whole number of at least 1, not {limit!r}")


def find_experts(
    profiles: pd.DataFrame,
    text: str,
    *,
    people: pd.DataFrame | None = None,
    limit: int = 10,
    method: Method = "auto",
    encoder: Encoder | None = None,
    exclude: Iterable[str] = (),
    index: ProfileIndex | None = None,
) -> Suggestions:
    """Who can help with ``text``: people ranked by how well their profile matches it.

    Parameters
    ----------
    profiles
        ``person_id, field, text, weight`` (see :func:`expert_profiles`).
    text
        What help is needed, in a few words.
    people
        Optional people table, to show each expert's unit.
    method, encoder
        ``tfidf``; ``embeddings`` (with ``encoder`` or the embeddings extra); ``auto``
        uses embeddings when available.
    exclude
        People not to suggest (the one asking, the workgroup's members).
    index
        The index :func:`profile_index` built from these ``profiles`` (with ``method``,
        unless that is ``auto``), to search instead of building it again: the answer is
        the same. Without it, one is built here.

    Returns
    -------
    Suggestions
        ``rank, person_id, unit_id, score, matched, matched_in, why``; only people with a
        positive score (by meaning: a fifth of the best one's, :data:`RELATIVE_FLOOR`).
        ``matched_in`` maps each matched word to the fields holding it.

    Raises
    ------
    ConfigError
        An empty ``text``; a bad ``limit`` or ``method``; an ``index`` built from other
        profiles or with another method, or given with an ``encoder``.

    Examples
    --------
    >>> profiles = pd.DataFrame({
    ...     "person_id": ["ana", "ana", "bo"], "field": ["topics", "skills", "skills"],
    ...     "text": ["pricing", "pricing models", "payroll"], "weight": [12, 1, 1]})
    >>> found = find_experts(profiles, "help with pricing", method="tfidf")
    >>> found.suggestions[["person_id", "why"]].to_dict("records")
    [{'person_id': 'ana', 'why': "matches 'pricing' in skills, interaction topics"}]
    >>> found.suggestions["matched_in"].iloc[0]
    {'pricing': ['skills', 'topics']}

    Asking several questions of the same profiles, build the index once:

    >>> from smartmoves.engines.network import profile_index
    >>> index = profile_index(profiles)
    >>> for text in ("payroll", "pricing"):
    ...     found = find_experts(profiles, text, method="tfidf", index=index)
    ...     print(text, found.suggestions["person_id"].tolist())
    payroll ['bo']
    pricing ['ana']
    """
    check_limit(limit)
    query = required_text(text, "text")
    index = index_for(profiles, index=index, method=method, encoder=encoder)
    scores = index.scores(query)
    skip = {str(p) for p in exclude}
    floor = close_enough(scores, index.method)
    keep = np.array(
        [s > floor and o not in skip for o, s in zip(index.owners, scores, strict=True)]
    )
    frame = pd.DataFrame({"person_id": index.owners[keep].astype(str), "score": scores[keep]})
    frame = ranked(frame, ["score", "person_id"], [False, True], limit)
    units = _unit_lookup(people)
    matched, matched_in, why = [], [], []
    for person in frame["person_id"]:
        found = index.matches(index.position(person), query)
        matched.append([term for term, _ in found])
        matched_in.append(where_matched(found))
        reason = explain(found) or "close in meaning to the request (embeddings)"
        why.append(reason)
    frame.insert(2, "unit_id", [units.get(p) for p in frame["person_id"]])
    frame["matched"], frame["matched_in"], frame["why"] = matched, matched_in, why
    return Suggestions("experts", {"text": query, "exclude": sorted(skip)}, index.method, frame)


def _unit_lookup(people: pd.DataFrame | None) -> dict[str, str]:
    if people is None:
        return {}
    require_columns(people, ["person_id", "unit_id"], what="people")
    return dict(zip(people["person_id"].astype(str), people["unit_id"].astype(str), strict=True))
