"""Collaboration network: ties, people and unit figures, brokers, communities, suggestions.

See ``docs/network.md`` for every definition. The ties come from
``smartmoves.data.analytics.build_ties``; this package never reads files.
"""

from smartmoves.engines.network._analysis import NetworkAnalysis, analyze_network
from smartmoves.engines.network._diverse import PER_UNIT, diversified
from smartmoves.engines.network._experts import Suggestions, find_experts
from smartmoves.engines.network._index import ProfileIndex, profile_index, sentence_encoder
from smartmoves.engines.network._profiles import PROFILE_FIELDS, expert_profiles, topic_profiles
from smartmoves.engines.network._suggest import similar_challenges, suggest_connections
from smartmoves.engines.network._ties import TieGraph, tie_graph

__all__ = [
    "PER_UNIT",
    "PROFILE_FIELDS",
    "NetworkAnalysis",
    "ProfileIndex",
    "Suggestions",
    "TieGraph",
    "analyze_network",
    "diversified",
    "expert_profiles",
    "find_experts",
    "profile_index",
    "sentence_encoder",
    "similar_challenges",
    "suggest_connections",
    "tie_graph",
    "topic_profiles",
]
