"""A pilot's momentum (the effect on the metric that matters, every frontline metric's
trend, flags to discuss) and its report as a download (HTML or PDF), for its sponsors."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from smartmoves.pathway.act import report, report_charts, report_jobs
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)

# The report is a document of its own, with its CSS inline and no script: opened from the
# download it may style itself, and nothing in it may run or fetch anything.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


@router.get("/pilots/{pilot_id}/momentum", openapi_extra=needs("report.read"))
def momentum_page(
    request: Request, pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> Response:
    view = report.pilot_report(settings, account, pilot_id)
    # Our own SVG, drawn by vl-convert from the view's figures (no style attribute, no
    # script): safe inline under the page's CSP.
    sparks = {m.metric_id: Markup(report_charts.sparkline_svg(m) or "") for m in view.metrics}
    head = next((m for m in view.metrics if m.metric_id == view.headline), None)
    return render(
        request,
        "act/momentum.html",
        {"account": account, "view": view, "head": head, "sparks": sparks,
         "current_phase": "act"},
    )  # fmt: skip


def _download(settings: SettingsDep, account: CurrentAccount, pilot_id: int, kind: str) -> Response:
    body, media = report_jobs.download_report(settings, account, pilot_id, kind)
    return Response(
        body,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="pilot-{pilot_id}-report.{kind}"',
            "Content-Security-Policy": REPORT_CSP,
        },
    )


@router.get("/pilots/{pilot_id}/report.html", openapi_extra=needs("report.read"))
def report_html(pilot_id: int, account: CurrentAccount, settings: SettingsDep) -> Response:
    return _download(settings, account, pilot_id, "html")


@router.get("/pilots/{pilot_id}/report.pdf", openapi_extra=needs("report.read"))
def report_pdf(pilot_id: int, account: CurrentAccount, settings: SettingsDep) -> Response:
    return _download(settings, account, pilot_id, "pdf")
