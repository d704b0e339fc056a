"""Where the logged-in user is logged in, and the audit log (admins): the JSON twins of
the account and audit pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from smartmoves.api.answers import LOGGED_IN, refusals
from smartmoves.api.kept import ViewRoute
from smartmoves.pathway import audit
from smartmoves.pathway.setup import logins
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, CurrentSession, SettingsDep, now

router = APIRouter(tags=["access"], responses=LOGGED_IN, route_class=ViewRoute)


@router.get(
    "/account/sessions",
    response_model=logins.SessionsView,
    openapi_extra=needs("account.sessions"),
)
def account_sessions(
    request: Request, session: CurrentSession, settings: SettingsDep
) -> logins.SessionsView:
    """Your live sessions (``current``: the one asking), the most recently used first."""
    return logins.sessions_view(settings, session.account, session.key, now=now(request))


@router.get(
    "/admin/audit",
    response_model=audit.AuditPage,
    openapi_extra=needs("audit.read"),
    responses=refusals(403, 422),
)
def audit_log(
    account: CurrentAccount,
    settings: SettingsDep,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> audit.AuditPage:
    """One page of the audit log, newest first (admins only)."""
    return audit.audit_page(settings, account, page)
