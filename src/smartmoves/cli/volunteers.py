"""``smartmoves volunteers``: a pilot's call, its applicants and the selection."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from smartmoves.cli.common import (
    OutputFormat,
    OutputOption,
    WorkspaceOption,
    cli_account,
    err,
    lazy,
    out,
    print_json,
    print_table,
    settings_for,
)
from smartmoves.errors import ConfigError

if TYPE_CHECKING:
    from smartmoves.pathway.create import volunteers
else:
    volunteers = lazy("smartmoves.pathway.create.volunteers")

volunteers_app = typer.Typer(
    help="Volunteers: the call, the applicants and the selection of a pilot.",
    no_args_is_help=True,
)

PilotOption = Annotated[int, typer.Option(help="The pilot.")]


@volunteers_app.command("list")
def list_(
    pilot: PilotOption,
    filter: Annotated[
        list[str] | None,
        typer.Option(
            "--filter",
            help="COLUMN=VALUE, repeatable: unit_id, level, location..., tenure, plan "
            "(freed, not_freed, not_in_plan), selection (selected, not_selected, undecided).",
            show_default=False,
        ),
    ] = None,
    format: OutputOption = OutputFormat.table,
    workspace: WorkspaceOption = None,
) -> None:
    """List the pilot's applicants with their unit, whether the capacity plan frees them
    and the selection."""
    filters = {}
    for item in filter or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(f"--filter {item!r}: expected COLUMN=VALUE")
        filters[key.strip()] = value.strip()
    view = volunteers.volunteers_view(
        settings_for(workspace), cli_account(), pilot, filters=filters
    )
    if format == OutputFormat.json:
        print_json(view.model_dump(mode="json"))
        return
    rows = view.rows or []
    print_table(
        f"applicants of pilot {pilot} ({view.shown} of {view.applicants})",
        ("person", "unit", "tenure", "plan", "selection", "problem"),
        [
            (r.person_id, r.unit_id, r.tenure, r.plan, r.selection or "undecided", r.problem)
            for r in rows
        ],
    )
    out.print(view.bounds, highlight=False)


@volunteers_app.command("select")
def select(
    person_ids: Annotated[list[str], typer.Argument(help="person_id of each applicant.")],
    pilot: PilotOption,
    unselect: Annotated[
        bool, typer.Option("--unselect", help="Record them as not selected instead.")
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Select applicants for the pilot (or unselect them); all or nothing."""
    status = "not_selected" if unselect else "selected"
    view = volunteers.decide(
        settings_for(workspace),
        cli_account(),
        pilot,
        [volunteers.SelectionIn(person_id=p, status=status) for p in person_ids],
    )
    out.print(f"pilot {pilot}: {len(person_ids)} {status}; {view.bounds}", highlight=False)


@volunteers_app.command("call")
def call(
    pilot: PilotOption,
    text: Annotated[
        str | None, typer.Option(help="Set the call to this text.", show_default=False)
    ] = None,
    open_: Annotated[
        bool, typer.Option("--open", help="Open the call: a draft pilot starts recruiting.")
    ] = False,
    default: Annotated[
        bool,
        typer.Option(
            "--default", help="Go back to the default call, built from the pilot's opportunity."
        ),
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Print the pilot's call for volunteers, or set it (``--text``) and open it."""
    settings = settings_for(workspace)
    writes = text is not None or open_ or default
    if not writes:
        view = volunteers.call_view(settings, cli_account(), pilot)
    else:
        view = volunteers.save_call(
            settings, cli_account(), pilot, text, open_call=open_, default=default
        )
    out.print(view.text, highlight=False, markup=False)
    for warning in view.warnings:
        err.print(f"warning: {warning}", highlight=False, markup=False)
    if writes:
        err.print(f"pilot {pilot}: call saved, status {view.status}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(volunteers_app, name="volunteers")
