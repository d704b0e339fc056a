"""Views kept in memory (docs/architecture.md, "Where the time goes"), on SQLite and
PostgreSQL: a page asked again is the kept answer, and whatever it was computed from
changing (an import, a decision, a selection, an application) gives a new one; two
workspaces, two minimum group sizes or two kinds of reader never share an answer."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from smartmoves.data.store import db
from smartmoves.pathway._cache import Kept
from smartmoves.pathway.act import connect
from smartmoves.pathway.create import capacity, volunteers
from smartmoves.pathway.create.capacity.decisions import DecisionIn
from smartmoves.pathway.create.volunteers.selection import SelectionIn
from smartmoves.pathway.pilots import create_pilot
from smartmoves.pathway.recognize import organization
from smartmoves.pathway.setup.imports import ImportItem, find_table_files, import_files
from smartmoves.settings import Settings, get_settings

from orgfiles import ACTIVITIES, people_csv, write_org
from services import ADMIN, account, new_workspace

CHAMPION = account("champion", "P01")
MEMBER = account("member", "P10")


def _workspace(folder: Path, backend: str | None, **overrides: object) -> Settings:
    settings = new_workspace(folder / "ws", backend)
    import_files(settings, find_table_files(write_org(folder / "org")))
    return get_settings(settings.workspace, database_url=backend, **overrides)


@pytest.fixture
def site(tmp_path: Path, store_backend: str | None) -> Settings:
    settings = _workspace(tmp_path, store_backend)
    yield settings
    db.release(settings.sqlalchemy_url)


def _pilot(site: Settings) -> int:
    pilot = create_pilot(site, ADMIN, "AR pilot", unit_id="AR", opportunity="x", min_pilot=1)
    volunteers.save_call(site, ADMIN, pilot.id, None, open_call=True)
    return pilot.id


def test_the_capacity_view_is_kept_until_a_decision_changes(site: Settings) -> None:
    pilot = _pilot(site)
    first = capacity.capacity_view(site, ADMIN, pilot)
    assert capacity.capacity_view(site, ADMIN, pilot) is first  # kept
    assert first.freed == 0
    capacity.save_decisions(
        site, ADMIN, pilot, [DecisionIn(activity_id="A-REPORT", decision="stop")]
    )
    decided = capacity.capacity_view(site, ADMIN, pilot)
    assert decided is not first
    assert decided.freed == 30 and [d.decision for d in decided.decisions] == ["stop"]
    capacity.save_decisions(site, ADMIN, pilot, [])  # back as it was: the same figures
    assert capacity.capacity_view(site, ADMIN, pilot).freed == 0


def test_the_capacity_view_of_an_admin_is_never_a_champions(site: Settings) -> None:
    pilot = _pilot(site)
    admin = capacity.capacity_view(site, ADMIN, pilot)
    champion = capacity.capacity_view(site, CHAMPION, pilot)
    assert admin.person_level and admin.activities[0].person_ids
    assert not champion.person_level and champion.activities[0].person_ids is None


def test_a_new_import_gives_new_figures(site: Settings, tmp_path: Path) -> None:
    pilot = _pilot(site)
    before = capacity.capacity_view(site, ADMIN, pilot)
    overview = organization.overview(site, CHAMPION)
    unit = organization.unit_detail(site, CHAMPION, "AR")
    assert organization.overview(site, CHAMPION) is overview
    assert organization.unit_detail(site, CHAMPION, "AR") is unit
    renamed = tmp_path / "activities.csv"
    renamed.write_text(ACTIVITIES.replace("A-RECON,", "A-RECON,Matching ", 1), encoding="utf-8")
    import_files(site, [ImportItem("activities", renamed)])
    after = capacity.capacity_view(site, ADMIN, pilot)
    names = {a.activity_id: a.name for a in after.activities}
    assert names["A-RECON"].startswith("Matching ")
    assert names != {a.activity_id: a.name for a in before.activities}
    fewer = tmp_path / "people.csv"
    fewer.write_text("\n".join(people_csv().splitlines()[:-2]) + "\n", encoding="utf-8")
    allocations = tmp_path / "allocations.csv"
    allocations.write_text(
        "\n".join(
            line
            for line in (tmp_path / "org" / "allocations.csv").read_text().splitlines()
            if not line.startswith(("P14,", "P15,"))
        )
        + "\n",
        encoding="utf-8",
    )
    import_files(site, [ImportItem("people", fewer), ImportItem("allocations", allocations)])
    assert organization.overview(site, CHAMPION).headcount == overview.headcount - 2  # type: ignore[operator]
    assert organization.unit_detail(site, CHAMPION, "AR") is not unit


def test_two_workspaces_and_two_minimums_never_share_figures(tmp_path: Path) -> None:
    one = _workspace(tmp_path / "one", None)
    other = _workspace(tmp_path / "other", None)
    larger = get_settings(one.workspace, min_group_size=7)
    # The same data: equal figures, but each workspace's own answer.
    a, b = organization.overview(one, CHAMPION), organization.overview(other, CHAMPION)
    assert a.units == b.units and a is not b
    shown = organization.unit_detail(one, CHAMPION, "CC")
    strict = organization.unit_detail(larger, CHAMPION, "CC")
    assert shown.min_group_size == 5 and strict.min_group_size == 7
    assert organization.unit_detail(one, CHAMPION, "CC") is shown
    seven = organization.overview(larger, CHAMPION)
    assert seven.min_group_size == 7 and seven is not a
    assert all(u.headcount is None or u.headcount >= 7 for u in seven.units)
    assert all(c.people is None or c.people >= 7 for c in strict.hours_by_category)


def test_the_volunteers_view_follows_applications_and_selections(site: Settings) -> None:
    pilot = _pilot(site)
    first = volunteers.volunteers_view(site, ADMIN, pilot)
    assert volunteers.volunteers_view(site, ADMIN, pilot) is first
    assert first.rows is not None and "P10" not in {r.person_id for r in first.rows}
    volunteers.apply(site, MEMBER, pilot, "Disputes drag on", "I see them daily")
    applied = volunteers.volunteers_view(site, ADMIN, pilot)
    assert applied.rows is not None and "P10" in {r.person_id for r in applied.rows}
    volunteers.decide(site, ADMIN, pilot, [SelectionIn(person_id="P10", status="selected")])
    chosen = volunteers.volunteers_view(site, ADMIN, pilot)
    assert chosen.rows is not None
    assert {r.person_id: r.selection for r in chosen.rows}["P10"] == "selected"
    volunteers.decide(site, ADMIN, pilot, [SelectionIn(person_id="P10", status="not_selected")])
    again = volunteers.volunteers_view(site, ADMIN, pilot)
    assert again.rows is not None
    assert {r.person_id: r.selection for r in again.rows}["P10"] == "not_selected"
    # Filters are part of the key: a filtered view is never the whole one.
    only = volunteers.volunteers_view(site, ADMIN, pilot, filters={"selection": "selected"})
    assert only.rows == []


def test_the_network_is_kept_until_an_application_or_an_import(site: Settings) -> None:
    first = connect.workspace_network(site)
    assert connect.workspace_network(site) is first
    units = connect.units_view(site, CHAMPION)
    assert connect.units_view(site, CHAMPION) is units
    pilot = _pilot(site)
    volunteers.apply(site, MEMBER, pilot, "Quarterly close takes a week", "I do it")
    applied = connect.workspace_network(site)
    assert applied is not first and applied.key == first.key  # the same analysis
    texts = " ".join(applied.profiles["text"].astype(str))
    assert "Quarterly close" in texts and "Quarterly close" not in " ".join(
        first.profiles["text"].astype(str)
    )


def test_kept_computes_a_key_once_for_threads_asking_together() -> None:
    kept: Kept[int] = Kept(2)
    calls: list[int] = []

    def slow() -> int:
        calls.append(1)
        time.sleep(0.05)  # long enough for the other threads to ask meanwhile
        return 42

    found: list[int] = []
    threads = [threading.Thread(target=lambda: found.append(kept.get("k", slow))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert found == [42] * 8 and len(calls) == 1


def test_kept_keeps_nothing_of_a_failure_and_only_the_newest_values() -> None:
    kept: Kept[str] = Kept(2)

    def fail() -> str:
        raise ValueError("no")

    with pytest.raises(ValueError):
        kept.get("a", fail)
    assert len(kept) == 0 and kept.get("a", lambda: "A") == "A"
    kept.get("b", lambda: "B")
    kept.get("c", lambda: "C")  # "a" is the oldest: it goes
    assert len(kept) == 2 and kept.get("a", lambda: "again") == "again"
