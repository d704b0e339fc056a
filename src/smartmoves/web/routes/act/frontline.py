"""A pilot's Frontline metrics page: a chart per metric (the pilot's scopes, the
comparison, the baseline, the target, the start), the form to enter a week and the form
to set a target.

Forms post with HTMX and swap the metrics back in (a refusal is shown at the form that
was posted, with its status: 422 for a week that has not begun or a value that is no
number, 403, 404); without JavaScript they post and come back to the page.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from smartmoves.errors import SmartMovesError
from smartmoves.pathway.act import frontline, insights
from smartmoves.pathway.policy import Account
from smartmoves.settings import Settings
from smartmoves.web import charts_frontline, htmx
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE, FRAGMENT = "act/frontline.html", "act/_frontline_metrics.html"


def _context(
    settings: Settings,
    account: Account,
    pilot_id: int,
    error: SmartMovesError | None = None,
    typed: dict[str, str] | None = None,
) -> dict[str, Any]:
    view = frontline.frontline_view(settings, account, pilot_id)
    start = view.started_on.isoformat() if view.started_on else None
    return {
        "account": account,
        "view": view,
        "charts": {m.metric_id: charts_frontline.metric_chart(m, start) for m in view.metrics},
        "error": "; ".join(error.lines()) if error else None,
        "typed": typed or {},
        "pilot_flags": insights.pilot_flags(settings, account, pilot_id),
        "current_phase": "act",
    }


def _answer(
    request: Request,
    settings: Settings,
    account: Account,
    pilot_id: int,
    use_case: Any,
    typed: dict[str, str],
) -> Response:
    def page(exc: SmartMovesError) -> Response:
        context = _context(settings, account, pilot_id, exc, typed)
        return render(request, PAGE, context, status_code=exc.http_status)

    def fragment() -> Response:
        return render(request, FRAGMENT, _context(settings, account, pilot_id))

    return htmx.act(
        request, use_case, done=f"/pilots/{pilot_id}/metrics", fragment=fragment, page=page
    )


@router.get("/pilots/{pilot_id}/metrics", openapi_extra=needs("frontline.read"))
def metrics_page(
    request: Request, pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> Response:
    return render(request, PAGE, _context(settings, account, pilot_id))


@router.post("/pilots/{pilot_id}/metrics/entries", openapi_extra=needs("frontline.enter"))
def enter_week(
    request: Request,
    pilot_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
    metric_id: Annotated[str, Form()],
    scope_id: Annotated[str, Form()],
    week: Annotated[str, Form()],
    value: Annotated[str, Form()],
) -> Response:
    typed = {"metric_id": metric_id, "scope_id": scope_id, "week": week, "value": value}
    return _answer(
        request, settings, account, pilot_id,
        lambda: frontline.record_week(
            settings, account, pilot_id, metric_id=metric_id, scope_id=scope_id,
            week=week, value=value,
        ),
        typed,
    )  # fmt: skip


@router.post("/pilots/{pilot_id}/metrics/target", openapi_extra=needs("targets.set"))
def set_target(
    request: Request,
    pilot_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
    metric_id: Annotated[str, Form()],
    value: Annotated[str, Form()],
    by: Annotated[str, Form()],
) -> Response:
    typed = {"target_metric": metric_id, "target": value, "by": by}
    return _answer(
        request, settings, account, pilot_id,
        lambda: frontline.set_target(
            settings, account, pilot_id, metric_id=metric_id, value=value, by=by
        ),
        typed,
    )  # fmt: skip
