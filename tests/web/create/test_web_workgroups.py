"""The Workgroups and Cells pages and their JSON twins: admins form and move (with the
CSRF token), everyone else reads; members see only their own workgroup and cell. A
refused HTMX post answers with its status and the problem at the form; the bounds the
forms show are refused with the same words on the page and in the API."""

from __future__ import annotations

import re
from html import escape
from typing import Any

import pytest

from smartmoves.data.store import db
from smartmoves.data.store.models import Selection
from smartmoves.pathway._store import store
from smartmoves.pathway.create import coaching, teams
from smartmoves.pathway.create.teams import workgroups as formation
from smartmoves.pathway.pilots import create_pilot, set_pilot_status
from smartmoves.pathway.setup.users import add_account
from smartmoves.settings import Settings

from services import ADMIN, new_workspace
from webutil import PASSWORD, csrf_of, load_demo_org, logged_in, login_as

SELECTED = [f"P{i:02d}" for i in range(12)]


@pytest.fixture(scope="module")
def site(module_store_backend: str | None, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("workgroups-web")
    settings = load_demo_org(new_workspace(folder / "ws", module_store_backend), folder)
    add_account(settings, "p03@bank.example", "member", PASSWORD, person_id="P03")
    add_account(settings, "p14@bank.example", "supervisor", PASSWORD, person_id="P14")
    return settings


def _pilot(site: Settings, *, formed: bool = False) -> int:
    pilot = create_pilot(site, ADMIN, "Bank pilot", unit_id="BANK", min_pilot=1).id
    with db.transaction(store(site)) as session:
        session.add_all(Selection(pilot_id=pilot, person_id=p, status="selected") for p in SELECTED)
    set_pilot_status(site, ADMIN, pilot, "running")  # members see no draft pilot
    if formed:
        teams.form_for_pilot(site, ADMIN, pilot, groups=3, min_size=3, max_size=5)
    return pilot


@pytest.mark.parametrize("role", ["admin", "champion", "supervisor", "member"])
def test_every_role_opens_the_pages(site: Settings, role: str) -> None:
    pilot = _pilot(site, formed=True)
    client = logged_in(site, role)
    for path in ("workgroups", "cells"):
        assert client.get(f"/pilots/{pilot}/{path}").status_code == 200
        assert client.get(f"/api/v1/pilots/{pilot}/{path}").status_code == 200
    listed = client.get(f"/pilots/{pilot}").text
    assert f"/pilots/{pilot}/workgroups" in listed and f"/pilots/{pilot}/cells" in listed
    page = client.get(f"/pilots/{pilot}/workgroups").text
    view = teams.workgroups_view(site, ADMIN, pilot)
    if role == "member":  # an account with no person: in no workgroup
        assert "You are not in a workgroup" in page and view.workgroups[0].name not in page
        return
    for group in view.workgroups:
        assert f'href="/pilots/{pilot}/workgroups/{group.id}"' in page
    assert "data-chart" in page and "How different the members are:" in page
    # Every figure with its sentence: the ratio to random groups as a change in percent.
    figures = view.figures
    assert figures is not None and figures.vs_random is not None
    assert f"{figures.vs_random - 1:+.1%}" in page
    assert "random groups of the same sizes" in page
    assert ("Form the workgroups" in page) == (role == "admin")
    assert ("workgroups/move" in page) == (role == "admin")


def test_an_admin_forms_the_workgroups_on_the_page(site: Settings) -> None:
    pilot = _pilot(site)
    admin = logged_in(site, "admin")
    page = admin.get(f"/pilots/{pilot}/workgroups").text
    assert "No workgroups yet" in page and 'value="level" checked' in page
    form = {"csrf": csrf_of(page), "groups": "2", "min_size": "3", "max_size": "8", "seed": "1"}
    response = admin.post(
        f"/pilots/{pilot}/workgroups/form",
        data={**form, "features": ["level", "unit_id"]},
        follow_redirects=False,
    )
    assert response.status_code == 303
    view = teams.workgroups_view(site, ADMIN, pilot)
    assert [g.size for g in view.workgroups] == [6, 6] and view.features == ["level", "unit_id"]
    assert view.seed == 1 and view.max_size == 8
    refused = admin.post(
        f"/pilots/{pilot}/workgroups/form", data={**form, "groups": "1"}, follow_redirects=False
    )
    assert refused.status_code == 422 and "1 x 8 &lt; 12" in refused.text
    assert [g.size for g in teams.workgroups_view(site, ADMIN, pilot).workgroups] == [6, 6]


def test_the_page_takes_balance_and_fixed_people(site: Settings) -> None:
    pilot = _pilot(site)  # P00-P07 are in CC, P08-P11 in AR
    admin = logged_in(site, "admin")
    page = admin.get(f"/pilots/{pilot}/workgroups").text
    assert '<select id="wg-balance" name="balance">' in page
    form = {"csrf": csrf_of(page), "groups": "2", "min_size": "3", "max_size": "8"}
    response = admin.post(
        f"/pilots/{pilot}/workgroups/form",
        data={**form, "balance": "unit_id", "fixed": "P00, North\n\nP08\tNorth"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    view = teams.workgroups_view(site, ADMIN, pilot)
    north = next(g for g in view.workgroups if g.name.endswith("North"))
    ids = {m.person_id for m in north.members}
    assert {"P00", "P08"} <= ids and len(ids & {f"P{i:02d}" for i in range(8)}) == 4
    assert view.balance == "unit_id" and view.keep_together is None
    # Forming again starts from the constraints used last.
    page = admin.get(f"/pilots/{pilot}/workgroups").text
    assert '<option value="unit_id" selected>' in page
    before = [sorted(m.person_id for m in g.members) for g in view.workgroups]
    for data, message in [
        ({"fixed": "P00, North\nP01"}, "fixed:2: no workgroup (expected person_id, workgroup)"),
        ({"keep_together": "nope"}, "column nope: no such column"),
    ]:
        refused = admin.post(
            f"/pilots/{pilot}/workgroups/form", data={**form, **data}, follow_redirects=False
        )
        assert refused.status_code == 422 and message.lower() in refused.text.lower()
    after = teams.workgroups_view(site, ADMIN, pilot).workgroups
    assert [sorted(m.person_id for m in g.members) for g in after] == before


def test_writes_need_an_admin_and_the_csrf_token(site: Settings) -> None:
    pilot = _pilot(site, formed=True)
    group = teams.workgroups_view(site, ADMIN, pilot).workgroups[1]
    move = {"person_id": "P00", "workgroup_id": str(group.id)}
    champion = logged_in(site, "champion")
    token = csrf_of(champion.get(f"/pilots/{pilot}/workgroups").text)
    for path in ("workgroups/form", "workgroups/move", "cells/form"):
        assert (
            champion.post(f"/pilots/{pilot}/{path}", data={**move, "csrf": token}).status_code
            == 403
        )
    admin = logged_in(site, "admin")
    assert admin.post(f"/pilots/{pilot}/workgroups/move", data=move).status_code == 403
    assert admin.post(f"/api/v1/pilots/{pilot}/workgroups/moves", json=move).status_code == 403
    assert teams.workgroups_view(site, ADMIN, pilot).moves == 0


def test_a_move_recomputes_the_figures_and_a_bad_one_changes_nothing(site: Settings) -> None:
    pilot = _pilot(site, formed=True)
    admin = logged_in(site, "admin")
    token = csrf_of(admin.get(f"/pilots/{pilot}/workgroups").text)
    before = teams.workgroups_view(site, ADMIN, pilot)
    one, two, three = before.workgroups
    person = one.members[0].person_id
    response = admin.post(
        f"/pilots/{pilot}/workgroups/move",
        data={"csrf": token, "person_id": person, "workgroup_id": str(two.id)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    fragment = response.text
    assert fragment.startswith('<div id="workgroups-groups">') and "<html" not in fragment
    after = teams.workgroups_view(site, ADMIN, pilot)
    assert [g.size for g in after.workgroups] == [3, 5, 4] and after.moves == 1
    assert after.figures is not None and before.figures is not None
    assert after.figures.diversity != before.figures.diversity
    assert f"{after.figures.vs_random:.3f} times as diverse" in fragment
    assert "1 move by hand" in fragment

    # Workgroup 2 is full (5): a move into it is refused, on the page and in the API.
    mover = three.members[0].person_id
    refused = admin.post(
        f"/pilots/{pilot}/workgroups/move",
        data={"csrf": token, "person_id": mover, "workgroup_id": str(two.id)},
        follow_redirects=False,
    )
    assert refused.status_code == 422 and "above 5" in refused.text
    api = admin.post(
        f"/api/v1/pilots/{pilot}/workgroups/moves",
        json={"person_id": mover, "workgroup_id": two.id},
        headers={"X-CSRF-Token": token},
    )
    assert api.status_code == 422 and "above 5" in api.json()["detail"]
    assert teams.workgroups_view(site, ADMIN, pilot) == after
    moved_back = admin.post(
        f"/api/v1/pilots/{pilot}/workgroups/moves",
        json={"person_id": person, "workgroup_id": one.id},
        headers={"X-CSRF-Token": token},
    )
    assert moved_back.status_code == 200
    assert [g["size"] for g in moved_back.json()["workgroups"]] == [4, 4, 4]
    assert moved_back.json()["figures"]["diversity"] == pytest.approx(before.figures.diversity)


def test_a_member_sees_only_their_own_workgroup_and_cell(site: Settings) -> None:
    pilot = _pilot(site, formed=True)
    teams.form_cells_for_pilot(site, ADMIN, pilot, min_size=5, max_size=6)
    view = teams.workgroups_view(site, ADMIN, pilot)
    mine = next(g for g in view.workgroups if "P03" in {m.person_id for m in g.members})
    member = login_as(site, "p03@bank.example")
    page = member.get(f"/pilots/{pilot}/workgroups").text
    assert "Your workgroup" in page and mine.name in page and "data-chart" not in page
    others = {m.person_id for g in view.workgroups if g.id != mine.id for m in g.members}
    shown = set(re.findall(r'class="id">(P\d\d)<', page))  # people without a name: ids
    assert "P03" in shown and not shown & others
    data = member.get(f"/api/v1/pilots/{pilot}/workgroups").json()
    assert [g["id"] for g in data["workgroups"]] == [mine.id] and data["figures"] is None
    cell = member.get(f"/api/v1/pilots/{pilot}/cells").json()
    assert len(cell["cells"]) == 1
    assert "P03" in {m["person_id"] for m in cell["cells"][0]["members"]}
    assert member.post(f"/api/v1/pilots/{pilot}/cells", json={}).status_code == 403


def test_cells_are_formed_and_listed_with_their_workgroups(site: Settings) -> None:
    pilot = _pilot(site, formed=True)
    admin = logged_in(site, "admin")
    page = admin.get(f"/pilots/{pilot}/cells").text
    assert "No cells yet" in page
    response = admin.post(
        f"/pilots/{pilot}/cells/form",
        data={"csrf": csrf_of(page), "min_size": "5", "max_size": "6", "seed": "0"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = admin.get(f"/pilots/{pilot}/cells").text
    assert "Cell 1" in page and "Cell 2" in page
    assert "from Workgroup 1, Workgroup 2, Workgroup 3" in page
    bad = admin.post(
        f"/pilots/{pilot}/cells/form",
        data={"csrf": csrf_of(page), "min_size": "13", "max_size": "15"},
        follow_redirects=False,
    )
    assert bad.status_code == 422 and "cannot fill one cell of at least 13" in bad.text
    api = admin.post(
        f"/api/v1/pilots/{pilot}/cells",
        json={"min_size": 3, "max_size": 4},
        headers={"X-CSRF-Token": csrf_of(page)},
    )
    assert api.status_code == 200 and [c["size"] for c in api.json()["cells"]] == [3, 3, 3, 3]
    supervisor = logged_in(site, "supervisor").get(f"/api/v1/pilots/{pilot}/cells").json()
    assert sorted(m["person_id"] for c in supervisor["cells"] for m in c["members"]) == SELECTED


def test_the_api_forms_workgroups_and_names_impossible_constraints(site: Settings) -> None:
    pilot = _pilot(site)
    admin = logged_in(site, "admin")
    token = csrf_of(admin.get(f"/pilots/{pilot}/workgroups").text)
    headers = {"X-CSRF-Token": token}
    formed = admin.post(f"/api/v1/pilots/{pilot}/workgroups", json={"groups": 4}, headers=headers)
    # A background job (done at once here: the test client starts no worker pool).
    assert formed.status_code == 202, formed.text
    job = admin.get(formed.headers["location"]).json()
    assert job["status"] == "done" and job["message"].startswith("4 workgroups saved")
    body = job["result"]["formation"]
    assert body["saved"] and len(body["groups"]) == 4 and body["vs_random"] > 1
    assert set(body) >= {"groups", "diversity", "dispersion", "max_mean_deviation_sd", "vs_random"}
    bad = admin.post(
        f"/api/v1/pilots/{pilot}/workgroups", json={"features": ["nope"]}, headers=headers
    )
    assert bad.status_code == 422 and "column nope" in bad.json()["problems"][0]
    impossible = admin.post(
        f"/api/v1/pilots/{pilot}/workgroups", json={"groups": 1, "max_size": 8}, headers=headers
    )
    assert impossible.status_code == 422
    assert any("1 x 8 < 12" in reason for reason in impossible.json()["reasons"])
    pinned = admin.post(
        f"/api/v1/pilots/{pilot}/workgroups",
        json={"groups": 4, "save": False, "fixed": {"P03": "Dawn", "P04": "Dawn"}},
        headers=headers,
    )
    assert pinned.status_code == 202, pinned.text
    proposed = pinned.json()["result"]["formation"]
    assert not proposed["saved"] and "proposed (not saved)" in pinned.json()["message"]
    dawn = [g["members"] for g in proposed["groups"] if g["group"].endswith("Dawn")]
    assert len(dawn) == 1 and {"P03", "P04"} <= set(dawn[0])
    assert len(teams.workgroups_view(site, ADMIN, pilot).workgroups) == 4


HTMX = {"HX-Request": "true"}


def _problem(response: Any, status: int) -> str:
    """The problem fragment HTMX gets for a refused post (never a page, never a 200)."""
    assert response.status_code == status, response.text
    assert "data-problem" in response.text and "<html" not in response.text
    return str(response.text)


def test_formation_posts_with_htmx_and_refusals_come_back_at_the_form(site: Settings) -> None:
    pilot = _pilot(site)
    admin = logged_in(site, "admin")
    page = admin.get(f"/pilots/{pilot}/workgroups").text
    assert 'hx-post="/pilots/' in page and 'hx-select="#workgroups-page"' in page
    form = {"csrf": csrf_of(page), "min_size": "3", "max_size": "8"}
    done = admin.post(
        f"/pilots/{pilot}/workgroups/form", data={**form, "groups": "2"}, headers=HTMX
    )
    assert done.status_code == 200 and 'id="workgroups-page"' in done.text
    assert "Form the workgroups again" in done.text and "Workgroup 2" in done.text
    refused = admin.post(
        f"/pilots/{pilot}/workgroups/form", data={**form, "groups": "1"}, headers=HTMX
    )
    assert "1 x 8 &lt; 12" in _problem(refused, 422)
    locked = teams.workgroups_view(site, ADMIN, pilot)
    champion = logged_in(site, "champion")
    token = csrf_of(champion.get(f"/pilots/{pilot}/workgroups").text)
    denied = champion.post(
        f"/pilots/{pilot}/workgroups/form", data={**form, "csrf": token}, headers=HTMX
    )
    assert "admins form the workgroups" in _problem(denied, 403).lower()
    assert teams.workgroups_view(site, ADMIN, pilot) == locked


def test_the_forms_show_their_bounds_and_the_server_refuses_with_them(site: Settings) -> None:
    pilot = _pilot(site)
    admin = logged_in(site, "admin")
    page = admin.get(f"/pilots/{pilot}/workgroups").text
    bounds = teams.workgroups_view(site, ADMIN, pilot).bounds
    shown = "groups: a whole number from 1 to 12 (12 people cannot fill more workgroups)"
    assert escape(shown) in page and escape(f"seed: {bounds['seed']}") in page
    assert 'max="12"' in page
    token = csrf_of(page)
    headers = {"X-CSRF-Token": token}
    for field, value in [("groups", 13), ("seed", -1), ("min_size", 0), ("size", 0)]:
        data = {"csrf": token, "groups": "" if field == "size" else "3", field: str(value)}
        expected = f"{field} must be {bounds[field]}, not {value}"
        plain = admin.post(f"/pilots/{pilot}/workgroups/form", data=data, follow_redirects=False)
        assert plain.status_code == 400 and escape(expected).lower() in plain.text.lower()
        assert f'value="{value}"' in plain.text  # what the user typed, kept
        fragment = _problem(
            admin.post(f"/pilots/{pilot}/workgroups/form", data=data, headers=HTMX), 400
        )
        assert escape(expected).lower() in fragment.lower()
        body = {"groups": None if field == "size" else 3, field: value}
        api = admin.post(f"/api/v1/pilots/{pilot}/workgroups", json=body, headers=headers)
        assert api.status_code == 400 and api.json()["detail"] == expected
    assert teams.workgroups_view(site, ADMIN, pilot).workgroups == []

    teams.form_for_pilot(site, ADMIN, pilot, groups=3)
    page = admin.get(f"/pilots/{pilot}/cells").text
    assert "cell sizes need 1 &lt;= min_size &lt;= max_size" in page
    for sizes, seed in [((0, 15), 0), ((8, 7), 0), ((5, 15), -2)]:
        data = {"csrf": token, "min_size": str(sizes[0]), "max_size": str(sizes[1]), "seed": seed}
        expected = (
            f"seed must be a whole number >= 0, not {seed}"
            if seed
            else f"cell sizes need 1 <= min_size <= max_size, not {sizes[0]}..{sizes[1]}"
        )
        refused = admin.post(f"/pilots/{pilot}/cells/form", data=data, headers=HTMX)
        assert escape(expected).lower() in _problem(refused, 400).lower()
        plain = admin.post(f"/pilots/{pilot}/cells/form", data=data, follow_redirects=False)
        assert plain.status_code == 400 and escape(expected).lower() in plain.text.lower()
        body = {"min_size": sizes[0], "max_size": sizes[1], "seed": seed}
        api = admin.post(f"/api/v1/pilots/{pilot}/cells", json=body, headers=headers)
        assert api.status_code == 400 and api.json()["detail"] == expected
    assert teams.cells_view(site, ADMIN, pilot).cells == []


def test_a_field_that_does_not_parse_names_the_field(site: Settings) -> None:
    pilot = _pilot(site, formed=True)
    admin = logged_in(site, "admin")
    token = csrf_of(admin.get(f"/pilots/{pilot}/workgroups").text)
    data = {"csrf": token, "groups": "3", "min_size": "abc"}
    plain = admin.post(f"/pilots/{pilot}/workgroups/form", data=data)
    assert plain.status_code == 422 and "min_size: input should be a valid integer" in plain.text
    fragment = _problem(
        admin.post(f"/pilots/{pilot}/workgroups/form", data=data, headers=HTMX), 422
    )
    assert "min_size: input should be a valid integer" in fragment
    cells = admin.post(
        f"/pilots/{pilot}/cells/form", data={"csrf": token, "seed": "x"}, headers=HTMX
    )
    assert "seed: input should be a valid integer" in _problem(cells, 422)
    groups = admin.post(
        f"/pilots/{pilot}/workgroups/form", data={"csrf": token, "groups": "four"}, headers=HTMX
    )
    assert "groups: input should be a valid integer" in _problem(groups, 422)
    assert len(teams.workgroups_view(site, ADMIN, pilot).workgroups) == 3


def test_a_refused_move_answers_htmx_with_its_status(site: Settings) -> None:
    pilot = _pilot(site, formed=True)
    admin = logged_in(site, "admin")
    token = csrf_of(admin.get(f"/pilots/{pilot}/workgroups").text)
    one, two, three = teams.workgroups_view(site, ADMIN, pilot).workgroups
    for person in (one.members[0].person_id, three.members[0].person_id):
        data = {"csrf": token, "person_id": person, "workgroup_id": str(two.id)}
        admin.post(f"/pilots/{pilot}/workgroups/move", data=data, headers=HTMX)
    # Workgroup 2 is full (5) after the first move; the second was refused.
    data = {"csrf": token, "person_id": one.members[1].person_id, "workgroup_id": str(two.id)}
    refused = admin.post(f"/pilots/{pilot}/workgroups/move", data=data, headers=HTMX)
    assert "above 5" in _problem(refused, 422)
    missing = {"csrf": token, "person_id": "P15", "workgroup_id": str(two.id)}
    assert "P15 is in none" in _problem(
        admin.post(f"/pilots/{pilot}/workgroups/move", data=missing, headers=HTMX), 404
    )
    assert teams.workgroups_view(site, ADMIN, pilot).moves == 1


def test_a_formation_that_finds_a_move_saved_meanwhile_says_so(
    site: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    pilot = _pilot(site, formed=True)
    one, two, _ = teams.workgroups_view(site, ADMIN, pilot).workgroups
    engine = formation.form_workgroups

    def slow(*args: Any, **kwargs: Any) -> Any:
        result = engine(*args, **kwargs)
        teams.move_person(site, ADMIN, pilot, one.members[0].person_id, two.id)
        return result

    monkeypatch.setattr(formation, "form_workgroups", slow)
    admin = logged_in(site, "admin")
    token = csrf_of(admin.get(f"/pilots/{pilot}/workgroups").text)
    data = {"csrf": token, "groups": "2", "min_size": "3", "max_size": "8"}
    # The formation is a job (run at once here): its panel says why it was not saved.
    refused = admin.post(f"/pilots/{pilot}/workgroups/form", data=data, headers=HTMX)
    assert refused.status_code == 200 and "job-failed" in refused.text
    assert "data-problem" in refused.text and "nothing was replaced" in refused.text
    job = teams.formation_job(site, ADMIN, pilot)
    assert job is not None and job.status == "failed" and "nothing was replaced" in str(job.message)
    after = teams.workgroups_view(site, ADMIN, pilot)
    assert len(after.workgroups) == 3 and after.moves == 1


def test_connect_links_only_where_the_account_may_open_connect(site: Settings) -> None:
    pilot = _pilot(site, formed=True)
    groups = teams.workgroups_view(site, ADMIN, pilot).workgroups
    coaching.assign_coach(site, ADMIN, pilot, groups[1].id, "P14")
    link = f"/pilots/{pilot}/workgroups/{{}}/connect"
    admin = logged_in(site, "admin").get(f"/pilots/{pilot}/workgroups").text
    assert all(link.format(g.id) in admin for g in groups)
    supervisor = logged_in(site, "supervisor").get(f"/pilots/{pilot}/workgroups").text
    assert "/connect" not in supervisor  # coaches none of them
    coach = login_as(site, "p14@bank.example")
    page = coach.get(f"/pilots/{pilot}/workgroups").text
    assert link.format(groups[1].id) in page and page.count("/connect") == 1
    assert link.format(groups[1].id) in coach.get(f"/pilots/{pilot}/workgroups/{groups[1].id}").text
    assert "/connect" not in coach.get(f"/pilots/{pilot}/workgroups/{groups[0].id}").text
    mine = next(g for g in groups if "P03" in {m.person_id for m in g.members})
    member = login_as(site, "p03@bank.example")
    assert link.format(mine.id) in member.get(f"/pilots/{pilot}/workgroups").text
    assert link.format(mine.id) in member.get(f"/pilots/{pilot}/workgroups/{mine.id}").text


def test_selection_and_workgroups_stay_in_step(site: Settings) -> None:
    """Unselecting a workgroup member takes them out of their workgroup, and the answer
    says so; selected again, they are in no workgroup until an admin places them."""
    pilot = _pilot(site, formed=True)
    admin = logged_in(site, "admin")
    token = csrf_of(admin.get(f"/pilots/{pilot}/volunteers").text)
    home = teams.workgroups_view(site, ADMIN, pilot)
    group = next(g for g in home.workgroups if "P09" in {m.person_id for m in g.members})
    url = f"/api/v1/pilots/{pilot}/volunteers/selections"
    out = admin.put(
        url, json=[{"person_id": "P09", "status": "not_selected"}], headers={"X-CSRF-Token": token}
    )
    assert out.status_code == 200, out.text
    assert out.json()["changes"] == [
        f"P09 is no longer selected and left {group.name} (and their cell)"
    ]
    after = teams.workgroups_view(site, ADMIN, pilot)
    assert all("P09" not in {m.person_id for m in g.members} for g in after.workgroups)
    assert after.volunteers == len(SELECTED) - 1 and after.unplaced == 0

    back = admin.put(
        url, json=[{"person_id": "P09", "status": "selected"}], headers={"X-CSRF-Token": token}
    )
    assert back.status_code == 200 and back.json()["changes"] == []
    page = admin.get(f"/pilots/{pilot}/workgroups").text
    assert "1 selected volunteer is in no workgroup" in page and 'aria-label="Place P09 in"' in page
    champion = logged_in(site, "champion").get(f"/pilots/{pilot}/workgroups").text
    assert "1 selected volunteer is in no workgroup" in champion and "Place P09" not in champion
    placed = admin.post(
        f"/pilots/{pilot}/workgroups/move",
        data={"csrf": csrf_of(page), "person_id": "P09", "workgroup_id": str(group.id)},
        follow_redirects=False,
    )
    assert placed.status_code == 303, placed.text
    final = teams.workgroups_view(site, ADMIN, pilot)
    assert final.unplaced == 0
    assert "P09" in {m.person_id for g in final.workgroups if g.id == group.id for m in g.members}
