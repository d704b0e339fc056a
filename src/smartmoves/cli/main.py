"""The ``smartmoves`` command: a thin group of commands, one module per group.

Known failures (bad input, a missing workspace, impossible constraints) print one
clear line per problem on stderr and exit with the error's code (2 for bad input);
a user never sees a traceback for them.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from smartmoves import __version__
from smartmoves.cli import (
    audit,
    backup,
    capacity,
    coaching,
    data,
    demo,
    entry,
    exposure,
    impact,
    insights,
    metrics,
    network,
    pilots,
    recognize,
    report,
    serve,
    users,
    volunteers,
    workgroups,
    workspace,
)
from smartmoves.cli.common import err
from smartmoves.errors import SmartMovesError

__all__ = ["app", "main"]


class _SmartMovesGroup(TyperGroup):
    """Turns :class:`SmartMovesError` into lines on stderr and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except SmartMovesError as exc:
            for line in exc.lines():
                err.print(f"error: {line}", markup=False, highlight=False)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=_SmartMovesGroup,
    name="smartmoves",
    help="Redefine work: find where to start, free people, form workgroups, connect them "
    "and measure their impact.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"smartmoves {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
) -> None:
    """Redefine work with smartmoves."""


workspace.register(app)
backup.register(app)
data.register(app)
users.register(app)
audit.register(app)
metrics.register(app)
recognize.register(app)
insights.register(app)
entry.register(app)
pilots.register(app)
capacity.register(app)
volunteers.register(app)
exposure.register(app)
network.register(app)
workgroups.register(app)
coaching.register(app)
impact.register(app)
report.register(app)
serve.register(app)
demo.register(app)


def main() -> None:
    app()
