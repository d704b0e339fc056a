"""Create capacity for a pilot, on SQLite and PostgreSQL: its scope, suggestions, decisions
and plans, with known answers on the small organization of ``orgfiles``.

Accounts receivable (AR) has six people, P08-P13, each 40 h a week: calls 25 h
(automation potential 0.3, not eliminable), reconciliation 10 h (0.8) and a report 5 h
(no potential, eliminable). P09 applied.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmoves.data.store import db
from smartmoves.data.store.models import Selection
from smartmoves.errors import ConfigError, DataError, NotFound
from smartmoves.pathway._store import store
from smartmoves.pathway.create import capacity
from smartmoves.pathway.create.capacity.decisions import DecisionIn
from smartmoves.pathway.pilots import create_pilot
from smartmoves.pathway.setup.imports import ImportItem, find_table_files, import_files
from smartmoves.settings import Settings

from orgfiles import ACTIVITIES, write_org
from services import ADMIN, account, new_workspace

CHAMPION = account("champion", "P01")
ACCEPTED = [
    DecisionIn(activity_id="A-RECON", decision="automate"),
    DecisionIn(activity_id="A-REPORT", decision="stop"),
]


def load_org(settings: Settings, folder: Path) -> Settings:
    import_files(settings, find_table_files(write_org(folder / "org")))
    return settings


@pytest.fixture(scope="module")
def site(module_store_backend: str | None, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("capacity")
    return load_org(new_workspace(folder / "ws", module_store_backend), folder)


def _pilot(site: Settings, unit: str = "AR") -> int:
    return create_pilot(site, ADMIN, f"{unit} pilot", unit_id=unit, min_pilot=1).id


def test_scope_is_the_entry_point_and_the_units_below_it(site: Settings) -> None:
    ar = capacity.capacity_view(site, ADMIN, _pilot(site))
    assert ar.units == ["AR"] and ar.people == 6 and ar.hours == 240
    bank = capacity.capacity_view(site, ADMIN, _pilot(site, "BANK"))
    assert bank.units[0] == "BANK" and set(bank.units) == {"BANK", "CC", "AR", "ADV"}
    assert bank.people == 16 and bank.hours == 630  # P05 works 30 h


def test_suggestions_rank_the_hours_each_decision_frees(site: Settings) -> None:
    result = capacity.suggest_for_pilot(site, ADMIN, _pilot(site))
    table = result.suggestions
    assert list(
        zip(table["activity_id"], table["decision"], table["hours_freed"], strict=True)
    ) == [
        ("A-RECON", "automate", 48.0),
        ("A-CALLS", "automate", 45.0),
        ("A-REPORT", "stop", 30.0),
    ]
    assert set(table["people_affected"]) == {6}
    assert result.missing_estimates == ("A-REPORT",)  # flagged, never read as zero


def test_the_view_suggests_and_counts_the_hours_freed(site: Settings) -> None:
    pilot = _pilot(site)
    view = capacity.capacity_view(site, ADMIN, pilot)
    by_id = {a.activity_id: a for a in view.activities}
    assert [a.activity_id for a in view.activities] == ["A-RECON", "A-CALLS", "A-REPORT"]
    assert {a: r.suggested for a, r in by_id.items()} == {
        "A-RECON": "automate",  # 0.8 >= 0.7
        "A-CALLS": "keep",  # 0.3
        "A-REPORT": "stop",  # eliminable
    }
    assert by_id["A-REPORT"].flagged and by_id["A-REPORT"].frees_if_automated is None
    assert by_id["A-CALLS"].frees_if_stopped is None  # not eliminable
    assert view.freed == 0 and {a.decision for a in view.activities} == {"keep"}
    assert view.volunteers == 1 and view.volunteers_source == "applied"
    assert by_id["A-RECON"].person_ids == [f"P{i:02d}" for i in range(8, 14)]

    capacity.save_decisions(site, ADMIN, pilot, ACCEPTED)
    view = capacity.capacity_view(site, ADMIN, pilot)
    assert view.freed == 78  # 0.8 x 60 + 30
    hours = {d.decision: (d.hours, d.freed, d.activities) for d in view.by_decision}
    assert hours == {
        "automate": (60, 48, 1),
        "stop": (30, 30, 1),
        "keep": (150, 0, 1),
        "relax-metric": (0, 0, 0),
    }


def test_other_readers_get_aggregates_only(site: Settings) -> None:
    view = capacity.capacity_view(site, CHAMPION, _pilot(site))
    assert all(a.person_ids is None for a in view.activities)
    assert view.people == 6 and not any(a.suppressed for a in view.activities)
    assert view.volunteers is None  # one applicant: fewer than 5


def test_decisions_replace_or_merge(site: Settings) -> None:
    pilot = _pilot(site)
    capacity.save_decisions(site, ADMIN, pilot, ACCEPTED)
    capacity.save_decisions(
        site,
        ADMIN,
        pilot,
        [DecisionIn(activity_id="A-CALLS", decision="relax-metric", note="handle time")],
        replace=False,
    )
    saved = {
        d.activity_id: (d.decision, d.note)
        for d in capacity.capacity_view(site, ADMIN, pilot).decisions
    }
    assert saved == {
        "A-RECON": ("automate", None),
        "A-REPORT": ("stop", None),
        "A-CALLS": ("relax-metric", "handle time"),
    }
    rows = capacity.save_decisions(
        site, ADMIN, pilot, [DecisionIn(activity_id=" A-CALLS ", decision="Automate", unit_id="AR")]
    )
    assert [(r.activity_id, r.unit_id, r.decision) for r in rows] == [("A-CALLS", "AR", "automate")]


@pytest.mark.parametrize(
    ("decisions", "message"),
    [
        ([DecisionIn(activity_id="A-RECON", decision="outsource")], "'outsource' unknown"),
        ([DecisionIn(activity_id="A-NOPE", decision="stop")], "'A-NOPE' unknown"),
        (
            [DecisionIn(activity_id="A-RECON", decision="stop", unit_id="CC")],
            "'CC' is not in the pilot's entry point",
        ),
        ([DecisionIn(activity_id="A-REPORT", decision="automate")], "A-REPORT"),
        (
            [
                DecisionIn(activity_id="A-RECON", decision="stop"),
                DecisionIn(activity_id="A-RECON", decision="keep"),
            ],
            "conflicts",
        ),
    ],
)
def test_bad_decisions_save_nothing(
    site: Settings, decisions: list[DecisionIn], message: str
) -> None:
    pilot = _pilot(site)
    capacity.save_decisions(site, ADMIN, pilot, ACCEPTED)
    with pytest.raises(DataError) as caught:
        capacity.save_decisions(site, ADMIN, pilot, decisions)
    assert message in " ".join(caught.value.lines())
    after = capacity.capacity_view(site, ADMIN, pilot).decisions
    assert {(d.activity_id, d.decision) for d in after} == {
        ("A-RECON", "automate"),
        ("A-REPORT", "stop"),
    }


def test_a_pilot_without_entry_point_or_missing(site: Settings) -> None:
    loose = create_pilot(site, ADMIN, "No unit yet").id
    with pytest.raises(ConfigError, match="no entry point"):
        capacity.capacity_view(site, ADMIN, loose)
    with pytest.raises(NotFound):
        capacity.plan_for_pilot(site, ADMIN, 9999)


def test_plan_known_answer_saved_as_the_pilots_plan(site: Settings) -> None:
    pilot = _pilot(site)
    capacity.save_decisions(site, ADMIN, pilot, ACCEPTED)
    saved = capacity.plan_for_pilot(site, account("admin"), pilot, time_limit=10)
    result = saved.result
    assert saved.created_by == "admin@bank.example"
    # P09 keeps 25 h of calls + 2 h of reconciliation after the decisions and may keep
    # 10 h: 17 whole hours go to the five colleagues (27 h each), at most 4 h each.
    assert saved.status == "optimal" and saved.is_current and saved.id is not None
    assert [r["person_id"] for r in result["freed"]] == ["P09"]
    assert result["hours"] == {
        "automated": 8.0,
        "stopped": 5.0,
        "handed_off": 17.0,
        "kept": 10.0,
        "total": 40.0,
    }
    receivers = result["receivers"]
    assert sorted(r["person_id"] for r in receivers) == ["P08", "P10", "P11", "P12", "P13"]
    assert max(r["load_after"] for r in receivers) == 31
    assert result["objective"] == {
        "freed_count": 1,
        "max_receiver_load": 0.775,
        "handoff_count": 5,
    }
    assert saved.parameters["volunteers_source"] == "applied"
    assert saved.parameters["volunteers"] == ["P09"]
    assert saved.parameters["min_pilot"] == 1  # the pilot's own
    assert capacity.read_current_plan(site, pilot) == saved

    view = capacity.current_plan_view(site, ADMIN, pilot)
    assert view.freed_count == 1 and view.receivers_count == 5 and view.above_alert == 0
    assert [r.person_id for r in view.freed or []] == ["P09"]
    assert view.summary.startswith("The best plan there is: it frees 1 of 1")
    assert view.proof.startswith("Bound 1, gap 0: proven")
    hidden = capacity.current_plan_view(site, CHAMPION, pilot)
    assert hidden.freed is hidden.receivers is hidden.handoffs is hidden.not_freed is None
    assert hidden.freed_count is None and hidden.hours is None  # one volunteer
    assert hidden.receivers_count == 5 and "volunteers" not in hidden.parameters
    # 27 h of 40 before (67.5%); after, 30 h (75%, the band's top) or more, up to 31 h.
    above_75 = sum(r["load_after"] > 30 for r in receivers)
    assert 0 < above_75 < 5
    assert [(b.band, b.before, b.after) for b in view.load_bands] == [
        ("up to 50%", 0, 0),
        ("50–75%", 5, 5 - above_75),
        ("75–90%", 0, above_75),
        ("above 90%", 0, 0),
    ]
    assert [(b.band, b.before, b.after) for b in hidden.load_bands] == [
        ("up to 50%", 0, 0),
        ("50–75%", 5, None),  # fewer than 5 in each band after the plan
        ("75–90%", 0, None),
        ("above 90%", 0, 0),
    ]


def test_a_new_plan_keeps_the_earlier_ones(site: Settings) -> None:
    pilot = _pilot(site)
    first = capacity.plan_for_pilot(site, ADMIN, pilot, time_limit=5)
    second = capacity.plan_for_pilot(site, ADMIN, pilot, time_limit=5, max_load=0.9)
    assert second.id != first.id and capacity.read_current_plan(site, pilot) == second
    assert capacity.current_plan_view(site, ADMIN, pilot).plans == 2
    unsaved = capacity.plan_for_pilot(site, ADMIN, pilot, time_limit=5, save=False)
    assert unsaved.id is None and capacity.read_current_plan(site, pilot) == second


def test_selected_volunteers_win_over_applicants(site: Settings) -> None:
    pilot = _pilot(site)
    with db.transaction(store(site)) as session:
        session.add_all(
            [
                Selection(pilot_id=pilot, person_id="P10", status="selected"),
                Selection(pilot_id=pilot, person_id="P11", status="not_selected"),
                Selection(pilot_id=pilot, person_id="P03", status="selected"),  # CC: outside
            ]
        )
    saved = capacity.plan_for_pilot(site, ADMIN, pilot, time_limit=5, save=False)
    assert saved.parameters["volunteers_source"] == "selected"
    assert saved.parameters["volunteers"] == ["P10"]
    given = capacity.plan_for_pilot(
        site, ADMIN, pilot, volunteers=["P11", "P12"], time_limit=5, save=False
    )
    assert given.parameters["volunteers"] == ["P11", "P12"]
    with pytest.raises(DataError, match=r"not in the pilot's entry point.*P03"):
        capacity.plan_for_pilot(site, ADMIN, pilot, volunteers=["P03"], save=False)


def test_an_infeasible_plan_is_kept_and_explained(site: Settings) -> None:
    pilot = _pilot(site)
    # Without decisions everyone works 40 h: at 100% load nobody has room for P09's work.
    saved = capacity.plan_for_pilot(site, ADMIN, pilot, time_limit=5)
    assert saved.status == "infeasible" and saved.result["freed"] == []
    (blocked,) = saved.result["not_freed"]
    assert blocked["person_id"] == "P09" and blocked["cause"] == "no_receiver"
    view = capacity.current_plan_view(site, ADMIN, pilot)
    assert view.summary.startswith("No volunteer of 1 can be freed")
    assert any("no qualified receiver with room" in r for r in view.reasons)
    assert view.proof == "Bound 0: proven that no plan frees any volunteer with these inputs."
    with pytest.raises(ConfigError, match=r"most load per receiver: 0\.1 to 1\.5 .*, not 0$"):
        capacity.plan_for_pilot(site, ADMIN, pilot, max_load=0)


def test_no_volunteers_is_a_plan_that_says_so(site: Settings) -> None:
    pilot = _pilot(site, "ADV")  # nobody of ADV applied
    view = capacity.capacity_view(site, ADMIN, pilot)
    assert view.volunteers == 0
    capacity.plan_for_pilot(site, ADMIN, pilot, time_limit=5)
    plan = capacity.current_plan_view(site, ADMIN, pilot)
    assert plan.status == "infeasible" and plan.reasons == ["no volunteers were given"]
    assert plan.summary.startswith("No volunteers to free")


def test_decisions_a_reimport_made_stale_are_left_out(
    tmp_path: Path, store_backend: str | None
) -> None:
    settings = load_org(new_workspace(tmp_path / "ws", store_backend), tmp_path)
    pilot = _pilot(settings)
    capacity.save_decisions(settings, ADMIN, pilot, ACCEPTED)
    changed = tmp_path / "activities.csv"
    changed.write_text(ACTIVITIES.replace(",0.8,", ",,"), encoding="utf-8")
    import_files(settings, [ImportItem("activities", changed)])
    view = capacity.capacity_view(settings, ADMIN, pilot)
    assert view.stale_decisions == [
        "automate A-RECON: no automation potential or model estimate any more"
    ]
    assert [(d.activity_id, d.decision) for d in view.decisions] == [("A-REPORT", "stop")]
    assert view.freed == 30
    db.release(settings.sqlalchemy_url)
