"""``smartmoves metrics``: the metrics that matter and what moves them.

``drivers`` estimates how strongly each metric moves its parent in the metric tree, from
a workspace's imports or from ``--metrics`` and ``--values`` files (see
``docs/metrics.md`` for the method and its limits).
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
else:
    recognize = lazy("smartmoves.pathway.recognize")

metrics_app = typer.Typer(
    help="The metrics that matter: which frontline metrics move the operating ones.",
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


def register(app: typer.Typer) -> None:
    app.add_typer(metrics_app, name="metrics")
