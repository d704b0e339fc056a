"""Security headers on every response: pages, JSON, static files, errors (a 500 too).

:class:`SecurityHeaders` wraps the whole app, outside the error middleware, so no answer
leaves without them. What the Content-Security-Policy allows, and why:

- scripts from this server only (``script-src 'self'``): no inline script, no inline
  event handler, no ``eval``. The pages' behaviour lives in ``static/smartmoves.js``;
  HTMX is told not to evaluate anything (``allowEval: false``) and charts are drawn by
  vega-embed with Vega's expression *interpreter* (``ast: true``) instead of compiling
  expressions into functions, so Vega needs no ``'unsafe-eval'`` either;
- styles from this server only (``style-src 'self'``): no ``style=`` attribute in a
  template, and neither HTMX nor vega-embed injects a ``<style>`` element (both are told
  not to; their few rules are in ``smartmoves.css``). Scripts may still set an element's
  style through the DOM (Vega does, to size a chart), which CSP does not restrict;
- images from this server and ``data:`` URIs (Swagger UI's icons);
- nothing may frame a page (``frame-ancestors 'none'``, and ``X-Frame-Options: DENY``
  for older browsers), forms post only here, no plugins, no ``<base>``.

Beside it: ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin``,
``Cross-Origin-Opener-Policy: same-origin``, ``Cache-Control: no-store`` on everything
but static files (a page with people's figures is not kept in the browser's cache after
logout), and ``Strict-Transport-Security`` when the request came over TLS (directly or
through a proxy Uvicorn trusts).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CONTENT_SECURITY_POLICY", "HSTS", "SecurityHeaders"]

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HSTS = "max-age=31536000"
FIXED = (
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "same-origin"),
    ("cross-origin-opener-policy", "same-origin"),
)


class SecurityHeaders:
    """ASGI middleware adding the headers above to every HTTP response (a route that
    sets one of them itself keeps its own)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in FIXED:
                    headers.setdefault(name, value)
                if https:
                    headers.setdefault("strict-transport-security", HSTS)
                if not static:
                    headers.setdefault("cache-control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)
