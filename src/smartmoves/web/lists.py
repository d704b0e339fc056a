"""A long list on a page: its question read from the link, the links that change it, and
its CSV download.

A route builds a :class:`Listing` from the rows the use case gave it
(:func:`listing`); the ``_list.html`` macros draw the search box, the sortable headings
and the page links from it. Every link is a plain link (shareable, and working without
JavaScript) that HTMX follows by swapping only the list's box (``hx-select`` of the
page's own answer), so the rest of the page stays as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response

from smartmoves.pathway import lists
from smartmoves.pathway.lists import PER_PAGE, Column, ListPage, ListQuery
from smartmoves.pathway.policy import Account
from smartmoves.settings import Settings

__all__ = ["LIST_PARAMS", "Listing", "csv_download", "listing", "page_links", "stored_listing"]

LIST_PARAMS = ("page", "q", "sort", "desc", "download")  # a list's own query keys


@dataclass(frozen=True)
class Listing:
    """One list of a page: the page of rows to draw and how to ask for another."""

    id: str  # the id of the list's box, which HTMX swaps
    label: str  # what the rows are, in words ("people"): the search's label, the CSV's name
    page: ListPage[Any]
    columns: Sequence[Column[Any]]
    path: str
    params: tuple[tuple[str, str], ...]  # the page's whole query string, kept in every link
    prefix: str = ""

    @property
    def rows(self) -> list[Any]:
        return self.page.rows

    @property
    def wants_csv(self) -> bool:
        return any(k == self.prefix + "download" for k, _ in self.params)

    def href(self, **changes: Any) -> str:
        """This page's address with this list's ``changes`` (a None drops the key); the
        other lists' and filters' keys stay as they are."""
        mine = {self.prefix + k: v for k, v in changes.items()}
        kept = [(k, v) for k, v in self.params if k not in mine and k != self.prefix + "download"]
        added = [(k, str(v)) for k, v in mine.items() if v not in (None, "", False)]
        query = urlencode(kept + added)
        return f"{self.path}?{query}" if query else self.path

    def page_href(self, number: int) -> str:
        return self.href(page=number if number > 1 else None)

    def sort_href(self, key: str) -> str:
        """Sorted by ``key`` ascending; when it already is, descending (from the first page)."""
        query = self.page.query
        desc = query.sort == key and not query.desc
        return self.href(sort=key, desc=1 if desc else None, page=None)

    def sorted_as(self, key: str) -> str:
        """The ``aria-sort`` of ``key``'s heading."""
        if self.page.query.sort != key:
            return "none"
        return "descending" if self.page.query.desc else "ascending"

    def csv_href(self) -> str:
        return self.href(download="csv", page=None)

    def kept_fields(self) -> list[tuple[str, str]]:
        """The query keys the search form sends again beside the search (a new search
        starts from page 1)."""
        own = {self.prefix + "q", self.prefix + "page", self.prefix + "download"}
        return [(k, v) for k, v in self.params if k not in own]

    def column(self, key: str) -> Column[Any]:
        return next(c for c in self.columns if c.key == key)


def listing(
    request: Request,
    rows: Sequence[Any],
    columns: Sequence[Column[Any]],
    *,
    id: str,
    label: str,
    prefix: str = "",
    per_page: int = PER_PAGE,
) -> Listing:
    """The list ``id`` of ``rows``, at the page, search and sort the request's query asks."""
    params = request.query_params
    query = lists.read_query(params, columns, prefix)
    return Listing(
        id=id,
        label=label,
        page=lists.page_of(rows, columns, query, per_page),
        columns=columns,
        path=request.url.path,
        params=tuple(params.multi_items()),
        prefix=prefix,
    )


def stored_listing(
    request: Request,
    rows: list[Any],
    *,
    page: int,
    pages: int,
    found: int,
    total: int,
    per_page: int,
    id: str,
    label: str,
) -> Listing:
    """A list the store searches and cuts itself (the audit log, too long to read whole
    for a page): the same controls over the page it gave."""
    query = ListQuery(page=page, q=lists.read_query(request.query_params, []).q)
    cut = ListPage(
        rows=rows,
        matching=[],
        query=query,
        total=total,
        pages=pages,
        per_page=per_page,
        found=found,
    )
    params = tuple(request.query_params.multi_items())
    return Listing(id=id, label=label, page=cut, columns=[], path=request.url.path, params=params)


def page_links(current: int, pages: int) -> list[int | None]:
    """The page numbers a pager shows: the first, the last, and two either side of the
    current one; None where numbers are left out.

    >>> page_links(7, 20)
    [1, None, 5, 6, 7, 8, 9, None, 20]
    >>> page_links(1, 3)
    [1, 2, 3]
    """
    near = {1, pages, *range(max(1, current - 2), min(pages, current + 2) + 1)}
    out: list[int | None] = []
    for number in sorted(near):
        if out and out[-1] is not None and number > out[-1] + 1:
            out.append(None)
        out.append(number)
    return out


def csv_download(
    settings: Settings,
    account: Account,
    shown: Listing,
    *,
    person_level: bool,
    what: str | None = None,
) -> Response:
    """Every row of ``shown`` the search leaves (all pages) as a CSV file, audited as
    ``what`` (the list's label unless said) when it is about people."""
    text = lists.download(
        settings, account, what or shown.label, shown.page, shown.columns, person_level=person_level
    )
    name = "smartmoves-" + "-".join(shown.label.split()) + ".csv"
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
