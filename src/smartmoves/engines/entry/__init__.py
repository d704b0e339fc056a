"""Where to start: every unit scored on its ability to free capacity, its potential for
impact and its likelihood of success, each score explaining itself (see ``_score``)."""

from smartmoves.engines.entry._evidence import (
    DEFAULT_WEIGHTS,
    MAX_VOLUNTEERS,
    MIN_VOLUNTEERS,
    UnitEvidence,
    Weights,
)
from smartmoves.engines.entry._score import EntryPoint, Factor, score_entry_points

__all__ = [
    "DEFAULT_WEIGHTS",
    "MAX_VOLUNTEERS",
    "MIN_VOLUNTEERS",
    "EntryPoint",
    "Factor",
    "UnitEvidence",
    "Weights",
    "score_entry_points",
]
