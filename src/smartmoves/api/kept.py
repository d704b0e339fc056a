"""The API's reads: a view encoded once, an ``ETag`` on every answer, ``304`` when the
client already holds it.

Every API router uses :class:`ViewRoute`. For a ``GET`` whose answer is exactly its
route's response model (a view), the JSON is the view's own, encoded once per view
object (:func:`smartmoves.web.bodies.view_json`: use cases hand out the same object
until what it shows changes), not validated and encoded again on every request. Any
other answer (a list, a subclass, a route that filters fields) goes through FastAPI as
before, so nothing is ever answered with fields its model does not declare.

Every ``200`` of a ``GET`` then carries a strong ``ETag`` (a digest of its bytes), and a
request whose ``If-None-Match`` names it gets ``304 Not Modified`` with no body. The
route ran all the same: the session was read, the policy asked and a person-level view
audited, so a client that lost its rights gets its 401 or 403, never a 304.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from fastapi.routing import APIRoute
from pydantic import BaseModel

from smartmoves.web.bodies import etag_of, view_json

__all__ = ["ViewRoute", "matches"]

FILTERS = (
    "response_model_include",
    "response_model_exclude",
    "response_model_exclude_unset",
    "response_model_exclude_defaults",
    "response_model_exclude_none",
)


def matches(if_none_match: str | None, tag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``tag`` (a list of tags, or ``*``)."""
    if not if_none_match:
        return False
    given = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return "*" in given or tag in given


class ViewRoute(APIRoute):
    """An API route whose reads are encoded once per view and answer ETag/304."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        methods = {m.upper() for m in kwargs.get("methods") or ("GET",)}
        self.reads = methods <= {"GET", "HEAD"}
        plain = self.reads and not any(kwargs.get(k) for k in FILTERS)
        if plain:
            endpoint = self._encoding(endpoint)
        super().__init__(path, endpoint, **kwargs)

    def _answer(self, value: Any) -> Any:
        if isinstance(value, BaseModel) and type(value) is self.response_model:
            body, tag = view_json(value)
            return Response(body, media_type="application/json", headers={"etag": tag})
        return value

    def _encoding(self, endpoint: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(endpoint):

            @functools.wraps(endpoint)
            async def answer_async(*args: Any, **kwargs: Any) -> Any:
                return self._answer(await endpoint(*args, **kwargs))

            return answer_async

        @functools.wraps(endpoint)
        def answer(*args: Any, **kwargs: Any) -> Any:
            return self._answer(endpoint(*args, **kwargs))

        return answer

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if not self.reads:
            return handler

        async def with_etag(request: Request) -> Response:
            response = await handler(request)
            if response.status_code != 200 or not hasattr(response, "body"):
                return response
            tag = response.headers.get("etag")
            if tag is None:
                tag = response.headers["etag"] = etag_of(bytes(response.body))
            if matches(request.headers.get("if-none-match"), tag):
                return Response(status_code=304, headers={"etag": tag})
            return response

        return with_etag
