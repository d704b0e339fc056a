"""Long lists: pages partition what the search leaves, the sort is stable with numbers as
numbers, page numbers clamp, and no query string makes the reading fail."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from smartmoves.pathway.lists import (
    MAX_SEARCH,
    Column,
    ListQuery,
    page_of,
    read_query,
    to_csv,
)

Row = tuple[int, str, float | None]  # (position in the list, unit, a figure)

COLUMNS: list[Column[Row]] = [
    Column("unit", "Unit", lambda r: r[1]),
    Column("figure", "Figure", lambda r: r[2], numeric=True),
]

units = st.sampled_from(["AR", "ar", "CC", "Payments", "HR", "=cmd", ""])
figures = st.none() | st.floats(allow_nan=False, allow_infinity=False, width=32)
lists = st.lists(st.tuples(units, figures), max_size=130).map(
    lambda pairs: [(i, u, f) for i, (u, f) in enumerate(pairs)]
)
queries = st.builds(
    ListQuery,
    page=st.integers(min_value=1, max_value=10),
    q=st.sampled_from(["", "a", "AR", "pay", "zz", "1"]),
    sort=st.sampled_from([None, "unit", "figure"]),
    desc=st.booleans(),
)


@given(lists, queries, st.integers(min_value=1, max_value=60))
def test_pages_partition_the_matching_rows(rows: list[Row], query: ListQuery, per: int) -> None:
    first = page_of(rows, COLUMNS, query, per_page=per)
    pages = [
        page_of(rows, COLUMNS, ListQuery(n, query.q, query.sort, query.desc), per_page=per)
        for n in range(1, first.pages + 1)
    ]
    joined = [r for p in pages for r in p.rows]
    assert joined == first.matching  # every matching row once, in order, page after page
    assert all(len(p.rows) == per for p in pages[:-1])
    assert all(p.rows for p in pages) or first.matching == []
    needle = query.q.casefold()
    shown = [(r[0], r[1] + " " + ("" if r[2] is None else str(r[2]))) for r in rows]
    left = {i for i, text in shown if any(needle in t.casefold() for t in text.split(" "))}
    assert {r[0] for r in first.matching} == left


@given(lists, st.sampled_from(["unit", "figure"]), st.booleans())
def test_the_sort_is_stable_with_blanks_last(rows: list[Row], key: str, desc: bool) -> None:
    page = page_of(rows, COLUMNS, ListQuery(sort=key, desc=desc), per_page=1000)
    value = (lambda r: r[1].casefold()) if key == "unit" else (lambda r: r[2])
    present = [r for r in page.matching if value(r) not in (None, "")]
    blanks = page.matching[len(present) :]
    assert all(value(r) in (None, "") for r in blanks)  # blanks last, either way
    for a, b in itertools.pairwise(present):
        assert (value(a) >= value(b)) if desc else (value(a) <= value(b))
        if value(a) == value(b):
            assert a[0] < b[0]  # equal rows keep the list's order
    assert [r[0] for r in blanks] == sorted(r[0] for r in blanks)


def test_numbers_sort_as_numbers_not_as_text() -> None:
    rows: list[Row] = [(0, "a", 10.0), (1, "b", 9.0), (2, "c", 100.0), (3, "d", None)]
    page = page_of(rows, COLUMNS, ListQuery(sort="figure"))
    assert [r[2] for r in page.rows] == [9.0, 10.0, 100.0, None]
    page = page_of(rows, COLUMNS, ListQuery(sort="figure", desc=True))
    assert [r[2] for r in page.rows] == [100.0, 10.0, 9.0, None]


@given(lists, st.integers(min_value=-(10**12), max_value=10**12))
def test_out_of_range_pages_clamp(rows: list[Row], number: int) -> None:
    query = read_query({"page": str(number)}, COLUMNS)
    page = page_of(rows, COLUMNS, query, per_page=50)
    assert 1 <= page.query.page <= page.pages
    if number >= page.pages:
        assert page.query.page == page.pages
    if number <= 1:
        assert page.query.page == 1
    assert page.first == (0 if not rows else (page.query.page - 1) * 50 + 1)
    assert page.last - page.first + 1 == len(page.rows) or not rows


@given(st.dictionaries(st.sampled_from(["page", "q", "sort", "desc", "x"]), st.text()), lists)
def test_any_query_string_reads(params: dict[str, str], rows: list[Row]) -> None:
    query = read_query(params, COLUMNS)
    assert query.sort in (None, "unit", "figure")
    assert len(query.q) <= MAX_SEARCH
    page = page_of(rows, COLUMNS, query)
    assert len(page.rows) <= 50


def test_the_csv_has_every_matching_row_and_no_formula() -> None:
    rows: list[Row] = [(i, "=cmd" if i == 3 else "AR", float(i)) for i in range(120)]
    page = page_of(rows, COLUMNS, ListQuery(page=2, q="", sort="figure", desc=True))
    lines = to_csv(page, COLUMNS).splitlines()
    assert lines[0] == "Unit,Figure"
    assert len(lines) == 121  # all pages, not the second's 50
    assert lines[1] == "AR,119.0"
    assert "'=cmd,3.0" in lines


def test_search_ignores_case_and_reads_what_is_shown() -> None:
    rows: list[Any] = [(0, "Payments", 1.5), (1, "HR", None), (2, "ar", 2.0)]
    assert [r[0] for r in page_of(rows, COLUMNS, ListQuery(q="PAY")).rows] == [0]
    assert [r[0] for r in page_of(rows, COLUMNS, ListQuery(q="AR")).rows] == [2]
    assert [r[0] for r in page_of(rows, COLUMNS, ListQuery(q="2.0")).rows] == [2]
    assert page_of(rows, COLUMNS, ListQuery(q="none")).rows == []  # a blank is no "None"
