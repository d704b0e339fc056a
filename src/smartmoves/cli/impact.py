"""``smartmoves impact``: the pilot's effect on a metric, with an honest interval.

``estimate`` reads a metric_values file and compares the pilot's scopes with the other
scopes of the same kind (see ``docs/impact.md`` for the methods and their limits).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from smartmoves.cli.common import OutputFormat, OutputOption, lazy, out, print_json, print_table
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
    values: Annotated[Path, typer.Option(help="Metric values file (weekly history).")],
    metric: Annotated[str, typer.Option(help="The metric_id to measure.")],
    treated: Annotated[str, typer.Option(help="The pilot's scope_ids, comma-separated.")],
    start: Annotated[str, typer.Option(help="The pilot's first date (YYYY-MM-DD).")],
    method: Annotated[str, typer.Option(help="auto, sdid, synthetic-control or did.")] = "auto",
    alpha: Annotated[float, typer.Option(help="1 - alpha is the interval's level.")] = 0.05,
    seed: Annotated[int, typer.Option(help="Seeds the placebo draws.")] = 0,
    format: OutputOption = OutputFormat.table,
) -> None:
    """The effect on one metric of a pilot run by the treated scopes from a start date."""
    if method not in METHODS:
        raise ConfigError(f"--method must be one of {', '.join(METHODS)}, not {method!r}")
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
