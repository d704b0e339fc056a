"""JSON twin of the Why-and-who page: the catalysts with their verdicts and the champion
with their warnings.

The policy decides as for the page: admins, champions and supervisors read; admins and
champions add, change and delete catalysts; admins set the champion. Writes need the
session's CSRF token as ``X-CSRF-Token``. A write sent with ``base_version`` is refused
(409) when someone saved a newer version meanwhile.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import Field

import smartmoves.web.paths  # noqa: F401 - registers the {name:id} convertor used below
from smartmoves.api.answers import LOGGED_IN, refusals
from smartmoves.api.bodies import Body
from smartmoves.api.kept import ViewRoute
from smartmoves.pathway import recognize
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep

router = APIRouter(tags=["organization"], responses=LOGGED_IN, route_class=ViewRoute)

BASE = "The version this change starts from (`version` in the GET). A newer saved version "


class CatalystBody(recognize.CatalystIn, Body):
    """A catalyst's type, title, answers (yes, no or unsure) and evidence notes."""


class CatalystChange(recognize.CatalystIn, Body):
    """The catalyst as it should read, and the version it was read from."""

    base_version: int | None = Field(
        default=None, description=BASE + "is a 409; leave it out to change whatever is there."
    )


class ChampionBody(recognize.ChampionIn, Body):
    """Who the champion is, their commitments, area and vision."""

    base_version: int | None = Field(
        default=None,
        description="The champion's version this starts from (0: none set yet). A newer "
        "one is a 409; leave it out to set it whatever is there.",
    )


@router.get(
    "/recognize",
    response_model=recognize.WhyAndWho,
    openapi_extra=needs("catalysts.read"),
    responses=refusals(403),
)
def why_and_who(account: CurrentAccount, settings: SettingsDep) -> recognize.WhyAndWho:
    """The catalysts, each with its four answers, its verdict and the reasons; and the
    champion (`null` until one is set) with the seeds' warnings."""
    return recognize.why_and_who(settings, account)


@router.get(
    "/recognize/catalysts/{catalyst_id:id}",
    response_model=recognize.CatalystView,
    openapi_extra=needs("catalysts.read"),
    responses=refusals(403, 404, 422),
)
def catalyst(
    catalyst_id: int, account: CurrentAccount, settings: SettingsDep
) -> recognize.CatalystView:
    """One catalyst with its verdict."""
    return recognize.catalyst(settings, account, catalyst_id)


@router.post(
    "/recognize/catalysts",
    response_model=recognize.CatalystView,
    status_code=201,
    openapi_extra=needs("catalysts.edit"),
    responses=refusals(400, 403, 422),
)
def add_catalyst(
    body: CatalystBody, account: CurrentAccount, settings: SettingsDep
) -> recognize.CatalystView:
    """Record a catalyst: 400 for an unknown type or question, an answer other than yes,
    no or unsure, or no title."""
    content = recognize.CatalystIn.model_validate(body.model_dump())
    return recognize.add_catalyst(settings, account, content)


@router.put(
    "/recognize/catalysts/{catalyst_id:id}",
    response_model=recognize.CatalystView,
    openapi_extra=needs("catalysts.edit"),
    responses=refusals(400, 403, 404, 409, 422),
)
def edit_catalyst(
    catalyst_id: int, body: CatalystChange, account: CurrentAccount, settings: SettingsDep
) -> recognize.CatalystView:
    """Change a catalyst (its version counts up)."""
    content = recognize.CatalystIn.model_validate(body.model_dump(exclude={"base_version"}))
    return recognize.edit_catalyst(
        settings, account, catalyst_id, content, base_version=body.base_version
    )


@router.delete(
    "/recognize/catalysts/{catalyst_id:id}",
    status_code=204,
    openapi_extra=needs("catalysts.edit"),
    responses=refusals(403, 404, 409, 422),
)
def delete_catalyst(
    catalyst_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
    base_version: int | None = None,
) -> Response:
    """Delete a catalyst (409 when it changed since `base_version`)."""
    recognize.delete_catalyst(settings, account, catalyst_id, base_version=base_version)
    return Response(status_code=204)


@router.put(
    "/recognize/champion",
    response_model=recognize.ChampionPage,
    openapi_extra=needs("champion.set"),
    responses=refusals(400, 403, 409, 422),
)
def set_champion(
    body: ChampionBody, account: CurrentAccount, settings: SettingsDep
) -> recognize.ChampionPage:
    """Set the organization's champion: 400 when the person or the area's unit is not
    the organization's, or for an unknown level or answer."""
    content = recognize.ChampionIn.model_validate(body.model_dump(exclude={"base_version"}))
    return recognize.set_champion(settings, account, content, base_version=body.base_version)
