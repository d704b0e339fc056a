"""Volunteers of a pilot: the call, the application form and the selection.

What each role reads and may do is the policy's: everyone reads the call; admins and
champions write it and open it; people of the entry point apply (a second application
updates the first); admins select among the applicants with filters; champions and
supervisors read counts by unit. Selection posts with HTMX and swaps the table (and the
counts above it); without JavaScript the same forms post and come back to the page.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from smartmoves.errors import SmartMovesError
from smartmoves.pathway.create import volunteers
from smartmoves.pathway.fields import field_label, field_value
from smartmoves.pathway.lists import Column
from smartmoves.pathway.policy import Account, may
from smartmoves.settings import Settings
from smartmoves.web import htmx
from smartmoves.web.lists import LIST_PARAMS, csv_download, listing
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)


def _filters(request: Request) -> dict[str, str]:
    """The selection screen's filters: every non-empty query parameter but the list's
    own (its page, search and sort)."""
    return {k: v for k, v in request.query_params.items() if v and k not in LIST_PARAMS}


def _attributes(row: volunteers.VolunteerRow) -> str:
    return " · ".join(
        f"{field_label(k)} {field_value(v)}" for k, v in row.attributes.items() if k != "unit_id"
    )


def _plan(row: volunteers.VolunteerRow) -> str:
    if row.plan == "not_freed":
        return f"not freed: {row.plan_reason or ''}".strip()
    return {"freed": "freed", "not_in_plan": "not in the plan"}.get(row.plan, row.plan)


def _selection(row: volunteers.VolunteerRow) -> str:
    words = {"selected": "selected", "not_selected": "not selected"}
    shown = words.get(row.selection or "", "undecided")
    return f"{shown} by {row.decided_by}" if row.decided_by else shown


# The applicants' table, column by column as the page shows it (and the CSV writes it).
APPLICANTS: list[Column[volunteers.VolunteerRow]] = [
    Column("person", "Person", lambda r: r.person_id),
    Column("unit", "Unit", lambda r: r.unit_id),
    Column("attributes", "Attributes", _attributes),
    Column("tenure", "Tenure", lambda r: r.tenure),
    Column("problem", "The problem or opportunity", lambda r: r.problem),
    Column("why", "Why", lambda r: r.why),
    Column("plan", "Capacity plan", _plan),
    Column("selection", "Selection", _selection),
]


def _context(
    request: Request,
    settings: Settings,
    pilot_id: int,
    account: Account,
    *,
    error: SmartMovesError | None = None,
    draft: str | None = None,
    view: volunteers.VolunteersView | None = None,
) -> dict[str, Any]:
    if view is None and may(account, "volunteers.read"):
        view = volunteers.volunteers_view(settings, account, pilot_id, filters=_filters(request))
    call = view.call if view is not None else volunteers.call_view(settings, account, pilot_id)
    applicants = None
    if view is not None and view.rows is not None:
        applicants = listing(request, view.rows, APPLICANTS, id="applicants", label="applicants")
    return {
        "account": account,
        "call": call,
        "view": view,
        "applicants": applicants,
        "mine": volunteers.my_application(settings, account, pilot_id),
        "draft": call.text if draft is None else draft,
        "error": "; ".join(error.lines()) if error else None,
        "current_phase": "create",
    }


def _page(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    return render(request, "create/volunteers.html", context, status_code=status)


@router.get("/pilots/{pilot_id}/volunteers", openapi_extra=needs("call.read"))
def volunteers_page(
    request: Request, pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> Response:
    context = _context(request, settings, pilot_id, account)
    applicants = context["applicants"]
    if applicants is not None and applicants.wants_csv:  # person-level: audited
        what = f"pilot {pilot_id} applicants"
        return csv_download(settings, account, applicants, person_level=True, what=what)
    return _page(request, context)


@router.post("/pilots/{pilot_id}/volunteers/call", openapi_extra=needs("call.write"))
def save_call(
    request: Request,
    pilot_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
    text: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "save",
) -> Response:
    """Save the call (``action=open``: and open it; ``default``: the default text)."""
    default = action == "default"
    return htmx.act(
        request,
        lambda: volunteers.save_call(
            settings,
            account,
            pilot_id,
            None if default else text,
            open_call=action == "open",
            default=default,
        ),
        done=f"/pilots/{pilot_id}/volunteers",
        page=lambda exc: _page(
            request,
            _context(request, settings, pilot_id, account, error=exc, draft=text),
            exc.http_status,
        ),
    )


@router.post("/pilots/{pilot_id}/volunteers/select", openapi_extra=needs("volunteers.select"))
def select(
    request: Request,
    pilot_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
    person_id: Annotated[list[str] | None, Form()] = None,
    action: Annotated[str, Form()] = "select",
) -> Response:
    """Select (``action=select``) or unselect (``unselect``) the ticked applicants."""
    status = "not_selected" if action == "unselect" else "selected"
    chosen = [volunteers.SelectionIn(person_id=p, status=status) for p in person_id or []]
    return htmx.act(
        request,
        lambda: volunteers.decide(settings, account, pilot_id, chosen, filters=_filters(request)),
        done=f"/pilots/{pilot_id}/volunteers",
        # The answer is the decision's own view: it says who left which workgroup.
        answer=lambda view: render(
            request,
            "create/_volunteers_selected.html",
            _context(request, settings, pilot_id, account, view=view),
        ),
        page=lambda exc: _page(
            request, _context(request, settings, pilot_id, account, error=exc), exc.http_status
        ),
    )


@router.get("/pilots/{pilot_id}/apply", openapi_extra=needs("call.read"))
def apply_page(
    request: Request, pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> Response:
    context = _context(request, settings, pilot_id, account)
    mine = context["mine"]
    form = {"problem": mine.problem, "why": mine.why} if mine and mine.source == "web" else {}
    return render(request, "create/apply.html", context | {"form": form})


@router.post("/pilots/{pilot_id}/apply", openapi_extra=needs("application.send"))
def apply(
    request: Request,
    pilot_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
    problem: Annotated[str, Form()] = "",
    why: Annotated[str, Form()] = "",
) -> Response:
    """Send (or update) the logged-in person's application."""

    def again(exc: SmartMovesError) -> Response:
        context = _context(request, settings, pilot_id, account, error=exc)
        context["form"] = {"problem": problem, "why": why}
        return render(request, "create/apply.html", context, status_code=exc.http_status)

    return htmx.act(
        request,
        lambda: volunteers.apply(settings, account, pilot_id, problem, why),
        done=f"/pilots/{pilot_id}/apply?sent=1",
        page=again,
    )
