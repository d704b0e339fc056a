"""Why and who, in Chromium: the champion adds a catalyst with HTMX and reads its
verdict in place; a catalyst without a title is refused at the form it came from; the
page never scrolls sideways on a phone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from smartmoves.pathway.recognize import list_catalysts
from smartmoves.settings import Settings

from browserutil import chromium, live_server, log_in
from services import ADMIN, new_workspace
from webutil import load_demo_org

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    folder = Path(tmp_path_factory.mktemp("recognize-browser"))
    settings = load_demo_org(new_workspace(folder / "ws", None), folder)
    with live_server(settings) as server:
        yield server, settings


def test_the_champion_adds_a_catalyst_and_a_refusal_shows_at_the_form(
    site: tuple[str, Settings],
) -> None:
    server, settings = site
    with chromium() as browser:
        page: Any = log_in(browser, server, "champion@bank.example")
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
        page.get_by_role("link", name="Why and who").click()
        page.wait_for_url(f"{server}/recognize")
        form = page.locator("details.catalyst-new form")
        form.get_by_label("Type").select_option("market_pressure")
        title = form.get_by_label("Title")
        title.evaluate("e => e.removeAttribute('required')")  # as a stale or scripted form
        title.fill(" ")
        form.get_by_role("button", name="Add the catalyst").click()
        problem = form.locator("[data-problem]")
        problem.wait_for()
        assert "needs a title" in problem.inner_text()
        assert list_catalysts(settings, ADMIN).catalysts == []
        console.clear()  # the refusal's own 400, expected
        title.fill("Digital lenders win our customers")
        for key in ("break_status_quo", "urgent_now", "beyond_optimization", "pilot_can_be_freed"):
            form.locator(f"#catalyst-new-answer-{key}").select_option("yes")
            form.locator(f"#catalyst-new-evidence-{key}").fill(f"we saw it: {key}")
        form.get_by_role("button", name="Add the catalyst").click()
        page.locator("article.catalyst .verdict-good").wait_for()
        assert page.url == f"{server}/recognize"  # swapped in place, not a new page
        assert "Digital lenders win our customers" in page.locator("#catalysts h3").inner_text()
        (row,) = list_catalysts(settings, ADMIN).catalysts
        assert row.verdict == "good" and row.created_by == "champion@bank.example"
        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert console == [], console
        page.close()
