"""Where to start, judged: a unit's assessment saved from the entry-points page (its
history below it), and the workspace's entry-point weights."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from smartmoves.errors import SmartMovesError
from smartmoves.pathway.recognize import WeightsView, save_assessment, save_weights
from smartmoves.pathway.recognize.assessments import FIELDS, WEIGHT_HELP
from smartmoves.web import htmx
from smartmoves.web.permissions import needs
from smartmoves.web.routes.recognize.entry_points import _page
from smartmoves.web.session import CurrentAccount, SettingsDep

router = APIRouter(include_in_schema=False)


async def _fields(request: Request, names: tuple[str, ...] | list[str]) -> dict[str, str]:
    form = await request.form()
    return {n: str(form.get(n) or "").strip() for n in names}


@router.post("/entry-points/{unit_id}/assessment", openapi_extra=needs("assessments.edit"))
async def assess(
    request: Request, unit_id: str, account: CurrentAccount, settings: SettingsDep
) -> Response:
    """Save the form as the unit's newest assessment; the page shows it with its history
    and the scores it changes."""
    draft = await _fields(request, FIELDS)
    where = f"assess-{unit_id}"

    def page(exc: SmartMovesError | None = None) -> Response:
        return _page(request, settings, account, error=exc, form=where, draft=draft,
                     saved=None if exc else where)  # fmt: skip

    return htmx.act(
        request,
        lambda: save_assessment(settings, account, unit_id, draft),
        done=f"/entry-points#{where}",
        fragment=page,
        page=page,
    )


@router.post("/entry-points/weights", openapi_extra=needs("entry_points.weights"))
async def weigh(request: Request, account: CurrentAccount, settings: SettingsDep) -> Response:
    """Save the weights (``defaults`` in the form: back to the documented defaults)."""
    form = await request.form()
    # A weight the form did not send keeps its default; one sent empty is refused.
    draft = await _fields(request, [n for n in WEIGHT_HELP if n in form])
    values: dict[str, str] = {} if form.get("defaults") else draft

    def page(exc: SmartMovesError | None = None) -> Response:
        return _page(request, settings, account, error=exc, form="weights", draft=draft,
                     saved=None if exc else "weights")  # fmt: skip

    def saved(_: WeightsView) -> Response:
        return page()

    return htmx.act(
        request,
        lambda: save_weights(settings, account, values),
        done="/entry-points#weights",
        answer=saved,
        page=page,
    )
