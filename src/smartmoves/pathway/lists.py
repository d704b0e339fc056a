"""Long lists, a page at a time: searched, sorted and cut into pages of 50.

A table of hundreds of people was one page 24,589 px tall. Every long list now goes
through :func:`page_of`: a search (case-insensitive, on the text each column shows),
a sort on one column (numbers as numbers, blanks last either way, ties kept in the
list's own order), then the page asked for, clamped to the pages there are. The
question comes from a link's query string (:func:`read_query`), so anything typed
there is read leniently: a page that is no number is the first, one past the last is
the last, a column that does not exist sorts nothing. Nothing here can fail on what a
user types.

:func:`to_csv` writes every row the search left (all pages, in the order asked) with
the product's rule for formula cells; :func:`download` does so and records the export
in the audit log when the rows are about people.

Who may see which rows is decided before a list gets here (the use case that built
them, by the policy): a list pages and sorts what the reader may already see.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from smartmoves.data.csvsafe import safe_cell
from smartmoves.pathway import audit
from smartmoves.pathway.policy import Account
from smartmoves.settings import Settings

__all__ = [
    "MAX_SEARCH",
    "PER_PAGE",
    "Column",
    "ListPage",
    "ListQuery",
    "download",
    "page_of",
    "read_query",
    "shown_text",
    "to_csv",
]

T = TypeVar("T")

PER_PAGE = 50
MAX_SEARCH = 200  # characters of a search; a longer one is cut, not refused
MAX_PAGE = 1_000_000  # a page number beyond any list, read as "the last"
TRUE = frozenset({"1", "true", "yes", "on"})


def shown_text(value: Any) -> str:
    """The words a cell shows for ``value``: a blank for nothing, a list joined by commas.

    >>> shown_text(None), shown_text(["AR", "CC"]), shown_text(0.25)
    ('', 'AR, CC', '0.25')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(shown_text(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column of a list: its query key, its heading, how a row gives its value, and
    whether it sorts as a number."""

    key: str
    label: str
    value: Callable[[T], Any]
    numeric: bool = False
    text: Callable[[Any], str] = shown_text  # what the search reads: the text shown


@dataclass(frozen=True)
class ListQuery:
    """What the reader asked of a list: a page (from 1), a search, a sort column."""

    page: int = 1
    q: str = ""
    sort: str | None = None
    desc: bool = False


def _page_number(text: str | None) -> int:
    try:
        number = int(str(text).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(1, number), MAX_PAGE)


def read_query(
    params: Mapping[str, str], columns: Sequence[Column[Any]], prefix: str = ""
) -> ListQuery:
    """The question in a query string (``page``, ``q``, ``sort``, ``desc``, each after
    ``prefix`` when a page holds several lists), read so that nothing is refused.

    >>> cols = [Column("unit", "Unit", lambda r: r)]
    >>> read_query({"page": "x", "q": "  Ar ", "sort": "unit", "desc": "1"}, cols)
    ListQuery(page=1, q='Ar', sort='unit', desc=True)
    >>> read_query({"page": "-3", "sort": "nope"}, cols)
    ListQuery(page=1, q='', sort=None, desc=False)
    """
    sort = params.get(prefix + "sort")
    known = {c.key for c in columns}
    return ListQuery(
        page=_page_number(params.get(prefix + "page")),
        q=str(params.get(prefix + "q") or "").strip()[:MAX_SEARCH],
        sort=sort if sort in known else None,
        desc=str(params.get(prefix + "desc") or "").lower() in TRUE,
    )


@dataclass(frozen=True)
class ListPage(Generic[T]):
    """One page of a list, and what it was cut from."""

    rows: list[T]  # this page
    matching: list[T] = field(repr=False)  # every row the search left, sorted (the CSV)
    query: ListQuery  # as applied: the page clamped, an unknown sort dropped
    total: int  # rows before the search
    pages: int
    per_page: int
    found: int  # rows the search left (``matching``'s, or a store's count when it pages)

    @property
    def first(self) -> int:
        """The number of this page's first row among the matching rows (0 if none)."""
        return (self.query.page - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def _sort_key(column: Column[Any]) -> Callable[[Any], tuple[int, float, str]]:
    """Numbers before text (so a stray text cell in a number column never fails the
    sort), each compared as its kind; a blank is handled by the caller."""

    def key(row: Any) -> tuple[int, float, str]:
        value = column.value(row)
        if column.numeric and isinstance(value, int | float):
            return (0, float(value), "")
        return (1, 0.0, shown_text(value).casefold())

    return key


def _blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def page_of(
    rows: Sequence[T],
    columns: Sequence[Column[T]],
    query: ListQuery,
    per_page: int = PER_PAGE,
) -> ListPage[T]:
    """The page ``query`` asks of ``rows``: searched, sorted, cut.

    >>> cols = [Column("n", "N", lambda r: r, numeric=True)]
    >>> page = page_of([3, 10, 2, 21, 1], cols, ListQuery(page=9, q="1", sort="n"), per_page=2)
    >>> page.rows, page.matching, page.query.page, page.pages, page.first, page.last
    ([21], [1, 10, 21], 2, 2, 3, 3)
    """
    per_page = max(1, per_page)
    needle = query.q.casefold()
    matching = list(rows)
    if needle:
        matching = [
            r for r in matching if any(needle in c.text(c.value(r)).casefold() for c in columns)
        ]
    by = next((c for c in columns if c.key == query.sort), None)
    if by is not None:
        # Blanks go last whichever way the column is sorted; ``sorted`` keeps equal rows in
        # their order, reverse or not.
        present = [r for r in matching if not _blank(by.value(r))]
        blank = [r for r in matching if _blank(by.value(r))]
        matching = sorted(present, key=_sort_key(by), reverse=query.desc) + blank
    pages = max(1, -(-len(matching) // per_page))
    page = min(query.page, pages)
    start = (page - 1) * per_page
    return ListPage(
        rows=matching[start : start + per_page],
        matching=matching,
        query=ListQuery(page=page, q=query.q, sort=by.key if by else None, desc=query.desc),
        total=len(rows),
        pages=pages,
        per_page=per_page,
        found=len(matching),
    )


def to_csv(page: ListPage[T], columns: Sequence[Column[T]]) -> str:
    """Every matching row of ``page`` (all pages) as CSV, headed by the columns' labels;
    a text cell a spreadsheet would run as a formula is written as text.

    >>> cols = [Column("who", "Person", lambda r: r)]
    >>> to_csv(page_of(["=1+1", "P2"], cols, ListQuery()), cols)
    "Person\\n'=1+1\\nP2\\n"
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.label for c in columns])
    for row in page.matching:
        writer.writerow([safe_cell(_csv_cell(c.value(row))) for c in columns])
    return buffer.getvalue()


def _csv_cell(value: Any) -> Any:
    """A number as a number (a spreadsheet sums it), anything else as the text shown."""
    return value if isinstance(value, int | float) and not _blank(value) else shown_text(value)


def download(
    settings: Settings,
    account: Account,
    what: str,
    page: ListPage[T],
    columns: Sequence[Column[T]],
    *,
    person_level: bool,
) -> str:
    """:func:`to_csv` of ``page``, the export recorded in the audit log first when the
    rows are about people (as every export of person-level data is)."""
    if person_level:
        audit.exported(settings, account, what, rows=len(page.matching), search=page.query.q)
    return to_csv(page, columns)
