"""Page routers, in the pathway's phase folders; the app includes them all.

A new part of the pathway adds its module to its phase's folder and to this list.
"""

from fastapi import APIRouter

from smartmoves.web.routes import jobs
from smartmoves.web.routes.act import frontline, network, report
from smartmoves.web.routes.create import capacity, coaching, pilots, volunteers, workgroups
from smartmoves.web.routes.recognize import assessments, entry_points, metrics, organization, why
from smartmoves.web.routes.setup import account, api_docs, audit, login, users

ROUTERS: tuple[APIRouter, ...] = (
    login.router,
    organization.router,
    why.router,
    entry_points.router,
    assessments.router,
    metrics.router,
    pilots.router,
    capacity.router,
    volunteers.router,
    workgroups.router,
    coaching.router,
    network.router,
    frontline.router,
    report.router,
    jobs.router,
    users.router,
    account.router,
    audit.router,
    api_docs.router,
)

__all__ = ["ROUTERS"]
