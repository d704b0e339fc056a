"""``smartmoves metrics``: the metrics that matter and what moves them.

``drivers`` estimates how strongly each metric moves its parent in the metric tree, from
a workspace's imports or from ``--metrics`` and ``--values`` files (see
``docs/metrics.md`` for the method and its limits).

``enter``, ``target`` and ``targets`` are the pilot's Frontline metrics page on the
command line: a week entered for one of its teams, a target set, the targets in force.
They act for the user named by ``--by``, so the policy decides for that user as on the
web, and the audit log names them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from smartmoves.cli.common import (
    OutputFormat,
    OutputOption,
    WorkspaceOption,
    cli_account,
    lazy,
    out,
    print_json,
    print_table,
    settings_for,
)
from smartmoves.errors import ConfigError

if TYPE_CHECKING:
    from smartmoves.pathway import recognize
    from smartmoves.pathway.act import frontline
    from smartmoves.pathway.policy import Account
    from smartmoves.pathway.setup import users
    from smartmoves.settings import Settings
else:
    recognize = lazy("smartmoves.pathway.recognize")
    frontline = lazy("smartmoves.pathway.act.frontline")
    users = lazy("smartmoves.pathway.setup.users")

metrics_app = typer.Typer(
    help="The metrics that matter: which frontline metrics move the operating ones, and a "
    "pilot's weeks and targets.",
    no_args_is_help=True,
)


@metrics_app.command("drivers")
def drivers(
    metrics: Annotated[
        Path | None,
        typer.Option(help="Metrics file (the tree); goes with --values.", show_default=False),
    ] = None,
    values: Annotated[
        Path | None,
        typer.Option(
            help="Metric values file (weekly history); goes with --metrics.", show_default=False
        ),
    ] = None,
    format: OutputOption = OutputFormat.table,
    workspace: WorkspaceOption = None,
) -> None:
    """How much each metric moves its parent, with a 95% interval, lags 0-4 weeks."""
    if (metrics is None) != (values is None):
        raise ConfigError("--metrics and --values go together (or neither, for a workspace)")
    if metrics is not None and values is not None:
        found = recognize.drivers_from_files(metrics, values)
    else:
        found = recognize.workspace_drivers(settings_for(workspace), cli_account())
    if format is OutputFormat.json:
        data = found.to_dict()
        keep = (
            "metric_id",
            "parent_id",
            "lag",
            "coefficient",
            "ci_low",
            "ci_high",
            "standardized",
            "leading",
            "n_weeks",
            "p_value",
            "r_squared",
        )
        print_json({**data, "drivers": [{k: d[k] for k in keep} for d in data["drivers"]]})
        return
    print_table(
        "drivers at lag 0 (the same week), strongest first",
        ("metric", "moves", "per unit", "95% interval", "standardized", "leading", "weeks"),
        [
            (
                d.metric_id,
                d.parent_id,
                f"{d.coefficient:,.3g}",
                f"{d.ci_low:,.3g} to {d.ci_high:,.3g}",
                f"{d.standardized:+.2f}",
                "yes" if d.leading else "",
                d.n_weeks,
            )
            for d in sorted(
                (d for d in found.drivers if d.lag == 0), key=lambda d: -abs(d.standardized)
            )
        ],
    )
    for line in found.warnings:
        out.print(f"note: {line}", markup=False, highlight=False)


PilotOption = Annotated[int, typer.Option(help="The pilot (its id).", show_default=False)]
MetricOption = Annotated[str, typer.Option(help="A frontline metric_id.", show_default=False)]
ByOption = Annotated[
    str,
    typer.Option(help="The user (email) this is done for: the policy decides for them."),
]


def _account(settings: Settings, by: str | None) -> Account:
    return cli_account() if by is None else users.account_by_email(settings, by)


@metrics_app.command("enter")
def enter(
    pilot: PilotOption,
    metric: MetricOption,
    team: Annotated[
        str, typer.Option(help="One of the pilot's teams (a scope_id).", show_default=False)
    ],
    week: Annotated[
        str, typer.Option(help="Any day of the week (YYYY-MM-DD), kept as its Monday.")
    ],
    value: Annotated[str, typer.Option(help="The week's value (a finite number).")],
    by: ByOption,
    format: OutputOption = OutputFormat.table,
    workspace: WorkspaceOption = None,
) -> None:
    """Enter a week's value of a frontline metric for one of the pilot's teams."""
    settings = settings_for(workspace)
    entry = frontline.record_week(
        settings, _account(settings, by), pilot, metric_id=metric,
        scope_id=team, week=week, value=value,
    )  # fmt: skip
    if format is OutputFormat.json:
        print_json(entry.model_dump(mode="json"))
        return
    out.print(
        f"entered {entry.metric_id} = {entry.value:g} for team {entry.scope_id}, week of "
        f"{entry.week.isoformat()}, pilot {entry.pilot_id} (by {entry.entered_by})",
        markup=False, highlight=False,
    )  # fmt: skip


@metrics_app.command("target")
def target(
    pilot: PilotOption,
    metric: MetricOption,
    value: Annotated[str, typer.Option(help="Where the metric should be (a finite number).")],
    date: Annotated[str, typer.Option(help="By when (YYYY-MM-DD).")],
    by: ByOption,
    format: OutputOption = OutputFormat.table,
    workspace: WorkspaceOption = None,
) -> None:
    """Set the pilot's target for a frontline metric; the earlier one stays, outranked."""
    settings = settings_for(workspace)
    found = frontline.set_target(
        settings, _account(settings, by), pilot, metric_id=metric,
        value=value, by=date,
    )  # fmt: skip
    if format is OutputFormat.json:
        print_json(found.model_dump(mode="json"))
        return
    out.print(
        f"target of {found.metric_id} for pilot {pilot}: {found.value:g} by "
        f"{found.by.isoformat()} (set by {found.set_by})",
        markup=False, highlight=False,
    )  # fmt: skip


@metrics_app.command("targets")
def targets(
    pilot: PilotOption,
    by: Annotated[
        str | None,
        typer.Option(help="Read as this user (email); default: the command line, an admin."),
    ] = None,
    format: OutputOption = OutputFormat.table,
    workspace: WorkspaceOption = None,
) -> None:
    """The pilot's targets in force: the newest of each frontline metric."""
    settings = settings_for(workspace)
    found = frontline.pilot_targets(settings, _account(settings, by), pilot)
    if format is OutputFormat.json:
        print_json({"pilot_id": pilot, "targets": [t.model_dump(mode="json") for t in found]})
        return
    print_table(
        f"targets of pilot {pilot}",
        ("metric", "target", "by", "set by", "set at"),
        [
            (t.metric_id, f"{t.value:g}", t.by.isoformat(), t.set_by,
             t.set_at.isoformat(timespec="minutes") if t.set_at else "")
            for t in found
        ],
    )  # fmt: skip


def register(app: typer.Typer) -> None:
    app.add_typer(metrics_app, name="metrics")
