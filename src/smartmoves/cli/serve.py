"""``smartmoves serve``: the web workspace, with Uvicorn.

With ``--workers N`` (N > 1) N server processes share the port, each on a socket of its
own, so that the kernel spreads the connections over them
(:mod:`smartmoves.cli.serve_workers`; Uvicorn's supervisor where the system cannot).
Each process builds its own app (:func:`worker_app`) from what this command decided,
passed to it in the environment. Nothing a request needs lives in one process only:
login sessions and their CSRF tokens are rows of the store, jobs are too, and each
process keeps its own copy of the cached figures, keyed by what they were computed from
(docs/architecture.md).
"""

from __future__ import annotations

import ipaddress
import json
import os
import threading
from typing import Annotated, Any

import typer

from smartmoves.cli.common import WorkspaceOption, err, lazy, settings_for

MAX_WORKERS = 32
# What every worker process of one ``serve`` needs to build the same app: JSON, in the
# environment the processes inherit.
WORKER_ENV = "SMARTMOVES_SERVE_WORKER"
WORKER_APP = "smartmoves.cli.serve:worker_app"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _warm_in_background(settings: Any) -> None:
    # Libraries first, in this thread before any other starts: two threads importing the
    # same libraries at once can be handed a half-imported module (web/preload.py).
    lazy("smartmoves.web.preload").preload()
    # The first visitor should not wait for the kept network analysis to be read (and
    # its code imported): read it now, beside the server starting. And no visitor should
    # wait while the cycle collector walks all of that again and again.
    lazy("smartmoves.cli.serve_collector").install()
    warm = lazy("smartmoves.pathway.act.connect").warm
    threading.Thread(target=warm, args=(settings,), name="warm-network", daemon=True).start()


def worker_app() -> Any:
    """The app of one worker process of ``serve --workers N`` (Uvicorn's factory)."""
    from smartmoves.settings import get_settings
    from smartmoves.web import create_app

    given = json.loads(os.environ[WORKER_ENV])
    settings = get_settings(given["workspace"], environment=given["environment"])
    app = create_app(settings, loopback=given["loopback"])
    _warm_in_background(settings)
    return app


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=MAX_WORKERS,
            help="Server processes sharing the port; each starts its own job workers "
            "(job_workers).",
        ),
    ] = 1,
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
    With --workers N, N processes share the port and any of them answers any request:
    login sessions, their CSRF tokens and jobs are kept in the store. Each process keeps
    its own copy of the views it has computed (docs/architecture.md, "Where the time
    goes"), so memory grows with N; one worker per core is a good start. Each process
    answers on `request_threads` threads (default 2).
    """
    import uvicorn

    from smartmoves.cli import serve_workers
    from smartmoves.errors import ConfigError
    from smartmoves.web import create_app

    settings = settings_for(workspace, environment="development" if dev else None)
    loopback = _is_loopback(host)
    # Built here even with workers: a bad secret or a store behind its schema fails now,
    # with one clear line, rather than in every worker.
    app = create_app(settings, loopback=loopback)
    if not serve_workers.port_is_free(host, port):
        raise ConfigError(
            f"port {port} on {host} is in use: stop what listens there, "
            "or choose another with --port"
        )
    err.print(f"smartmoves at http://{host}:{port}  (Ctrl+C stops it)", highlight=False)
    if workers == 1:
        _warm_in_background(settings)
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    os.environ[WORKER_ENV] = json.dumps(
        {
            "workspace": str(settings.workspace),
            "environment": settings.environment,
            "loopback": loopback,
        }
    )
    if not serve_workers.spreads_connections():
        uvicorn.run(
            WORKER_APP, factory=True, workers=workers, host=host, port=port, log_level="warning"
        )
        return
    config = uvicorn.Config(WORKER_APP, factory=True, host=host, port=port, log_level="warning")
    code = serve_workers.run(config, workers)
    if code:
        raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
