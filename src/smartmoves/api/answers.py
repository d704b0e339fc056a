"""What the API answers besides its views: the body of a refusal (4xx) and of a view
still being computed (202), and the refusals each route documents in the schema.

Every refusal has a ``detail`` saying why in one sentence (``web/app.py`` writes them
from the error the use case raised). A 422 is one of two kinds: a body, path or query
that does not fit the schema lists every field that was wrong in ``detail`` (FastAPI's
shape, without echoing the input); data that break one of the product's rules say why in
``detail``, with every ``problems`` (an input's rows) or ``reasons`` (constraints that
cannot all hold) when there are several. Routes declare what they may answer with
:func:`refusals`, so the schema lists every status a client can meet.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from smartmoves.pathway.jobs import JobView

__all__ = ["LOGGED_IN", "FieldProblem", "Invalid", "Pending", "Refusal", "pending", "refusals"]


class Refusal(BaseModel):
    """Why the request was refused, in one sentence."""

    detail: str


class FieldProblem(BaseModel):
    """One field of the request that does not fit the schema."""

    loc: list[str | int] = Field(description="Where: body, path or query, then the field.")
    msg: str = Field(description="What is wrong with it.")
    type: str = Field(description="The kind of problem, e.g. string_too_long.")


class Invalid(BaseModel):
    """A 422: fields that do not fit the schema, or data that break a rule."""

    detail: str | list[FieldProblem] = Field(
        description="Each field that does not fit the schema; or, for data that break "
        "a rule, why in one sentence."
    )
    problems: list[str] = Field(
        default_factory=list, description="Every problem of the data, one line each."
    )
    reasons: list[str] = Field(
        default_factory=list, description="The constraints that cannot all hold."
    )


class Pending(BaseModel):
    """What was asked for is being computed: poll the job, then ask again."""

    detail: str
    job: JobView


# When each refusal happens; the same for every route that may answer it.
WHEN = {
    400: "Options or a request the use case refuses, e.g. a number outside its bounds, "
    "in the words the page shows.",
    401: "Not logged in, or the session ended.",
    403: "This account may not do that (the policy's reason), or the `X-CSRF-Token` "
    "header of a write is missing or not the session's.",
    404: "No such object (pilot, workgroup, unit, job...), or one this account may not know of.",
    409: "Someone saved a newer version meanwhile; nothing was overwritten.",
    422: "A field does not fit the schema, or the data break one of the product's rules.",
    503: "Too many jobs are waiting or running: nothing was started; or the job computing "
    "what was asked for failed (`detail` says why). Try again in a minute.",
}


def refusals(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route that may refuse with ``statuses`` (4xx, and 503 for
    a route that starts a job)."""
    return {
        status: {"model": Invalid if status == 422 else Refusal, "description": WHEN[status]}
        for status in statuses
    }


def pending() -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a view computed by a job the first time it is asked for."""
    return {
        202: {
            "model": Pending,
            "description": "Being computed by a background job: poll `/api/v1/jobs/{id}`, "
            "then ask again.",
        }
    }


# Every route of the API needs a login: each router declares it once.
LOGGED_IN = refusals(401)
