"""The Volunteers page, the application form and their JSON twins: everyone reads the
call; admins and champions write it; members of the entry point apply; admins select;
champions and supervisors read counts by unit."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from smartmoves.pathway.create import volunteers
from smartmoves.pathway.pilots import create_pilot, get_pilot, set_pilot_status
from smartmoves.pathway.setup.users import add_account
from smartmoves.settings import Settings

from services import ADMIN, account, new_workspace
from webutil import PASSWORD, csrf_of, load_demo_org, logged_in


@pytest.fixture(scope="module")
def site(module_store_backend: str | None, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("volunteers-web")
    settings = load_demo_org(new_workspace(folder / "ws", module_store_backend), folder)
    # Members linked to a person: P10 and P11 of AR, P01 of CC.
    for person in ("P10", "P11", "P01"):
        add_account(
            settings, f"{person.lower()}@bank.example", "member", PASSWORD, person_id=person
        )
    return settings


def _pilot(site: Settings, *, open_call: bool = True) -> int:
    pilot = create_pilot(
        site, ADMIN, "Receivables", unit_id="AR", opportunity="Disputes", min_pilot=1
    )
    if open_call:
        volunteers.save_call(site, ADMIN, pilot.id, None, open_call=True)
    return pilot.id


def _token(client: TestClient, pilot: int) -> str:
    return csrf_of(client.get(f"/pilots/{pilot}/volunteers").text)


@pytest.mark.parametrize(
    ("role", "api", "people"),
    [
        ("admin", 200, True),
        ("champion", 200, False),
        ("supervisor", 200, False),
        ("member", 403, False),
    ],
)
def test_what_each_role_sees(site: Settings, role: str, api: int, people: bool) -> None:
    pilot = _pilot(site)
    client = logged_in(site, role)
    assert f"/pilots/{pilot}/volunteers" in client.get(f"/pilots/{pilot}").text
    page = client.get(f"/pilots/{pilot}/volunteers")
    assert page.status_code == 200
    assert "Nobody is penalized" in page.text  # everyone reads the call
    assert ("By unit" in page.text) == (role != "member")
    assert ("<td><label" in page.text and "P09" in page.text) == people
    if people:  # each field with its label, yes/no for truth values: no raw column dump
        assert '<span class="field-label">Supervisor</span> no' in page.text
        assert "is supervisor:" not in page.text and "</span> False" not in page.text
    assert ("Edit the call" in page.text) == (role in ("admin", "champion"))
    response = client.get(f"/api/v1/pilots/{pilot}/volunteers")
    assert response.status_code == api
    if api == 200:
        body = response.json()
        assert (body["rows"] is not None) == people
        if not people:  # one applicant in AR: fewer than the minimum group size
            assert body["applicants"] is None and "P09" not in response.text
    assert client.get(f"/api/v1/pilots/{pilot}/volunteers/call").json()["open"] is True


def test_a_member_applies_then_updates_their_application(site: Settings) -> None:
    pilot = _pilot(site)
    member = logged_in(site, "p10")
    form = member.get(f"/pilots/{pilot}/apply")
    assert form.status_code == 200 and 'name="problem"' in form.text
    token = csrf_of(form.text)
    sent = member.post(
        f"/pilots/{pilot}/apply",
        data={"csrf": token, "problem": "Disputes drag on", "why": "I see them daily"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    again = member.post(
        f"/pilots/{pilot}/apply",
        data={"csrf": token, "problem": "Disputes drag on", "why": "Every single day"},
    )
    assert again.status_code == 200 and "your application is in" in again.text
    assert "Update my application" in again.text and "Every single day" in again.text
    mine = volunteers.my_application(site, account("member", "P10"), pilot)
    assert mine is not None and mine.why == "Every single day" and mine.source == "web"
    page = member.get(f"/pilots/{pilot}/volunteers").text
    assert "Your application" in page and "Every single day" in page
    assert member.get(f"/api/v1/pilots/{pilot}/application").json()["why"] == "Every single day"


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"problem": "", "why": "because"}, 422, "say which problem"),
        ({"problem": "Disputes", "why": "   "}, 422, "say why"),
        ({"problem": "x" * 4001, "why": "because"}, 422, "at most 4000"),
    ],
)
def test_bad_applications_are_refused_and_the_stored_one_kept(
    site: Settings, data: dict[str, str], status: int, message: str
) -> None:
    pilot = _pilot(site)
    volunteers.apply(site, account("member", "P11"), pilot, "Kept", "Kept too")
    member = logged_in(site, "p11")
    token = csrf_of(member.get(f"/pilots/{pilot}/apply").text)
    response = member.post(f"/pilots/{pilot}/apply", data={"csrf": token, **data})
    assert response.status_code == status and message in response.text
    assert 'role="alert"' in response.text
    mine = volunteers.my_application(site, account("member", "P11"), pilot)
    assert mine is not None and (mine.problem, mine.why) == ("Kept", "Kept too")


def test_who_may_not_apply(site: Settings) -> None:
    pilot = _pilot(site)
    outsider = logged_in(site, "p01")  # CC, not in the AR entry point
    token = csrf_of(outsider.get(f"/pilots/{pilot}/apply").text)
    data = {"csrf": token, "problem": "a", "why": "b"}
    assert outsider.post(f"/pilots/{pilot}/apply", data=data).status_code == 403
    unlinked = logged_in(site, "member")  # a login without a person
    page = unlinked.get(f"/pilots/{pilot}/apply").text
    assert "not linked to a person" in page
    assert (
        unlinked.post(f"/pilots/{pilot}/apply", data={**data, "csrf": csrf_of(page)}).status_code
        == 403
    )
    p10 = logged_in(site, "p10")
    no_csrf = p10.post(f"/pilots/{pilot}/apply", data={"problem": "a", "why": "b"})
    assert no_csrf.status_code == 403
    draft = _pilot(site, open_call=False)
    assert p10.get(f"/pilots/{draft}/apply").status_code == 404  # a draft is not there
    closed = _pilot(site, open_call=False)
    set_pilot_status(site, ADMIN, closed, "running")
    page = p10.get(f"/pilots/{closed}/apply").text
    assert "not open" in page and 'name="problem"' not in page
    refused = p10.post(f"/pilots/{closed}/apply", data={**data, "csrf": csrf_of(page)})
    assert refused.status_code == 400
    for pid in (pilot, closed):
        assert volunteers.my_application(site, account("member", "P10"), pid) is None


def test_the_admin_selects_with_htmx_and_champions_may_not(site: Settings) -> None:
    pilot = _pilot(site)
    volunteers.apply(site, account("member", "P10"), pilot, "Disputes", "Daily")
    admin = logged_in(site, "admin")
    token = _token(admin, pilot)
    response = admin.post(
        f"/pilots/{pilot}/volunteers/select",
        data={"csrf": token, "person_id": ["P09", "P10"], "action": "select"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.startswith('<div id="volunteers-selection">')
    assert "2 selected: within the range 1-60" in response.text
    # The counts above the table are swapped too (out of band), so they show the 2.
    counts = response.text.split('<section id="volunteers-counts" hx-swap-oob="true">')[1]
    assert '<h2 class="figure">2</h2><p>selected of' in counts
    view = volunteers.volunteers_view(site, ADMIN, pilot)
    assert {r.person_id: r.selection for r in view.rows or []} == {
        "P09": "selected",
        "P10": "selected",
    }
    assert {r.decided_by for r in view.rows or []} == {"admin@bank.example"}
    # A person who did not apply: the message is swapped in, nothing changes.
    refused = admin.post(
        f"/pilots/{pilot}/volunteers/select",
        data={"csrf": token, "person_id": ["P13", "P09"], "action": "unselect"},
        headers={"HX-Request": "true"},
    )
    assert refused.status_code == 422 and "P13 did not apply" in refused.text
    assert "data-problem" in refused.text  # shown at the form by smartmoves.js
    without_js = admin.post(
        f"/pilots/{pilot}/volunteers/select",
        data={"csrf": token, "person_id": ["P13"]},
    )
    assert without_js.status_code == 422 and "P13 did not apply" in without_js.text
    assert volunteers.volunteers_view(site, ADMIN, pilot).rows == view.rows
    unselected = admin.post(
        f"/pilots/{pilot}/volunteers/select?unit_id=AR",
        data={"csrf": token, "person_id": ["P09"], "action": "unselect"},
        follow_redirects=False,
    )
    assert unselected.status_code == 303
    filtered = admin.get(f"/pilots/{pilot}/volunteers?selection=not_selected").text
    assert "<td><label" in filtered and "P09" in filtered and ">P10<" not in filtered
    assert (
        admin.post(f"/pilots/{pilot}/volunteers/select", data={"person_id": ["P09"]}).status_code
        == 403
    )  # no CSRF token
    champion = logged_in(site, "champion")
    ctoken = _token(champion, pilot)
    denied = champion.post(
        f"/pilots/{pilot}/volunteers/select", data={"csrf": ctoken, "person_id": ["P10"]}
    )
    assert denied.status_code == 403


def test_admins_and_champions_write_the_call(site: Settings) -> None:
    pilot = _pilot(site, open_call=False)
    champion = logged_in(site, "champion")
    token = _token(champion, pilot)
    saved = champion.post(
        f"/pilots/{pilot}/volunteers/call",
        data={"csrf": token, "text": "Fix disputes with us.", "action": "open"},
    )
    assert saved.status_code == 200 and "does not say that nobody is penalized" in saved.text
    stored = get_pilot(site, ADMIN, pilot)
    assert stored.call_text == "Fix disputes with us." and stored.status == "recruiting"
    empty = champion.post(f"/pilots/{pilot}/volunteers/call", data={"csrf": token, "text": " "})
    assert empty.status_code == 422 and "The call is empty" in empty.text
    assert get_pilot(site, ADMIN, pilot).call_text == "Fix disputes with us."
    default = champion.post(
        f"/pilots/{pilot}/volunteers/call", data={"csrf": token, "action": "default"}
    )
    # Back to the default: stored as no text of its own, so it follows the opportunity.
    assert default.status_code == 200 and "Nobody is penalized" in default.text
    assert get_pilot(site, ADMIN, pilot).call_text is None
    assert "This is the default call" in default.text
    for role in ("supervisor", "member"):
        other = logged_in(site, role)
        data = {"csrf": _token(other, pilot), "text": "Mine now"}
        assert other.post(f"/pilots/{pilot}/volunteers/call", data=data).status_code == 403
    assert champion.post(f"/pilots/{pilot}/volunteers/call", data={"text": "x"}).status_code == 403


def test_the_api_twin_selects_and_applies_with_the_csrf_header(site: Settings) -> None:
    pilot = _pilot(site)
    admin = logged_in(site, "admin")
    token = _token(admin, pilot)
    url = f"/api/v1/pilots/{pilot}/volunteers/selections"
    body = [{"person_id": "P09", "status": "selected"}]
    assert admin.put(url, json=body).status_code == 403
    chosen = admin.put(url, json=body, headers={"X-CSRF-Token": token})
    assert chosen.status_code == 200 and chosen.json()["rows"][0]["selection"] == "selected"
    wrong = admin.put(
        url, json=[{"person_id": "P12", "status": "selected"}], headers={"X-CSRF-Token": token}
    )
    assert wrong.status_code == 422 and "P12 did not apply" in wrong.json()["problems"][0]
    champion = logged_in(site, "champion")
    assert (
        champion.put(url, json=body, headers={"X-CSRF-Token": _token(champion, pilot)}).status_code
        == 403
    )
    member = logged_in(site, "p11")
    mtoken = _token(member, pilot)
    app_url = f"/api/v1/pilots/{pilot}/application"
    assert member.get(app_url).status_code == 404
    bad = member.put(app_url, json={"problem": "", "why": "b"}, headers={"X-CSRF-Token": mtoken})
    assert bad.status_code == 422
    good = member.put(app_url, json={"problem": "a", "why": "b"}, headers={"X-CSRF-Token": mtoken})
    assert good.status_code == 200 and good.json()["source"] == "web"
    filtered = admin.get(f"/api/v1/pilots/{pilot}/volunteers?selection=undecided").json()
    assert [r["person_id"] for r in filtered["rows"]] == ["P11"]
