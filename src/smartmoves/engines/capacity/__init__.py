"""Create capacity: how exposed each activity is to automation, what each decision
frees, and a consolidation plan that frees pilot volunteers for at least 75% of their
hours without overloading those who take over their work."""

from smartmoves.engines.capacity.consolidate import (
    Consolidation,
    ConsolidationPlan,
    plan_consolidation,
)
from smartmoves.engines.capacity.decisions import (
    CapacityAfterDecisions,
    DecisionSuggestions,
    apply_decisions,
    suggest_decisions,
)
from smartmoves.engines.capacity.exposure import (
    ExposureModel,
    ExposurePrediction,
    automation_potential_for,
    evaluate_exposure,
    load_exposure_model,
    train_exposure_model,
)

__all__ = [
    "CapacityAfterDecisions",
    "Consolidation",
    "ConsolidationPlan",
    "DecisionSuggestions",
    "ExposureModel",
    "ExposurePrediction",
    "apply_decisions",
    "automation_potential_for",
    "evaluate_exposure",
    "load_exposure_model",
    "plan_consolidation",
    "suggest_decisions",
    "train_exposure_model",
]
