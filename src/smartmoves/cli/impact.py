"""``smartmoves impact``: the pilot's effect on a metric, with an honest interval.

``estimate`` reads a metric_values file and compares the pilot's scopes with the other
scopes of the same kind (see ``docs/impact.md`` for the methods and their limits).
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
    from smartmoves.pathway.act import impact
else:
    impact = lazy("smartmoves.pathway.act.impact")

impact_app = typer.Typer(
    help="Act for impact: did the pilot move its metrics, and how sure is that?",
    no_args_is_help=True,
)

METHODS = ("auto", "sdid", "synthetic-control", "did")


@impact_app.command("estimate")
def estimate(
    metric: Annotated[str, typer.Option(help="The metric_id to measure.")],
    values: Annotated[
        Path | None, typer.Option(help="Metric values file (weekly history).")
    ] = None,
    treated: Annotated[
        str | None, typer.Option(help="The pilot's scope_ids, comma-separated.")
    ] = None,
    start: Annotated[str | None, typer.Option(help="The pilot's first date (YYYY-MM-DD).")] = None,
    pilot: Annotated[
        int | None,
        typer.Option(help="A pilot of the workspace: its teams, controls and start."),
    ] = None,
    workspace: WorkspaceOption = None,
    method: Annotated[str, typer.Option(help="auto, sdid, synthetic-control or did.")] = "auto",
    alpha: Annotated[float, typer.Option(help="1 - alpha is the interval's level.")] = 0.05,
    seed: Annotated[int, typer.Option(help="Seeds the placebo draws.")] = 0,
    format: OutputOption = OutputFormat.table,
) -> None:
    """The effect on one metric of a pilot: from a file (--values, --treated, --start),
    or of a workspace's pilot (--pilot), its teams against the other teams."""
    if method not in METHODS:
        raise ConfigError(f"--method must be one of {', '.join(METHODS)}, not {method!r}")
    if pilot is not None:
        if values is not None or treated is not None or start is not None:
            raise ConfigError("--pilot takes the treated scopes and start from the workspace: "
                              "leave out --values, --treated and --start")  # fmt: skip
        found = impact.effect_for_pilot(
            settings_for(workspace), cli_account(), pilot, metric=metric, method=method,
            alpha=alpha, seed=seed,
        )  # fmt: skip
    else:
        if values is None or treated is None or start is None:
            raise ConfigError("give --values, --treated and --start, or --pilot ID")
        scopes = [s.strip() for s in treated.split(",") if s.strip()]
        if not scopes:
            raise ConfigError("--treated needs at least one scope_id (a,b,c)")
        found = impact.effect_from_file(
            values, metric=metric, treated=scopes, start=start, method=method, alpha=alpha,
            seed=seed,
        )  # fmt: skip
    if format is OutputFormat.json:
        print_json(found.to_dict())
        return
    level = f"{1 - found.alpha:.0%}"
    print_table(
        f"effect on {metric} ({found.method})",
        ("", "per date", f"{level} interval", "p-value"),
        [
            (
                "effect",
                f"{found.effect:+,.4g}",
                f"{found.ci_low:+,.4g} to {found.ci_high:+,.4g}",
                f"{found.p_value:.3g}",
            ),
            (
                "naive before/after",
                f"{found.naive.effect:+,.4g}",
                f"{found.naive.ci_low:+,.4g} to {found.naive.ci_high:+,.4g}",
                f"{found.naive.p_value:.3g}",
            ),
        ],
    )
    for line in (
        found.why,
        f"{found.n_treated} treated, {found.n_controls} controls, {found.n_pre} dates before "
        f"and {found.n_post} after; pre-period fit (RMSE) {found.pre_fit_rmse:.4g}",
        f"interval: {found.inference}",
        *(f"warning: {w}" for w in found.warnings),
    ):
        out.print(line, markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(impact_app, name="impact")
