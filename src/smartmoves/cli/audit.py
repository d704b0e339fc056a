"""``smartmoves audit``: the audit log, exported as CSV (the export is recorded too)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from smartmoves.cli.common import WorkspaceOption, cli_account, err, lazy, settings_for
from smartmoves.errors import ConfigError

if TYPE_CHECKING:
    from smartmoves.pathway import audit
else:
    audit = lazy("smartmoves.pathway.audit")

audit_app = typer.Typer(help="The audit log: who did what, when, from where.", no_args_is_help=True)


@audit_app.command("export")
def export(
    out_file: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Write the CSV here (default: standard output).", show_default=False
        ),
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Every entry of the audit log as CSV, newest first: id, at, actor, action, target,
    address, detail (JSON)."""
    if out_file is not None and out_file.is_dir():
        raise ConfigError(f"--out {out_file} is a folder: name a file")
    chunks = audit.audit_csv(settings_for(workspace), cli_account())
    if out_file is None:
        for chunk in chunks:
            sys.stdout.write(chunk)
        return
    try:
        with out_file.open("w", encoding="utf-8", newline="") as handle:
            for chunk in chunks:
                handle.write(chunk)
    except OSError as exc:
        raise ConfigError(f"cannot write {out_file}: {exc.strerror or exc}") from exc
    err.print(f"wrote the audit log to {out_file}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
