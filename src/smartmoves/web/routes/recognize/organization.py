"""The organization at a glance, and one unit."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from smartmoves.pathway.recognize import organization
from smartmoves.web import charts
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/", openapi_extra=needs("organization.read"))
def overview_page(request: Request, account: CurrentAccount, settings: SettingsDep) -> Response:
    view = organization.overview(settings, account)
    chart = charts.hours_by_category_chart(view.hours_by_category)
    return render(
        request,
        "recognize/overview.html",
        {"account": account, "view": view, "chart": chart, "current_phase": "recognize"},
    )


@router.get("/units/{unit_id}", openapi_extra=needs("organization.read"))
def unit_page(
    request: Request, unit_id: str, account: CurrentAccount, settings: SettingsDep
) -> Response:
    view = organization.unit_detail(settings, account, unit_id)
    chart = charts.hours_by_category_chart(view.hours_by_category)
    return render(
        request,
        "recognize/unit.html",
        {"account": account, "view": view, "chart": chart, "current_phase": "recognize"},
    )
