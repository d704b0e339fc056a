"""The Metrics page in Chromium: the drivers chart is drawn; the champion adds a metric
with HTMX (the page's box swapped in, the chart drawn again), a refused one says why at
its form and nothing is stored, and a leaf without history is removed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from smartmoves.data.synth import synthesize_bank
from smartmoves.pathway.recognize import metric_tree
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.pathway.setup.users import add_account
from smartmoves.settings import Settings

from browserutil import chromium, live_server, log_in
from services import ADMIN, new_workspace
from webutil import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    folder = tmp_path_factory.mktemp("metrics-browser")
    synthesize_bank(folder / "bank", people=150, weeks=26, seed=1, events=1000)
    settings = new_workspace(folder / "ws", None)
    import_files(settings, find_table_files(folder / "bank"))
    add_account(settings, "champion@bank.example", "champion", PASSWORD)
    with live_server(settings) as server:
        yield server, settings


def _ids(settings: Settings) -> set[str]:
    return {m.metric_id for m in metric_tree(settings, ADMIN).rows}


def test_the_champion_changes_the_tree_in_place(site: tuple[str, Settings]) -> None:
    server, settings = site
    with chromium() as browser:
        page = log_in(browser, server, "champion@bank.example")
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
        page.get_by_role("link", name="Metrics").first.click()
        page.wait_for_selector("figure[data-chart] svg", timeout=15_000)

        page.click("#metric-add > summary")
        form = page.locator("#metric-add form")
        form.locator("input[name=metric_id]").fill("FL-WRONG")
        form.locator("input[name=name]").fill("Under revenue directly")
        form.locator("select[name=parent_id]").select_option("F-REV")
        form.get_by_role("button", name="Add the metric").click()
        alert = form.get_by_role("alert")
        assert "a frontline metric goes under an operating metric" in alert.inner_text().lower()
        assert "FL-WRONG" not in _ids(settings)

        form.locator("input[name=metric_id]").fill("FL-NEW")
        form.locator("select[name=parent_id]").select_option("O-RET")
        form.get_by_role("button", name="Add the metric").click()
        page.wait_for_selector("#metric-FL-NEW")
        page.wait_for_selector("figure[data-chart] svg", timeout=15_000)  # drawn again
        assert "FL-NEW" in _ids(settings)

        page.click("#metric-FL-NEW > summary")
        page.get_by_role("button", name="Remove FL-NEW").click()
        page.wait_for_selector("#metric-FL-NEW", state="detached")
        page.wait_for_selector("figure[data-chart] svg", timeout=15_000)
        assert "FL-NEW" not in _ids(settings)
        assert [m for m in console if "422" not in m] == []  # the refusal's own status, only
