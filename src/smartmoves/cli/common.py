"""What every command shares: the workspace option, output formats, progress bars."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from smartmoves.settings import Settings, get_settings

__all__ = [
    "OutputFormat",
    "OutputOption",
    "WorkspaceOption",
    "err",
    "out",
    "print_json",
    "print_table",
    "progress_bar",
    "settings_for",
]

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder (default: SMARTMOVES_WORKSPACE or the current folder).",
        show_default=False,
    ),
]
OutputOption = Annotated[
    OutputFormat,
    typer.Option("--format", help="table for people, json for programs (stable keys)."),
]


def settings_for(workspace: Path | None, **overrides: Any) -> Settings:
    return get_settings(workspace, **overrides)


def print_json(data: Any) -> None:
    # Plain print: Rich would wrap and colour, and programs read this.
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    table = Table(title=title, title_justify="left")
    for c in columns:
        table.add_column(c, overflow="fold")
    for row in rows:
        table.add_row(
            *("" if v is None else f"{v:,.2f}" if isinstance(v, float) else str(v) for v in row)
        )
    out.print(table)


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[str, int, int], None]]:
    """A Rich progress bar driven by ``(stage, done, total)`` callbacks.

    Shown on stderr and only in a terminal, so JSON on stdout stays clean.
    """
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    task = bar.add_task(description, total=None)

    def update(stage: str, done: int, total: int) -> None:
        bar.update(task, description=f"{description}: {stage}", completed=done, total=total)

    with bar:
        yield update
