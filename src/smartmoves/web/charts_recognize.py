"""Charts of Recognize the opportunity: the entry-point matrix, the metrics' drivers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from smartmoves.web.chartcache import kept_chart
from smartmoves.web.charts import FIT_WIDTH, PALETTE, rows_tall

__all__ = ["drivers_chart", "entry_matrix_chart"]

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


@kept_chart
def drivers_chart(rows: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """How strongly each metric moves its parent, in standard deviations of the parent
    per standard deviation of the metric, with the 95% range as an error bar; the
    children of a parent are together and in its colour, leading indicators drawn as
    triangles. A bar that crosses the zero line may be no effect at all.

    ``rows``, in the tree's order: metric, parent (names), strength, low, high
    (standardized), per_unit (the parent's units per unit), leads ("yes" or "no") and
    weeks.
    """
    import altair as alt
    import pandas as pd

    if not rows:
        return None
    data = pd.DataFrame(rows).assign(order=range(len(rows)))
    # The metric's name with its parent's: one metric may sit under one parent only,
    # but two parents can have children of the same name.
    data["label"] = data["metric"] + " → " + data["parent"]
    y = alt.Y("label:N", title=None, sort=alt.EncodingSortField("order"),
              axis=alt.Axis(labelLimit=260))  # fmt: skip
    base = alt.Chart(data)
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#666").encode(x="x:Q")
    ranges = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("low:Q", title="moves its parent by (SD of the parent per SD of the metric)"),
        x2="high:Q",
        y=y,
        color=alt.Color("parent:N", title="parent", legend=alt.Legend(orient="bottom")),
    )
    points = base.mark_point(filled=True, size=90, opacity=1).encode(
        x="strength:Q",
        y=y,
        color=alt.Color("parent:N", legend=None),
        shape=alt.Shape(
            "leads:N",
            title="leading indicator",
            scale=alt.Scale(domain=["yes", "no"], range=["triangle-right", "circle"]),
            legend=alt.Legend(orient="bottom"),
        ),
        tooltip=[
            alt.Tooltip("metric:N", title="metric"),
            alt.Tooltip("parent:N", title="moves"),
            alt.Tooltip("strength:Q", title="strength (SD per SD)", format="+.2f"),
            alt.Tooltip("low:Q", title="95% range from", format="+.2f"),
            alt.Tooltip("high:Q", title="to", format="+.2f"),
            alt.Tooltip("per_unit:Q", title="per unit of the metric", format="+.3g"),
            alt.Tooltip("leads:N", title="leading indicator"),
            alt.Tooltip("weeks:Q", title="weeks", format=",d"),
        ],
    )
    chart = alt.layer(zero, ranges, points).properties(
        width="container", height=rows_tall(len(data), 26), autosize=FIT_WIDTH
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec
