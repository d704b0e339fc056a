"""The report's charts as static SVG (Altair specs drawn by vl-convert): no script runs
where they are shown, so they work in a forwarded file, offline, and in a PDF.

Each metric's chart shows the pilot's teams' weekly mean, the counterfactual (what the
comparison says they would have done without the pilot) dashed, and a rule at the
pilot's start. A sparkline is the same mean, small, with no axes.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from smartmoves.pathway.act.report import MetricEffect

__all__ = ["effect_svg", "sparkline_svg", "svg"]

TREATED = "#1d6fa5"
COUNTERFACTUAL = "#8a8a8a"
START = "#c0392b"
FONT = "sans-serif"
LINES = ("pilot teams", "without the pilot")


def svg(spec: dict[str, Any]) -> str:
    """A Vega-Lite spec drawn as SVG text (vl-convert bundles Vega: no network)."""
    import vl_convert

    text: str = vl_convert.vegalite_to_svg(spec)
    # The XML prolog is for a file of its own; inline in HTML it is noise.
    return text[text.index("<svg") :] if "<svg" in text else text


def _rows(metric: MetricEffect) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for p in metric.periods:
        rows.append({"week": p.date.isoformat(), "value": p.treated, "line": "pilot teams"})
        if p.counterfactual is not None:
            rows.append(
                {"week": p.date.isoformat(), "value": p.counterfactual, "line": "without the pilot"}
            )
    return rows


def effect_svg(
    metric: MetricEffect, start: dt.date | None, *, width: int = 560, height: int = 200
) -> str | None:
    """The metric's chart: pilot teams against the counterfactual, the start marked;
    ``None`` without weeks to draw."""
    import altair as alt
    import pandas as pd

    rows = _rows(metric)
    if not rows:
        return None
    data = pd.DataFrame(rows)
    title = metric.name + (f" ({metric.unit})" if metric.unit else "")
    lines = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=18))
        .encode(
            x=alt.X("week:T", title=None, axis=alt.Axis(format="%d %b", labelAngle=0)),
            y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
            color=alt.Color(
                "line:N",
                scale=alt.Scale(domain=list(LINES), range=[TREATED, COUNTERFACTUAL]),
                legend=alt.Legend(orient="bottom", title=None),
            ),
            strokeDash=alt.StrokeDash(
                "line:N",
                scale=alt.Scale(domain=list(LINES), range=[[1, 0], [5, 3]]),
                legend=None,
            ),
        )
    )
    layers: list[Any] = [lines]
    if start is not None:
        rule = pd.DataFrame({"week": [start.isoformat()], "label": ["pilot starts"]})
        base = alt.Chart(rule).encode(x="week:T")
        layers.append(base.mark_rule(color=START, strokeDash=[2, 2]))
        layers.append(
            base.mark_text(align="left", dx=4, dy=-4, color=START, fontSize=10).encode(
                text="label:N", y=alt.value(8)
            )
        )
    chart = alt.layer(*layers).properties(
        width=width, height=height, title=alt.TitleParams(title, anchor="start", fontSize=13)
    )
    spec = chart.configure(font=FONT).configure_view(stroke=None).to_dict()
    return svg(spec)


def sparkline_svg(metric: MetricEffect, *, width: int = 160, height: int = 36) -> str | None:
    """The pilot teams' weekly mean, small and without axes (the momentum section)."""
    import altair as alt
    import pandas as pd

    data = pd.DataFrame(
        [{"week": p.date.isoformat(), "value": p.treated, "post": p.post} for p in metric.periods]
    )
    if data.empty:
        return None
    chart = (
        alt.Chart(data)
        .mark_line(color=TREATED, strokeWidth=1.5)
        .encode(
            x=alt.X("week:T", axis=None),
            y=alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False)),
        )
        .properties(width=width, height=height)
    )
    spec = chart.configure_view(stroke=None).configure(padding=2).to_dict()
    return svg(spec)
