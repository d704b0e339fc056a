"""Recruiting a pilot's volunteers, on SQLite and PostgreSQL: the call, applications (web
and imported), the selection screen and its filters, and re-imports that keep web rows.

On the small organization of ``orgfiles``: Accounts receivable (AR) has P08-P13; P03 (CC)
and P09 (AR) applied through the imported file, naming no pilot.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from smartmoves.data.store import capacity as store_capacity
from smartmoves.data.store import db
from smartmoves.data.store import volunteers as store_volunteers
from smartmoves.data.store.models import Application
from smartmoves.errors import ConfigError, DataError, Forbidden, NotFound
from smartmoves.pathway._store import store
from smartmoves.pathway.create import capacity, volunteers
from smartmoves.pathway.create.capacity.decisions import DecisionIn, save_decisions
from smartmoves.pathway.create.volunteers.selection import SelectionIn
from smartmoves.pathway.demo.volunteers import DEMO_SELECTED
from smartmoves.pathway.pilots import create_pilot, get_pilot, set_pilot_status
from smartmoves.pathway.setup.imports import ImportItem, find_table_files, import_files
from smartmoves.settings import Settings

from orgfiles import write_org
from services import ADMIN, account, new_workspace


@pytest.fixture(scope="module")
def site(module_store_backend: str | None, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("volunteers")
    settings = new_workspace(folder / "ws", module_store_backend)
    import_files(settings, find_table_files(write_org(folder / "org")))
    return settings


def _pilot(site: Settings, unit: str = "AR", *, open_call: bool = True, **kw: int) -> int:
    pilot = create_pilot(
        site,
        ADMIN,
        f"{unit} pilot",
        unit_id=unit,
        opportunity="Disputed invoices",
        min_pilot=1,
        **kw,
    )
    if open_call:
        volunteers.save_call(site, ADMIN, pilot.id, None, open_call=True)
    return pilot.id


def test_the_default_call_states_the_opportunity_and_no_penalty(site: Settings) -> None:
    pilot = _pilot(site, open_call=False)
    call = volunteers.call_view(site, ADMIN, pilot)
    assert call.is_default and call.status == "draft" and not call.open
    assert "Disputed invoices" in call.text and "Nobody is penalized" in call.text
    assert call.warnings == []
    assert not volunteers.lacks_no_penalty(call.text)


def test_a_call_without_a_no_penalty_statement_is_saved_with_a_warning(site: Settings) -> None:
    pilot = _pilot(site, open_call=False)
    call = volunteers.save_call(site, ADMIN, pilot, "Join us to fix invoices!", open_call=True)
    assert call.text == "Join us to fix invoices!" and not call.is_default
    assert call.status == "recruiting" and call.open
    assert len(call.warnings) == 1 and "penalized" in call.warnings[0]
    assert get_pilot(site, ADMIN, pilot).call_text == "Join us to fix invoices!"
    fixed = volunteers.save_call(
        site, ADMIN, pilot, "Fix invoices. Nobody is penalized for not joining."
    )
    assert fixed.warnings == []


def test_going_back_to_the_default_call_follows_the_opportunity(site: Settings) -> None:
    pilot = _pilot(site, open_call=False)
    volunteers.save_call(site, ADMIN, pilot, "Fix invoices. Nobody is penalized for not joining.")
    with pytest.raises(ConfigError, match="not both"):
        volunteers.save_call(site, ADMIN, pilot, "Other text", default=True)
    back = volunteers.save_call(site, ADMIN, pilot, None, default=True, open_call=True)
    assert back.is_default and back.text == back.default_text and back.open
    assert "Disputed invoices" in back.text and get_pilot(site, ADMIN, pilot).call_text is None


def test_an_empty_call_is_refused_and_a_running_pilot_cannot_reopen(site: Settings) -> None:
    from smartmoves.pathway.pilots import set_pilot_status

    pilot = _pilot(site, open_call=False)
    with pytest.raises(DataError, match="empty"):
        volunteers.save_call(site, ADMIN, pilot, "   ")
    assert get_pilot(site, ADMIN, pilot).call_text is None
    set_pilot_status(site, ADMIN, pilot, "running")
    with pytest.raises(ConfigError, match="running"):
        volunteers.save_call(site, ADMIN, pilot, None, open_call=True)
    with pytest.raises(NotFound):
        volunteers.call_view(site, ADMIN, 999_999)


def test_applying_stores_a_web_application_and_a_second_updates_it(site: Settings) -> None:
    pilot = _pilot(site)
    first = volunteers.apply(
        site, account("member", "P10"), pilot, "Disputes drag on", "I see them daily"
    )
    assert first.source == "web" and first.pilot_id == pilot and first.submitted_at
    again = volunteers.apply(
        site, account("member", "P10"), pilot, " Disputes drag on for months ", "Still"
    )
    assert again.problem == "Disputes drag on for months" and again.why == "Still"
    with db.transaction(store(site)) as session:
        rows = session.scalars(
            select(Application).where(Application.person_id == "P10", Application.pilot_id == pilot)
        ).all()
        assert len(rows) == 1 and rows[0].source == "web"
    assert volunteers.my_application(site, account("member", "P10"), pilot) == again


@pytest.mark.parametrize(
    ("problem", "why", "fields"),
    [("", "because", ["problem"]), ("x", "  ", ["why"]), ("", "", ["problem", "why"])],
)
def test_empty_answers_are_refused_and_nothing_is_stored(
    site: Settings, problem: str, why: str, fields: list[str]
) -> None:
    pilot = _pilot(site)
    with pytest.raises(DataError) as caught:
        volunteers.apply(site, account("member", "P11"), pilot, problem, why)
    assert [p.column for p in caught.value.problems] == fields
    assert volunteers.my_application(site, account("member", "P11"), pilot) is None


def test_who_may_apply(site: Settings) -> None:
    pilot = _pilot(site)
    with pytest.raises(Forbidden, match="linked to a person"):
        volunteers.apply(site, account("member", None), pilot, "a", "b")
    with pytest.raises(Forbidden, match="champions sponsor"):
        volunteers.apply(site, account("champion", "P10"), pilot, "a", "b")
    with pytest.raises(Forbidden, match="AR"):
        volunteers.apply(site, account("member", "P01"), pilot, "a", "b")  # P01 works in CC
    draft = _pilot(site, open_call=False)
    with pytest.raises(NotFound):  # a member never sees a draft pilot, not even its call
        volunteers.apply(site, account("member", "P10"), draft, "a", "b")
    with pytest.raises(NotFound):
        volunteers.call_view(site, account("member", "P10"), draft)
    set_pilot_status(site, ADMIN, draft, "running")
    with pytest.raises(ConfigError, match="not open"):
        volunteers.apply(site, account("member", "P10"), draft, "a", "b")


def test_imported_applications_count_for_every_pilot_whose_entry_point_holds_them(
    site: Settings,
) -> None:
    ar, bank = _pilot(site), _pilot(site, "BANK")
    volunteers.apply(site, account("member", "P12"), ar, "Invoices", "Why not")
    on_ar = volunteers.volunteers_view(site, ADMIN, ar)
    assert [r.person_id for r in on_ar.rows or []] == ["P09", "P12"]
    assert {r.person_id: r.source for r in on_ar.rows or []} == {"P09": "import", "P12": "web"}
    on_bank = volunteers.volunteers_view(site, ADMIN, bank)
    assert [r.person_id for r in on_bank.rows or []] == ["P03", "P09"]  # P12 applied to AR
    # The same people the capacity plan takes as applicants.
    with db.transaction(store(site)) as session:
        for pilot, units in ((ar, ["AR"]), (bank, ["BANK", "CC", "AR", "ADV"])):
            expected = store_capacity.applicants(session, pilot, units)
            rows = store_volunteers.applications_of(session, pilot, units)
            assert sorted({r.person_id for r in rows}) == expected


def test_a_re_import_never_loses_web_applications(
    tmp_path: Path, store_backend: str | None
) -> None:
    settings = new_workspace(tmp_path / "ws", store_backend)
    import_files(settings, find_table_files(write_org(tmp_path / "org")))
    pilot = _pilot(settings)
    volunteers.apply(settings, account("member", "P10"), pilot, "Disputes", "Daily")
    volunteers.decide(settings, ADMIN, pilot, [SelectionIn(person_id="P10", status="selected")])
    again = tmp_path / "again.csv"
    again.write_text("person_id,problem,why,submitted_at\nP11,New,Because,2024-03-01\n")
    import_files(settings, [ImportItem("applications", again)])
    view = volunteers.volunteers_view(settings, ADMIN, pilot)
    rows = {r.person_id: r for r in view.rows or []}
    assert set(rows) == {"P10", "P11"}  # P09's imported application was replaced
    assert rows["P10"].source == "web" and rows["P10"].problem == "Disputes"
    assert rows["P10"].selection == "selected"
    db.release(settings.sqlalchemy_url)


def test_selection_is_recorded_with_who_decided_and_counted_against_the_bounds(
    site: Settings,
) -> None:
    pilot = _pilot(site, max_pilot=2)
    for person in ("P10", "P11"):
        volunteers.apply(site, account("member", person), pilot, "Invoices", "Because")
    view = volunteers.decide(
        site,
        account("admin"),
        pilot,
        [
            SelectionIn(person_id="P09", status="selected"),
            SelectionIn(person_id="P10", status="selected"),
        ],
    )
    rows = {r.person_id: r for r in view.rows or []}
    assert rows["P09"].selection == "selected" and rows["P09"].decided_by == "admin@bank.example"
    assert rows["P11"].selection is None
    assert view.selected == 2 and view.bounds == "2 selected: within the range 1-2"
    with pytest.raises(DataError, match="above the pilot's maximum of 2"):
        volunteers.decide(site, ADMIN, pilot, [SelectionIn(person_id="P11", status="selected")])
    with pytest.raises(DataError) as caught:
        volunteers.decide(
            site,
            ADMIN,
            pilot,
            [
                SelectionIn(person_id="P13", status="selected"),
                SelectionIn(person_id="P10", status="maybe"),
            ],
        )
    assert len(caught.value.problems) == 2  # every problem named; nothing changed
    after = volunteers.decide(
        site, ADMIN, pilot, [SelectionIn(person_id="P09", status="not_selected")]
    )
    assert {r.person_id: r.selection for r in after.rows or []} == {
        "P09": "not_selected",
        "P10": "selected",
        "P11": None,
    }
    with db.transaction(store(site)) as session:
        assert store_capacity.selected_volunteers(session, pilot) == ["P10"]


def test_filters_by_unit_attributes_and_the_capacity_plan(site: Settings) -> None:
    pilot = _pilot(site, "BANK")
    save_decisions(
        site,
        ADMIN,
        pilot,
        [
            DecisionIn(activity_id="A-RECON", decision="automate"),
            DecisionIn(activity_id="A-REPORT", decision="stop"),
        ],
    )
    capacity.plan_for_pilot(site, ADMIN, pilot, time_limit=5)
    view = volunteers.volunteers_view(site, ADMIN, pilot)
    assert view.has_plan and {r.plan for r in view.rows or []} <= {"freed", "not_freed"}
    assert {"unit_id", "level", "role", "tenure", "plan", "selection"} <= set(view.facets)
    assert "skills" not in view.facets and "tenure_years" not in view.facets
    by_unit = volunteers.volunteers_view(site, ADMIN, pilot, filters={"unit_id": "CC"})
    assert [r.person_id for r in by_unit.rows or []] == ["P03"] and by_unit.shown == 1
    level = (view.rows or [])[0].attributes["level"]
    by_level = volunteers.volunteers_view(site, ADMIN, pilot, filters={"level": level})
    assert all(r.attributes["level"] == level for r in by_level.rows or [])
    freed = volunteers.volunteers_view(site, ADMIN, pilot, filters={"plan": "freed"})
    assert all(r.plan == "freed" for r in freed.rows or [])
    undecided = volunteers.volunteers_view(site, ADMIN, pilot, filters={"selection": "undecided"})
    assert undecided.shown == 2
    with pytest.raises(ConfigError, match="unknown filter"):
        volunteers.volunteers_view(site, ADMIN, pilot, filters={"salary": "high"})


def test_others_read_counts_by_unit_suppressed_below_the_minimum_group_size(
    site: Settings,
) -> None:
    pilot = _pilot(site, "BANK")
    view = volunteers.volunteers_view(site, account("champion"), pilot, filters={"unit_id": "CC"})
    assert view.rows is None and view.facets == {} and view.filters == {}
    assert view.applicants is None  # 2 applicants, fewer than 5
    assert all(u.suppressed and u.applicants is None for u in view.by_unit)
    admin = volunteers.volunteers_view(site, ADMIN, pilot)
    assert admin.applicants == 2 and [u.applicants for u in admin.by_unit] == [1, 1]


def test_the_2000_person_bank_plants_enough_volunteers_for_40(tmp_path: Path) -> None:
    import json

    from smartmoves.data.synth import synthesize_bank

    synthesize_bank(tmp_path / "bank", people=2000, weeks=2, seed=0)
    truth = json.loads((tmp_path / "bank" / "truth.json").read_text(encoding="utf-8"))
    planted = truth["best_entry_point"]["volunteers"]
    assert DEMO_SELECTED <= planted["count"] <= 60 and planted["within_15_60"]
