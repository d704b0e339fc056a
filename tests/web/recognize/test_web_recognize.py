"""The Why-and-who page (/recognize) and its JSON twin, for each role, with the forms'
refusals shown where the user acted (4xx), on SQLite and PostgreSQL."""

from __future__ import annotations

from html import unescape

import pytest
from fastapi.testclient import TestClient

from smartmoves.pathway.recognize import CatalystIn, add_catalyst, show_champion
from smartmoves.settings import Settings

from services import ADMIN, new_workspace
from webutil import ROLES, csrf_of, load_demo_org, logged_in

HTMX = {"HX-Request": "true"}
QUESTIONS = ("break_status_quo", "urgent_now", "beyond_optimization", "pilot_can_be_freed")
VISION = "Within six months our collectors are freed from routine work to learn new skills."


@pytest.fixture(scope="module")
def site(module_store_backend: str | None, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("recognize-web")
    return load_demo_org(new_workspace(folder / "ws", module_store_backend), folder)


@pytest.fixture(scope="module")
def clients(site: Settings) -> dict[str, TestClient]:
    return {role: logged_in(site, role) for role in ROLES}


def _token(client: TestClient) -> str:
    return csrf_of(client.get("/").text)


def _form(title: str = "Digital lenders take our customers", **changes: str) -> dict[str, str]:
    data = {"kind": "market_pressure", "title": title, "mainly_controls": ""}
    for q in QUESTIONS:
        data[f"answer_{q}"] = "yes"
        data[f"evidence_{q}"] = f"we saw it: {q}"
    return data | changes


def test_each_role_reads_the_page_as_the_policy_says(
    site: Settings, clients: dict[str, TestClient]
) -> None:
    add_catalyst(site, ADMIN, CatalystIn(kind="skills_gap", title="Nobody reads the data"))
    for role, client in clients.items():
        page = client.get("/recognize")
        api = client.get("/api/v1/recognize")
        if role == "member":
            assert page.status_code == 403 and api.status_code == 403
            assert 'href="/recognize"' not in client.get("/").text
            continue
        assert page.status_code == 200 and api.status_code == 200, role
        html = unescape(page.text)
        assert "Why and who" in html and "Nobody reads the data" in html
        assert "Not decided yet" in html  # no answers yet: undecided
        assert 'href="/recognize"' in client.get("/").text
        body = api.json()
        assert body["catalysts"]["can_edit"] is (role in ("admin", "champion"))
        assert body["champion"]["can_set"] is (role == "admin")
        assert ('action="/recognize/catalysts"' in html) is (role in ("admin", "champion"))
        assert ('action="/recognize/champion"' in html) is (role == "admin")


def test_a_champion_adds_and_edits_a_catalyst_with_htmx(
    site: Settings, clients: dict[str, TestClient]
) -> None:
    client = clients["champion"]
    token = _token(client)
    answer = client.post(
        "/recognize/catalysts", data=_form("Added with htmx") | {"csrf": token}, headers=HTMX
    )
    assert answer.status_code == 200
    html = unescape(answer.text)
    assert html.lstrip().startswith('<section id="catalysts"') and "Added with htmx" in html
    assert "A good catalyst" in html and "All four questions answered yes" in html
    found = [c for c in client.get("/api/v1/recognize").json()["catalysts"]["catalysts"]
             if c["title"] == "Added with htmx"]  # fmt: skip
    (row,) = found
    changed = client.post(
        f"/recognize/catalysts/{row['id']}",
        data=_form("Added with htmx", answer_beyond_optimization="no")
        | {"csrf": token, "base_version": "1"},
        headers=HTMX,
    )
    assert changed.status_code == 200 and "A poor catalyst" in unescape(changed.text)
    # The same form again, read from version 1: someone saved version 2 meanwhile.
    stale = client.post(
        f"/recognize/catalysts/{row['id']}",
        data=_form("Stale title") | {"csrf": token, "base_version": "1"},
        headers=HTMX,
    )
    assert stale.status_code == 409 and "data-problem" in stale.text
    assert "meanwhile" in stale.text
    # Without JavaScript: a redirect back to the page after a delete.
    gone = client.post(
        f"/recognize/catalysts/{row['id']}/delete",
        data={"csrf": token, "base_version": "2"},
        follow_redirects=False,
    )
    assert gone.status_code == 303 and gone.headers["location"] == "/recognize"
    assert "Added with htmx" not in client.get("/recognize").text


@pytest.mark.parametrize(
    ("changes", "status", "words"),
    [
        ({"kind": "hunch"}, 400, "type is one of"),
        ({"title": " "}, 400, "needs a title"),
        ({"answer_urgent_now": "maybe"}, 400, "yes, no or unsure"),
        ({"title": "x" * 20_001}, 422, "at most 20,000 characters"),
    ],
)
def test_a_bad_catalyst_form_is_refused_where_the_user_acted(
    site: Settings, clients: dict[str, TestClient], changes: dict[str, str], status: int,
    words: str,
) -> None:  # fmt: skip
    client = clients["admin"]
    token = _token(client)
    before = client.get("/api/v1/recognize").json()["catalysts"]["catalysts"]
    answer = client.post(
        "/recognize/catalysts", data=_form(**changes) | {"csrf": token}, headers=HTMX
    )
    assert answer.status_code == status and "data-problem" in answer.text
    assert words in unescape(answer.text)
    # A plain form gets the page again, the message beside the form, what was typed kept.
    if status == 400:
        plain = client.post("/recognize/catalysts", data=_form(**changes) | {"csrf": token})
        assert plain.status_code == 400 and 'role="alert"' in plain.text
        assert words in unescape(plain.text)
        assert "we saw it: urgent_now" in plain.text
    assert client.get("/api/v1/recognize").json()["catalysts"]["catalysts"] == before


def test_supervisors_and_members_may_not_write(
    site: Settings, clients: dict[str, TestClient]
) -> None:
    before = clients["admin"].get("/api/v1/recognize").json()
    for role in ("supervisor", "member"):
        client = clients[role]
        token = _token(client)
        answer = client.post("/recognize/catalysts", data=_form() | {"csrf": token}, headers=HTMX)
        assert answer.status_code == 403, role
        champion = {"csrf": token, "person_id": "P08", "unit_id": "AR"}
        assert client.post("/recognize/champion", data=champion).status_code == 403
    champion = clients["champion"]
    data = {"csrf": _token(champion), "person_id": "P08"}
    answer = champion.post("/recognize/champion", data=data, headers=HTMX)
    assert answer.status_code == 403 and "only admins set the champion" in answer.text.lower()
    assert clients["admin"].get("/api/v1/recognize").json() == before


def test_the_admin_sets_the_champion_and_reads_the_warnings(
    site: Settings, clients: dict[str, TestClient]
) -> None:
    client = clients["admin"]
    token = _token(client)
    data = {
        "csrf": token, "person_id": "P08", "level": "manager", "conviction": "yes",
        "communicates": "yes", "air_cover": "unsure", "unit_id": "AR", "vision": "Grow.",
    }  # fmt: skip
    answer = client.post("/recognize/champion", data=data, headers=HTMX)
    assert answer.status_code == 200 and answer.text.lstrip().startswith('<section id="champion"')
    html = unescape(answer.text)
    assert "Not ready yet" in html and "Not at C-level" in html
    assert "Not recorded: whether they commit to give air cover" in html
    assert 'href="/units/AR"' in html
    for bad, words in (
        ({"person_id": "P99"}, "no person 'p99'"),
        ({"unit_id": "NOWHERE"}, "no unit 'nowhere'"),
        ({"level": "king"}, "level is one of"),
    ):
        refused = client.post("/recognize/champion", data=data | bad, headers=HTMX)
        assert refused.status_code == 400 and words in unescape(refused.text).lower()
    ready = {"person_id": "P08", "level": "c_level", "unit_id": "BANK", "vision": VISION}
    ready |= dict.fromkeys(("conviction", "communicates", "air_cover"), "yes")
    api = client.put("/api/v1/recognize/champion", json=ready, headers={"X-CSRF-Token": token})
    assert api.status_code == 200, api.text
    champion = api.json()["champion"]
    assert champion["ready"] and champion["warnings"] == [] and champion["area_units"] == 4
    assert show_champion(site, ADMIN).champion.unit_id == "BANK"
    stale = client.put(
        "/api/v1/recognize/champion",
        json={"person_id": "P00", "base_version": 1},
        headers={"X-CSRF-Token": token},
    )
    assert stale.status_code == 409


def test_the_api_adds_changes_and_deletes_a_catalyst(
    site: Settings, clients: dict[str, TestClient]
) -> None:
    client = clients["champion"]
    headers = {"X-CSRF-Token": _token(client)}
    body = {
        "kind": "reorganization_or_merger",
        "title": "The merger with Eastbank",
        "answers": dict.fromkeys(QUESTIONS, "yes"),
    }
    made = client.post("/api/v1/recognize/catalysts", json=body, headers=headers)
    assert made.status_code == 201, made.text
    row = made.json()
    assert row["verdict"] == "good"
    assert any("draws attention away" in w for w in row["warnings"])
    url = f"/api/v1/recognize/catalysts/{row['id']}"
    assert client.get(url).json() == row
    bad = client.post("/api/v1/recognize/catalysts", json=body | {"kind": "hunch"}, headers=headers)
    assert bad.status_code == 400 and "type is one of" in bad.json()["detail"]
    extra = client.post("/api/v1/recognize/catalysts", json=body | {"colour": 1}, headers=headers)
    assert extra.status_code == 422
    changed = client.put(
        url, json=body | {"title": "The merger", "base_version": 1}, headers=headers
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2
    assert client.put(url, json=body | {"base_version": 1}, headers=headers).status_code == 409
    assert client.delete(f"{url}?base_version=2", headers=headers).status_code == 204
    assert client.get(url).status_code == 404
    supervisor = clients["supervisor"]
    refused = supervisor.post(
        "/api/v1/recognize/catalysts", json=body, headers={"X-CSRF-Token": _token(supervisor)}
    )
    assert refused.status_code == 403
