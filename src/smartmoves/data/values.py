"""How one text cell reads: yes/no words, and what to say when a cell does not read.

Every reader of imported files uses these, so that a file says "yes" the same way
whichever table or connector reads it, and a bad cell is reported in the same words
whether pandas (``validate``) or DuckDB (``imports.events``) found it.
"""

from __future__ import annotations

from smartmoves.data.contracts import Column
from smartmoves.errors import Problem

__all__ = ["FALSE_WORDS", "TRUE_WORDS", "bad_cell", "parse_bool"]

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "t"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "f"})

_NOUNS = {
    "bool": "a yes/no value",
    "date": "a date",
    "datetime": "a date-time",
    "choice": "an allowed value",
    "id_list": "a list of ids",
    "email": "an email address",
}


def parse_bool(value: object) -> bool | None:
    """``True`` or ``False`` for a yes/no word (any case, spaces around ignored), else
    ``None``: for an empty cell and for text that is neither.

    >>> parse_bool(" Yes"), parse_bool("0"), parse_bool(""), parse_bool("maybe")
    (True, False, None, None)
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def bad_cell(file: str, row: int | None, column: Column, cell: str) -> Problem:
    """The problem with ``cell``, a value of ``column`` that does not read (or is empty):
    ``FILE:ROW: column COLUMN: what is wrong (expected how to write it)``.

    >>> print(bad_cell("allocations.csv", 9, Column("hours", "number", minimum=0), "-3"))
    allocations.csv:9: column hours: out of range: -3 (expected a number >= 0)
    >>> bad_cell("people.csv", 4, Column("is_supervisor", "bool"), "maybe").message
    "not a yes/no value: 'maybe'"
    """
    return Problem(file, row, column.name, _what_is_wrong(column, cell), column.expected())


def _what_is_wrong(column: Column, cell: str) -> str:
    if cell == "":
        return "empty"
    if column.kind == "number":
        try:
            float(cell)
        except ValueError:
            return f"not a number: {cell!r}"
        return f"out of range: {cell}"
    return f"not {_NOUNS.get(column.kind, 'a value')}: {cell!r}"
