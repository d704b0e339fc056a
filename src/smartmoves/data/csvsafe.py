"""The one rule for every CSV the product writes: a text cell a spreadsheet would run as
a formula is written as text.

A cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
some spreadsheets skip before looking) runs as a formula when the file is opened, and
imported names, topics or an email typed at the login form are anyone's text. Such a
cell gets a leading ``'``. Numbers are left alone: a negative number in a numeric column
is a number, not a formula.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["safe_cell", "safe_frame"]

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet shows it as text; anything but text is unchanged.

    >>> safe_cell("=HYPERLINK(1)"), safe_cell("admin@bank.example"), safe_cell(-3)
    ("'=HYPERLINK(1)", 'admin@bank.example', -3)
    """
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with its text cells made safe; numeric columns unchanged.

    >>> safe_frame(pd.DataFrame({"name": ["-x", "ok"], "delta": [-1.5, 2.0]})).to_dict("list")
    {'name': ["'-x", 'ok'], 'delta': [-1.5, 2.0]}
    """
    text = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    if not text:
        return frame
    out = frame.copy()
    for column in text:
        out[column] = out[column].map(safe_cell)
    return out
