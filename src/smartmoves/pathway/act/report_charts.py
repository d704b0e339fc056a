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
    """The pilot teams' weekly mean, small and without axes (the momentum section), a
    tick at the pilot's start. Drawn by hand: a polyline needs no chart engine, and a
    page of them stays quick.

    Attributes only, no ``style``: it stands under the pages' CSP.
    """
    values = [p.treated for p in metric.periods]
    if not values:
        return None
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    pad = 3.0
    step = (width - 2 * pad) / max(len(values) - 1, 1)

    def y(v: float) -> float:
        return round(height - pad - (v - low) / span * (height - 2 * pad), 1)

    points = " ".join(f"{round(pad + i * step, 1)},{y(v)}" for i, v in enumerate(values))
    first_post = next((i for i, p in enumerate(metric.periods) if p.post), None)
    tick = ""
    if first_post is not None and first_post > 0:
        x = round(pad + (first_post - 0.5) * step, 1)
        tick = (
            f'<line x1="{x}" x2="{x}" y1="0" y2="{height}" stroke="{START}" '
            'stroke-dasharray="2 2" stroke-width="1"/>'
        )
    end = round(pad + (len(values) - 1) * step, 1)
    last = f'<circle cx="{end}" cy="{y(values[-1])}" r="2" fill="{TREATED}"/>'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img">{tick}'
        f'<polyline points="{points}" fill="none" stroke="{TREATED}" stroke-width="1.5"/>'
        f"{last}</svg>"
    )
