"""The metric tree page: staff read every metric in tree order beside its driver
estimate, with the range and whether it leads; members may not look."""

from __future__ import annotations

import pytest

from smartmoves.data.synth import synthesize_bank
from smartmoves.pathway.recognize import workspace_drivers
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.pathway.setup.users import add_account
from smartmoves.settings import Settings

from services import ADMIN, new_workspace
from webutil import PASSWORD, ROLES, logged_in


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("metrics-web")
    synthesize_bank(folder / "bank", people=150, weeks=26, seed=1, events=1000)
    settings = new_workspace(folder / "ws", None)
    import_files(settings, find_table_files(folder / "bank"))
    for role in ROLES:
        add_account(settings, f"{role}@bank.example", role, PASSWORD)
    return settings


@pytest.mark.parametrize("role", ["admin", "champion", "supervisor"])
def test_staff_read_the_tree_with_each_driver(site: Settings, role: str) -> None:
    client = logged_in(site, role)
    page = client.get("/metrics")
    assert page.status_code == 200
    text = page.text
    # Tree order: revenue, then its operating metrics, each followed by its frontline ones.
    order = [text.index(f'<span class="id">{m}</span>') for m in ("F-REV", "O-RET", "FL-PTP")]
    assert order == sorted(order)
    assert 'class="depth-2"' in text and "higher is better" in text
    found = workspace_drivers(site, ADMIN)
    ptp = next(d for d in found.drivers if d.metric_id == "FL-PTP" and d.lag == 0)
    assert f"{ptp.ci_low:.3g} to {ptp.ci_high:.3g}" in text
    assert 'href="/metrics"' in client.get("/").text


def test_members_may_not_look(site: Settings) -> None:
    member = logged_in(site, "member")
    assert member.get("/metrics").status_code == 403
    assert 'href="/metrics"' not in member.get("/").text
