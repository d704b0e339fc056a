"""``smartmoves import`` and ``smartmoves synth``: bring data into a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from smartmoves.cli.common import (
    WorkspaceOption,
    out,
    print_json,
    print_table,
    progress_bar,
    settings_for,
)
from smartmoves.data.contracts import IMPORT_ORDER
from smartmoves.errors import ConfigError
from smartmoves.pathway.imports import FORMATS, ImportItem, find_table_files, import_files

TABLES = ", ".join((*IMPORT_ORDER, "all"))


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
    workspace: WorkspaceOption = None,
) -> None:
    """Import a table (or `all` tables of a folder): every row valid, or nothing written.

    Bad rows are reported as FILE:ROW: column COLUMN: what is wrong (expected ...),
    with exit code 2.
    """
    settings = settings_for(workspace)
    if table == "all":
        if format != "contract":
            raise ConfigError("`import all` reads contract files; import Viva files one by one")
        items = find_table_files(file)
    else:
        items = [ImportItem(table, file, format, unit_column)]
    with progress_bar("importing") as progress:
        report = import_files(settings, items, check_only=check, progress=progress)
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
