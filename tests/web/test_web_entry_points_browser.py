"""Where to start, in Chromium: the champion reads the matrix, starts a pilot at the
planted entry point from its row and lands on the new pilot; a unit that cannot yield a
pilot group is refused on the same page, with the number it can yield."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from smartmoves.data.synth import synthesize_bank
from smartmoves.pathway.act import connect
from smartmoves.pathway.pilots import list_pilots
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.pathway.setup.users import add_account
from smartmoves.settings import Settings

from browserutil import chromium, live_server, log_in
from services import ADMIN, new_workspace
from webutil import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    folder = tmp_path_factory.mktemp("entry-browser")
    synthesize_bank(folder / "bank", people=300, weeks=26, seed=0)
    settings = new_workspace(folder / "ws", None)
    import_files(settings, find_table_files(folder / "bank"))
    add_account(settings, "champion@bank.example", "champion", PASSWORD)
    connect.workspace_network(settings, compute=True)  # else the page waits for its job
    with live_server(settings) as server:
        yield server, settings


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def test_the_champion_starts_a_pilot_from_the_matrix(
    browser: Any, site: tuple[str, Settings]
) -> None:
    server, settings = site
    page = log_in(browser, server, "champion@bank.example")
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type in ("error", "warning") else None)
    page.get_by_role("link", name="Where to start").click()
    page.wait_for_selector("figure[data-chart] svg", timeout=15_000)  # the matrix, drawn
    rows = page.locator("table.entry-points > tbody > tr")
    assert rows.first.get_attribute("id") == "unit-U-COL"  # the planted entry point first
    # A unit that cannot yield 15 people: refused where the champion acted, nothing made.
    page.get_by_role("button", name="Start a pilot in Small-Business Advisory").click()
    alert = page.get_by_role("alert")
    assert "cannot yield a pilot group" in alert.inner_text()
    assert "/entry-points" in page.url and list_pilots(settings, ADMIN) == []
    assert [m for m in console if "400" not in m] == []  # the refusal's own status, only
    console.clear()
    page.get_by_role("button", name="Start a pilot in Collections & Accounts Receivable").click()
    page.wait_for_url(f"{server}/pilots/*")
    (pilot,) = list_pilots(settings, ADMIN)
    assert page.url == f"{server}/pilots/{pilot.id}" and pilot.unit_id == "U-COL"
    assert page.get_by_role("heading", name=pilot.name).is_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server}/entry-points")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert console == [], console
    page.close()


def test_the_champion_assesses_a_unit_and_a_bad_rating_shows_at_the_form(
    browser: Any, site: tuple[str, Settings]
) -> None:
    server, _ = site
    page = log_in(browser, server, "champion@bank.example")
    page.set_default_timeout(60_000)  # the page scores every unit again after each save
    page.goto(f"{server}/entry-points")
    page.click("#assess-U-CC > summary")
    # The browser's own check (max 5) is lifted: the server refuses it too, at the form.
    page.evaluate("document.querySelector('#assess-U-CC-leader').removeAttribute('max')")
    page.fill("#assess-U-CC-leader", "7")
    page.get_by_role("button", name="Save the assessment of Contact Center").click()
    note = page.locator("#assess-U-CC [data-problem]")
    note.wait_for()
    assert "from 1 to 5" in note.inner_text()
    page.fill("#assess-U-CC-leader", "4.5")
    page.fill("#assess-U-CC-sup", "4.6")
    page.get_by_role("button", name="Save the assessment of Contact Center").click()
    page.locator("#assess-U-CC [role=status]").wait_for()
    history = page.locator("#assess-U-CC table.assessment-history tbody tr")
    assert history.count() == 2 and "champion@bank.example" in history.first.inner_text()
    page.close()
