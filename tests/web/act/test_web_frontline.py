"""The Frontline metrics page and its JSON twin, for each role: who reads it, who enters
a week and sets a target, a refusal shown at the form with its 4xx, and nothing written
when refused.

The organization is ``frontlinefiles``': a pilot at CC started in week 10, workgroup
Alpha (P01, P02: team T1; coach P00) and Beta (P03: T1, P04: T2).
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from frontlinefiles import START, frontline_org
from smartmoves.data.store import db
from smartmoves.data.store import frontline as stored
from smartmoves.data.store.models import Workgroup, WorkgroupMember
from smartmoves.pathway._store import store
from smartmoves.pathway.pilots import create_pilot, set_pilot_status
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.pathway.setup.users import add_account
from smartmoves.settings import Settings

from services import ADMIN, new_workspace
from webutil import PASSWORD, csrf_of, login_as

LOGINS = {
    "admin": ("admin", None),
    "champion": ("champion", "P07"),
    "supervisor": ("supervisor", "P08"),
    "alpha": ("member", "P02"),  # a member of Alpha (T1)
    "beta": ("member", "P04"),  # a member of Beta (T1 and T2)
    "outsider": ("member", "P10"),  # in no workgroup of the pilot
}


@pytest.fixture(scope="module")
def site(
    module_store_backend: str | None, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Settings, int, int]:
    folder = tmp_path_factory.mktemp("frontline-web")
    settings = new_workspace(folder / "ws", module_store_backend)
    import_files(settings, find_table_files(frontline_org(folder / "org")))
    for name, (role, person) in LOGINS.items():
        add_account(settings, f"{name}@bank.example", role, PASSWORD, person_id=person)
    pilot = create_pilot(settings, ADMIN, "Outreach", unit_id="CC").id
    set_pilot_status(settings, ADMIN, pilot, "running", started_on=START)
    draft = create_pilot(settings, ADMIN, "Draft", unit_id="CC").id
    with db.transaction(store(settings)) as session:
        alpha = Workgroup(pilot_id=pilot, name="Alpha", coach_id="P00")
        beta = Workgroup(pilot_id=pilot, name="Beta")
        session.add_all([alpha, beta])
        session.flush()
        for group, person in ((alpha, "P01"), (alpha, "P02"), (beta, "P03"), (beta, "P04")):
            session.add(WorkgroupMember(pilot_id=pilot, workgroup_id=group.id, person_id=person))
    return settings, pilot, draft


def _client(site: tuple[Settings, int, int], name: str) -> TestClient:
    return login_as(site[0], f"{name}@bank.example")


def _entries(settings: Settings) -> int:
    with db.transaction(store(settings)) as session:
        return stored.entry_count(session)


@pytest.mark.parametrize(
    ("name", "page", "enter", "target"),
    [
        ("admin", 200, True, True),
        ("champion", 200, True, True),
        ("supervisor", 200, True, False),
        ("alpha", 200, True, False),
        ("beta", 200, True, False),
        ("outsider", 403, False, False),
    ],
)
def test_each_role_reads_the_page_and_its_forms_as_the_policy_says(
    site: tuple[Settings, int, int], name: str, page: int, enter: bool, target: bool
) -> None:
    _settings, pilot, _ = site
    client = _client(site, name)
    answer = client.get(f"/pilots/{pilot}/metrics")
    assert answer.status_code == page
    assert client.get(f"/api/v1/pilots/{pilot}/metrics").status_code == page
    if page != 200:
        return
    html = answer.text
    assert "Proactive outreach calls" in html and "data-chart" in html
    assert ("Enter a week" in html) is enter and ("Set a target" in html) is target
    # The pilot's section is linked from its page for whoever the policy lets in by role.
    linked = f'href="/pilots/{pilot}/metrics"' in client.get(f"/pilots/{pilot}").text
    assert linked is (LOGINS[name][0] != "member")


def test_the_json_twin_has_the_series_baseline_and_comparison(
    site: tuple[Settings, int, int],
) -> None:
    _settings, pilot, _ = site
    view = _client(site, "champion").get(f"/api/v1/pilots/{pilot}/metrics").json()
    (metric,) = view["metrics"]
    assert [s["scope_id"] for s in metric["series"]] == ["T1", "T2"]
    assert metric["baseline"] == pytest.approx(20.5) and view["started_on"] == START.isoformat()
    assert metric["comparison_scopes"] == 3  # T3, unit AR, and the people of week 0


def test_a_member_enters_their_team_week_and_the_chart_shows_it(
    site: tuple[Settings, int, int],
) -> None:
    _settings, pilot, _ = site
    client = _client(site, "alpha")
    token = csrf_of(client.get(f"/pilots/{pilot}/metrics").text)
    form = {"csrf": token, "metric_id": "OUT", "scope_id": "T1", "week": "2024-01-17",
            "value": "42.5"}  # fmt: skip
    answer = client.post(
        f"/pilots/{pilot}/metrics/entries", data=form, headers={"HX-Request": "true"}
    )
    assert answer.status_code == 200 and 'id="frontline-metrics"' in answer.text
    view = client.get(f"/api/v1/pilots/{pilot}/metrics").json()
    (t1,) = [s for s in view["metrics"][0]["series"] if s["scope_id"] == "T1"]
    point = next(p for p in t1["points"] if p["week"] == "2024-01-15")
    assert point == {"week": "2024-01-15", "value": 42.5, "entered": True}
    # Without JavaScript the form comes back to the page.
    plain = client.post(f"/pilots/{pilot}/metrics/entries", data=form, follow_redirects=False)
    assert plain.status_code == 303 and plain.headers["location"] == f"/pilots/{pilot}/metrics"


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"week": "2999-01-05"}, 422, "has not begun"),
        ({"value": "twelve"}, 422, "is not a number"),
        ({"value": "nan"}, 422, "finite number"),
        ({"metric_id": "RET"}, 422, "not frontline"),
        ({"scope_id": "T3"}, 404, "not one of this pilot"),
        ({"scope_id": "T2"}, 403, "enter its weeks"),  # Alpha draws nobody from T2
    ],
)
def test_a_refused_week_is_shown_at_the_form_and_writes_nothing(
    site: tuple[Settings, int, int], change: dict[str, str], status: int, words: str
) -> None:
    settings, pilot, _ = site
    client = _client(site, "alpha")
    token = csrf_of(client.get(f"/pilots/{pilot}/metrics").text)
    form = {"csrf": token, "metric_id": "OUT", "scope_id": "T1", "week": "2024-01-17",
            "value": "1", **change}  # fmt: skip
    before = _entries(settings)
    answer = client.post(
        f"/pilots/{pilot}/metrics/entries", data=form, headers={"HX-Request": "true"}
    )
    assert answer.status_code == status and words in answer.text.replace("&#39;", "'")
    assert "data-problem" in answer.text
    page = client.post(f"/pilots/{pilot}/metrics/entries", data=form)
    assert page.status_code == status and 'role="alert"' in page.text  # what was typed stays
    assert f'value="{form["value"]}"' in page.text or status != 422
    # The API refuses the same way (a text that is no number already fails its schema).
    body = {k: v for k, v in form.items() if k != "csrf"}
    api = client.post(
        f"/api/v1/pilots/{pilot}/metrics/entries", json=body, headers={"X-CSRF-Token": token}
    )
    assert api.status_code == status
    assert _entries(settings) == before


def test_only_sponsors_set_a_target_and_it_shows(site: tuple[Settings, int, int]) -> None:
    _settings, pilot, _ = site
    champion = _client(site, "champion")
    token = csrf_of(champion.get(f"/pilots/{pilot}/metrics").text)
    answer = champion.put(
        f"/api/v1/pilots/{pilot}/metrics/target",
        json={"metric_id": "OUT", "value": 30, "by": "2024-06-03"},
        headers={"X-CSRF-Token": token},
    )
    assert answer.status_code == 200 and answer.json()["value"] == 30
    form = {"csrf": token, "metric_id": "OUT", "value": "31", "by": "2024-07-01"}
    done = champion.post(f"/pilots/{pilot}/metrics/target", data=form, follow_redirects=False)
    assert done.status_code == 303
    page = champion.get(f"/pilots/{pilot}/metrics").text
    assert "<strong>31.00</strong> by 2024-07-01" in page
    bad = champion.post(f"/pilots/{pilot}/metrics/target", data=form | {"by": "July"},
                        headers={"HX-Request": "true"})  # fmt: skip
    assert bad.status_code == 422 and "is not a date" in bad.text
    for name in ("supervisor", "beta"):
        client = _client(site, name)
        token = csrf_of(client.get(f"/pilots/{pilot}/metrics").text)
        refused = client.put(
            f"/api/v1/pilots/{pilot}/metrics/target",
            json={"metric_id": "OUT", "value": 1, "by": "2024-06-03"},
            headers={"X-CSRF-Token": token},
        )
        assert refused.status_code == 403
    view = champion.get(f"/api/v1/pilots/{pilot}/metrics").json()
    assert view["metrics"][0]["target"]["value"] == 31


def test_a_member_never_sees_a_draft_pilot_metrics(site: tuple[Settings, int, int]) -> None:
    _settings, _, draft = site
    assert _client(site, "alpha").get(f"/pilots/{draft}/metrics").status_code == 404
    assert _client(site, "alpha").get(f"/api/v1/pilots/{draft}/metrics").status_code == 404
    page = _client(site, "champion").get(f"/pilots/{draft}/metrics")
    assert page.status_code == 200 and "no workgroups yet" in page.text


def test_the_chart_draws_every_line_and_rule(site: tuple[Settings, int, int]) -> None:
    _settings, pilot, _ = site
    html = _client(site, "supervisor").get(f"/pilots/{pilot}/metrics").text
    spec = re.search(r'<script type="application/json">(.*?)</script>', html, re.S)
    assert spec is not None
    text = spec.group(1)
    for part in ("T1", "T2", "comparison (3 other groups)", "baseline", "pilot starts"):
        assert part in text, part
    assert "the figures as a table" in html  # the chart's text alternative


def test_a_member_reaches_the_metrics_from_their_workgroup_page(
    site: tuple[Settings, int, int],
) -> None:
    settings, pilot, _ = site
    with db.transaction(store(settings)) as session:
        alpha = session.query(Workgroup).filter_by(pilot_id=pilot, name="Alpha").one().id
    page = _client(site, "alpha").get(f"/pilots/{pilot}/workgroups/{alpha}").text
    assert f'href="/pilots/{pilot}/metrics"' in page
