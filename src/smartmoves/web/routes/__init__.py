"""Page routers, one module per part of the product; the app includes them all.

A new part of the pathway adds its module here.
"""

from fastapi import APIRouter

from smartmoves.web.routes import (
    admin,
    capacity,
    coaching,
    login,
    network,
    organization,
    pilots,
    volunteers,
    workgroups,
)

ROUTERS: tuple[APIRouter, ...] = (
    login.router,
    organization.router,
    pilots.router,
    capacity.router,
    volunteers.router,
    workgroups.router,
    coaching.router,
    network.router,
    admin.router,
)

__all__ = ["ROUTERS"]
