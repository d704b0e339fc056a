"""The pilot's report on the demo: its parts, who may read it, and the pilot's effect
against the one truth.json plants."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartmoves.data.store import db
from smartmoves.data.store.models import Pilot
from smartmoves.errors import Forbidden, NotFound
from smartmoves.pathway.act.report import pilot_report
from smartmoves.pathway.act.report_files import render_html, render_pdf, write_report
from smartmoves.pathway.policy import Account

from demoworkspace import Demo, small_demo

CHAMPION = Account(2, "champion@bank.example", "champion", "P000003", "Champion")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    # One demo for every report test module of the session (the first builds it).
    return small_demo(tmp_path_factory.getbasetemp() / "report-demo")


def _start(demo: Demo) -> dt.date:
    return dt.date.fromisoformat(demo.truth["pilot_effect"]["start_date"])


def test_the_report_holds_the_entry_point_capacity_and_workgroups(demo: Demo) -> None:
    found = pilot_report(demo.settings, CHAMPION, 1, start=_start(demo))
    planted = demo.truth["pilot_effect"]
    assert found.unit_id == planted["unit_id"] and found.entry is not None
    assert found.entry.unit_id == planted["unit_id"] and found.entry.reasons
    assert found.capacity is not None and found.capacity.summary
    assert found.workgroups and all(g.members > 0 for g in found.workgroups)
    assert all(g.coach for g in found.workgroups)  # the demo coaches every workgroup
    ids = {m.metric_id for m in found.metrics}
    assert {e["metric_id"] for e in planted["effects"]} <= ids
    for m in found.metrics:
        # Treated are the pilot's teams; the comparison the unit's other teams.
        assert set(m.treated) <= set(planted["scope_ids"])
        assert m.controls == len(planted["comparison_scope_ids"])
    assert found.headline in ids


def test_the_estimated_effect_is_close_to_the_planted_one(demo: Demo) -> None:
    pytest.importorskip("smartmoves.engines.impact")
    found = pilot_report(demo.settings, CHAMPION, 1, start=_start(demo))
    by_id = {m.metric_id: m for m in found.metrics}
    for planted in demo.truth["pilot_effect"]["effects"]:
        m = by_id[planted["metric_id"]]
        assert m.effect is not None and m.ci_low is not None and m.ci_high is not None
        assert m.ci_low <= planted["effect"] <= m.ci_high, m
        assert abs(m.effect - planted["effect"]) < 1.5 * planted["noise_sd"]
        assert m.sentence.startswith("About +")
        assert m.periods and any(p.counterfactual is not None for p in m.periods)
    for null in demo.truth["pilot_effect"]["null_metrics"]:
        m = by_id[null]
        assert m.ci_low is not None and m.ci_high is not None
        assert m.ci_low <= 0 <= m.ci_high and "could be chance" in m.sentence


def _set_start(demo: Demo, day: dt.date | None) -> dt.date | None:
    with db.transaction(db.engine_for(demo.settings.sqlalchemy_url)) as session:
        pilot = session.get(Pilot, 1)
        assert pilot is not None
        before, pilot.started_on = pilot.started_on, day
    return before


def test_the_stored_start_is_the_one_the_report_uses(demo: Demo) -> None:
    # The demo's pilot runs from the planted start (its demo step sets it running).
    assert pilot_report(demo.settings, CHAMPION, 1).started_on == _start(demo)


def test_a_pilot_that_has_not_started_shows_trends_and_no_effect(demo: Demo) -> None:
    kept = _set_start(demo, None)  # as if it were still recruiting
    try:
        found = pilot_report(demo.settings, CHAMPION, 1)
    finally:
        _set_start(demo, kept)
    assert found.started_on is None
    assert found.metrics and all(m.effect is None for m in found.metrics)
    assert all("has not started" in m.sentence for m in found.metrics)
    assert all(m.periods for m in found.metrics)


@pytest.mark.parametrize("role", ["supervisor", "member"])
def test_only_admins_and_champions_read_the_report(demo: Demo, role: str) -> None:
    with pytest.raises(Forbidden, match="admins and champions"):
        pilot_report(demo.settings, Account(9, f"{role}@x", role, "P000158", None), 1)


def test_an_unknown_pilot_is_not_found(demo: Demo) -> None:
    with pytest.raises(NotFound):
        pilot_report(demo.settings, CHAMPION, 999)


def test_the_html_is_self_contained_and_the_pdf_is_a_pdf(demo: Demo, tmp_path: Path) -> None:
    found = pilot_report(demo.settings, CHAMPION, 1, start=_start(demo))
    html = render_html(found)
    assert "<svg" in html and "<style>" in html
    assert "<script" not in html and "http://" not in html.split("<svg", 1)[0]
    assert found.workgroups[0].name in html
    assert render_pdf(html).startswith(b"%PDF")
    written = write_report(demo.settings, CHAMPION, 1, tmp_path / "r.pdf", start=_start(demo))
    assert written.read_bytes().startswith(b"%PDF")


def test_a_download_is_written_by_a_job_once_then_kept_and_each_one_audited(demo: Demo) -> None:
    from smartmoves.data.store import db
    from smartmoves.data.store.models import AuditEntry, Job
    from smartmoves.pathway._store import store
    from smartmoves.pathway.act.report_jobs import download_report

    def count() -> tuple[int, int]:
        with db.transaction(store(demo.settings)) as session:
            jobs = session.query(Job).filter(Job.kind == "report").count()
            exports = session.query(AuditEntry).filter(AuditEntry.action == "export").count()
            return jobs, exports

    jobs, exports = count()
    body, media = download_report(demo.settings, CHAMPION, 1, "html", start=_start(demo))
    assert media.startswith("text/html") and b"<svg" in body
    again, _ = download_report(demo.settings, CHAMPION, 1, "html", start=_start(demo))
    assert again == body
    assert count() == (jobs + 1, exports + 2)  # one job wrote it; two downloads audited
    assert list((demo.folder / "reports").glob("pilot-1-*.html"))
