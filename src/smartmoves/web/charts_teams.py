"""Charts of the Workgroups page: how diverse the workgroups are against chance
(Vega-Lite specs built with Altair)."""

from __future__ import annotations

from typing import Any

from smartmoves.web.chartcache import kept_chart
from smartmoves.web.charts import FIT_WIDTH, rows_tall

__all__ = ["diversity_chart"]

FORMED, RANDOM = "#1d6fa5", "#b8c4ce"


@kept_chart
def diversity_chart(figures: Any) -> dict[str, Any] | None:
    """The workgroups' diversity beside the mean of random partitions of the same sizes,
    labelled with their ratio.

    ``figures`` is a ``Figures`` view; ``None`` when there is nothing to compare (no
    formation, or no random baseline).
    """
    import altair as alt
    import pandas as pd

    if figures is None or figures.diversity is None or figures.random_mean is None:
        return None
    ratio = f"{figures.vs_random:.3f}x" if figures.vs_random is not None else ""
    data = pd.DataFrame(
        [
            {"partition": "these workgroups", "diversity": figures.diversity, "label": ratio},
            {
                "partition": "random partitions (mean)",
                "diversity": figures.random_mean,
                "label": "",
            },
        ]
    )
    order = ["these workgroups", "random partitions (mean)"]
    base = alt.Chart(data).encode(
        y=alt.Y("partition:N", sort=order, title=None),
        # The title ends at the axis's end, so that a narrow page does not cut it off.
        x=alt.X(
            "diversity:Q",
            title="diversity (sum of distances within workgroups)",
            axis=alt.Axis(titleAnchor="end"),
        ),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "partition:N", scale=alt.Scale(domain=order, range=[FORMED, RANDOM]), legend=None
        ),
        tooltip=[alt.Tooltip("partition:N"), alt.Tooltip("diversity:Q", format=",.1f")],
    )
    labels = base.mark_text(align="left", dx=4).encode(text="label:N")
    # Room on the right for the ratio beside the longer bar, however narrow the page.
    chart = (bars + labels).properties(
        width="container",
        height=rows_tall(len(order), 30),
        autosize=FIT_WIDTH,
        padding={"left": 5, "top": 5, "right": 48, "bottom": 5},
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec
