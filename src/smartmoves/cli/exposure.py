"""``smartmoves exposure``: learn how exposed activities are to automation by language
models, from task statements people labelled (E0 none, E1 direct, E2 with extra software).

Without ``--labels`` the labelled O*NET tasks shipped with smartmoves are used; a labels
file of your own has the same layout.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from smartmoves.cli.common import (
    OutputFormat,
    OutputOption,
    WorkspaceOption,
    lazy,
    out,
    print_json,
    print_table,
    progress_bar,
    settings_for,
)

if TYPE_CHECKING:
    from smartmoves.pathway.create import capacity
else:
    capacity = lazy("smartmoves.pathway.create.capacity")

exposure_app = typer.Typer(
    help="The exposure model: train it on labelled tasks, predict activities, evaluate it.",
    no_args_is_help=True,
)

LabelsOption = Annotated[
    Path | None,
    typer.Option(
        "--labels",
        help="Labelled tasks (TSV/CSV): soc_code, occupation, task_id, task, human_exposure. "
        "Default: the 15,493 labelled O*NET tasks shipped with smartmoves.",
    ),
]
SeedOption = Annotated[int, typer.Option(help="Fixes the folds and the solver's order.")]
EmbeddingsOption = Annotated[
    bool | None,
    typer.Option(
        "--embeddings/--words-only",
        help="Read sentence embeddings too (the embeddings extra), or the words alone. "
        "Default: embeddings when the extra is installed.",
        show_default=False,
    ),
]
FineTuneOption = Annotated[
    bool,
    typer.Option(
        "--fine-tune",
        help="With embeddings, fine-tune a reader on the labels instead of comparing with "
        "the nearest tasks (several minutes on a CPU, no better agreement).",
    ),
]


@exposure_app.command("train")
def train(
    out_file: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Model file to write (.npz). Default: WORKSPACE/models/exposure.npz, the "
            "one the workspace uses.",
        ),
    ] = None,
    labels: LabelsOption = None,
    occupations: Annotated[
        int | None,
        typer.Option(
            min=2,
            help="Train on this many occupations only, spread over the SOC groups: a quick "
            "model to try things with.",
        ),
    ] = None,
    seed: SeedOption = 0,
    embeddings: EmbeddingsOption = None,
    fine_tune: FineTuneOption = False,
    format: OutputOption = OutputFormat.table,
    workspace: WorkspaceOption = None,
) -> None:
    """Train the exposure model on labelled tasks (by default the shipped ones) and write
    it to one file."""
    settings = None  # set when the model goes to the workspace (no --out)
    if out_file is None:
        settings = settings_for(workspace)
        out_file = capacity.workspace_model_file(settings)
    with progress_bar("training the exposure model"):
        summary = capacity.train_model(
            labels,
            out_file,
            seed=seed,
            embeddings=embeddings,
            fine_tune=fine_tune,
            occupations=occupations,
        )
        if settings is not None:  # the workspace's model: keep its catalog's estimates
            capacity.keep_workspace_estimates(settings)
    if format == OutputFormat.json:
        print_json(summary)
        return
    counts = ", ".join(f"{k} {v:,}" for k, v in summary["labels"].items())
    out.print(
        f"trained on {summary['tasks']:,} tasks of {summary['occupations']:,} occupations "
        f"({counts}); it reads {summary['reads']}; model written to {summary['model']}",
        highlight=False,
    )


@exposure_app.command("predict")
def predict(
    model: Annotated[Path, typer.Option("--model", help="A model written by `exposure train`.")],
    activities: Annotated[
        Path,
        typer.Option("--activities", help="activities file: activity_id, name[, description]."),
    ],
    format: OutputOption = OutputFormat.table,
) -> None:
    """Each activity's exposure: P(E0), P(E1), P(E2), alpha/beta/gamma, label and the most
    similar labelled tasks."""
    with progress_bar("predicting"):
        result = capacity.predict_file(model, activities)
    if format == OutputFormat.json:
        print_json(result.to_dict())
        return
    print_table(
        "exposure (beta = E1 + half of E2: the automation potential a plan uses)",
        ("activity", "label", "E0", "E1", "E2", "alpha", "beta", "gamma", "most similar task"),
        [
            (
                a.activity_id,
                a.label,
                *(f"{p:.2f}" for p in (a.p_e0, a.p_e1, a.p_e2, a.alpha, a.beta, a.gamma)),
                f"{a.similar[0].task} ({a.similar[0].label})" if a.similar else "",
            )
            for a in result.activities
        ],
    )


@exposure_app.command("evaluate")
def evaluate(
    labels: LabelsOption = None,
    folds: Annotated[int, typer.Option(min=2, help="Folds, grouped by occupation.")] = 5,
    seed: SeedOption = 0,
    embeddings: EmbeddingsOption = None,
    fine_tune: FineTuneOption = False,
    format: OutputOption = OutputFormat.table,
) -> None:
    """Agreement with the human labels on occupations the model never saw: our model, a
    TF-IDF baseline and GPT-4's labels (when the file has gpt4_exposure)."""
    with progress_bar(f"cross-validating ({folds} folds)"):
        result = capacity.evaluate_labels(
            labels, folds=folds, seed=seed, embeddings=embeddings, fine_tune=fine_tune
        )
    if format == OutputFormat.json:
        print_json(result.to_dict())
        return
    frame = result.to_frame()
    print_table(
        "agreement with people, on occupations held out (kappa: 0 = chance, 1 = perfect)",
        ("method", "fold", "tasks", "occupations", "accuracy", "macro F1", "kappa"),
        [
            (
                r["method"],
                r["fold"],
                f"{r['tasks']:,}",
                r["occupations"],
                f"{r['accuracy']:.3f}",
                f"{r['macro_f1']:.3f}",
                f"{r['kappa']:.3f}",
            )
            for r in frame.to_dict("records")
        ],
    )


def register(app: typer.Typer) -> None:
    app.add_typer(exposure_app, name="exposure")
