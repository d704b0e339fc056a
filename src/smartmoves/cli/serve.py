"""``smartmoves serve``: the web workspace, with Uvicorn."""

from __future__ import annotations

import ipaddress
import threading
from typing import Annotated

import typer

from smartmoves.cli.common import WorkspaceOption, err, lazy, settings_for


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    dev: Annotated[
        bool,
        typer.Option(
            "--dev",
            help="Development: allow the placeholder secret key and a login cookie over "
            "plain HTTP.",
        ),
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Serve the web workspace (pages, and the REST API under /api/v1).

    The login cookie is sent over HTTPS only, except on a loopback address (127.0.0.1,
    localhost) or with --dev; put a TLS proxy in front when serving anyone else.
    """
    import uvicorn

    from smartmoves.web import create_app

    settings = settings_for(workspace, environment="development" if dev else None)
    app = create_app(settings, loopback=_is_loopback(host))
    # The first visitor should not wait for the kept network analysis to be read (and
    # its code imported): read it now, beside the server starting.
    warm = lazy("smartmoves.pathway.act.connect").warm
    threading.Thread(target=warm, args=(settings,), name="warm-network", daemon=True).start()
    err.print(f"smartmoves at http://{host}:{port}  (Ctrl+C stops it)", highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
