"""``smartmoves pilot``: start a pilot at an entry point, and list pilots."""

from __future__ import annotations

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

if TYPE_CHECKING:
    from smartmoves.pathway import pilots
else:
    pilots = lazy("smartmoves.pathway.pilots")

pilot_app = typer.Typer(help="Pilots: where the volunteers redefine work.", no_args_is_help=True)


@pilot_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="The pilot's name.")],
    unit: Annotated[str | None, typer.Option(help="The entry point's unit_id.")] = None,
    opportunity: Annotated[str | None, typer.Option(help="The opportunity, in a sentence.")] = None,
    target_free: Annotated[
        float, typer.Option(help="Share of a volunteer's hours to free.")
    ] = 0.75,
    min_pilot: Annotated[int, typer.Option(help="Fewest volunteers to free.")] = 15,
    max_pilot: Annotated[int, typer.Option(help="Most volunteers to free.")] = 60,
    workspace: WorkspaceOption = None,
) -> None:
    """Create a pilot."""
    pilot = pilots.create_pilot(
        settings_for(workspace),
        cli_account(),
        name,
        unit_id=unit,
        opportunity=opportunity,
        target_free=target_free,
        min_pilot=min_pilot,
        max_pilot=max_pilot,
    )
    out.print(f"pilot {pilot.id}: {pilot.name}", highlight=False)


@pilot_app.command("list")
def list_(format: OutputOption = OutputFormat.table, workspace: WorkspaceOption = None) -> None:
    """List pilots."""
    found = pilots.list_pilots(settings_for(workspace), cli_account())
    if format == OutputFormat.json:
        print_json([p.model_dump(mode="json") for p in found])
        return
    print_table(
        "pilots",
        ("id", "name", "entry point", "status"),
        [(p.id, p.name, p.unit_name or p.unit_id, p.status) for p in found],
    )


def register(app: typer.Typer) -> None:
    app.add_typer(pilot_app, name="pilot")
