"""Charts of the Create-capacity page: hours by decision, and the load a plan puts on the
colleagues who take over the volunteers' work (Vega-Lite specs built with Altair)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from smartmoves.web.chartcache import kept_chart
from smartmoves.web.charts import FIT_WIDTH, rows_tall

__all__ = ["hours_by_decision_chart", "load_bands_chart", "receivers_load_chart"]

FREED, KEPT, ALERT = "#1d6fa5", "#b8c4ce", "#a4161a"
MAX_RECEIVERS = 40  # bars beyond this stop being readable; the table below lists them all


@kept_chart
def hours_by_decision_chart(rows: Sequence[Any]) -> dict[str, Any] | None:
    """Weekly hours under each decision, split into freed and still done.

    ``rows`` are ``DecisionHours``; suppressed rows and decisions without hours are left
    out. ``None`` when nothing can be shown.
    """
    import altair as alt
    import pandas as pd

    records = []
    for r in rows:
        if r.suppressed or not r.hours:
            continue
        records.append({"decision": r.decision, "part": "freed", "hours": r.freed})
        records.append({"decision": r.decision, "part": "still done", "hours": r.remaining})
    if not records:
        return None
    order = [r.decision for r in rows]
    chart = (
        alt.Chart(pd.DataFrame(records))
        .mark_bar()
        .encode(
            x=alt.X("hours:Q", title="hours per week", stack="zero"),
            y=alt.Y("decision:N", sort=order, title=None),
            color=alt.Color(
                "part:N",
                scale=alt.Scale(domain=["freed", "still done"], range=[FREED, KEPT]),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            order=alt.Order("part:O"),
            tooltip=[
                alt.Tooltip("decision:N"),
                alt.Tooltip("part:N"),
                alt.Tooltip("hours:Q", format=",.0f"),
            ],
        )
        .properties(
            width="container",
            height=rows_tall(len({r["decision"] for r in records}), 28),
            autosize=FIT_WIDTH,
        )
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


@kept_chart
def receivers_load_chart(receivers: Sequence[Any], *, alert: float) -> dict[str, Any] | None:
    """Each receiver's load as a share of contracted hours: their own work (grey) and the
    work handed to them (blue, red when the total is above ``alert``), with a rule at
    ``alert``.

    ``receivers`` are ``ReceiverRow`` (person-level: for admins). The most loaded
    ``MAX_RECEIVERS`` are drawn.
    """
    import altair as alt
    import pandas as pd

    if not receivers:
        return None
    ranked = sorted(receivers, key=lambda r: (-r.load_share_after, r.person_id))[:MAX_RECEIVERS]
    above, below = f"received, above {alert:.0%} in all", "received"
    data = pd.DataFrame(
        [
            {
                "person": r.person_id,
                "part": part,
                "start": start,
                "end": end,
                "before": r.load_share_before,
                "after": r.load_share_after,
            }
            for r in ranked
            for part, start, end in (
                ("own work", 0.0, r.load_share_before),
                (above if r.above_alert else below, r.load_share_before, r.load_share_after),
            )
        ]
    )
    top = max(1.0, float(data["after"].max()))
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("person:N", sort=[r.person_id for r in ranked], title=None),
            x=alt.X(
                "start:Q",
                title="load as a share of contracted hours, after the plan",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, top]),
            ),
            x2="end:Q",
            color=alt.Color(
                "part:N",
                scale=alt.Scale(domain=["own work", below, above], range=[KEPT, FREED, ALERT]),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("person:N"),
                alt.Tooltip("before:Q", format=".0%", title="load before"),
                alt.Tooltip("after:Q", format=".0%", title="load after"),
            ],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"alert": [alert]}))
        .mark_rule(color=ALERT, strokeDash=[4, 3])
        .encode(x="alert:Q")
    )
    chart = (bars + rule).properties(
        width="container", height=rows_tall(len(ranked), 16), autosize=FIT_WIDTH
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


@kept_chart
def load_bands_chart(bands: Sequence[Any]) -> dict[str, Any] | None:
    """How many receivers fall in each load band, before and after the plan.

    ``bands`` are ``LoadBand`` (aggregates); suppressed counts are left out. ``None``
    when nothing can be shown.
    """
    import altair as alt
    import pandas as pd

    records = [
        {"band": b.band, "when": when, "people": count}
        for b in bands
        for when, count in (("before the plan", b.before), ("after the plan", b.after))
        if count is not None
    ]
    if not records or not any(r["people"] for r in records):
        return None
    chart = (
        alt.Chart(pd.DataFrame(records))
        .mark_bar()
        .encode(
            x=alt.X(
                "band:N",
                sort=[b.band for b in bands],
                title="load (share of contracted hours)",
                axis=alt.Axis(labelAngle=0),
            ),
            xOffset=alt.XOffset("when:N", sort=["before the plan", "after the plan"]),
            y=alt.Y("people:Q", title="receivers"),
            color=alt.Color(
                "when:N",
                scale=alt.Scale(domain=["before the plan", "after the plan"], range=[KEPT, FREED]),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=[alt.Tooltip("band:N"), alt.Tooltip("when:N"), alt.Tooltip("people:Q")],
        )
        .properties(width="container", height=220, autosize=FIT_WIDTH)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec
