"""The Where-to-start page and its JSON twin: staff read the matrix with every unit's
scores and reasons; a champion starts a pilot at a unit that can yield one, and a unit
that cannot is refused where they acted, with the number it can yield; members may not
look."""

from __future__ import annotations

import pytest

from smartmoves.data.synth import synthesize_bank
from smartmoves.pathway.pilots import list_pilots
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.pathway.setup.users import add_account
from smartmoves.settings import Settings

from services import ADMIN, new_workspace
from webutil import PASSWORD, ROLES, csrf_of, logged_in


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("entry-web")
    synthesize_bank(folder / "bank", people=300, weeks=26, seed=0)
    settings = new_workspace(folder / "ws", None)
    import_files(settings, find_table_files(folder / "bank"))
    for role in ROLES:
        add_account(settings, f"{role}@bank.example", role, PASSWORD)
    # The network behind "self-contained" is computed by a job on the web: compute it now.
    from smartmoves.pathway.act import connect

    connect.workspace_network(settings, compute=True)
    return settings


@pytest.mark.parametrize("role", ["admin", "champion", "supervisor"])
def test_staff_read_the_matrix_and_every_unit_with_its_reasons(site: Settings, role: str) -> None:
    client = logged_in(site, role)
    page = client.get("/entry-points")
    assert page.status_code == 200
    text = page.text
    assert "Where to start" in text and "data-chart" in text
    assert text.index('id="unit-U-COL"') < text.index('id="unit-U-CC"')  # best first
    assert "cannot yield a pilot group" in text  # an infeasible unit says so
    assert ("Start a pilot here" in text) == (role in ("admin", "champion"))
    assert 'href="/entry-points"' in client.get("/").text  # in the navigation
    api = client.get("/api/v1/entry-points")
    assert api.status_code == 200
    data = api.json()
    assert data["entry_points"][0]["unit_id"] == "U-COL"
    assert data["target_id"] == "F-REV"


def test_members_may_not_look(site: Settings) -> None:
    member = logged_in(site, "member")
    assert member.get("/entry-points").status_code == 403
    assert member.get("/api/v1/entry-points").status_code == 403
    assert 'href="/entry-points"' not in member.get("/").text


def test_a_champion_starts_a_pilot_and_an_infeasible_unit_is_refused(site: Settings) -> None:
    champion = logged_in(site, "champion")
    token = csrf_of(champion.get("/entry-points").text)
    before = len(list_pilots(site, ADMIN))
    refused = champion.post("/entry-points/U-SBA/pilot", data={"csrf": token})
    assert refused.status_code == 400, refused.text
    assert "cannot yield a pilot group" in refused.text and 'id="unit-U-SBA"' in refused.text
    htmx = champion.post(
        "/entry-points/U-SBA/pilot", data={"csrf": token}, headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 400 and "data-problem" in htmx.text
    assert len(list_pilots(site, ADMIN)) == before  # nothing stored
    started = champion.post(
        "/entry-points/U-COL/pilot", data={"csrf": token}, follow_redirects=False
    )
    assert started.status_code == 303, started.text
    pilot = list_pilots(site, ADMIN)[-1]
    assert started.headers["location"] == f"/pilots/{pilot.id}"
    assert pilot.unit_id == "U-COL"
    assert pilot.name == "Collections & Accounts Receivable redefines work"
    assert champion.post("/entry-points/NOPE/pilot", data={"csrf": token}).status_code == 404
