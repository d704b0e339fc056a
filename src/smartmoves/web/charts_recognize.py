"""Charts of Recognize the opportunity: the entry-point matrix."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from smartmoves.web.chartcache import kept_chart
from smartmoves.web.charts import FIT_WIDTH, PALETTE

__all__ = ["entry_matrix_chart"]

GREY = "#9aa5b1"
_LEFT: Literal["left"] = "left"
_RIGHT: Literal["right"] = "right"


@kept_chart
def entry_matrix_chart(rows: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """Impact against likelihood, one bubble per unit sized by the people it could free;
    units that cannot yield a pilot group (or whose capacity is not known) are grey.

    ``rows``: unit, impact, likelihood, capacity, can_free (int or None), feasible
    ("can start here", "cannot yield 15", "not known") and weak (text).
    """
    import altair as alt
    import pandas as pd

    if not rows:
        return None
    data = pd.DataFrame(rows).assign(size=lambda d: d["can_free"].fillna(0).clip(lower=1))
    base = alt.Chart(data)
    bubbles = base.mark_circle(opacity=0.75, stroke="#333", strokeWidth=0.5).encode(
        x=alt.X("impact:Q", title="potential for impact", scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("likelihood:Q", title="likelihood of success", scale=alt.Scale(domain=[0, 1])),
        size=alt.Size(
            "size:Q",
            title="people who could be freed",
            legend=None,
            scale=alt.Scale(range=[40, 900]),
        ),
        color=alt.Color(
            "feasible:N",
            title=None,
            scale=alt.Scale(
                domain=["can start here", "cannot yield 15", "not known"],
                range=[PALETTE, GREY, "#d9dee3"],
            ),
            legend=alt.Legend(orient="bottom"),
        ),
        tooltip=[
            alt.Tooltip("unit:N", title="unit"),
            alt.Tooltip("impact:Q", title="impact", format=".2f"),
            alt.Tooltip("likelihood:Q", title="likelihood", format=".2f"),
            alt.Tooltip("capacity:Q", title="capacity", format=".2f"),
            alt.Tooltip("can_free:Q", title="could be freed", format=",d"),
            alt.Tooltip("feasible:N", title="pilot group"),
            alt.Tooltip("weak:N", title="weak on"),
        ],
    )
    # The units that can start a pilot are named on the chart (the others in the table),
    # on the side of the bubble that has room.
    can_start = alt.datum.feasible == "can start here"
    names = [
        base.transform_filter(can_start & test)
        .mark_text(align=align, dx=dx, fontSize=11, color="#333")
        .encode(x="impact:Q", y="likelihood:Q", text="unit:N")
        for test, align, dx in (
            (alt.datum.impact < 0.6, _LEFT, 14),
            (alt.datum.impact >= 0.6, _RIGHT, -18),
        )
    ]
    chart = alt.layer(bubbles, *names).properties(width="container", height=360, autosize=FIT_WIDTH)
    spec: dict[str, Any] = chart.to_dict()
    return spec
