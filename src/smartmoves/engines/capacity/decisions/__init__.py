"""Decisions per activity: automate, stop, keep or relax a metric, and what each frees.

``suggest_decisions`` ranks activities by the hours a decision would free;
``apply_decisions`` applies the chosen ones to the activity inventory. Both read the
tables the same way (``_tables``).
"""

from smartmoves.engines.capacity.decisions._apply import (
    DECISIONS,
    CapacityAfterDecisions,
    apply_decisions,
)
from smartmoves.engines.capacity.decisions._suggest import DecisionSuggestions, suggest_decisions

__all__ = [
    "DECISIONS",
    "CapacityAfterDecisions",
    "DecisionSuggestions",
    "apply_decisions",
    "suggest_decisions",
]
