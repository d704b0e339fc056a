"""Vega-Lite chart specs (built with Altair), rendered in the browser by vega-embed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from smartmoves.web.chartcache import kept_chart

__all__ = ["FIT_WIDTH", "hours_by_category_chart", "rows_tall"]

PALETTE = "#1d6fa5"
# As wide as the page, as tall as its rows: Vega-Lite's default for a container width
# ("fit") also tries to fit the height, and warns that a height in steps cannot be fitted.
# So the height is given in pixels (``rows_tall``), never in steps: with a step Vega-Lite
# drops the fit and says so in the console.
FIT_WIDTH = {"type": "fit-x", "contains": "padding"}


def rows_tall(rows: int, step: int) -> int:
    """The height of a chart of ``rows`` bars or cells, ``step`` pixels each."""
    return max(1, rows) * step


@kept_chart
def hours_by_category_chart(rows: Sequence[Any], *, title: str = "") -> dict[str, Any] | None:
    """A horizontal bar chart of weekly hours per activity category.

    Suppressed categories are left out of the chart (the table beside it says so);
    ``None`` when nothing can be shown.
    """
    import altair as alt
    import pandas as pd

    data = pd.DataFrame(
        [
            {"category": r.category, "hours": r.hours_per_week, "share": r.share}
            for r in rows
            if not r.suppressed
        ]
    )
    if data.empty:
        return None
    chart = (
        alt.Chart(data, title=title or alt.Undefined)
        .mark_bar(color=PALETTE)
        .encode(
            x=alt.X("hours:Q", title="hours per week"),
            y=alt.Y("category:N", sort="-x", title=None),
            tooltip=[
                alt.Tooltip("category:N"),
                alt.Tooltip("hours:Q", format=",.0f"),
                alt.Tooltip("share:Q", format=".0%"),
            ],
        )
        .properties(width="container", height=rows_tall(len(data), 22), autosize=FIT_WIDTH)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec
