"""A chart's figures as a table: the text alternative every chart on a page carries.

A chart is read by its tooltips: they name the fields that matter, with their titles and
formats, so the table shows exactly those columns, one row per distinct tooltip. Screen
readers and anyone who wants the numbers read the table; the chart stays for the eye.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["ChartTable", "chart_table"]


@dataclass(frozen=True)
class ChartTable:
    headers: list[str]
    rows: list[list[str]]


def _tooltips(spec: dict[str, Any]) -> tuple[list[dict[str, Any]], str | None]:
    """The tooltip fields and the dataset of the first view that has them."""
    views = [spec, *spec.get("layer", [])]
    for view in views:
        tips = view.get("encoding", {}).get("tooltip")
        if tips:
            data = view.get("data") or spec.get("data") or {}
            return [t for t in tips if "field" in t], data.get("name")
    return [], None


def _cell(value: Any, fmt: str | None) -> str:
    if value is None:
        return "—"
    if fmt:
        try:
            # d3's formats for these charts (",.0f", ".0%", ",d") are Python's too.
            return format(int(value) if fmt.endswith("d") else value, fmt)
        except (TypeError, ValueError):
            pass
    return str(value)


def chart_table(spec: dict[str, Any] | None) -> ChartTable | None:
    """The rows a chart draws, as text, or ``None`` when the chart has no tooltips.

    >>> spec = {"data": {"name": "d"}, "datasets": {"d": [{"unit": "A", "hours": 1234.5}]},
    ...         "encoding": {"tooltip": [{"field": "unit"},
    ...                                  {"field": "hours", "format": ",.0f"}]}}
    >>> chart_table(spec)
    ChartTable(headers=['unit', 'hours'], rows=[['A', '1,234']])
    """
    if not spec:
        return None
    tips, name = _tooltips(spec)
    records = spec.get("datasets", {}).get(name or "", [])
    if not tips or not records:
        return None
    rows: list[list[str]] = []
    for record in records:
        row = [_cell(record.get(t["field"]), t.get("format")) for t in tips]
        if row not in rows:  # a stacked bar draws one record per part: one row each
            rows.append(row)
    return ChartTable([str(t.get("title") or t["field"]) for t in tips], rows)
