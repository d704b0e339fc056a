"""Where to start: the entry-point matrix, and starting a pilot at a unit from it (the
metrics that matter are in ``metrics.py``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from smartmoves.errors import SmartMovesError
from smartmoves.pathway.act import connect
from smartmoves.pathway.policy import Account, may
from smartmoves.pathway.recognize import (
    EntryPoints,
    all_assessments,
    entry_points,
    start_pilot_here,
    weights_view,
)
from smartmoves.settings import Settings
from smartmoves.web import htmx
from smartmoves.web.charts_recognize import entry_matrix_chart
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)

_FEASIBLE = {True: "can start here", False: "cannot yield 15", None: "not known"}


def _rows(view: EntryPoints) -> list[dict[str, Any]]:
    return [
        {
            "unit": e.name,
            "impact": round(e.impact, 4),
            "likelihood": round(e.likelihood, 4),
            "capacity": round(e.capacity, 4),
            "can_free": e.freeable_volunteers,
            "feasible": _FEASIBLE[e.feasible],
            "weak": ", ".join(w.replace("_", " ") for w in e.weak_on) or "—",
        }
        for e in view.entry_points
    ]


def _shares(settings: Settings, account: Account) -> Any:
    """The network's figures for "self-contained": kept, or computed by a job whose
    progress the page shows (never inside the request)."""
    return lambda _progress: connect.unit_external_shares(settings, account=account)


def _page(
    request: Request, settings: Settings, account: Account, *,
    error: SmartMovesError | None = None, unit_id: str | None = None,
    form: str | None = None, draft: dict[str, str] | None = None, saved: str | None = None,
) -> Response:  # fmt: skip
    """The page; ``form`` names the form (``assess-UNIT``, ``weights``) that the error or
    the ``saved`` message belongs to, and ``draft`` what the user typed in it."""
    view = entry_points(settings, account, external_shares=_shares(settings, account))
    judged = all_assessments(settings, account) if may(account, "assessments.read") else {}
    return render(
        request,
        "recognize/entry_points.html",
        {
            "account": account,
            "view": view,
            "chart": entry_matrix_chart(_rows(view)),
            "may_start": may(account, "pilot.create"),
            "may_assess": may(account, "assessments.edit"),
            "may_weigh": may(account, "entry_points.weights"),
            "assessments": judged,
            "weights": weights_view(settings, account),
            "error": error.message if error and form is None else None,
            "error_unit": unit_id,
            "form_error": error.lines() if error and form else None,
            "form": form,
            "draft": draft or {},
            "saved": saved,
            "current_phase": "recognize",
        },
        status_code=error.http_status if error else 200,
    )


@router.get("/entry-points", openapi_extra=needs("entry_points.read"))
def entry_points_page(request: Request, account: CurrentAccount, settings: SettingsDep) -> Response:
    return _page(request, settings, account)


@router.post("/entry-points/{unit_id}/pilot", openapi_extra=needs("pilot.create"))
def start_pilot(
    request: Request,
    unit_id: str,
    account: CurrentAccount,
    settings: SettingsDep,
    name: Annotated[str, Form()] = "",
) -> Response:
    """Start a pilot at this unit; an infeasible unit is refused with the reason."""
    return htmx.act(
        request,
        lambda: start_pilot_here(
            settings,
            account,
            unit_id,
            name=name.strip() or None,
            external_shares=_shares(settings, account),
        ),
        done=lambda pilot: f"/pilots/{pilot.id}",
        page=lambda exc: _page(request, settings, account, error=exc, unit_id=unit_id),
    )
