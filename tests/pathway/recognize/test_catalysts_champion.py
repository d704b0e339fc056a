"""Catalysts and the champion, on SQLite and PostgreSQL, on the small organization of
``orgfiles`` (units BANK > CC, AR, ADV; people P00-P15)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from smartmoves.data.store import db
from smartmoves.data.store.models import AuditEntry, Catalyst, Champion
from smartmoves.errors import ConfigError, Conflict, Forbidden, NotFound
from smartmoves.pathway._store import store
from smartmoves.pathway.recognize import (
    CatalystIn,
    ChampionIn,
    add_catalyst,
    catalyst,
    delete_catalyst,
    edit_catalyst,
    list_catalysts,
    set_champion,
    show_champion,
    why_and_who,
)
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.settings import Settings

from orgfiles import write_org
from services import ADMIN, account

ALL_YES = dict.fromkeys(
    ("break_status_quo", "urgent_now", "beyond_optimization", "pilot_can_be_freed"), "yes"
)
EVIDENCE = {q: f"evidence for {q}" for q in ALL_YES}
VISION = (
    "Within six months our collectors are freed from routine reconciliations to learn new "
    "skills and work on what customers need."
)


@pytest.fixture
def site(workspace: Settings, tmp_path: Path) -> Settings:
    import_files(workspace, find_table_files(write_org(tmp_path / "org")))
    return workspace


def _counts(site: Settings) -> tuple[int, int, int]:
    with db.transaction(store(site)) as session:
        return (
            session.query(Catalyst).count(),
            session.query(Champion).count(),
            session.query(AuditEntry).count(),
        )


def _good(**changes: object) -> CatalystIn:
    values: dict[str, object] = {
        "kind": "market_pressure",
        "title": "Digital lenders take our customers",
        "answers": ALL_YES,
        "evidence": EVIDENCE,
    }
    return CatalystIn.model_validate(values | changes)


def test_a_catalyst_is_recorded_judged_and_listed(site: Settings) -> None:
    added = add_catalyst(site, account("champion"), _good())
    assert added.verdict == "good" and added.version == 1
    assert added.reasons == ["all four questions answered yes"] and not added.warnings
    assert [a.answer for a in added.answers] == ["yes"] * 4
    assert added.created_by == "champion@bank.example"
    poor = add_catalyst(
        site, ADMIN, _good(title="Tighter controls", answers={"beyond_optimization": "no"})
    )
    assert poor.verdict == "poor" and "poor catalyst" in poor.reasons[0]
    merger = add_catalyst(site, ADMIN, _good(kind="reorganization_or_merger", evidence={}))
    assert any("draws attention away" in w for w in merger.warnings)
    assert any("without evidence" in w for w in merger.warnings)
    skip = add_catalyst(site, ADMIN, _good(kind="compelling_opportunity"))
    assert skip.may_skip_to_workgroups and "skip ahead to workgroups" in skip.reasons[-1]
    undecided = add_catalyst(site, ADMIN, _good(answers={"urgent_now": "Unsure"}))
    assert undecided.verdict == "undecided"
    view = list_catalysts(site, account("supervisor"))
    assert [c.id for c in view.catalysts] == [added.id, poor.id, merger.id, skip.id, undecided.id]
    assert not view.can_edit and list_catalysts(site, ADMIN).can_edit
    assert len(view.types) == 7 and len(view.questions) == 4
    assert catalyst(site, ADMIN, poor.id).title == "Tighter controls"


def test_editing_a_catalyst_counts_versions_and_refuses_a_stale_form(site: Settings) -> None:
    first = add_catalyst(site, ADMIN, _good())
    changed = edit_catalyst(
        site, account("champion"), first.id, _good(answers={"urgent_now": "no"}), base_version=1
    )
    assert changed.version == 2 and changed.verdict == "weak"
    assert "not urgent now" in changed.reasons[0]
    assert changed.updated_by == "champion@bank.example"
    # The same text again adds no version.
    again = edit_catalyst(site, ADMIN, first.id, _good(answers={"urgent_now": "no"}))
    assert again.version == 2
    before = _counts(site)
    with pytest.raises(Conflict, match="version 2 of this catalyst meanwhile"):
        edit_catalyst(site, ADMIN, first.id, _good(title="Stale"), base_version=1)
    with pytest.raises(Conflict):
        delete_catalyst(site, ADMIN, first.id, base_version=1)
    assert _counts(site) == before
    assert catalyst(site, ADMIN, first.id).title == "Digital lenders take our customers"
    delete_catalyst(site, ADMIN, first.id, base_version=2)
    with pytest.raises(NotFound, match=f"no catalyst {first.id}"):
        catalyst(site, ADMIN, first.id)
    with pytest.raises(NotFound):
        edit_catalyst(site, ADMIN, first.id, _good())


def test_two_edits_at_once_never_lose_one(site: Settings) -> None:
    row = add_catalyst(site, ADMIN, _good())
    outcomes: list[str] = []

    def save(title: str) -> None:
        try:
            edit_catalyst(site, ADMIN, row.id, _good(title=title), base_version=1)
            outcomes.append("saved")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(f"Title {i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert catalyst(site, ADMIN, row.id).version == 2


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"kind": "hunch"}, "type is one of"),
        ({"kind": ""}, "got none"),
        ({"title": "  "}, "needs a title"),
        ({"title": "x" * 201}, "at most 200"),
        ({"answers": {"is_it_fun": "yes"}}, "no question 'is_it_fun'"),
        ({"answers": {"urgent_now": "maybe"}}, "yes, no or unsure"),
        ({"evidence": {"urgent_now": "x" * 4001}}, "longer than 4000"),
    ],
)
def test_bad_catalysts_are_refused_and_leave_the_store_untouched(
    site: Settings, changes: dict[str, object], words: str
) -> None:
    before = _counts(site)
    with pytest.raises(ConfigError, match=words):
        add_catalyst(site, ADMIN, _good(**changes))
    assert _counts(site) == before


def test_who_may_read_and_edit_catalysts(site: Settings) -> None:
    row = add_catalyst(site, ADMIN, _good())
    before = _counts(site)
    for role in ("supervisor", "member"):
        with pytest.raises(Forbidden, match="admins and champions record the catalysts"):
            add_catalyst(site, account(role), _good())
        with pytest.raises(Forbidden):
            edit_catalyst(site, account(role), row.id, _good(title="Mine"))
        with pytest.raises(Forbidden):
            delete_catalyst(site, account(role), row.id)
    with pytest.raises(Forbidden, match="for admins, champions and supervisors"):
        list_catalysts(site, account("member"))
    with pytest.raises(Forbidden):
        show_champion(site, account("member"))
    assert _counts(site) == before


def _champion(**changes: object) -> ChampionIn:
    values: dict[str, object] = {
        "person_id": "P08",
        "level": "c_level",
        "conviction": "yes",
        "communicates": "yes",
        "air_cover": "yes",
        "unit_id": "BANK",
        "vision": VISION,
    }
    return ChampionIn.model_validate(values | changes)


def test_the_champion_is_set_shown_and_warned(site: Settings) -> None:
    assert show_champion(site, account("supervisor")).champion is None
    page = set_champion(site, account("admin"), _champion(), base_version=0)
    champ = page.champion
    assert champ is not None and champ.ready and champ.warnings == []
    assert champ.unit_name == "Regional bank" and champ.area_units == 4
    assert champ.level_label.startswith("C-level") and champ.version == 1
    assert "collectors" in champ.vision_names["the frontline"]
    # Below C-level, unsure of air cover, and a vision about the bank only.
    page = set_champion(
        site,
        ADMIN,
        _champion(level="manager", air_cover="unsure", unit_id="AR", vision="Grow revenue."),
        base_version=1,
    )
    champ = page.champion
    assert champ is not None and not champ.ready and champ.version == 2
    words = " ".join(champ.warnings)
    assert "not at C-level" in words and "air cover" in words
    assert "does not name the frontline" in words and champ.area_units == 1
    assert show_champion(site, account("champion")).champion == champ
    assert not show_champion(site, account("champion")).can_set
    both = why_and_who(site, account("supervisor"))
    assert both.champion.champion == champ and both.catalysts.catalysts == []


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"person_id": "P99"}, "no person 'P99'"),
        ({"person_id": " "}, "give their person_id"),
        ({"unit_id": "NOWHERE"}, "no unit 'NOWHERE'"),
        ({"level": "king"}, "level is one of"),
        ({"conviction": "perhaps"}, "conviction is yes, no or unsure"),
        ({"vision": "x" * 4001}, "longer than 4000"),
    ],
)
def test_bad_champions_are_refused_and_leave_the_store_untouched(
    site: Settings, changes: dict[str, object], words: str
) -> None:
    set_champion(site, ADMIN, _champion())
    before = _counts(site)
    with pytest.raises(ConfigError, match=words):
        set_champion(site, ADMIN, _champion(**changes))
    assert _counts(site) == before
    page = show_champion(site, ADMIN)
    assert page.champion is not None and page.champion.version == 1


def test_only_admins_set_the_champion_and_a_stale_form_is_refused(site: Settings) -> None:
    before = _counts(site)
    for role in ("champion", "supervisor", "member"):
        with pytest.raises(Forbidden, match="only admins set the champion"):
            set_champion(site, account(role), _champion())
    assert _counts(site) == before
    set_champion(site, ADMIN, _champion(), base_version=0)
    with pytest.raises(Conflict, match="set the champion meanwhile"):
        set_champion(site, ADMIN, _champion(person_id="P00"), base_version=0)
    page = show_champion(site, ADMIN)
    assert page.champion is not None and page.champion.person_id == "P08"


@pytest.mark.parametrize("base", [0, None])
def test_setting_the_champion_twice_at_once_keeps_one_row(site: Settings, base: int | None) -> None:
    """From one read (version 0), one is kept and the other refused; without a version,
    both are kept, one after the other (never a crash on the one row)."""
    outcomes: list[str] = []

    def put(person: str) -> None:
        try:
            set_champion(site, ADMIN, _champion(person_id=person), base_version=base)
            outcomes.append("saved")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=put, args=(p,)) for p in ("P00", "P08")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    page = show_champion(site, ADMIN)
    assert page.champion is not None
    if base == 0:
        assert sorted(outcomes) == ["conflict", "saved"] and page.champion.version == 1
    else:
        assert outcomes == ["saved", "saved"] and page.champion.version == 2
    assert _counts(site)[1] == 1
