"""``/api/v1``: one JSON twin per page, with the same access rules, in the pathway's phase
folders. A new part of the pathway adds its module to its phase's folder and to this list."""

from fastapi import APIRouter

from smartmoves.api.routes import jobs
from smartmoves.api.routes.act import flags, frontline, network, report
from smartmoves.api.routes.create import capacity, coaching, pilots, volunteers, workgroups
from smartmoves.api.routes.recognize import entry_points, metrics, organization, why
from smartmoves.api.routes.setup import account, users

ROUTERS: tuple[APIRouter, ...] = (
    users.router,
    account.router,
    organization.router,
    why.router,
    entry_points.router,
    metrics.router,
    pilots.router,
    capacity.router,
    volunteers.router,
    workgroups.router,
    coaching.router,
    network.router,
    frontline.router,
    report.router,
    flags.router,
    jobs.router,
)

__all__ = ["ROUTERS"]
