"""``smartmoves backup`` and ``smartmoves restore``: the whole workspace in one file.

The archive holds people's data (the organization, users and their password hashes,
the audit log, the settings' secret key): it is written readable by its owner alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from smartmoves.cli.common import (
    WorkspaceOption,
    cli_account,
    lazy,
    out,
    progress_bar,
    settings_for,
)

if TYPE_CHECKING:
    from smartmoves.pathway.setup import backup as backups
    from smartmoves.pathway.setup import restore as restores
else:
    backups = lazy("smartmoves.pathway.setup.backup")
    restores = lazy("smartmoves.pathway.setup.restore")


def _rows(counts: dict[str, int]) -> str:
    total = sum(n for table, n in counts.items() if table != "alembic_version")
    return f"{len(counts)} tables, {total:,} rows"


def backup(
    to: Annotated[
        Path,
        typer.Option(
            "--out", help="The backup file to write (a zip, mode 0600; replaced if there)."
        ),
    ],
    workspace: WorkspaceOption = None,
) -> None:
    """Back up the whole workspace while the server runs: every table of the store (one
    snapshot), the analytics files and the settings."""
    with progress_bar("backing up") as update:
        report = backups.backup_workspace(
            settings_for(workspace), cli_account(), to, progress=update
        )
    out.print(
        f"backed up {report.store} store at revision {report.revision} ({_rows(report.rows)}) "
        f"and {report.analytics_files} analytics files to {report.path} "
        f"({report.size:,} bytes)",
        highlight=False,
    )


def restore(
    file: Annotated[Path, typer.Argument(help="A backup written by `smartmoves backup`.")],
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Overwrite a workspace that already holds data."),
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Restore a workspace from a backup, all or nothing (the folder is made a workspace
    if it is not one). Restart a running server afterwards."""
    report = restores.restore_workspace(
        settings_for(workspace), cli_account(), file, replace=replace
    )
    out.print(
        f"restored {report.workspace} from a {report.backup_store} backup of "
        f"{report.backup_created_at:%Y-%m-%d %H:%M} UTC into its {report.store} store "
        f"({_rows(report.rows)}, {report.analytics_files} analytics files)",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)
