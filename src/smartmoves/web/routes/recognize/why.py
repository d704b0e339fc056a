"""Why and who: the Recognize page's catalysts (each with its four answers and its
verdict) and the champion (with the seeds' warnings).

Admins and champions add, edit and delete catalysts; admins set the champion;
supervisors read. Forms post with HTMX and swap their section (a refusal is shown at the
form with its status); without JavaScript they post and come back to the page, which
shows the refusal and keeps what the user typed.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

import smartmoves.web.paths  # noqa: F401 - registers the {name:id} convertor used below
from smartmoves.errors import ConfigError, SmartMovesError
from smartmoves.pathway.policy import Account
from smartmoves.pathway.recognize import (
    CatalystIn,
    ChampionIn,
    add_catalyst,
    delete_catalyst,
    edit_catalyst,
    list_catalysts,
    set_champion,
    show_champion,
    why_and_who,
)
from smartmoves.settings import Settings
from smartmoves.web import htmx
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE = "/recognize"
QUESTIONS = ("break_status_quo", "urgent_now", "beyond_optimization", "pilot_can_be_freed")


class Posted:
    """A form as it was posted: what the user typed, and the version it was read from."""

    def __init__(self, values: dict[str, Any], base_version: int | None) -> None:
        self.values = values
        self.base_version = base_version


def _version(raw: Any) -> int | None:
    text = str(raw or "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 18:
        raise ConfigError(f"base_version must be a version number, not {text!r}")
    return int(text)


async def _catalyst_form(request: Request) -> Posted:
    """The catalyst's fields (``answer_<question>``, ``evidence_<question>``); whatever
    is missing is left blank, for the use case to refuse in words after the policy."""
    form = await request.form()
    values = {
        "kind": str(form.get("kind") or ""),
        "title": str(form.get("title") or ""),
        "answers": {q: str(form.get(f"answer_{q}") or "unsure") for q in QUESTIONS},
        "evidence": {q: str(form.get(f"evidence_{q}") or "") for q in QUESTIONS},
        "mainly_controls": bool(form.get("mainly_controls")),
    }
    return Posted(values, _version(form.get("base_version")))


async def _champion_form(request: Request) -> Posted:
    form = await request.form()
    keys = ("person_id", "level", "conviction", "communicates", "air_cover", "unit_id", "vision")
    values = {k: str(form.get(k) or "") for k in keys}
    return Posted(values, _version(form.get("base_version")))


CatalystForm = Annotated[Posted, Depends(_catalyst_form)]
ChampionForm = Annotated[Posted, Depends(_champion_form)]


def _context(
    account: Account, view: Any, *, error: SmartMovesError | None = None,
    where: str | None = None, typed: Posted | None = None,
) -> dict[str, Any]:  # fmt: skip
    return {
        "account": account,
        "view": view,
        "error": "; ".join(error.lines()) if error else None,
        "error_at": where,  # which form the error belongs to: new, a catalyst's id, champion
        "typed": typed.values if typed else None,
        "current_phase": "recognize",
    }


def _page(
    request: Request, settings: Settings, account: Account, *,
    error: SmartMovesError | None = None, where: str | None = None, typed: Posted | None = None,
) -> Response:  # fmt: skip
    view = why_and_who(settings, account)
    context = _context(account, view, error=error, where=where, typed=typed)
    status = error.http_status if error else 200
    return render(request, "recognize/why.html", context, status_code=status)


@router.get(PAGE, openapi_extra=needs("catalysts.read"))
def why_page(request: Request, account: CurrentAccount, settings: SettingsDep) -> Response:
    """Why and who: the catalysts with their verdicts, the champion with their warnings."""
    return _page(request, settings, account)


def _catalysts_fragment(request: Request, settings: Settings, account: Account) -> Response:
    view = list_catalysts(settings, account)
    return render(request, "recognize/_catalysts.html", {"account": account, "catalysts": view})


def _catalyst(posted: Posted) -> CatalystIn:
    return CatalystIn.model_validate(posted.values)


@router.post(f"{PAGE}/catalysts", openapi_extra=needs("catalysts.edit"))
def add(
    request: Request, account: CurrentAccount, settings: SettingsDep, posted: CatalystForm
) -> Response:
    """Record a catalyst."""
    return htmx.act(
        request,
        lambda: add_catalyst(settings, account, _catalyst(posted)),
        done=PAGE,
        fragment=lambda: _catalysts_fragment(request, settings, account),
        page=lambda exc: _page(request, settings, account, error=exc, where="new", typed=posted),
    )


@router.post(f"{PAGE}/catalysts/{{catalyst_id:id}}", openapi_extra=needs("catalysts.edit"))
def edit(
    request: Request, catalyst_id: int, account: CurrentAccount, settings: SettingsDep,
    posted: CatalystForm,
) -> Response:  # fmt: skip
    """Change a catalyst, unless someone saved a newer version since the form was read."""
    return htmx.act(
        request,
        lambda: edit_catalyst(
            settings, account, catalyst_id, _catalyst(posted), base_version=posted.base_version
        ),
        done=PAGE,
        fragment=lambda: _catalysts_fragment(request, settings, account),
        page=lambda exc: _page(
            request, settings, account, error=exc, where=str(catalyst_id), typed=posted
        ),
    )


@router.post(f"{PAGE}/catalysts/{{catalyst_id:id}}/delete", openapi_extra=needs("catalysts.edit"))
def delete(
    request: Request, catalyst_id: int, account: CurrentAccount, settings: SettingsDep,
    posted: CatalystForm,
) -> Response:  # fmt: skip
    """Delete a catalyst (refused when it changed since the page was read)."""
    return htmx.act(
        request,
        lambda: delete_catalyst(settings, account, catalyst_id, base_version=posted.base_version),
        done=PAGE,
        fragment=lambda: _catalysts_fragment(request, settings, account),
        page=lambda exc: _page(request, settings, account, error=exc, where=str(catalyst_id)),
    )


@router.post(f"{PAGE}/champion", openapi_extra=needs("champion.set"))
def champion(
    request: Request, account: CurrentAccount, settings: SettingsDep, posted: ChampionForm
) -> Response:
    """Set the organization's champion."""

    def fragment() -> Response:
        context = {"account": account, "champion": show_champion(settings, account)}
        return render(request, "recognize/_champion.html", context)

    return htmx.act(
        request,
        lambda: set_champion(
            settings,
            account,
            ChampionIn.model_validate(posted.values),
            base_version=posted.base_version,
        ),
        done=PAGE,
        fragment=fragment,
        page=lambda exc: _page(
            request, settings, account, error=exc, where="champion", typed=posted
        ),
    )
