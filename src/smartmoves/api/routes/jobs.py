"""Background jobs: a request that starts long work answers 202 with the job, whose
progress and outcome this route reports (poll it until ``active`` is false)."""

from __future__ import annotations

from fastapi import APIRouter

from smartmoves.api.answers import LOGGED_IN, refusals
from smartmoves.api.kept import ViewRoute
from smartmoves.pathway import jobs
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep

router = APIRouter(tags=["jobs"], responses=LOGGED_IN, route_class=ViewRoute)


@router.get(
    "/jobs/{job_id}",
    response_model=jobs.JobView,
    openapi_extra=needs("jobs.read"),
    responses=refusals(403, 404, 422),
)
def get_job(job_id: int, account: CurrentAccount, settings: SettingsDep) -> jobs.JobView:
    """A job's status (queued, running, done, failed), its stage and progress, and its
    outcome in words."""
    return jobs.job_view(settings, account, job_id)
