"""``smartmoves import`` and ``smartmoves synth``: bring data into a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from smartmoves.cli.common import (
    WorkspaceOption,
    err,
    out,
    print_json,
    print_table,
    progress_bar,
    settings_for,
)
from smartmoves.data.contracts import FORMATS, IMPORT_ORDER
from smartmoves.errors import ConfigError, SmartMovesError

TABLES = ", ".join((*IMPORT_ORDER, "all"))
# An import of these tables changes the collaboration network.
NETWORK_INPUTS = {"interactions", "ties", "people"}


def import_table(
    table: Annotated[str, typer.Argument(help=f"The table's contract name: {TABLES}.")],
    file: Annotated[Path, typer.Argument(help="CSV, Parquet or Excel file (a folder for all).")],
    format: Annotated[
        str, typer.Option("--format", help=f"Input format: {', '.join(FORMATS)}.")
    ] = "contract",
    unit_column: Annotated[
        str | None,
        typer.Option(help="viva-person: the HR attribute that names each person's unit."),
    ] = None,
    check: Annotated[bool, typer.Option("--check", help="Validate only; write nothing.")] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    analyze: Annotated[
        bool,
        typer.Option(
            "--analyze/--no-analyze",
            help="After importing interactions, ties or people, analyze the collaboration "
            "network at once, so the web's first network page is as fast as the others.",
        ),
    ] = True,
    workspace: WorkspaceOption = None,
) -> None:
    """Import a table (or `all` tables of a folder): every row valid, or nothing written.

    Bad rows are reported as FILE:ROW: column COLUMN: what is wrong (expected ...),
    with exit code 2.
    """
    settings = settings_for(workspace)
    from smartmoves.pathway.setup.imports import ImportItem, find_table_files, import_files

    if table == "all":
        if format != "contract":
            raise ConfigError("`import all` reads contract files; import Viva files one by one")
        items = find_table_files(file)
    else:
        items = [ImportItem(table, file, format, unit_column)]
    with progress_bar("importing") as progress:
        report = import_files(settings, items, check_only=check, progress=progress)
    # Unchanged tables too: the analysis may not be kept yet (it is read back when it is).
    touched = {o.table for o in report.outcomes if o.status in ("imported", "unchanged")}
    if analyze and not check and touched & NETWORK_INPUTS:
        from smartmoves.pathway.act import connect

        try:
            with progress_bar("analyzing the network") as progress:
                network = connect.analyze_imported(settings, progress=progress)
        except SmartMovesError as exc:  # the import stands; the analysis can run later
            err.print(
                f"warning: imported, but the network analysis failed: {exc.message} "
                "(pages will start it again)",
                highlight=False,
                markup=False,
            )
            network = None
        if network is not None and not json_output:
            summary = network.analysis.summary
            out.print(
                f"network analyzed: {summary.get('people', 0):,} people, "
                f"{summary.get('ties', 0):,} ties",
                highlight=False,
            )
    if json_output:
        print_json(report.to_dict())
        return
    rows = [(o.table, o.file, o.rows, o.status, _summary_text(o.summary)) for o in report.outcomes]
    print_table(
        "checked (nothing written)" if check else "import",
        ("table", "file", "rows", "status", "notes"),
        rows,
    )


def _summary_text(summary: dict[str, object]) -> str:
    parts = []
    if "external_contacts" in summary:
        parts.append(f"{summary['external_contacts']} external contacts")
    if summary.get("attributes"):
        parts.append("attributes: " + ", ".join(map(str, summary["attributes"])))  # type: ignore[call-overload]
    if "people" in summary and "ties" in summary:
        parts.append(f"{summary['people']} people")
    return "; ".join(parts)


def synth(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the tables into.")],
    people: Annotated[int, typer.Option(min=1, help="Headcount of the bank.")] = 2000,
    weeks: Annotated[int, typer.Option(min=1, help="Weeks of history.")] = 26,
    seed: Annotated[int, typer.Option(help="Same seed, same bank.")] = 0,
    events: Annotated[
        int | None, typer.Option(help="Total interaction events (default: scales with people).")
    ] = None,
) -> None:
    """Write a synthetic regional bank (every table, and truth.json) for trying smartmoves."""
    from smartmoves.data.synth import synthesize_bank

    with progress_bar("synthesizing") as progress:
        summary = synthesize_bank(
            out_dir, people=people, weeks=weeks, seed=seed, events=events, progress=progress
        )
    out.print(f"wrote {summary.people:,} people and {summary.events:,} events to {out_dir}")


def register(app: typer.Typer) -> None:
    app.command("import")(import_table)
    app.command("synth")(synth)
