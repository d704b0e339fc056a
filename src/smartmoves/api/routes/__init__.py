"""``/api/v1``: one JSON twin per page, with the same access rules, one module per part
of the product. A new part of the pathway adds its module here."""

from fastapi import APIRouter

from smartmoves.api.routes import (
    capacity,
    coaching,
    network,
    organization,
    pilots,
    volunteers,
    workgroups,
)

ROUTERS: tuple[APIRouter, ...] = (
    organization.router,
    pilots.router,
    capacity.router,
    volunteers.router,
    workgroups.router,
    coaching.router,
    network.router,
)

__all__ = ["ROUTERS"]
