"""The audit log (admins): a page, newest first, and the whole log as CSV."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse

from smartmoves.pathway import audit
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/admin/audit", openapi_extra=needs("audit.read"))
def audit_page(
    request: Request,
    account: CurrentAccount,
    settings: SettingsDep,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    view = audit.audit_page(settings, account, page)
    context = {"account": account, "view": view, "current_phase": "admin"}
    return render(request, "setup/admin_audit.html", context)


@router.get("/admin/audit.csv", openapi_extra=needs("audit.export"))
def audit_export(account: CurrentAccount, settings: SettingsDep) -> Response:
    lines = audit.audit_csv(settings, account)
    return StreamingResponse(
        lines,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="smartmoves-audit.csv"'},
    )
