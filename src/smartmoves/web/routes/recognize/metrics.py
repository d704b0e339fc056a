"""The metrics that matter: the metric tree beside its driver estimates and their chart,
and, for admins and champions, the forms that change the tree.

Forms post with HTMX: a saved change swaps the whole page's box in (the chart and every
estimate move with the tree); a refused one shows why at the form. Without JavaScript a
form gets the page back, with the message at the form it posted.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from smartmoves.errors import SmartMovesError
from smartmoves.pathway.policy import Account
from smartmoves.pathway.recognize import (
    MetricTree,
    add_metric,
    change_metric,
    metric_tree,
    remove_metric,
)
from smartmoves.pathway.recognize.drivers import PARENT_LEVELS
from smartmoves.settings import Settings
from smartmoves.web import htmx
from smartmoves.web.charts_recognize import drivers_chart
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE = "/metrics"
Field = Annotated[str, Form()]


def chart_rows(view: MetricTree) -> list[dict[str, Any]]:
    """One row per estimated metric, in the tree's order, for :func:`drivers_chart`.
    The 95% range in standard deviations is the range in units scaled like the
    coefficient (a standardized coefficient is the coefficient times sd(x) / sd(y))."""
    names = {m.metric_id: m.name for m in view.rows}
    rows = []
    for m in view.rows:
        d = m.driver
        if d is None:
            continue
        scale = d.standardized / d.coefficient if d.coefficient else 0.0
        rows.append(
            {
                "metric": m.name,
                "parent": names.get(d.parent_id, d.parent_id),
                "strength": round(d.standardized, 4),
                "low": round(d.ci_low * scale, 4),
                "high": round(d.ci_high * scale, 4),
                "per_unit": float(f"{d.coefficient:.4g}"),
                "leads": "yes" if m.leading else "no",
                "weeks": d.n_weeks,
            }
        )
    return rows


def _parents(view: MetricTree) -> dict[str, list[tuple[str, str]]]:
    """For each level, the metrics a metric of that level may sit under (id, name)."""
    return {
        level: [(m.metric_id, m.name) for m in view.rows if m.level in allowed]
        for level, allowed in PARENT_LEVELS.items()
    }


def _page(
    request: Request, settings: Settings, account: Account, *,
    error: SmartMovesError | None = None, where: str | None = None,
    draft: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    """The page, with ``error`` shown at the form ``where`` ("add" or a metric's id)."""
    view = metric_tree(settings, account)
    return render(
        request,
        "recognize/metrics.html",
        {
            "account": account,
            "view": view,
            "chart": drivers_chart(chart_rows(view)),
            "parents": _parents(view),
            "error": error.message if error else None,
            "error_at": where,
            "draft": draft or {},
            "current_phase": "recognize",
        },
        status_code=error.http_status if error else 200,
    )


@router.get(PAGE, openapi_extra=needs("metrics.read"))
def metrics_page(request: Request, account: CurrentAccount, settings: SettingsDep) -> Response:
    """The metric tree, each metric beside how strongly it moves the one above it."""
    return _page(request, settings, account)


@router.post(PAGE, openapi_extra=needs("metrics.edit"))
def add(
    request: Request,
    account: CurrentAccount,
    settings: SettingsDep,
    metric_id: Field = "",
    name: Field = "",
    level: Field = "",
    parent_id: Field = "",
    direction: Field = "up",
    unit: Field = "",
) -> Response:
    """Add a metric to the tree."""
    draft = {"metric_id": metric_id, "name": name, "level": level, "parent_id": parent_id,
             "direction": direction, "unit": unit}  # fmt: skip
    return htmx.act(
        request,
        lambda: add_metric(settings, account, **draft),
        done=PAGE,
        fragment=lambda: _page(request, settings, account),
        page=lambda exc: _page(request, settings, account, error=exc, where="add", draft=draft),
    )


@router.post(PAGE + "/{metric_id}", openapi_extra=needs("metrics.edit"))
def change(
    request: Request,
    metric_id: str,
    account: CurrentAccount,
    settings: SettingsDep,
    name: Field = "",
    parent_id: Field = "",
    direction: Field = "up",
    unit: Field = "",
) -> Response:
    """Change a metric's name, parent, direction and unit."""
    return htmx.act(
        request,
        lambda: change_metric(
            settings,
            account,
            metric_id,
            name=name,
            parent_id=parent_id,
            direction=direction,
            unit=unit,
        ),
        done=PAGE,
        fragment=lambda: _page(request, settings, account),
        page=lambda exc: _page(request, settings, account, error=exc, where=metric_id),
    )


@router.post(PAGE + "/{metric_id}/remove", openapi_extra=needs("metrics.edit"))
def remove(
    request: Request, metric_id: str, account: CurrentAccount, settings: SettingsDep
) -> Response:
    """Remove a metric with nothing under it and no weekly values."""
    return htmx.act(
        request,
        lambda: remove_metric(settings, account, metric_id),
        done=PAGE,
        fragment=lambda: _page(request, settings, account),
        page=lambda exc: _page(request, settings, account, error=exc, where=metric_id),
    )
