"""``smartmoves users``: who may log in to the web workspace, and with which role.

A password is never taken from the command line where anyone listing processes would
see it, unless ``users add --password`` says so: ``--password-file FILE`` (``-`` for
standard input), ``--prompt``, or a random one printed once. Every change is recorded in
the audit log, and deactivating, a new role or a new password ends the user's sessions.
"""

from __future__ import annotations

import sys
from pathlib import Path
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
from smartmoves.errors import ConfigError

if TYPE_CHECKING:
    from smartmoves.pathway.setup import users
else:
    users = lazy("smartmoves.pathway.setup.users")

users_app = typer.Typer(help="Users of the web workspace.", no_args_is_help=True)

EmailArgument = Annotated[str, typer.Argument(help="The user's email (their login).")]
PasswordFileOption = Annotated[
    Path | None,
    typer.Option(
        "--password-file",
        help="Read the password from the first line of this file (-: standard input).",
        show_default=False,
    ),
]
PromptOption = Annotated[
    bool, typer.Option("--prompt", help="Ask for the password (hidden, asked twice).")
]


def _read_password(password_file: Path | None, prompt: bool) -> str | None:
    """The password from a file, standard input or a prompt; ``None``: none was given."""
    if password_file is not None and prompt:
        raise ConfigError("give --password-file or --prompt, not both")
    if prompt:
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    if password_file is None:
        return None
    if str(password_file) == "-":
        text = sys.stdin.readline()
    else:
        try:
            text = password_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read the password file {password_file}: {exc}") from exc
    line = text.splitlines()[0] if text else ""
    if not line:
        raise ConfigError(f"no password on the first line of {password_file}")
    return line


@users_app.command("add")
def add(
    email: Annotated[str, typer.Argument(help="The user's email (their login).")],
    role: Annotated[str, typer.Option(help="admin, champion, supervisor or member.")],
    password: Annotated[
        str | None,
        typer.Option(
            help="At least 10 characters, on the command line (seen by anyone listing "
            "processes: prefer --password-file or --prompt); default: a random one, "
            "printed once."
        ),
    ] = None,
    password_file: PasswordFileOption = None,
    prompt: PromptOption = False,
    person_id: Annotated[
        str | None, typer.Option(help="The user's person_id in the imported people.")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Name to show.")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Add a user. Their password is stored only as an argon2 hash."""
    if password is not None and (password_file is not None or prompt):
        raise ConfigError("give one of --password, --password-file and --prompt")
    given = password if password is not None else _read_password(password_file, prompt)
    chosen = given or users.new_password()
    account = users.add_account(
        settings_for(workspace), email, role, chosen, person_id=person_id, display_name=name
    )
    out.print(f"added {account.email} as {account.role}", highlight=False)
    if given is None:
        out.print(f"password: {chosen}", highlight=False)


def _ended(count: int) -> str:
    return f"{count} session{'s' if count != 1 else ''} ended"


@users_app.command("deactivate")
def deactivate(email: EmailArgument, workspace: WorkspaceOption = None) -> None:
    """Deactivate a user: they can no longer log in, and their sessions end now."""
    ended = users.deactivate_account(settings_for(workspace), cli_account(), email)
    out.print(f"deactivated {email.strip().lower()} ({_ended(ended)})", highlight=False)


@users_app.command("activate")
def activate(email: EmailArgument, workspace: WorkspaceOption = None) -> None:
    """Let a deactivated user log in again, with the password they had."""
    users.activate_account(settings_for(workspace), cli_account(), email)
    out.print(f"activated {email.strip().lower()}", highlight=False)


@users_app.command("reset-password")
def reset_password(
    email: EmailArgument,
    password_file: PasswordFileOption = None,
    prompt: PromptOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Give a user a new password (default: a random one, printed once); their sessions
    end."""
    given = _read_password(password_file, prompt)
    chosen = given or users.new_password()
    ended = users.reset_password(settings_for(workspace), cli_account(), email, chosen)
    out.print(f"new password for {email.strip().lower()} ({_ended(ended)})", highlight=False)
    if given is None:
        out.print(f"password: {chosen}", highlight=False)


@users_app.command("set-role")
def set_role(
    email: EmailArgument,
    role: Annotated[str, typer.Argument(help="admin, champion, supervisor or member.")],
    workspace: WorkspaceOption = None,
) -> None:
    """Change a user's role; their sessions end (they log in again with the new role)."""
    ended = users.set_role(settings_for(workspace), cli_account(), email, role)
    out.print(f"{email.strip().lower()} is now {role} ({_ended(ended)})", highlight=False)


@users_app.command("list")
def list_(format: OutputOption = OutputFormat.table, workspace: WorkspaceOption = None) -> None:
    """List users and their roles."""
    rows = users.list_users(settings_for(workspace), cli_account())
    if format == OutputFormat.json:
        print_json(
            [
                {"email": u.email, "role": u.role, "person_id": u.person_id, "active": u.active}
                for u in rows
            ]
        )
        return
    print_table(
        "users",
        ("email", "role", "person", "status"),
        [(u.email, u.role, u.person_id, "active" if u.active else "deactivated") for u in rows],
    )


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
