"""Every chart carries its figures as a table (its text alternative), and the table says
what the page's own figures say."""

from __future__ import annotations

import re
from pathlib import Path

from smartmoves.web.chart_table import chart_table
from smartmoves.web.charts import hours_by_category_chart
from smartmoves.web.charts_capacity import hours_by_decision_chart

from services import new_workspace
from webutil import load_demo_org, logged_in


def _tables_after_charts(html: str) -> list[list[list[str]]]:
    """For each chart on the page, the rows of the table folded under it."""
    out = []
    for part in html.split("data-chart")[1:]:
        folded = re.search(r'<details class="chart-table">(.*?)</details>', part, re.S)
        assert folded, "a chart without its table"
        body = folded.group(1).split("<tbody>")[1]
        out.append(
            [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body)]
        )
    return out


def test_the_overview_chart_reads_as_a_table(tmp_path: Path) -> None:
    site = load_demo_org(new_workspace(tmp_path / "ws", None), tmp_path)
    client = logged_in(site, "member")
    overview = client.get("/api/v1/overview").json()
    [rows] = _tables_after_charts(client.get("/").text)
    shown = {c["category"]: c for c in overview["hours_by_category"] if c["hours_per_week"]}
    assert {r[0] for r in rows} == set(shown)
    for category, hours, share in rows:
        assert hours == f"{shown[category]['hours_per_week']:,.0f}"
        assert share == f"{shown[category]['share']:.0%}"


class _Decision:
    def __init__(self, decision: str, freed: float, remaining: float) -> None:
        self.decision, self.freed, self.remaining = decision, freed, remaining
        self.hours, self.suppressed = freed + remaining, False


def test_a_stacked_bar_gives_one_row_per_part() -> None:
    spec = hours_by_decision_chart([_Decision("automate", 30.0, 10.0), _Decision("keep", 0, 50.0)])
    table = chart_table(spec)
    assert table is not None
    assert table.headers == ["decision", "part", "hours"]
    assert table.rows == [
        ["automate", "freed", "30"],
        ["automate", "still done", "10"],
        ["keep", "freed", "0"],
        ["keep", "still done", "50"],
    ]


def test_no_chart_no_table() -> None:
    assert chart_table(hours_by_category_chart([])) is None
    assert chart_table(None) is None
