"""Build the web application: ``create_app(settings)``.

Pages are server-rendered; each has a JSON twin under ``/api/v1`` (OpenAPI schema at
``/api/v1/openapi.json``). Known errors become a page or a JSON body with the error's
status; a visitor who is not logged in is sent to the login page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from smartmoves import __version__
from smartmoves.api.routes import ROUTERS as API_ROUTERS
from smartmoves.errors import DataError, InfeasibleError, SmartMovesError, Unauthorized
from smartmoves.pathway._store import store
from smartmoves.settings import Settings
from smartmoves.web.routes import ROUTERS as PAGE_ROUTERS
from smartmoves.web.templating import render

__all__ = ["create_app"]

STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings) -> FastAPI:
    """The web app for one workspace. Fails early on a placeholder secret or a store
    whose schema is missing or behind."""
    settings.require_real_secret()
    store(settings)
    app = FastAPI(
        title="smartmoves",
        version=__version__,
        description="Redefine work: the JSON twins of the smartmoves pages.",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="smartmoves_session",
        max_age=settings.session_hours * 3600,
        same_site="lax",
        https_only=False,
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in PAGE_ROUTERS:
        app.include_router(router)
    for router in API_ROUTERS:
        app.include_router(router, prefix="/api/v1")

    @app.exception_handler(SmartMovesError)
    async def _known_error(request: Request, exc: SmartMovesError) -> Response:
        if request.url.path.startswith("/api/"):
            body: dict[str, object] = {"detail": exc.message}
            if isinstance(exc, DataError) and exc.problems:
                body["problems"] = [str(p) for p in exc.problems]
            if isinstance(exc, InfeasibleError) and exc.reasons:
                body["reasons"] = list(exc.reasons)
            return JSONResponse(body, status_code=exc.http_status)
        if isinstance(exc, Unauthorized):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        return render(
            request,
            "error.html",
            {"message": exc.message, "lines": exc.lines()},
            status_code=exc.http_status,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        return render(
            request,
            "error.html",
            {"message": message, "lines": [message]},
            status_code=exc.status_code,
        )

    @app.exception_handler(RequestValidationError)
    async def _bad_form(request: Request, exc: RequestValidationError) -> Response:
        # The API keeps FastAPI's JSON body (clients parse it); a page's form gets a page
        # that says which field was wrong, not a JSON dump.
        if request.url.path.startswith("/api/"):
            return await request_validation_exception_handler(request, exc)
        lines = [_field_problem(e) for e in exc.errors()]
        return render(
            request,
            "error.html",
            {"message": "the form was not filled in as expected", "lines": lines},
            status_code=422,
        )

    return app


def _field_problem(error: Any) -> str:
    """``field: what is wrong`` from one of pydantic's error entries."""
    where = [str(x) for x in error.get("loc", ()) if x not in ("body", "query", "path")]
    return f"{'.'.join(where) or 'form'}: {str(error.get('msg', 'invalid')).lower()}"
