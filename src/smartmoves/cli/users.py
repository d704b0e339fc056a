"""``smartmoves users``: who may log in to the web workspace, and with which role."""

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
    from smartmoves.pathway.setup import users
else:
    users = lazy("smartmoves.pathway.setup.users")

users_app = typer.Typer(help="Users of the web workspace.", no_args_is_help=True)


@users_app.command("add")
def add(
    email: Annotated[str, typer.Argument(help="The user's email (their login).")],
    role: Annotated[str, typer.Option(help="admin, champion, supervisor or member.")],
    password: Annotated[
        str | None,
        typer.Option(help="At least 10 characters; default: a random one, printed once."),
    ] = None,
    person_id: Annotated[
        str | None, typer.Option(help="The user's person_id in the imported people.")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Name to show.")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Add a user. Their password is stored only as an argon2 hash."""
    chosen = password or users.new_password()
    account = users.add_account(
        settings_for(workspace), email, role, chosen, person_id=person_id, display_name=name
    )
    out.print(f"added {account.email} as {account.role}", highlight=False)
    if password is None:
        out.print(f"password: {chosen}", highlight=False)


@users_app.command("list")
def list_(format: OutputOption = OutputFormat.table, workspace: WorkspaceOption = None) -> None:
    """List users and their roles."""
    accounts = users.list_accounts(settings_for(workspace), cli_account())
    if format == OutputFormat.json:
        print_json([{"email": a.email, "role": a.role, "person_id": a.person_id} for a in accounts])
        return
    print_table(
        "users", ("email", "role", "person"), [(a.email, a.role, a.person_id) for a in accounts]
    )


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
