"""What every command shares: the workspace option, output formats, progress bars, and
the lazy imports that keep ``smartmoves --help`` quick.

A command module names the product's modules it calls with :func:`lazy`: they are
imported the first time a command uses them, not when the command line starts (pandas,
SQLAlchemy, scikit-learn and OR-Tools take seconds to import).
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

if TYPE_CHECKING:
    from smartmoves.settings import Settings

__all__ = [
    "OutputFormat",
    "OutputOption",
    "WorkspaceOption",
    "cli_account",
    "err",
    "lazy",
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


class _LazyModule:
    """Stands for a module until one of its names is used, then imports it."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)

    def __repr__(self) -> str:
        return f"<lazy {self._name}>"


def lazy(name: str) -> Any:
    """The module ``name``, imported when a command first uses it."""
    return _LazyModule(name)


def settings_for(workspace: Path | None, **overrides: Any) -> Settings:
    from smartmoves.settings import get_settings

    return get_settings(workspace, **overrides)


def cli_account() -> Any:
    """Who the command line acts as: whoever can open a workspace's files may do
    everything there (an admin), recorded in the audit log as ``cli``."""
    from smartmoves.pathway.policy import Account

    return Account.system("cli")


def print_json(data: Any) -> None:
    # Plain print: Rich would wrap and colour, and programs read this.
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    from rich.table import Table

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
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

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
        # total 0: a step that cannot say how far along it is (a pulsing bar).
        bar.update(task, description=f"{description}: {stage}", completed=done, total=total or None)

    with bar:
        yield update
