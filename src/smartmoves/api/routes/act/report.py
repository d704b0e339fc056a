"""JSON twin of a pilot's momentum and report (admins, champions), and the report's files."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from smartmoves.api.answers import LOGGED_IN, pending, refusals
from smartmoves.api.kept import ViewRoute
from smartmoves.pathway.act import report, report_jobs
from smartmoves.pathway.policy import Account
from smartmoves.settings import Settings
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep

router = APIRouter(tags=["report"], responses=LOGGED_IN, route_class=ViewRoute)

_FILE: dict[str, Any] = {
    "content": {"text/html": {}, "application/pdf": {}},
    "description": "The report: one self-contained HTML page, or the same as a PDF.",
}


@router.get(
    "/pilots/{pilot_id}/report",
    response_model=report.PilotReport,
    openapi_extra=needs("report.read"),
    responses=refusals(403, 404, 422),
)
def pilot_report(
    pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> report.PilotReport:
    """Entry point and why, capacity freed, workgroups, each frontline metric with the
    pilot's effect (estimate, 95% interval, p-value, method, a sentence) and its weekly
    series against the counterfactual, and flags to discuss."""
    return report.pilot_report(settings, account, pilot_id)


def _file(settings: Settings, account: Account, pilot_id: int, kind: str) -> Response:
    body, media = report_jobs.download_report(settings, account, pilot_id, kind)
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="pilot-{pilot_id}-report.{kind}"'},
    )


@router.get(
    "/pilots/{pilot_id}/report.html",
    openapi_extra=needs("report.read"),
    responses={200: _FILE, **pending(), **refusals(403, 404, 422, 503)},
    response_class=Response,
)
def report_html(pilot_id: int, account: CurrentAccount, settings: SettingsDep) -> Response:
    """The report as one self-contained HTML page; the download is in the audit log."""
    return _file(settings, account, pilot_id, "html")


@router.get(
    "/pilots/{pilot_id}/report.pdf",
    openapi_extra=needs("report.read"),
    responses={200: _FILE, **pending(), **refusals(400, 403, 404, 422, 503)},
    response_class=Response,
)
def report_pdf(pilot_id: int, account: CurrentAccount, settings: SettingsDep) -> Response:
    """The report as a PDF; the download is in the audit log (400 without WeasyPrint)."""
    return _file(settings, account, pilot_id, "pdf")
