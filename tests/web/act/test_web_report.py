"""The momentum section and the report downloads on the web, and their API twin, on the
demo: sponsors read and download, supervisors and members are refused, every download
is in the audit log."""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from smartmoves.data.store import db
from smartmoves.data.store.models import AuditEntry
from smartmoves.pathway._store import store
from smartmoves.pathway.act import report

from demoworkspace import Demo, small_demo
from webutil import login_as

HAS_IMPACT = importlib.util.find_spec("smartmoves.engines.impact") is not None


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    built = small_demo(tmp_path_factory.getbasetemp() / "report-demo")
    start = dt.date.fromisoformat(built.truth["pilot_effect"]["start_date"])
    # This store does not record when a pilot started running: the demo's planted start.
    patch = pytest.MonkeyPatch()
    patch.setattr(report, "_pilot_start", lambda pilot, given: given or start)
    yield built
    patch.undo()


def _client(demo: Demo, role: str) -> TestClient:
    login = next(x for x in demo.logins if x.role == role)
    return login_as(demo.settings, login.email, login.password)


@pytest.fixture(scope="module")
def champion(demo: Demo) -> TestClient:
    return _client(demo, "champion")


def _exports(demo: Demo) -> list[Any]:
    with db.transaction(store(demo.settings)) as session:
        return [
            (e.actor, e.detail.get("format"))
            for e in session.query(AuditEntry).filter(AuditEntry.action == "export")
            if (e.target or "").endswith("report")
        ]


def test_the_pilot_page_offers_the_report_and_the_momentum(champion: TestClient) -> None:
    page = champion.get("/pilots/1")
    assert page.status_code == 200
    assert 'href="/pilots/1/report.pdf"' in page.text and 'href="/pilots/1/momentum"' in page.text


def test_momentum_shows_the_effect_sentence_sparklines_and_flags(champion: TestClient) -> None:
    page = champion.get("/pilots/1/momentum")
    assert page.status_code == 200
    assert "Every frontline metric" in page.text and "Flags to discuss" in page.text
    assert page.text.count("<svg") >= 3  # a sparkline per frontline metric
    # The effect's sentence (or why there is none, before the impact engine is installed).
    assert "About " in page.text if HAS_IMPACT else "Not estimated" in page.text
    assert " style=" not in page.text  # the CSP forbids inline styles


def test_the_champion_downloads_html_and_pdf_and_both_are_audited(
    demo: Demo, champion: TestClient
) -> None:
    before = len(_exports(demo))
    html = champion.get("/pilots/1/report.html")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "attachment" in html.headers["content-disposition"]
    assert "<svg" in html.text and "<script" not in html.text
    assert "script-src" not in html.headers["content-security-policy"]
    pdf = champion.get("/pilots/1/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert _exports(demo)[before:] == [
        ("champion@bank.example", "html"),
        ("champion@bank.example", "pdf"),
    ]


def test_the_api_twin_returns_the_view_and_the_files(champion: TestClient) -> None:
    answer = champion.get("/api/v1/pilots/1/report")
    assert answer.status_code == 200
    body = answer.json()
    assert body["pilot_id"] == 1 and body["metrics"] and body["workgroups"]
    assert {"effect", "ci_low", "ci_high", "p_value", "sentence"} <= set(body["metrics"][0])
    assert champion.get("/api/v1/pilots/1/report.pdf").content.startswith(b"%PDF")
    assert champion.get("/api/v1/pilots/1/report.docx").status_code == 404


@pytest.mark.parametrize("role", ["supervisor", "member"])
def test_supervisors_and_members_are_refused(demo: Demo, role: str) -> None:
    client = _client(demo, role)
    for path in ("/pilots/1/momentum", "/pilots/1/report.html", "/api/v1/pilots/1/report"):
        assert client.get(path).status_code == 403, path
    page = client.get("/pilots/1")
    assert page.status_code == 200 and "report.pdf" not in page.text
    assert "/momentum" not in page.text


def test_an_unknown_pilot_is_a_404(champion: TestClient) -> None:
    assert champion.get("/pilots/999/report.pdf").status_code == 404
    assert champion.get("/pilots/999/momentum").status_code == 404
