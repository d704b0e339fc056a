"""JSON twin of the Metrics page: the metric tree with its driver estimates, and changing
the tree (admins and champions; writes need the session's CSRF token as
``X-CSRF-Token``). A change that breaks the tree's rule is a 422 saying which."""

from __future__ import annotations

from fastapi import APIRouter

from smartmoves.api.answers import LOGGED_IN, refusals
from smartmoves.api.bodies import Body
from smartmoves.api.kept import ViewRoute
from smartmoves.pathway.recognize import (
    MetricTree,
    MetricView,
    add_metric,
    change_metric,
    metric_tree,
    remove_metric,
)
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep

router = APIRouter(tags=["organization"], responses=LOGGED_IN, route_class=ViewRoute)


class MetricChange(Body):
    """What may change on a metric: everything but its id and level."""

    name: str
    parent_id: str | None = None
    direction: str = "up"
    unit: str | None = None


class MetricIn(MetricChange):
    """A new metric: frontline under operating, operating under financial."""

    metric_id: str
    level: str


@router.get(
    "/metrics",
    response_model=MetricTree,
    openapi_extra=needs("metrics.read"),
    responses=refusals(403),
)
def metrics(account: CurrentAccount, settings: SettingsDep) -> MetricTree:
    """The metric tree in order, each metric with how strongly it moves its parent (lag
    0, with its 95% range), whether it leads, how many metrics are under it and how many
    weekly values the history holds of it."""
    return metric_tree(settings, account)


@router.post(
    "/metrics",
    response_model=MetricView,
    status_code=201,
    openapi_extra=needs("metrics.edit"),
    responses=refusals(400, 403, 422),
)
def add(body: MetricIn, account: CurrentAccount, settings: SettingsDep) -> MetricView:
    """Add a metric: 422 when the id is taken or malformed, or the parent breaks the
    tree's rule."""
    return add_metric(settings, account, **body.model_dump())


@router.put(
    "/metrics/{metric_id}",
    response_model=MetricView,
    openapi_extra=needs("metrics.edit"),
    responses=refusals(400, 403, 404, 422),
)
def change(
    metric_id: str, body: MetricChange, account: CurrentAccount, settings: SettingsDep
) -> MetricView:
    """Change a metric's name, parent, direction and unit (a field left out takes its
    default: no parent, up, no unit)."""
    return change_metric(settings, account, metric_id, **body.model_dump())


@router.delete(
    "/metrics/{metric_id}",
    response_model=MetricView,
    openapi_extra=needs("metrics.edit"),
    responses=refusals(403, 404, 422),
)
def remove(metric_id: str, account: CurrentAccount, settings: SettingsDep) -> MetricView:
    """Remove a metric with no metrics under it and no weekly values (422 otherwise,
    saying which)."""
    return remove_metric(settings, account, metric_id)
