"""Selection and workgroups in step, in Chromium: an admin unselects a workgroup member
on the Volunteers page; the answer says who left which workgroup, and the Workgroups page
counts the same people it shows (it once read "the 0 selected volunteers" above four
groups of ten)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from smartmoves.data.store import db
from smartmoves.data.store.models import Selection
from smartmoves.pathway._store import store
from smartmoves.pathway.create import teams
from smartmoves.pathway.pilots import create_pilot

from browserutil import chromium, live_server, log_in
from services import ADMIN, new_workspace
from webutil import load_demo_org

pytestmark = pytest.mark.browser
SELECTED = [f"P{i:02d}" for i in range(12)]  # P03 and P09 applied; all are selected


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    folder = tmp_path_factory.mktemp("selection-browser")
    settings = load_demo_org(new_workspace(folder / "ws", None), folder)
    pilot = create_pilot(settings, ADMIN, "Bank pilot", unit_id="BANK", min_pilot=1).id
    with db.transaction(store(settings)) as session:
        session.add_all(Selection(pilot_id=pilot, person_id=p, status="selected") for p in SELECTED)
    teams.form_for_pilot(settings, ADMIN, pilot, groups=3, min_size=3, max_size=5)
    with live_server(settings) as server:
        yield server, pilot


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def test_unselecting_a_member_says_what_changed_and_the_counts_agree(
    browser: Any, site: tuple[str, int]
) -> None:
    server, pilot = site
    page = log_in(browser, server, "admin@bank.example")
    page.goto(f"{server}/pilots/{pilot}/workgroups")
    assert f"The {len(SELECTED)} selected volunteers" in page.inner_text("main")

    page.goto(f"{server}/pilots/{pilot}/volunteers")
    page.check("input[name=person_id][value=P09]")
    page.get_by_role("button", name="Unselect the ticked").click()
    notice = page.locator("#volunteers-selection .notice[role=status]")
    notice.wait_for()  # swapped in by HTMX, without a reload
    words = notice.inner_text()
    assert "1 workgroup member is no longer selected" in words
    assert re.search(r"P09 is no longer selected and left .+ \(and their cell\)", words), words

    page.goto(f"{server}/pilots/{pilot}/workgroups")
    text = page.inner_text("main")
    assert f"The {len(SELECTED) - 1} selected volunteers" in text
    assert "in no workgroup" not in text  # the one who left was not left behind
    page.close()
