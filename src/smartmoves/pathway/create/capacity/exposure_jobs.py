"""The workspace's exposure model, trained on the shipped labels as a background job.

A workspace without ``models/exposure.npz`` leaves every activity with no
``automation_potential`` flagged. The first capacity page a web server shows for such a
workspace starts one job that trains the default model on the labelled O*NET tasks
shipped with smartmoves (reading their meaning too where the ``embeddings`` extra is
installed, the words alone otherwise; tens of seconds on two cores either way) and writes
it there; the page says so meanwhile, and the next view has the estimates. Only where jobs
run in background workers (``smartmoves serve``): a page never waits for a training, and
the command line trains with ``smartmoves exposure train`` (the demo builder calls
:func:`train_workspace_model` directly).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smartmoves.data.workspace import require_workspace
from smartmoves.pathway.create.capacity.exposure import train_model
from smartmoves.pathway.create.capacity.scope import exposure_model_path
from smartmoves.pathway.exposure_model import keep_workspace_estimates
from smartmoves.pathway.jobs import (
    Busy,
    JobKind,
    JobView,
    Outcome,
    Progress,
    in_background,
    latest_job,
    register,
    submit,
)
from smartmoves.pathway.policy import Account, require
from smartmoves.settings import Settings

__all__ = [
    "EXPOSURE_JOB",
    "exposure_model_job",
    "keep_workspace_estimates",
    "start_exposure_model",
    "train_workspace_model",
    "workspace_model_file",
]

SUBJECT = "workspace"
# Occupations the job trains on; None is all of them (a test may make it quicker).
JOB_OCCUPATIONS: int | None = None
TRAINING = "training the exposure model on the shipped labelled tasks"


def workspace_model_file(settings: Settings) -> Path:
    """The model file of the workspace (``models/exposure.npz``), which must exist.

    Raises
    ------
    ConfigError
        ``settings`` names no workspace.
    """
    require_workspace(settings)
    return exposure_model_path(settings)


def train_workspace_model(settings: Settings, *, occupations: int | None = None) -> dict[str, Any]:
    """Train the default model on the shipped labels into the workspace (replacing any);
    ``occupations`` trains on that many occupations only (a quick model). The catalog's
    estimates are kept at once, while the libraries the training loaded are there."""
    summary = train_model(None, workspace_model_file(settings), occupations=occupations)
    keep_workspace_estimates(settings)
    return summary


def _run(
    settings: Settings, account: Account, params: dict[str, Any], progress: Progress
) -> Outcome:
    require(account, "capacity.read")
    if exposure_model_path(settings).is_file():  # another way got there first
        return Outcome("the workspace already has an exposure model")
    progress(TRAINING, 0, 1)
    summary = train_workspace_model(settings, occupations=params.get("occupations"))
    progress(TRAINING, 1, 1)
    return Outcome(
        f"exposure model trained on {summary['tasks']:,} tasks of "
        f"{summary['occupations']:,} occupations",
        {"tasks": summary["tasks"], "occupations": summary["occupations"]},
    )


EXPOSURE_JOB = register(
    JobKind("exposure-model", "Training the exposure model", "capacity.read", _run)
)


def start_exposure_model(
    settings: Settings,
    account: Account,
    *,
    occupations: int | None = None,
    background_only: bool = True,
) -> JobView | None:
    """Start training the workspace's model when it has none (or return the job already
    training it); ``None`` when a model is there, or, with ``background_only``, when no
    background workers run (the caller would wait for the training).

    Anyone who may read the capacity page may have the default model trained: it decides
    nothing, it fills in the estimates every workspace is meant to have.
    """
    require(account, "capacity.read")
    if exposure_model_path(settings).is_file() or (background_only and not in_background()):
        return None
    try:
        chosen = JOB_OCCUPATIONS if occupations is None else occupations
        return submit(settings, account, EXPOSURE_JOB, SUBJECT, {"occupations": chosen})
    except Busy:  # the workers are full: the next view of the page asks again
        return None


def exposure_model_job(settings: Settings, account: Account) -> JobView | None:
    """The latest job training the workspace's model (running or finished), if any."""
    return latest_job(settings, account, EXPOSURE_JOB, SUBJECT)
