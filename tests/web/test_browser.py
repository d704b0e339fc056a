"""Real browser tests: Chromium (Debian's package) driven by Playwright, against a live
server. Each role logs in through the form and sees the overview; a member cannot
reach admin pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from smartmoves.pathway.pilots import create_pilot

from browserutil import chromium, live_server, log_in
from demoworkspace import Demo, small_demo
from services import ADMIN, new_workspace
from webutil import PASSWORD, ROLES, load_demo_org

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser")
    settings = load_demo_org(new_workspace(folder / "ws", None), folder)
    create_pilot(settings, ADMIN, "Receivables redefine work", unit_id="AR")
    with live_server(settings) as url:
        yield url


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Demo]]:
    """The 300-person demo bank: lists longer than a page."""
    built = small_demo(tmp_path_factory.mktemp("browser-demo") / "demo")
    with live_server(built.settings) as url:
        yield url, built


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def _log_in(browser: Any, server: str, role: str) -> Any:
    return log_in(browser, server, f"{role}@bank.example")


@pytest.mark.parametrize("role", ROLES)
def test_each_role_logs_in_and_sees_the_overview(
    browser: Any, server: str, role: str, tmp_path: Path
) -> None:
    page = _log_in(browser, server, role)
    assert page.get_by_role("heading", name="The organization").is_visible()
    assert page.get_by_role("link", name="Contact center").is_visible()
    # The chart is drawn by the vendored vega-embed, offline.
    page.wait_for_selector("figure[data-chart] svg", timeout=15_000)
    assert page.locator(".account").inner_text().endswith(role)
    page.screenshot(path=str(tmp_path / f"overview-{role}.png"), full_page=True)
    page.close()


def test_member_cannot_reach_admin_pages(browser: Any, server: str) -> None:
    page = _log_in(browser, server, "member")
    assert page.get_by_role("link", name="Users").count() == 0
    response = page.goto(f"{server}/admin/users")
    assert response is not None and response.status == 403
    assert page.get_by_role("heading", name="Only admins manage users").is_visible()
    # The error page keeps the navigation, so the member is never stranded.
    assert page.get_by_role("navigation", name="Pathway").is_visible()
    page.close()


def test_admin_opens_a_unit_and_the_users_page(browser: Any, server: str) -> None:
    page = _log_in(browser, server, "admin")
    page.get_by_role("link", name="Accounts receivable").click()
    page.wait_for_url(f"{server}/units/AR")
    assert page.get_by_role("heading", name="Accounts receivable").is_visible()
    page.get_by_role("link", name="Users").click()
    assert page.get_by_role("cell", name="member@bank.example").is_visible()
    page.close()


@pytest.mark.parametrize("role", ["admin", "member"])
def test_no_page_scrolls_sideways_on_a_phone(browser: Any, server: str, role: str) -> None:
    """At 390 px the top bar wraps and a wide table scrolls in its own box: the page itself
    is never wider than the screen (the navigation alone was 520-630 px)."""
    page = _log_in(browser, server, role)
    page.set_viewport_size({"width": 390, "height": 844})
    links = page.eval_on_selector_all(
        "header a[href^='/']", "links => links.map(a => a.getAttribute('href'))"
    )
    for path in ["/", "/units/CC", "/units/AR", "/pilots/1", *links]:
        page.goto(f"{server}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide for {role}"
        # Headings wrap between words only, and a control shows its whole value: nothing
        # is wider than its box ("Voluntee/rs" in a card, "recruiti" in the status select).
        cut = page.eval_on_selector_all("select, input, button", CUT)
        cut += page.eval_on_selector_all("h1, h2, h3, h4", BROKEN_WORDS)
        assert cut == [], f"{path} for {role}: {cut}"
    page.close()


CUT = """els => els.filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
  .map(e => `${e.tagName} ${(e.textContent || e.value || '').trim().slice(0, 40)}`)"""

# A word drawn on two lines has two boxes: every word of every heading must have one.
BROKEN_WORDS = """els => els.flatMap(e => {
  const out = [];
  const walk = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
  for (let node = walk.nextNode(); node; node = walk.nextNode()) {
    for (const m of node.textContent.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      if (range.getClientRects().length > 1) out.push(`${e.tagName} ${m[0]}`);
    }
  }
  return out;
})"""

CSP_WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI || "inline"}`);
});
"""


