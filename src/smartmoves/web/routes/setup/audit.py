"""The audit log (admins): a page, newest first, and the whole log as CSV."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from smartmoves.pathway import audit, lists
from smartmoves.web.lists import stored_listing
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/admin/audit", openapi_extra=needs("audit.read"))
def audit_page(request: Request, account: CurrentAccount, settings: SettingsDep) -> Response:
    """A page of the log, newest first, or of the entries holding a search (the page and
    the search read from the query string as every list's: a page past the last is the
    last)."""
    asked = lists.read_query(request.query_params, [])
    view = audit.audit_page(settings, account, asked.page, search=asked.q)
    entries = stored_listing(
        request,
        view.rows,
        page=view.page,
        pages=view.pages,
        found=view.total,
        total=view.all_entries or view.total,
        per_page=view.per_page,
        id="audit-entries",
        label="audit log",
    )
    context = {"account": account, "view": view, "entries": entries, "current_phase": "admin"}
    return render(request, "setup/admin_audit.html", context)


@router.get("/admin/audit.csv", openapi_extra=needs("audit.export"))
def audit_export(account: CurrentAccount, settings: SettingsDep) -> Response:
    lines = audit.audit_csv(settings, account)
    return StreamingResponse(
        lines,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="smartmoves-audit.csv"'},
    )
