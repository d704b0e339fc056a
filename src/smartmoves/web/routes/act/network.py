"""Connect to others: the unit collaboration view, my network, the admin's person-level
table, and each workgroup's Connect page.

Who sees what is decided by the policy (:mod:`smartmoves.pathway.policy`) in the use cases
of :mod:`smartmoves.pathway.act.connect`; these pages only show it. On My network a person
says whether they are suggested to others (a form that posts with HTMX and swaps itself,
or without JavaScript posts and comes back to the page). The first page after
new interactions are imported computes the analysis (then it is cached in the workspace).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from smartmoves.pathway.act import connect
from smartmoves.pathway.lists import Column
from smartmoves.pathway.policy import may
from smartmoves.web import charts_network, htmx
from smartmoves.web.lists import csv_download, listing
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)

MAX_HELP_TEXT = 300  # characters of a "who can help with" question


def _fixed(digits: int) -> Callable[[Any], str]:
    """A figure as the table shows it (``0.0123``), so a search finds what is read."""
    return lambda v: "" if v is None else f"{v:.{digits}f}"


def _share(value: Any) -> str:
    return "" if value is None else f"{100 * value:.0f}%"


# The admin's tables, column by column as the page shows them (and the CSV writes them).
def _named(who: Any, person_id: str) -> str:
    """A person as the table shows them (their name, or the id for pseudonymized data),
    so that a search for a name finds them."""
    card = who.get(person_id) if who else None
    return card.shown if card is not None else person_id


PEOPLE: list[Column[connect.PersonRow]] = [
    Column("person", "Person", lambda p: p.person_id),
    Column("unit", "Unit", lambda p: p.unit_id),
    Column("degree", "Degree", lambda p: p.degree, numeric=True),
    Column("strength", "Strength", lambda p: p.strength, numeric=True, text=_fixed(1)),
    Column("strong", "Strong", lambda p: p.strong_ties, numeric=True),
    Column("weak", "Weak", lambda p: p.weak_ties, numeric=True),
    Column("outside", "Outside unit", lambda p: p.external_share, numeric=True, text=_share),
    Column("betweenness", "Betweenness", lambda p: p.betweenness, numeric=True, text=_fixed(4)),
    Column("constraint", "Constraint", lambda p: p.constraint, numeric=True, text=_fixed(2)),
    Column("community", "Community", lambda p: p.community, numeric=True),
]
BROKERS: list[Column[connect.BrokerRow]] = [
    Column("rank", "Rank", lambda b: b.rank, numeric=True),
    Column("person", "Person", lambda b: b.person_id),
    Column("unit", "Unit", lambda b: b.unit_id),
    Column("reached", "Units reached", lambda b: b.units_reached, numeric=True),
    Column("betweenness", "Betweenness", lambda b: b.betweenness, numeric=True, text=_fixed(4)),
]


@router.get("/network", openapi_extra=needs("network.units"))
def units_page(request: Request, account: CurrentAccount, settings: SettingsDep) -> Response:
    """Units, how open or closed each is, and the unit-to-unit heatmap: no person."""
    view = connect.units_view(settings, account)
    names = {u.unit_id: u.unit_name for u in view.units}
    context = {
        "account": account,
        "view": view,
        "heatmap": charts_network.unit_heatmap(view.unit_matrix, names),
        "current_phase": "act",
    }
    return render(request, "act/network_units.html", context)


@router.get("/me/network", openapi_extra=needs("organization.read"))
def my_network_page(request: Request, account: CurrentAccount, settings: SettingsDep) -> Response:
    """The account's own figures and whom they might meet (a login with no person: what
    there is to see instead)."""
    view = connect.my_network(settings, account) if may(account, "network.mine") else None
    return render(
        request, "act/my_network.html", {"account": account, "view": view, "current_phase": "act"}
    )


@router.post("/me/network/suggestions", openapi_extra=needs("network.opt_out"))
def set_suggested(
    request: Request,
    account: CurrentAccount,
    settings: SettingsDep,
    suggested: Annotated[bool, Form()],
) -> Response:
    """Whether the account's person is suggested to others (their own choice)."""

    def toggle() -> Response:
        state = connect.SuggestedView(
            person_id=account.person_id or "",
            suggested=connect.is_suggested(settings, account.person_id or ""),
        )
        return render(request, "act/_suggested.html", {"account": account, "state": state})

    return htmx.act(
        request,
        lambda: connect.set_suggested(settings, account, suggested),
        done="/me/network",
        fragment=toggle,
    )


@router.get("/admin/network", openapi_extra=needs("network.people"))
def admin_page(request: Request, account: CurrentAccount, settings: SettingsDep) -> Response:
    """Every person's figures, the brokers and the communities (admins): the people and
    the brokers a page of 50 at a time, searched, sorted, or downloaded as CSV."""
    view = connect.people_view(settings, account)
    central = sorted(view.people, key=lambda p: (-(p.betweenness or 0.0), -p.degree, p.person_id))
    # The person column reads as the page shows it (a name); the id stays beside it, in
    # the search and the download, for whoever joins the figures to other files.
    people_columns = [
        Column("person", "Person", lambda p: _named(view.who, p.person_id)),
        Column("person_id", "Id", lambda p: p.person_id),
        *PEOPLE[1:],
    ]
    broker_columns = [
        BROKERS[0],
        Column("person", "Person", lambda b: _named(view.who, b.person_id)),
        Column("person_id", "Id", lambda b: b.person_id),
        *BROKERS[2:],
    ]
    people = listing(request, central, people_columns, id="network-people", label="people")
    brokers = listing(
        request, view.brokers, broker_columns, id="network-brokers", label="brokers",
        prefix="brokers_",
    )  # fmt: skip
    for shown in (people, brokers):
        if shown.wants_csv:  # person-level figures: the download is audited
            return csv_download(settings, account, shown, person_level=True)
    context = {
        "account": account,
        "view": view,
        "people": people,
        "brokers": brokers,
        "current_phase": "act",
    }
    return render(request, "act/admin_network.html", context)


@router.get(
    "/pilots/{pilot_id}/workgroups/{workgroup_id}/connect", openapi_extra=needs("connect.open")
)
def connect_page(
    request: Request,
    pilot_id: int,
    workgroup_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
    help: Annotated[str | None, Query(max_length=MAX_HELP_TEXT)] = None,
) -> Response:
    """Whom the workgroup might meet, who can help with its focus (or with the question
    asked in the form), and who faces a similar challenge."""
    view = connect.connect_view(settings, account, pilot_id, workgroup_id, help_text=help)
    return render(
        request, "act/connect.html", {"account": account, "view": view, "current_phase": "act"}
    )
