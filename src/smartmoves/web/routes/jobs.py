"""A background job's progress, as the page that started it polls it.

While the job runs the fragment polls itself; once it is done, a poll answers with
``HX-Refresh`` so the page that waited for it shows its result. A failed job stays on the
page with its reason. Opened without HTMX (a bookmark) it is a page of its own.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from smartmoves.pathway import jobs
from smartmoves.web import htmx
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/jobs/{job_id}", openapi_extra=needs("jobs.read"))
def job_fragment(
    request: Request,
    job_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
    heading: bool = False,
) -> Response:
    """``heading``: the polling page's heading names the job already (``job.html``)."""
    job = jobs.job_view(settings, account, job_id)
    context = {"account": account, "job": job, "heading": heading}
    if not htmx.is_htmx(request):
        # Opened as a page (a bookmark, a new tab): the job with the navigation, not a
        # bare fragment.
        return render(request, "job.html", context)
    if job.status == "done":
        return Response(status_code=200, headers={"HX-Refresh": "true"})
    return render(request, "_job.html", context)