def test_no_page_breaks_the_content_security_policy(browser: Any, server: str) -> None:
    """Charts (vega-embed with the expression interpreter), HTMX and Swagger UI work with
    scripts and styles from the server only: Chromium reports no violation and draws them."""
    page = _log_in(browser, server, "admin")
    page.add_init_script(CSP_WATCH)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type in ("error", "warning") else None)
    # CC's hours are shown; AR's are hidden (with CC shown, they would give away ADV's two).
    for path in ["/", "/units/CC", "/account", "/admin/audit", "/admin/users"]:
        page.goto(f"{server}{path}")
        if path in ("/", "/units/CC"):
            page.wait_for_selector("figure[data-chart] svg", timeout=15_000)
        assert page.evaluate("window.__violations") == [], path
    # Nor any warning: Vega's "Dropping fit-y", a missing icon...
    assert console == [], console
    page.goto(f"{server}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)  # the operations, drawn
    assert page.get_by_text("/api/v1/overview").first.is_visible()
    assert page.evaluate("window.__violations") == []
    assert not [c for c in console if "Content Security Policy" in c], console
    # The watch itself works: an inline script a page tried to add is refused and reported.
    page.goto(f"{server}/account")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.appendChild(s); }"
    )
    page.wait_for_function("() => window.__violations.length > 0")
    assert page.evaluate("() => window.ran === undefined")
    page.close()


PEOPLE_ROWS = "#network-people tbody tr"


def _first_cells(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        PEOPLE_ROWS, "rows => rows.map(r => r.cells[0].textContent.trim())"
    )


def test_the_network_table_pages_and_searches(
    browser: Any, demo: tuple[str, Demo], tmp_path: Path
) -> None:
    """The admin's table of 300 people shows 50 at a time: the next page swaps in other
    people without reloading the page (HTMX), a search leaves only the rows that show
    the words (in any case), and the whole page fits a phone."""
    url, built = demo
    login = next(x for x in built.logins if x.role == "admin")
    page = browser.new_page()
    page.goto(f"{url}/login")
    page.get_by_label("Email").fill(login.email)
    page.get_by_label("Password").fill(login.password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}/admin/network")
    page.wait_for_selector(PEOPLE_ROWS, timeout=120_000)  # after the analysis job, if any
    first = _first_cells(page)
    assert len(first) == 50
    summary = page.locator("#network-people .list-summary")
    assert summary.inner_text().startswith("Rows 1–50 of 300")
    page.evaluate("window.__same_page = true")
    pages = page.get_by_role("navigation", name="Pages of the people")
    pages.get_by_role("link", name="Next").click()
    page.wait_for_url("**/admin/network?page=2")  # a link to share
    page.wait_for_function(
        "() => !document.querySelector('#network-people .list-summary')"
        ".textContent.startsWith('Rows 1–')"
    )
    second = _first_cells(page)
    assert len(second) == 50 and not set(second) & set(first)
    assert summary.inner_text().startswith("Rows 51–100 of 300")
    assert page.evaluate("window.__same_page === true")  # swapped in, not reloaded
    # A unit of the second page, typed in lower case: only its people are left.
    unit = page.eval_on_selector(PEOPLE_ROWS, "r => r.cells[1].textContent.trim()")
    page.get_by_label("Search the people").fill(unit.lower())
    page.locator("#network-people").get_by_role("button", name="Search").click()
    page.wait_for_function(
        "() => document.querySelector('#network-people .list-summary').textContent"
        ".includes('matching')"
    )
    units = page.eval_on_selector_all(
        PEOPLE_ROWS, "rows => rows.map(r => r.cells[1].textContent.trim())"
    )
    assert units and set(units) == {unit}
    assert f"q={unit.lower()}" in page.url
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.eval_on_selector_all("select, input, button", CUT) == []
    page.screenshot(path=str(tmp_path / "network-390.png"), full_page=True)
    page.close()


