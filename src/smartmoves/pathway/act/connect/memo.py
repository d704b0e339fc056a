"""What suggestions keep in memory: the text indexes they search, and recent answers.

A Connect page asks three questions of the same profiles (whom to meet, who can help,
who faces a similar challenge), and every workgroup's page asks them again. The text
index over every profile is built once per analysis and profiles (and the one over the
recent topics once per analysis), then searched by every page; the answers themselves
are kept too, keyed by the analysis, the profiles and the question, so a page seen again
costs nothing. Both are small, bounded and shared by the server's threads.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from smartmoves.engines.network import ProfileIndex, Suggestions, profile_index, topic_profiles
from smartmoves.engines.network._index import Encoder, Method
from smartmoves.pathway._cache import Kept
from smartmoves.pathway.act.connect.analysis import Network

__all__ = [
    "ANSWERS",
    "INDEXES",
    "Memo",
    "profiles_index",
    "recent_topics_index",
    "remembered",
]

# The bounded, thread-safe store every kept view uses (one computation per key).
Memo = Kept

# Answers are small; a few hundred questions cover every workgroup of several pilots.
ANSWERS: Memo[Suggestions] = Memo(256)

# An index over 100,000 people's profiles is large, and each analysis has two (profiles,
# recent topics): keep those of the last two analyses, so the pages still open when new
# data arrives keep answering at once.
INDEXES: Memo[ProfileIndex] = Memo(4)


def remembered(
    network: Network, question: tuple[Hashable, ...], compute: Callable[[], Suggestions]
) -> Suggestions:
    """The answer to ``question`` on this analysis and profiles, computed once."""
    return ANSWERS.get((network.key, network.profiles_key, *question), compute)


def _method(encoder: Encoder | None) -> Method:
    return "embeddings" if encoder is not None else "tfidf"


def profiles_index(network: Network, encoder: Encoder | None = None) -> ProfileIndex | None:
    """The index of the network's profiles (``None`` without any), built once for the
    analysis, these profiles and the method (meaning with ``encoder``, else exact words);
    what whom-to-meet and who-can-help search."""
    profiles = network.profiles
    if profiles.empty:
        return None
    method = _method(encoder)
    return INDEXES.get(
        (network.key, network.profiles_key, "profiles", method),
        lambda: profile_index(profiles, method=method, encoder=encoder),
    )


def recent_topics_index(network: Network, encoder: Encoder | None = None) -> ProfileIndex | None:
    """The index of the recent topics of the network's people (``None`` without any),
    built once for the analysis and method; what who-faces-a-similar-challenge searches."""
    recent = network.recent_topics
    if recent is None or recent.empty:
        return None
    people = network.analysis.graph.person_ids.astype(str)
    method = _method(encoder)
    # The recent topics and the people both come from the analysis the key names.
    return INDEXES.get(
        (network.key, "recent topics", method),
        lambda: profile_index(
            topic_profiles(recent, people=people), method=method, encoder=encoder
        ),
    )
