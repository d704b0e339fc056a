"""Flags to discuss on the workgroup page, on the pilot's Frontline metrics page and in
the JSON twin: a level shift planted in the outreach calls of team T1 (Alpha's members'
team) is shown to Alpha's member and coach and to staff, never to a member of Beta.

The organization is ``frontlinefiles``' with a history of its own: 60 weeks of OUT for
T1 (a step of 6 noise SD at week 30), T2 (noise only) and a market series of REV (a
step too, which Alpha's charter names through its focus).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from fastapi.testclient import TestClient

from frontlinefiles import frontline_org
from smartmoves.data.store import db
from smartmoves.data.store.models import Workgroup, WorkgroupMember
from smartmoves.pathway._store import store
from smartmoves.pathway.pilots import create_pilot, set_pilot_status
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.pathway.setup.users import add_account
from smartmoves.settings import Settings

from services import ADMIN, new_workspace
from webutil import PASSWORD, login_as

WEEK0 = dt.date(2024, 1, 1)
SHIFT = (WEEK0 + dt.timedelta(weeks=30)).isoformat()
LOGINS = {
    "supervisor": ("supervisor", "P08"),
    "alpha": ("member", "P02"),  # a member of Alpha (team T1)
    "coach": ("member", "P00"),  # Alpha's coach
    "beta": ("member", "P04"),  # a member of Beta (team T2)
}


def _values() -> str:
    rng = np.random.default_rng(7)
    rows = ["metric_id,scope,scope_id,date,value"]
    step = np.where(np.arange(60) >= 30, 6.0, 0.0)
    series = {
        ("OUT", "workgroup", "T1"): 40 + step,
        ("OUT", "workgroup", "T2"): np.full(60, 40.0),
        ("REV", "market", "peers"): 100 + step,
    }
    for (metric, scope, scope_id), level in series.items():
        noise = rng.normal(0, 1, 60)
        for i in range(60):
            day = (WEEK0 + dt.timedelta(weeks=i)).isoformat()
            rows.append(f"{metric},{scope},{scope_id},{day},{level[i] + noise[i]:.3f}")
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, int, int, int]:
    folder = tmp_path_factory.mktemp("flags-web")
    settings = new_workspace(folder / "ws", None)
    org = frontline_org(folder / "org")
    (org / "metric_values.csv").write_text(_values(), encoding="utf-8")
    import_files(settings, find_table_files(org))
    for name, (role, person) in LOGINS.items():
        add_account(settings, f"{name}@bank.example", role, PASSWORD, person_id=person)
    pilot = create_pilot(settings, ADMIN, "Outreach", unit_id="CC").id
    set_pilot_status(settings, ADMIN, pilot, "running", started_on=WEEK0)
    with db.transaction(store(settings)) as session:
        alpha = Workgroup(
            pilot_id=pilot,
            name="Alpha",
            coach_id="P00",
            focus="Lift revenue from existing customers",
        )
        beta = Workgroup(pilot_id=pilot, name="Beta")
        session.add_all([alpha, beta])
        session.flush()
        for group, person in ((alpha, "P01"), (alpha, "P02"), (beta, "P04")):
            session.add(WorkgroupMember(pilot_id=pilot, workgroup_id=group.id, person_id=person))
        ids = alpha.id, beta.id
    return settings, pilot, *ids


def _client(site: tuple[Settings, int, int, int], name: str) -> TestClient:
    return login_as(site[0], f"{name}@bank.example")


def _shifts(flags: list[dict[str, object]]) -> set[tuple[object, ...]]:
    return {
        (f["metric_id"], f["scope"], f["scope_id"]) for f in flags if f["kind"] == "level_shift"
    }


@pytest.mark.parametrize("name", ["alpha", "supervisor"])
def test_the_planted_shift_is_on_alpha_page_for_its_member_and_staff(
    site: tuple[Settings, int, int, int], name: str
) -> None:
    _settings, pilot, alpha, _ = site
    page = _client(site, name).get(f"/pilots/{pilot}/workgroups/{alpha}")
    assert page.status_code == 200
    assert "Flags to discuss" in page.text
    assert "Proactive outreach calls" in page.text and "team T1" in page.text
    assert "A level shift" in page.text and "noise SD" in page.text
    assert "the market (peers)" in page.text  # REV, which the focus names


@pytest.mark.parametrize("name", ["alpha", "coach", "supervisor"])
def test_the_json_twin_has_the_shift_with_its_words(
    site: tuple[Settings, int, int, int], name: str
) -> None:
    _settings, _pilot, alpha, _ = site
    answer = _client(site, name).get(f"/api/v1/workgroups/{alpha}/flags")
    assert answer.status_code == 200
    body = answer.json()
    assert body["workgroup_id"] == alpha and body["name"] == "Alpha"
    assert _shifts(body["flags"]) == {("OUT", "workgroup", "T1"), ("REV", "market", "peers")}
    out = next(f for f in body["flags"] if f["metric_id"] == "OUT")
    placed = dt.date.fromisoformat(out["date"])
    assert abs((placed - dt.date.fromisoformat(SHIFT)).days) <= 14
    assert out["kind_words"] == "a level shift" and out["scope_words"] == "team T1"
    assert out["magnitude"] > 4 and out["magnitude_sd"] > 3 and "calls" in out["size"]
    assert 0 < out["confidence"] <= 1 and out["explanation"]


def test_a_member_of_another_workgroup_never_sees_them(
    site: tuple[Settings, int, int, int],
) -> None:
    _settings, pilot, alpha, beta = site
    client = _client(site, "beta")
    assert client.get(f"/api/v1/workgroups/{alpha}/flags").status_code == 403
    own = client.get(f"/api/v1/workgroups/{beta}/flags").json()
    assert _shifts(own["flags"]) == set()  # T2 is noise only, and Beta names no metric
    page = client.get(f"/pilots/{pilot}/metrics")
    assert page.status_code == 200
    assert "Flags to discuss" in page.text and "Beta" in page.text
    assert "team T1" not in page.text and "the market (peers)" not in page.text


def test_the_metrics_page_lists_each_workgroup_flags_for_staff(
    site: tuple[Settings, int, int, int],
) -> None:
    _settings, pilot, alpha, beta = site
    page = _client(site, "supervisor").get(f"/pilots/{pilot}/metrics").text
    assert f'id="flags-{alpha}"' in page and f'id="flags-{beta}"' in page
    assert "team T1" in page and "A level shift" in page
    assert "No flags on the metrics this workgroup touches." in page  # Beta's


def test_alpha_coach_sees_alpha_flags_on_the_metrics_page(
    site: tuple[Settings, int, int, int],
) -> None:
    _settings, pilot, alpha, beta = site
    page = _client(site, "coach").get(f"/pilots/{pilot}/metrics").text
    assert f'id="flags-{alpha}"' in page and f'id="flags-{beta}"' not in page
    assert "team T1" in page and "A level shift" in page


def test_an_unknown_workgroup_is_a_404(site: tuple[Settings, int, int, int]) -> None:
    assert _client(site, "supervisor").get("/api/v1/workgroups/999/flags").status_code == 404
    assert _client(site, "supervisor").get("/api/v1/workgroups/x/flags").status_code == 422
