"""In Chromium, the champion opens the pilot's page, downloads its report and reads the
momentum section; screenshots at 1280 and 390 px go to ``SMARTMOVES_SHOTS`` when set."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from smartmoves.pathway.act import report

from browserutil import chromium, live_server, log_in
from demoworkspace import Demo, small_demo

pytestmark = pytest.mark.browser
WIDTHS = (1280, 390)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Demo]]:
    built = small_demo(tmp_path_factory.getbasetemp() / "report-demo")
    start = dt.date.fromisoformat(built.truth["pilot_effect"]["start_date"])
    patch = pytest.MonkeyPatch()  # this store does not record a pilot's start: the planted one
    patch.setattr(report, "_pilot_start", lambda pilot, given: given or start)
    with live_server(built.settings) as url:
        yield url, built
    patch.undo()


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("SMARTMOVES_SHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def test_the_champion_downloads_the_report_from_the_pilot_page(
    served: tuple[str, Demo], tmp_path: Path
) -> None:
    url, demo = served
    login = next(x for x in demo.logins if x.role == "champion")
    with chromium() as browser:
        page = log_in(browser, url, login.email, login.password)
        page.goto(f"{url}/pilots/1")
        with page.expect_download(timeout=60_000) as waited:
            page.get_by_role("link", name="Download the report (HTML)").first.click()
        saved = tmp_path / "report.html"
        waited.value.save_as(saved)
        text = saved.read_text(encoding="utf-8")
        assert "<svg" in text and "Capacity freed" in text
        # With job workers the link shows the job's progress, and the download follows
        # when it is done: back to the pilot's page for the next one.
        page.goto(f"{url}/pilots/1")
        with page.expect_download(timeout=60_000) as waited_pdf:
            page.get_by_role("link", name="Download the report (PDF)").first.click()
        pdf = tmp_path / "report.pdf"
        waited_pdf.value.save_as(pdf)
        assert pdf.read_bytes().startswith(b"%PDF")

        page.goto(f"{url}/pilots/1")
        page.get_by_role("link", name="See the momentum").click()
        page.wait_for_url(f"{url}/pilots/1/momentum")
        assert page.get_by_role("heading", name="Every frontline metric").is_visible()
        assert page.locator("figure.sparkline svg").count() >= 3
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            _shot(page, f"report-momentum-{width}.png")
            shown = browser.new_page(viewport={"width": width, "height": 900})
            shown.goto(saved.as_uri())  # the forwarded file, opened offline
            assert shown.locator("svg").count() >= 3
            _shot(shown, f"report-html-{width}.png")
            shown.close()
        page.close()