@pytest.fixture(scope="module")
def named_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A live server over an organization whose people have names and emails (but P14's
    and P15's, as in pseudonymized data), and a workgroup of P03 (a member's login) and
    P14, whose focus someone else's application matches. Yields the server and the
    workgroup's path."""
    from smartmoves.data.store import db
    from smartmoves.data.store.models import Workgroup, WorkgroupMember
    from smartmoves.pathway._store import store
    from smartmoves.pathway.pilots import set_pilot_status
    from smartmoves.pathway.setup.imports import find_table_files, import_files
    from smartmoves.pathway.setup.users import add_account

    from orgfiles import named_people_csv, write_org

    folder = tmp_path_factory.mktemp("named")
    settings = new_workspace(folder / "ws", None)
    import_files(settings, find_table_files(write_org(folder / "org", people=named_people_csv())))
    add_account(settings, "p03@bank.example", "member", PASSWORD, person_id="P03")
    pilot = create_pilot(settings, ADMIN, "Receivables", unit_id="AR", opportunity="late payments")
    set_pilot_status(settings, ADMIN, pilot.id, "running")
    with db.transaction(store(settings)) as session:
        group = Workgroup(pilot_id=pilot.id, name="Disputes", focus="disputed invoices")
        session.add(group)
        session.flush()
        for person in ("P03", "P14"):
            session.add(WorkgroupMember(pilot_id=pilot.id, workgroup_id=group.id, person_id=person))
        path = f"/pilots/{pilot.id}/workgroups/{group.id}"
    with live_server(settings) as server:
        yield server, path


def test_a_suggestion_names_the_person_with_role_unit_and_a_mail_link(
    browser: Any, named_site: tuple[str, str], tmp_path: Path
) -> None:
    server, workgroup = named_site
    page = log_in(browser, server, "p03@bank.example")
    page.goto(f"{server}{workgroup}/connect")
    meet = page.locator("section", has=page.get_by_role("heading", name="People to meet"))
    row = meet.get_by_role("row").filter(has_text="Ines Ibarra")  # P08, two steps away
    assert row.locator(".person-name").inner_text() == "Ines Ibarra"
    assert row.locator(".person-about").inner_text() == "agent · Accounts receivable"
    mail = row.get_by_role("link", name="Email Ines Ibarra")
    assert mail.get_attribute("href") == "mailto:ines.ibarra@bank.example"
    assert "P08" not in meet.inner_text()  # the name, not the id
    helpers = page.locator(
        "section", has=page.get_by_role("heading", name="Who can help with the focus")
    )
    assert helpers.locator(".person-name").all_inner_texts() == ["Jonas Jansen"]  # P09
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"Connect is {width} px wide"
    page.screenshot(path=str(tmp_path / "connect-390.png"), full_page=True)
    page.close()


def test_the_member_s_own_row_is_highlighted_in_their_workgroup(
    browser: Any, named_site: tuple[str, str]
) -> None:
    server, workgroup = named_site
    page = log_in(browser, server, "p03@bank.example")
    page.goto(f"{server}{workgroup.rsplit('/', 1)[0]}")  # the pilot's workgroups
    mine = page.locator("tr.me")
    assert mine.count() == 1
    assert mine.locator(".person-name").inner_text() == "Dara Dahl"  # P03
    assert "(you)" in mine.inner_text()
    assert mine.get_attribute("aria-current") == "true"
    colour = mine.locator("td").first.evaluate("td => getComputedStyle(td).backgroundColor")
    other = page.locator("tr", has_text="P14").locator("td").first  # no name: the id
    assert colour == "rgb(255, 243, 196)"
    assert other.evaluate("td => getComputedStyle(td).backgroundColor") != colour
    assert other.locator(".id").inner_text() == "P14"
    page.goto(f"{server}{workgroup}")  # and on the workgroup's own page
    assert page.locator("li.me").inner_text().startswith("Dara Dahl")
    page.close()
