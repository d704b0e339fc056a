"""Build the web application: ``create_app(settings)``.

Pages are server-rendered; each has a JSON twin under ``/api/v1`` (OpenAPI schema at
``/api/v1/openapi.json``, its Swagger UI at ``/api/v1/docs`` for logged-in users). Every
router is included with the CSRF check on its unsafe methods, and every response leaves
with the security headers (:mod:`smartmoves.web.headers`). Known errors become a page
(with the navigation), an HTMX fragment shown at the form that failed, or a JSON body,
with the error's status; a visitor who is not logged in is sent to the login page.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from anyio import to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp

from smartmoves import __version__
from smartmoves.api.routes import ROUTERS as API_ROUTERS
from smartmoves.errors import DataError, InfeasibleError, SmartMovesError, Unauthorized
from smartmoves.pathway import jobs
from smartmoves.pathway._store import store
from smartmoves.pathway.act import insights
from smartmoves.settings import Settings
from smartmoves.web import htmx
from smartmoves.web.headers import SecurityHeaders
from smartmoves.web.paths import ids_that_can_exist, numbers_that_fit
from smartmoves.web.routes import ROUTERS as PAGE_ROUTERS
from smartmoves.web.session import PasswordChecks, account_or_none, require_csrf
from smartmoves.web.templating import render
from smartmoves.web.texts import texts_that_fit

__all__ = ["create_app"]

STATIC = Path(__file__).parent / "static"


class _App(FastAPI):
    """FastAPI with the security headers outside everything, the error middleware too,
    so that even a 500 carries them."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def create_app(settings: Settings, *, loopback: bool = False) -> FastAPI:
    """The web app for one workspace. Fails early on a placeholder secret or a store
    whose schema is missing or behind.

    ``loopback``: served on this machine only (``serve`` on 127.0.0.1), where the login
    cookie may travel without TLS unless ``cookie_secure`` says otherwise.
    """
    settings.require_real_secret()
    store(settings)

    passwords = PasswordChecks(settings.password_hash_workers)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Worker processes are started once, with a spawn context: the server is threaded
        # and must never fork. Without a lifespan (a test client) jobs run in the request.
        jobs.start_workers(settings, settings.job_workers)
        # A request's blocking work runs on at most this many threads of the process.
        to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        # The insight scan's first run (a fraction of a second once serve has imported
        # its library, web/preload.py): done here, not in the first request that lists
        # flags.
        threading.Thread(target=insights.warm, args=(settings,), daemon=True).start()
        yield
        jobs.stop_workers()
        passwords.close()

    app = _App(
        lifespan=lifespan,
        title="smartmoves",
        version=__version__,
        description="Redefine work: the JSON twins of the smartmoves pages.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # served by web/routes/setup/api_docs.py: logged in, vendored, no CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.clock = _utc_now
    app.state.cookie_secure = settings.secure_cookie(loopback=loopback)
    app.state.passwords = passwords
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # On every router, so no route can forget them: the CSRF check of unsafe methods, ids
    # too long to name any row answered "not found", form numbers the store can hold, and
    # form texts within their limits.
    guards = [Depends(_guards)]
    for router in PAGE_ROUTERS:
        app.include_router(router, dependencies=guards)
    for router in API_ROUTERS:
        app.include_router(router, prefix="/api/v1", dependencies=guards)
    _handle_errors(app)
    return app


async def _guards(request: Request) -> None:
    """The checks every request passes, in this order, as one dependency: FastAPI's cost
    per dependency (about 15 microseconds) was paid four times on every request."""
    await require_csrf(request)
    await ids_that_can_exist(request)
    await numbers_that_fit(request)
    await texts_that_fit(request)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _page_or_fragment(request: Request, message: str, lines: list[str], status: int) -> Response:
    """An HTMX request gets the problem fragment; a page, the error page with navigation."""
    if htmx.is_htmx(request):
        return htmx.problem(request, message, lines, status)
    context = {"message": message, "lines": lines, "account": account_or_none(request)}
    return render(request, "error.html", context, status_code=status)


def _pending(request: Request, job: jobs.JobView) -> Response:
    """What was asked for is being computed: the job (202), whose progress a page polls."""
    if _is_api(request):
        body = {
            "detail": f"{job.title}: poll /api/v1/jobs/{job.id}",
            "job": job.model_dump(mode="json"),
        }
        return JSONResponse(body, status_code=202, headers={"Location": f"/api/v1/jobs/{job.id}"})
    context = {"job": job, "account": account_or_none(request)}
    name = "_job.html" if htmx.is_htmx(request) else "job.html"
    return render(request, name, context, status_code=202)


def _handle_errors(app: FastAPI) -> None:
    @app.exception_handler(SmartMovesError)
    async def _known_error(request: Request, exc: SmartMovesError) -> Response:
        if isinstance(exc, jobs.JobPending):
            return _pending(request, exc.job)
        if _is_api(request):
            body: dict[str, object] = {"detail": exc.message}
            if isinstance(exc, DataError) and exc.problems:
                body["problems"] = [str(p) for p in exc.problems]
            if isinstance(exc, InfeasibleError) and exc.reasons:
                body["reasons"] = list(exc.reasons)
            return JSONResponse(body, status_code=exc.http_status)
        if isinstance(exc, Unauthorized):
            return htmx.to_login(request)
        if isinstance(exc, jobs.JobFailed):  # a short heading, the job's reason under it
            return _page_or_fragment(request, exc.headline, exc.reasons(), exc.http_status)
        return _page_or_fragment(request, exc.message, exc.lines(), exc.http_status)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        return _page_or_fragment(request, message, [message], exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _bad_form(request: Request, exc: RequestValidationError) -> Response:
        # The API keeps FastAPI's shape (clients parse it) without echoing the input: it
        # may be 20,000 characters, or a lone surrogate no response can carry. A page's
        # form gets the fields that were wrong, and why, where the user posted it.
        if _is_api(request):
            detail = [
                {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e["type"]}
                for e in exc.errors()
            ]
            return JSONResponse({"detail": detail}, status_code=422)
        lines = [_field_problem(e) for e in exc.errors()]
        return _page_or_fragment(request, "the form was not filled in as expected", lines, 422)


def _field_problem(error: Any) -> str:
    """``field: what is wrong`` from one of pydantic's error entries."""
    where = [str(x) for x in error.get("loc", ()) if x not in ("body", "query", "path")]
    return f"{'.'.join(where) or 'form'}: {str(error.get('msg', 'invalid')).lower()}"
