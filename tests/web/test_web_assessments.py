"""Assessments and weights on the Where-to-start page and its JSON twin: a champion
saves a unit's assessment (the scores and the history follow), a bad rating is refused
where they acted with a 422, a supervisor reads but may not edit; the weights form keeps
the workspace's weights and refuses all scores at 0."""

from __future__ import annotations

import pytest

from smartmoves.data.synth import synthesize_bank
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.pathway.setup.users import add_account
from smartmoves.settings import Settings

from services import new_workspace
from webutil import PASSWORD, ROLES, csrf_of, logged_in


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("assess-web")
    synthesize_bank(folder / "bank", people=300, weeks=8, seed=0)
    settings = new_workspace(folder / "ws", None)
    import_files(settings, find_table_files(folder / "bank"))
    for role in ROLES:
        add_account(settings, f"{role}@bank.example", role, PASSWORD)
    from smartmoves.pathway.act import connect

    connect.workspace_network(settings, compute=True)
    return settings


def _factor(data: dict, unit: str, name: str) -> dict:
    entry = next(e for e in data["entry_points"] if e["unit_id"] == unit)
    return next(f for f in entry["factors"] if f["name"] == name)


def test_a_champion_saves_an_assessment_and_the_scores_and_history_follow(site: Settings) -> None:
    champion = logged_in(site, "champion")
    page = champion.get("/entry-points")
    assert page.status_code == 200 and 'id="assess-U-PAY"' in page.text
    assert "Save as the newest assessment" in page.text
    token = csrf_of(page.text)
    before = champion.get("/api/v1/entry-points").json()
    assert _factor(before, "U-PAY", "motivated_supervisors")["source"].startswith(
        "unit_assessments, assessed by Chief Financial Officer on"
    )
    form = {"csrf": token, "leader_support": "4.5", "supervisor_motivation": "4.8",
            "champion_influence": "high", "opportunity_size": "", "notes": "new head"}  # fmt: skip
    saved = champion.post(
        "/entry-points/U-PAY/assessment", data=form, headers={"HX-Request": "true"}
    )
    assert saved.status_code == 200, saved.text
    assert 'id="entry-page"' in saved.text and "now counts" in saved.text
    after = champion.get("/api/v1/entry-points").json()
    motivation = _factor(after, "U-PAY", "motivated_supervisors")
    assert motivation["value"] == 4.8
    assert motivation["source"].startswith("unit_assessments, assessed by champion@bank.example")
    pay = next(e for e in after["entry_points"] if e["unit_id"] == "U-PAY")
    assert "motivated_supervisors" not in pay["weak_on"]
    history = champion.get("/api/v1/entry-points/U-PAY/assessment").json()
    assert history["current"]["assessed_by"] == "champion@bank.example"
    assert len(history["history"]) == 2
    changed = {c["field"]: c for c in history["history"][0]["changed"]}
    assert changed["supervisor_motivation"]["after"] == 4.8
    assert changed["supervisor_motivation"]["before"] < 3
    assert "champion@bank.example" in champion.get("/entry-points").text  # the history shows


def test_a_bad_rating_is_refused_where_the_user_acted(site: Settings) -> None:
    champion = logged_in(site, "champion")
    token = csrf_of(champion.get("/entry-points").text)
    bad = {"csrf": token, "leader_support": "7", "champion_influence": "huge"}
    htmx = champion.post("/entry-points/U-CC/assessment", data=bad, headers={"HX-Request": "true"})
    assert htmx.status_code == 422 and "data-problem" in htmx.text
    assert "leader_support" in htmx.text and "from 1 to 5" in htmx.text
    plain = champion.post("/entry-points/U-CC/assessment", data=bad)
    assert plain.status_code == 422 and 'id="assess-U-CC" open' in plain.text
    assert 'value="7"' in plain.text  # what the user typed stays
    assert champion.post("/entry-points/NOPE/assessment", data={"csrf": token}).status_code == 404
    api = champion.post(
        "/api/v1/entry-points/U-CC/assessment",
        json={"supervisor_motivation": 0},
        headers={"X-CSRF-Token": token},
    )
    assert api.status_code == 422 and "supervisor_motivation" in api.text
    history = champion.get("/api/v1/entry-points/U-CC/assessment").json()
    assert len(history["history"]) == 1  # nothing stored


def test_a_supervisor_reads_the_assessments_but_may_not_edit(site: Settings) -> None:
    supervisor = logged_in(site, "supervisor")
    page = supervisor.get("/entry-points")
    assert page.status_code == 200 and 'id="assess-U-COL"' in page.text
    assert "Save as the newest assessment" not in page.text and "Save the weights" not in page.text
    token = csrf_of(page.text)
    refused = supervisor.post(
        "/entry-points/U-COL/assessment", data={"csrf": token, "leader_support": "1"}
    )
    assert refused.status_code == 403
    assert supervisor.get("/api/v1/entry-points/U-COL/assessment").status_code == 200
    member = logged_in(site, "member")
    assert member.get("/api/v1/entry-points/U-COL/assessment").status_code == 403


def test_weights_are_kept_for_the_workspace_and_all_scores_at_zero_are_refused(
    site: Settings,
) -> None:
    admin = logged_in(site, "admin")
    token = csrf_of(admin.get("/entry-points").text)
    zero = {"csrf": token, "capacity": "0", "impact": "0", "likelihood": "0"}
    refused = admin.post("/entry-points/weights", data=zero, headers={"HX-Request": "true"})
    assert (
        refused.status_code == 400 and "least one of capacity, impact, likelihood" in refused.text
    )
    negative = admin.post("/entry-points/weights", data={"csrf": token, "edge": "-1"})
    assert negative.status_code == 400 and "at least 0" in negative.text
    saved = admin.post("/entry-points/weights", data={"csrf": token, "capacity": "3"},
                       follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303
    data = admin.get("/api/v1/entry-points").json()
    assert data["weights"]["capacity"] == 3.0 and data["weights"]["impact"] == 1.0
    api = admin.get("/api/v1/entry-points/weights").json()
    assert api["changed_by"] == "admin@bank.example" and api["defaults"]["capacity"] == 1.0
    back = admin.post("/entry-points/weights", data={"csrf": token, "defaults": "1"},
                      follow_redirects=False)  # fmt: skip
    assert back.status_code == 303
    assert admin.get("/api/v1/entry-points").json()["weights"]["capacity"] == 1.0
    put = admin.put(
        "/api/v1/entry-points/weights", json={"likelihood": 2}, headers={"X-CSRF-Token": token}
    )
    assert put.status_code == 200 and put.json()["weights"]["likelihood"] == 2.0
    supervisor = logged_in(site, "supervisor")
    s_token = csrf_of(supervisor.get("/entry-points").text)
    assert supervisor.post("/entry-points/weights", data={"csrf": s_token}).status_code == 403


def test_every_weight_has_its_help_and_the_api_body_names_them_all() -> None:
    import dataclasses

    from smartmoves.api.routes.recognize.entry_points import WeightsIn
    from smartmoves.engines.entry import Weights
    from smartmoves.pathway.recognize.assessments import WEIGHT_HELP

    names = [f.name for f in dataclasses.fields(Weights)]
    assert list(WEIGHT_HELP) == names and list(WeightsIn.model_fields) == names
