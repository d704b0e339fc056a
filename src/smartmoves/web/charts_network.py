"""Charts of the collaboration view: the unit-to-unit heatmap (a Vega-Lite spec built with
Altair). Only unsuppressed units appear: the engine already leaves small ones out of the
matrix."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from smartmoves.web.chartcache import kept_chart
from smartmoves.web.charts import FIT_WIDTH, rows_tall

__all__ = ["unit_heatmap"]

MAX_UNITS = 60  # beyond this the cells are too small to read; the table lists every unit


@kept_chart
def unit_heatmap(
    cells: Sequence[Any], names: Mapping[str, str | None] | None = None
) -> dict[str, Any] | None:
    """Tie weight between every pair of units, both ways so that the square is symmetric.

    ``cells`` are ``MatrixCell`` rows (``unit_a <= unit_b``); the diagonal is the
    collaboration inside a unit. ``None`` when there is nothing to show.
    """
    import altair as alt
    import pandas as pd

    names = names or {}

    def label(unit: str) -> str:
        return str(names.get(unit) or unit)

    records = []
    for c in cells:
        records.append(
            {"from": label(c.unit_a), "to": label(c.unit_b), "weight": c.weight, "ties": c.ties}
        )
        if c.unit_a != c.unit_b:
            records.append(
                {"from": label(c.unit_b), "to": label(c.unit_a), "weight": c.weight, "ties": c.ties}
            )
    if not records:
        return None
    data = pd.DataFrame(records)
    busiest = data.groupby("from")["weight"].sum().sort_values(ascending=False).index[:MAX_UNITS]
    data = data[data["from"].isin(busiest) & data["to"].isin(busiest)]
    order = sorted(busiest)
    chart = (
        alt.Chart(data)
        .mark_rect()
        .encode(
            x=alt.X("to:N", sort=order, title=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("from:N", sort=order, title=None),
            color=alt.Color(
                "weight:Q",
                title="collaboration",
                scale=alt.Scale(type="sqrt", scheme="blues"),
            ),
            tooltip=[
                alt.Tooltip("from:N", title="unit"),
                alt.Tooltip("to:N", title="with"),
                alt.Tooltip("ties:Q", format=",d", title="ties"),
                alt.Tooltip("weight:Q", format=",.1f", title="weight"),
            ],
        )
        .properties(width="container", height=rows_tall(len(order), 18), autosize=FIT_WIDTH)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec
