"""JSON twin of the Where-to-start page: every unit scored as an entry point, a unit's
assessment with its history, and the workspace's weights. Writes need the session's
CSRF token as ``X-CSRF-Token``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import Field

from smartmoves.api.answers import LOGGED_IN, pending, refusals
from smartmoves.api.bodies import Body
from smartmoves.api.kept import ViewRoute
from smartmoves.pathway.act import connect
from smartmoves.pathway.recognize import (
    EntryPoints,
    UnitAssessment,
    WeightsView,
    entry_points,
    save_assessment,
    save_weights,
    unit_assessment,
    weights_view,
)
from smartmoves.pathway.recognize.assessments import WEIGHT_HELP
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep

router = APIRouter(tags=["organization"], responses=LOGGED_IN, route_class=ViewRoute)


@router.get(
    "/entry-points",
    response_model=EntryPoints,
    openapi_extra=needs("entry_points.read"),
    responses={**refusals(403, 409), **pending()},
)
def entry_points_answer(account: CurrentAccount, settings: SettingsDep) -> EntryPoints:
    """Every unit scored on ability to free capacity, potential for impact and
    likelihood of success, best first, with each score's factors (value, support,
    weight, source) and the inputs it lacks. Figures over fewer people than the minimum
    group size are unknown to accounts without person-level access."""
    return entry_points(
        settings,
        account,
        external_shares=lambda _progress: connect.unit_external_shares(settings, account=account),
    )


class AssessmentIn(Body):
    """A unit's judgement inputs; a field left out or null is "not known"."""

    leader_support: float | None = Field(None, description="1 (not at all) to 5")
    supervisor_motivation: float | None = Field(None, description="1 to 5")
    champion_influence: str | None = Field(None, description="high, medium or low")
    opportunity_size: float | None = Field(
        None, description="at least 0, in the metric that matters per week"
    )
    notes: str | None = None


def _weight(name: str) -> Any:
    return Field(None, description=WEIGHT_HELP[name])


class WeightsIn(Body):
    """Weights by name (docs/entry-points.md); one left out takes its default."""

    capacity: float | None = _weight("capacity")
    impact: float | None = _weight("impact")
    likelihood: float | None = _weight("likelihood")
    metric_impact: float | None = _weight("metric_impact")
    opportunity: float | None = _weight("opportunity")
    supportive_leadership: float | None = Field(
        None, description=WEIGHT_HELP["supportive_leadership"]
    )
    motivated_supervisors: float | None = Field(
        None, description=WEIGHT_HELP["motivated_supervisors"]
    )
    champion_influence: float | None = _weight("champion_influence")
    type_of_workers: float | None = _weight("type_of_workers")
    workgroups_exist: float | None = _weight("workgroups_exist")
    business_unit: float | None = _weight("business_unit")
    self_contained: float | None = _weight("self_contained")
    edge: float | None = _weight("edge")


@router.get(
    "/entry-points/weights",
    response_model=WeightsView,
    openapi_extra=needs("entry_points.read"),
    responses=refusals(403),
)
def weights(account: CurrentAccount, settings: SettingsDep) -> WeightsView:
    """The entry-point weights in force (the workspace's, else the documented defaults)."""
    return weights_view(settings, account)


@router.put(
    "/entry-points/weights",
    response_model=WeightsView,
    openapi_extra=needs("entry_points.weights"),
    responses=refusals(400, 403, 422),
)
def put_weights(body: WeightsIn, account: CurrentAccount, settings: SettingsDep) -> WeightsView:
    """Set the workspace's weights: names left out take their defaults; every weight at
    least 0, and at least one of capacity, impact, likelihood above 0 (else a 400)."""
    return save_weights(settings, account, body.model_dump(exclude_none=True))


@router.get(
    "/entry-points/{unit_id}/assessment",
    response_model=UnitAssessment,
    openapi_extra=needs("assessments.read"),
    responses=refusals(403, 404, 422),
)
def assessment(unit_id: str, account: CurrentAccount, settings: SettingsDep) -> UnitAssessment:
    """A unit's assessment in force and its history, newest first, each with what changed."""
    return unit_assessment(settings, account, unit_id)


@router.post(
    "/entry-points/{unit_id}/assessment",
    response_model=UnitAssessment,
    status_code=201,
    openapi_extra=needs("assessments.edit"),
    responses=refusals(400, 403, 404, 422),
)
def assess(
    unit_id: str, body: AssessmentIn, account: CurrentAccount, settings: SettingsDep
) -> UnitAssessment:
    """Add the unit's newest assessment (by the account, now); a rating outside 1-5 or an
    influence other than high, medium or low is a 422 naming the field."""
    return save_assessment(settings, account, unit_id, body.model_dump())
