"""``smartmoves report``: a pilot's report as a file a champion forwards (HTML or PDF)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from smartmoves.cli.common import WorkspaceOption, cli_account, lazy, out, settings_for
from smartmoves.errors import ConfigError

if TYPE_CHECKING:
    from smartmoves.pathway.act import report_files
else:
    report_files = lazy("smartmoves.pathway.act.report_files")


def _day(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(f"--start: {text[:40]!r} is not a date (YYYY-MM-DD)") from None


def report(
    pilot: Annotated[int, typer.Option(help="The pilot's id.")],
    to: Annotated[
        Path,
        typer.Option(
            "--out",
            help="The file to write: .html (one self-contained page) or .pdf.",
            show_default=False,
        ),
    ],
    start: Annotated[
        str | None,
        typer.Option(
            help="The pilot's first week (YYYY-MM-DD), when the workspace does not record "
            "it (a pilot that ran before smartmoves knew of it).",
            show_default=False,
        ),
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Write a pilot's report: entry point and why, capacity freed, workgroups, each
    frontline metric with the pilot's effect and its chart, and flags to discuss."""
    if to.suffix.lower() not in (".html", ".pdf"):
        raise ConfigError(f"--out must end in .html or .pdf, not {to.suffix or 'nothing'!r}")
    day = _day(start)
    written = report_files.write_report(
        settings_for(workspace), cli_account(), pilot, to, start=day
    )
    out.print(f"wrote the report of pilot {pilot} to {written}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("report")(report)
