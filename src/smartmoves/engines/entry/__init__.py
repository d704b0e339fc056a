"""Whether and where to start: the catalyst and the champion judged against the seeds'
questions (see ``_catalyst``), and every unit scored on its ability to free capacity,
its potential for impact and its likelihood of success, each score explaining itself
(see ``_score``)."""

from smartmoves.engines.entry._catalyst import (
    CATALYST_TYPES,
    QUESTIONS,
    CatalystVerdict,
    ChampionVerdict,
    judge_catalyst,
    judge_champion,
)
from smartmoves.engines.entry._evidence import (
    DEFAULT_WEIGHTS,
    MAX_VOLUNTEERS,
    MIN_VOLUNTEERS,
    SCORES,
    UnitEvidence,
    Weights,
)
from smartmoves.engines.entry._score import EntryPoint, EntryRanking, Factor, score_entry_points

__all__ = [
    "CATALYST_TYPES",
    "DEFAULT_WEIGHTS",
    "MAX_VOLUNTEERS",
    "MIN_VOLUNTEERS",
    "QUESTIONS",
    "SCORES",
    "CatalystVerdict",
    "ChampionVerdict",
    "EntryPoint",
    "EntryRanking",
    "Factor",
    "UnitEvidence",
    "Weights",
    "judge_catalyst",
    "judge_champion",
    "score_entry_points",
]
