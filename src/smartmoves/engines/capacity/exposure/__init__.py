"""How exposed each activity is to large language models (E0 none, E1 direct, E2 with
extra software), learned from task statements with human labels.

``train_exposure_model`` learns from labelled tasks, ``ExposureModel.predict`` gives each
activity its probabilities, alpha/beta/gamma and the most similar labelled tasks,
``evaluate_exposure`` measures agreement with people on occupations the model never saw,
and ``automation_potential_for`` picks the figure the capacity plan uses (flagging
activities with none).
"""

from smartmoves.engines.capacity.exposure._evaluate import (
    ExposureEvaluation,
    FoldScore,
    evaluate_exposure,
)
from smartmoves.engines.capacity.exposure._model import (
    LABELS,
    ActivityExposure,
    ExposureModel,
    ExposurePrediction,
    SimilarTask,
    read_activities,
)
from smartmoves.engines.capacity.exposure._potential import (
    ActivityPotential,
    AutomationPotential,
    automation_potential_for,
)
from smartmoves.engines.capacity.exposure._store import load_exposure_model
from smartmoves.engines.capacity.exposure._train import read_labels, train_exposure_model

__all__ = [
    "LABELS",
    "ActivityExposure",
    "ActivityPotential",
    "AutomationPotential",
    "ExposureEvaluation",
    "ExposureModel",
    "ExposurePrediction",
    "FoldScore",
    "SimilarTask",
    "automation_potential_for",
    "evaluate_exposure",
    "load_exposure_model",
    "read_activities",
    "read_labels",
    "train_exposure_model",
]
