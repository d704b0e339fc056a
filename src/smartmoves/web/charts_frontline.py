"""The chart of one frontline metric on a pilot's Frontline metrics page: each of the
pilot's scopes as a line, the comparison groups as one grey dashed line, the baseline
as a horizontal rule, the target as a point at its date, and the pilot's start as a
vertical rule (a Vega-Lite spec built with Altair)."""

from __future__ import annotations

from typing import Any

from smartmoves.web.chartcache import kept_chart
from smartmoves.web.charts import FIT_WIDTH

__all__ = ["metric_chart"]

LINES = ("#1d6fa5", "#2a9d8f", "#7b5ea7", "#c26a1b", "#3d5a80", "#8a7f00")
COMPARISON, BASELINE, TARGET, START = "#8795a1", "#4a5560", "#b3261e", "#2f6f3e"


@kept_chart
def metric_chart(panel: Any, started_on: str | None) -> dict[str, Any] | None:
    """The spec of ``panel`` (a ``MetricPanel`` view); ``None`` without any value."""
    import altair as alt
    import pandas as pd

    rows = [
        {"week": p.week.isoformat(), "line": s.scope_id, "value": p.value,
         "source": "entered" if p.entered else "imported"}
        for s in panel.series for p in s.points
    ]  # fmt: skip
    label = f"comparison ({panel.comparison_scopes} other groups)"
    rows += [
        {"week": p.week.isoformat(), "line": label, "value": p.value, "source": "mean"}
        for p in panel.comparison
    ]
    if not rows:
        return None
    names = [s.scope_id for s in panel.series]
    domain = [*names, *([label] if panel.comparison else [])]
    colours = [LINES[i % len(LINES)] for i in range(len(names))]
    colours += [COMPARISON] if panel.comparison else []
    unit = f" ({panel.unit})" if panel.unit else ""
    lines = (
        alt.Chart(pd.DataFrame(rows))
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X("week:T", title="week", axis=alt.Axis(format="%d %b %Y", labelAngle=0)),
            y=alt.Y("value:Q", title=f"{panel.name}{unit}", scale=alt.Scale(zero=False),
                    axis=alt.Axis(titleAnchor="end")),
            color=alt.Color("line:N", scale=alt.Scale(domain=domain, range=colours),
                            legend=alt.Legend(orient="bottom", title=None, columns=2)),
            strokeDash=alt.condition(
                alt.datum.source == "mean", alt.value([5, 4]), alt.value([1, 0])
            ),
            tooltip=[
                alt.Tooltip("week:T", format="%Y-%m-%d"),
                alt.Tooltip("line:N", title="scope"),
                alt.Tooltip("value:Q", format=",.2f"),
                alt.Tooltip("source:N"),
            ],
        )
    )  # fmt: skip
    layers: list[Any] = [lines]
    if panel.baseline is not None:
        base = pd.DataFrame([{"baseline": panel.baseline, "text": "baseline"}])
        rule = alt.Chart(base).encode(y="baseline:Q")
        layers.append(rule.mark_rule(color=BASELINE, strokeDash=[2, 3]))
        layers.append(rule.mark_text(text="baseline", align="left", x=4, dy=-6, color=BASELINE))
    if panel.target is not None:
        target = pd.DataFrame([{"by": panel.target.by.isoformat(), "target": panel.target.value}])
        point = alt.Chart(target).encode(x="by:T", y="target:Q")
        layers.append(point.mark_point(shape="diamond", size=120, filled=True, color=TARGET))
        layers.append(point.mark_text(text="target", dy=-12, color=TARGET, fontWeight="bold"))
    if started_on:
        start = pd.DataFrame([{"start": started_on}])
        at = alt.Chart(start).encode(x="start:T")
        layers.append(at.mark_rule(color=START, strokeWidth=2))
        layers.append(
            at.mark_text(text="pilot starts", align="left", dx=4, dy=-6, color=START,
                         baseline="top", y=0)
        )  # fmt: skip
    chart = alt.layer(*layers).properties(width="container", height=260, autosize=FIT_WIDTH)
    spec: dict[str, Any] = chart.to_dict()
    return spec
