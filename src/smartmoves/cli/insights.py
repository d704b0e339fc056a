"""``smartmoves insights``: level shifts, trend changes and anomalies in metric series.

``scan`` reads a metric_values file (internal metrics and market series alike) and
prints every flag with its size, confidence and one line in words (see
``docs/insights.md`` for the method).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from smartmoves.cli.common import OutputFormat, OutputOption, lazy, out, print_json, print_table

if TYPE_CHECKING:
    from smartmoves.pathway.act import insights
else:
    insights = lazy("smartmoves.pathway.act.insights")

insights_app = typer.Typer(
    help="See the unseen: shifts, trend changes and anomalies in every metric series.",
    no_args_is_help=True,
)


@insights_app.command("scan")
def scan(
    values: Annotated[
        Path,
        typer.Option(help="Metric values file (metric_id, scope, scope_id, date, value)."),
    ],
    format: OutputOption = OutputFormat.table,
) -> None:
    """Flag level shifts, trend changes and anomalies in every series of a file."""
    found = insights.insights_from_file(values)
    if format is OutputFormat.json:
        print_json(found.to_dict())
        return
    print_table(
        f"insight flags in {found.series} series, earliest first",
        ("metric", "scope", "date", "kind", "size", "noise SD", "confidence", "what"),
        [
            (
                f.metric_id,
                f"{f.scope} {f.scope_id}",
                f.date,
                f.kind.replace("_", " "),
                f"{f.magnitude:+,.3g}",
                f"{f.magnitude_sd:+.1f}",
                f"{f.confidence:.2f}",
                f.explanation,
            )
            for f in found.flags
        ],
    )
    for line in found.warnings:
        out.print(f"note: {line}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(insights_app, name="insights")
