"""``smartmoves init`` and ``smartmoves db``: create a workspace, migrate its store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from smartmoves.cli.common import WorkspaceOption, lazy, out, settings_for

if TYPE_CHECKING:
    from smartmoves.pathway.setup import workspace as service
else:
    service = lazy("smartmoves.pathway.setup.workspace")

db_app = typer.Typer(help="The operational store's schema.", no_args_is_help=True)


def init(
    folder: Annotated[Path, typer.Argument(help="Folder to make a workspace (created if needed).")],
    min_group_size: Annotated[
        int, typer.Option(min=1, help="Suppress aggregates over fewer people than this.")
    ] = 5,
) -> None:
    """Create a workspace: settings, operational store and analytics folder."""
    path = service.init_workspace(folder, min_group_size=min_group_size)
    out.print(f"workspace ready at {path}")


@db_app.command("upgrade")
def upgrade(workspace: WorkspaceOption = None) -> None:
    """Create or migrate the operational store's schema to this version."""
    revision = service.upgrade_store(settings_for(workspace))
    out.print(f"schema at revision {revision}")


@db_app.command("status")
def status(workspace: WorkspaceOption = None) -> None:
    """Show the schema revision in the store and the one this version needs."""
    current, head = service.store_status(settings_for(workspace))
    out.print(f"store: {current or 'no schema'}; this version: {head}")


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.add_typer(db_app, name="db")
