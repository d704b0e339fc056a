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


def _slots(rows: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The chart's lines, top to bottom: each parent's heading (in the order the tree
    first names it) followed by its children, each line a ``slot``."""
    parents: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        parents.setdefault(str(row["parent"]), []).append(row)
    headings: list[dict[str, Any]] = []
    children: list[dict[str, Any]] = []
    for parent, below in parents.items():
        headings.append({"slot": len(headings) + len(children), "heading": f"{parent} moves with"})
        for row in below:
            children.append({**row, "slot": len(headings) + len(children)})
    return headings, children


@kept_chart
def drivers_chart(rows: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """How strongly each metric moves its parent, in standard deviations of the parent
    per standard deviation of the metric, with the 95% range as an error bar; the
    children of a parent under its name and in its colour, leading indicators drawn as
    triangles. A bar that crosses the zero line may be no effect at all. Names are
    written above their bars, not beside them, so a phone's width is left to the bars.

    ``rows``, in the tree's order: metric, parent (names), strength, low, high
    (standardized), per_unit (the parent's units per unit), leads ("yes" or "no") and
    weeks.
    """
    import altair as alt
    import pandas as pd

    if not rows:
        return None
    headings, children = _slots(rows)
    data = pd.DataFrame(children)
    y = alt.Y("slot:O", axis=None, title=None)
    x_title = "moves its parent by (SD of the parent per SD of the metric)"
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#666").encode(x="x:Q")
    titles = (
        alt.Chart(pd.DataFrame(headings))
        .mark_text(align="left", baseline="middle", fontWeight="bold", fontSize=12, color="#333")
        .encode(x=alt.value(0), y=y, text="heading:N")
    )
    base = alt.Chart(data)
    names = base.mark_text(
        align="left", baseline="bottom", dy=-5, fontSize=11, color="#333"
    ).encode(x=alt.value(12), y=y, text="metric:N")
    color = alt.Color("parent:N", legend=None)
    ranges = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("low:Q", title=x_title), x2="high:Q", y=y, color=color
    )
    points = base.mark_point(filled=True, size=90, opacity=1).encode(
        x="strength:Q",
        y=y,
        color=color,
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
    chart = alt.layer(zero, titles, names, ranges, points).properties(
        width="container", height=rows_tall(len(headings) + len(children), 32), autosize=FIT_WIDTH
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec
