"""Changing the metric tree on the web and the API: admins and champions add, change and
remove metrics; each rule of the tree is refused in one sentence where the user acted,
and nothing is stored; every edit is in the audit log; the estimates shown follow the
edited tree; supervisors and members may not edit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from smartmoves.data.store import db
from smartmoves.data.store.models import AuditEntry, Metric
from smartmoves.data.synth import synthesize_bank
from smartmoves.pathway._store import store
from smartmoves.pathway.recognize import entry_points
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.pathway.setup.users import add_account
from smartmoves.settings import Settings

from services import ADMIN, new_workspace
from webutil import PASSWORD, ROLES, csrf_of, logged_in

HTMX = {"HX-Request": "true"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("metric-edits")
    synthesize_bank(folder / "bank", people=150, weeks=26, seed=1, events=1000)
    settings = new_workspace(folder / "ws", None)
    import_files(settings, find_table_files(folder / "bank"))
    for role in ROLES:
        add_account(settings, f"{role}@bank.example", role, PASSWORD)
    return settings


@pytest.fixture(scope="module")
def champion(site: Settings) -> Iterator[tuple[TestClient, dict[str, str]]]:
    client = logged_in(site, "champion")
    token = csrf_of(client.get("/metrics").text)
    yield client, {"X-CSRF-Token": token}


def _tree(settings: Settings) -> dict[str, tuple[str, str | None, str, str | None]]:
    with db.transaction(store(settings)) as session:
        rows = session.scalars(select(Metric)).all()
        return {m.metric_id: (m.name, m.parent_id, m.direction, m.unit) for m in rows}


def _audit(settings: Settings, since: int = 0) -> list[tuple[str, str, str | None, dict]]:
    with db.transaction(store(settings)) as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.id > since)).all()
        return [(a.actor, a.action, a.target, a.detail) for a in rows]


def _last_audit(settings: Settings) -> int:
    with db.transaction(store(settings)) as session:
        return max(session.scalars(select(AuditEntry.id)).all(), default=0)


def _driver(api: dict[str, Any], metric_id: str) -> dict[str, Any] | None:
    row = next(r for r in api["rows"] if r["metric_id"] == metric_id)
    return row["driver"]


def test_a_champion_adds_changes_and_removes_a_metric(
    site: Settings, champion: tuple[TestClient, dict[str, str]]
) -> None:
    client, headers = champion
    token = headers["X-CSRF-Token"]
    start = _last_audit(site)
    added = client.post(
        "/metrics",
        data={"csrf": token, "metric_id": "FL-CALLBACK", "name": "Callbacks kept",
              "level": "frontline", "parent_id": "O-RET", "direction": "up", "unit": "%"},
        follow_redirects=False,
    )  # fmt: skip
    assert added.status_code == 303 and added.headers["location"] == "/metrics"
    page = client.get("/metrics").text
    assert '<span class="id">FL-CALLBACK</span>' in page and 'id="metric-FL-CALLBACK"' in page
    assert "Remove FL-CALLBACK" in page  # a leaf without values may go
    assert _tree(site)["FL-CALLBACK"] == ("Callbacks kept", "O-RET", "up", "%")

    changed = client.post(
        "/metrics/FL-CALLBACK",
        data={"csrf": token, "name": "Callbacks kept on time", "parent_id": "O-CSAT",
              "direction": "down", "unit": ""},
        headers=HTMX,
    )  # fmt: skip
    assert changed.status_code == 200 and 'id="metrics-page"' in changed.text  # swapped in
    assert _tree(site)["FL-CALLBACK"] == ("Callbacks kept on time", "O-CSAT", "down", None)

    removed = client.delete("/api/v1/metrics/FL-CALLBACK", headers=headers)
    assert removed.status_code == 200 and removed.json()["metric_id"] == "FL-CALLBACK"
    assert "FL-CALLBACK" not in _tree(site)

    entries = _audit(site, start)
    assert [(a, act, t) for a, act, t, _ in entries] == [
        ("champion@bank.example", "add metric", "FL-CALLBACK"),
        ("champion@bank.example", "change metric", "FL-CALLBACK"),
        ("champion@bank.example", "remove metric", "FL-CALLBACK"),
    ]
    assert entries[0][3]["parent_id"] == "O-RET"
    assert entries[1][3] == {
        "name": ["Callbacks kept", "Callbacks kept on time"],
        "parent_id": ["O-RET", "O-CSAT"],
        "direction": ["up", "down"],
        "unit": ["%", None],
    }
    # Saving what is stored changes nothing and records nothing.
    same = client.put(
        "/api/v1/metrics/O-RET",
        json={"name": _tree(site)["O-RET"][0], "parent_id": "F-REV", "direction": "up",
              "unit": _tree(site)["O-RET"][3]},
        headers=headers,
    )  # fmt: skip
    assert same.status_code == 200
    assert len(_audit(site, start)) == 3


REFUSED = [
    # (what, method, url, body, status, words)
    ("frontline under financial", "POST", "/api/v1/metrics",
     {"metric_id": "FL-X", "name": "X", "level": "frontline", "parent_id": "F-REV"}, 422,
     "a frontline metric goes under an operating metric, and F-REV is financial"),
    ("operating under operating", "POST", "/api/v1/metrics",
     {"metric_id": "O-X", "name": "X", "level": "operating", "parent_id": "O-RET"}, 422,
     "an operating metric goes under a financial metric, and O-RET is operating"),
    ("a frontline metric moved under a frontline one", "PUT", "/api/v1/metrics/FL-PTP",
     {"name": "Promise-to-pay kept rate", "parent_id": "FL-OUTREACH"}, 422,
     "a frontline metric goes under an operating metric, and FL-OUTREACH is frontline"),
    ("a loop", "PUT", "/api/v1/metrics/O-RET",
     {"name": "Retention", "parent_id": "FL-PTP"}, 422,
     "O-RET cannot go under FL-PTP: FL-PTP is already below it (FL-PTP -> O-RET)"),
    ("its own parent", "PUT", "/api/v1/metrics/F-REV",
     {"name": "Revenue", "parent_id": "F-REV"}, 422, "F-REV cannot be its own parent"),
    ("an id taken", "POST", "/api/v1/metrics",
     {"metric_id": "FL-PTP", "name": "Again", "level": "frontline", "parent_id": "O-RET"}, 422,
     "there is already a metric FL-PTP (Promise-to-pay kept rate): choose another id"),
    ("an id with a space", "POST", "/api/v1/metrics",
     {"metric_id": "FL X", "name": "X", "level": "frontline"}, 422,
     "metric id 'FL X': use letters, digits"),
    ("no name", "POST", "/api/v1/metrics",
     {"metric_id": "FL-Y", "name": "  ", "level": "frontline"}, 422, "a metric needs a name"),
    ("an unknown level", "POST", "/api/v1/metrics",
     {"metric_id": "FL-Y", "name": "Y", "level": "strategic"}, 422,
     "level must be financial, operating or frontline, not 'strategic'"),
    ("an unknown direction", "PUT", "/api/v1/metrics/FL-PTP",
     {"name": "Promise-to-pay kept rate", "parent_id": "O-RET", "direction": "sideways"}, 422,
     "direction must be up (higher is better) or down (lower is better)"),
    ("an unknown parent", "POST", "/api/v1/metrics",
     {"metric_id": "FL-Y", "name": "Y", "level": "frontline", "parent_id": "O-NONE"}, 422,
     "there is no metric 'O-NONE' to put FL-Y under"),
    ("a metric with metrics under it", "DELETE", "/api/v1/metrics/O-RET", None, 422,
     "O-RET cannot be removed: FL-HARDSHIP, FL-OUTREACH, FL-PTP are under it"),
    ("a metric with a history", "DELETE", "/api/v1/metrics/FL-FCR", None, 422,
     "FL-FCR cannot be removed: the weekly history holds"),
    ("an unknown metric", "DELETE", "/api/v1/metrics/FL-NONE", None, 404, "no metric 'FL-NONE'"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "method", "url", "body", "status", "words"), REFUSED,
                         ids=[r[0] for r in REFUSED])  # fmt: skip
def test_each_rule_is_refused_in_one_sentence_and_nothing_is_stored(
    site: Settings,
    champion: tuple[TestClient, dict[str, str]],
    what: str,
    method: str,
    url: str,
    body: dict[str, Any] | None,
    status: int,
    words: str,
) -> None:
    client, headers = champion
    before, start = _tree(site), _last_audit(site)
    answer = client.request(method, url, json=body, headers=headers)
    assert answer.status_code == status, answer.text
    assert words in answer.json()["detail"]
    assert _tree(site) == before and _audit(site, start) == []


def test_a_financial_loop_is_refused_and_a_refusal_is_shown_at_the_form(
    site: Settings, champion: tuple[TestClient, dict[str, str]]
) -> None:
    """Revenue and cost may be part of a financial metric; not of each other both ways."""
    client, headers = champion
    token = headers["X-CSRF-Token"]
    cost = _tree(site)["F-COST"]
    fields = {"csrf": token, "name": cost[0], "parent_id": "F-REV", "direction": cost[2],
              "unit": cost[3] or ""}  # fmt: skip
    assert client.post("/metrics/F-COST", data=fields, follow_redirects=False).status_code == 303
    revenue = _tree(site)["F-REV"]
    loop = {"csrf": token, "name": revenue[0], "parent_id": "F-COST", "direction": revenue[2],
            "unit": revenue[3] or ""}  # fmt: skip
    fragment = client.post("/metrics/F-REV", data=loop, headers=HTMX)
    assert fragment.status_code == 422 and "data-problem" in fragment.text
    assert "F-REV cannot go under F-COST: F-COST is already below it" in fragment.text
    assert "<nav" not in fragment.text  # the message alone, for the form's slot
    page = client.post("/metrics/F-REV", data=loop)  # without JavaScript: the page again
    assert page.status_code == 422
    form = page.text[page.text.index('id="metric-F-REV"') :]
    assert form.startswith('id="metric-F-REV" class="depth-0" open')  # opened where it was
    assert form.index("already below it") < form.index("Save F-REV")  # in its own form
    assert _tree(site)["F-REV"][1] is None
    fields["parent_id"] = ""
    assert client.post("/metrics/F-COST", data=fields, follow_redirects=False).status_code == 303
    assert _tree(site)["F-COST"] == cost


def test_an_edit_changes_the_estimates_shown(
    site: Settings, champion: tuple[TestClient, dict[str, str]]
) -> None:
    """The estimates are kept per import and per version of the tree: moving a metric
    to another parent re-estimates both parents' models at the next page."""
    client, headers = champion
    before = client.get("/api/v1/metrics").json()
    outreach = _driver(before, "FL-OUTREACH")
    assert outreach is not None and outreach["parent_id"] == "O-RET"
    impact = {e.unit_id: e.impact for e in entry_points(site, ADMIN).entry_points}
    name = _tree(site)["FL-OUTREACH"][0]
    move = {"name": name, "parent_id": "O-CSAT", "direction": "up", "unit": "contacts/week"}
    assert client.put("/api/v1/metrics/FL-OUTREACH", json=move, headers=headers).status_code == 200
    try:
        after = client.get("/api/v1/metrics").json()
        moved = _driver(after, "FL-OUTREACH")
        assert moved is not None and moved["parent_id"] == "O-CSAT"
        # O-RET lost a child: its other children's coefficients are estimated again.
        assert _driver(after, "FL-PTP") != _driver(before, "FL-PTP")
        page = client.get("/metrics").text
        ptp = _driver(after, "FL-PTP")
        assert ptp is not None and f"{ptp['ci_low']:.3g} to {ptp['ci_high']:.3g}" in page
        # The entry points follow: outreach no longer leads to revenue through retention.
        now = {e.unit_id: e.impact for e in entry_points(site, ADMIN).entry_points}
        assert now != impact
    finally:
        move["parent_id"] = "O-RET"
        back = client.put("/api/v1/metrics/FL-OUTREACH", json=move, headers=headers)
        assert back.status_code == 200
    assert client.get("/api/v1/metrics").json()["rows"] == before["rows"]  # back as it was


def test_the_drivers_chart_shows_each_strength_with_its_range_and_a_table(
    site: Settings,
) -> None:
    client = logged_in(site, "supervisor")
    page = client.get("/metrics").text
    assert "data-chart" in page and "What moves what" in page
    assert "Drivers: how strongly each metric moves its parent: the figures as a table" in page
    assert "leading indicator" in page
    assert "Change the tree" not in page and "Add the metric" not in page  # not theirs
    from smartmoves.pathway.recognize import metric_tree
    from smartmoves.web.routes.recognize.metrics import chart_rows

    rows = chart_rows(metric_tree(site, ADMIN))
    assert rows and all(r["low"] <= r["strength"] <= r["high"] for r in rows)
    assert {r["parent"] for r in rows} >= {"Revenue from existing customers"}


@pytest.mark.parametrize("role", ["supervisor", "member"])
def test_supervisors_and_members_may_not_edit(site: Settings, role: str) -> None:
    client = logged_in(site, role)
    token = csrf_of(client.get("/").text)
    headers = {"X-CSRF-Token": token}
    before, start = _tree(site), _last_audit(site)
    body = {"metric_id": "FL-Z", "name": "Z", "level": "frontline", "parent_id": "O-RET"}
    assert client.post("/metrics", data={"csrf": token, **body}).status_code == 403
    assert client.post("/api/v1/metrics", json=body, headers=headers).status_code == 403
    change = {"name": "Renamed", "parent_id": "O-RET"}
    assert client.put("/api/v1/metrics/FL-PTP", json=change, headers=headers).status_code == 403
    assert client.post("/metrics/FL-PTP", data={"csrf": token, **change}).status_code == 403
    assert client.post("/metrics/FL-PTP/remove", data={"csrf": token}).status_code == 403
    assert client.delete("/api/v1/metrics/FL-PTP", headers=headers).status_code == 403
    assert _tree(site) == before and _audit(site, start) == []
