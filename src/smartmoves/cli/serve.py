"""``smartmoves serve``: the web workspace, with Uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from smartmoves.cli.common import WorkspaceOption, err, settings_for


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workspace: WorkspaceOption = None,
) -> None:
    """Serve the web workspace (pages, and the REST API under /api/v1)."""
    import uvicorn

    from smartmoves.web import create_app

    app = create_app(settings_for(workspace))
    err.print(f"smartmoves at http://{host}:{port}  (Ctrl+C stops it)", highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
