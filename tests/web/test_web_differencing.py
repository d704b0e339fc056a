"""An onlooker who subtracts figures: the demo bank, through the API, as every role.

The attacker reads every aggregate the organization endpoints show (the overview and every
unit), and for every measure subtracts from each shown figure the shown figures nearest
below it (a parent minus its children, a unit minus its units minus one are special cases
of this). The people such a difference covers are counted from the demo's own source
files, not from the product: each must be no one or at least the minimum group size.
Before the rule survived subtraction, /api/v1/units/D-GROW minus /api/v1/units/U-SBA was
the Head of Growth alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from demoworkspace import Demo, small_demo
from webutil import login_as

MINIMUM = 5


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return small_demo(tmp_path_factory.mktemp("differencing") / "demo")


def _client(demo: Demo, role: str) -> TestClient:
    login = next(x for x in demo.logins if x.role == role)
    return login_as(demo.settings, login.email, login.password)


def _source(demo: Demo, name: str) -> pd.DataFrame:
    return pd.read_csv(Path(demo.folder) / "source" / name, dtype=str, keep_default_na=False)


def _contributors(demo: Demo) -> dict[tuple[str, str], set[str]]:
    """Who contributes to each measure, from the source files: (measure, label) -> people."""
    people = _source(demo, "people.csv")
    alloc = _source(demo, "allocations.csv")
    acts = _source(demo, "activities.csv").set_index("activity_id")
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for p in people.itertuples():
        found[("headcount", "")].add(p.person_id)
        found[("level", p.level or "(no level)")].add(p.person_id)
        if p.is_supervisor.lower() in ("true", "1", "yes"):
            found[("supervisors", "")].add(p.person_id)
    for a in alloc.itertuples():
        if float(a.hours_per_week) > 0:
            found[("category", acts.at[a.activity_id, "category"] or "(no category)")].add(
                a.person_id
            )
            found[("activity", a.activity_id)].add(a.person_id)
    return found


def _shown(client: TestClient) -> tuple[dict[str, str | None], dict[tuple[str, str], set[str]]]:
    """The units tree, and for each measure the units whose figure the role is shown."""
    overview = client.get("/api/v1/overview").json()
    parent: dict[str, str | None] = {"": None}
    shown: dict[tuple[str, str], set[str]] = defaultdict(set)
    ids = {u["unit_id"] for u in overview["units"]}
    for u in overview["units"]:
        parent[u["unit_id"]] = u["parent_id"] if u["parent_id"] in ids else ""
    if overview["headcount"] is not None:
        shown[("headcount", "")].add("")
    for c in overview["hours_by_category"]:
        if c["hours_per_week"] is not None:
            shown[("category", c["category"])].add("")
    for unit in ids:
        detail = client.get(f"/api/v1/units/{unit}").json()
        if detail["unit"]["headcount"] is not None:
            shown[("headcount", "")].add(unit)
        if detail["supervisors"] is not None:
            shown[("supervisors", "")].add(unit)
        for level in detail["levels"]:
            if level["people"] is not None:
                shown[("level", level["label"])].add(unit)
        for c in detail["hours_by_category"]:
            if c["hours_per_week"] is not None:
                shown[("category", c["category"])].add(unit)
        for a in detail["top_activities"]:
            if a["hours_per_week"] is not None:
                shown[("activity", a["activity_id"])].add(unit)
    return parent, shown


def _people_of(demo: Demo, parent: dict[str, str | None]) -> Callable[[str], set[str]]:
    people = _source(demo, "people.csv")
    direct: dict[str, set[str]] = defaultdict(set)
    for p in people.itertuples():
        direct[p.unit_id if p.unit_id in parent else ""].add(p.person_id)
    children: dict[str, list[str]] = defaultdict(list)
    for u, up in parent.items():
        if up is not None:
            children[up].append(u)

    def below(unit: str) -> set[str]:
        out = set(direct[unit])
        for c in children[unit]:
            out |= below(c)
        return out

    return below


@pytest.mark.parametrize("role", ["member", "supervisor", "champion"])
def test_no_difference_of_shown_figures_isolates_a_few(demo: Demo, role: str) -> None:
    parent, shown = _shown(_client(demo, role))
    people_below = _people_of(demo, parent)
    contributors = _contributors(demo)
    children: dict[str, list[str]] = defaultdict(list)
    for u, up in parent.items():
        if up is not None:
            children[up].append(u)
    attacks = 0
    for measure, units in shown.items():
        doing = contributors[measure]
        for unit in units:
            # The shown units nearest below ``unit``: what an onlooker subtracts.
            nearest, stack = [], list(children[unit])
            while stack:
                c = stack.pop()
                (nearest.append(c) if c in units else stack.extend(children[c]))
            left = people_below(unit) & doing
            for c in nearest:
                left -= people_below(c)
            attacks += 1
            assert len(left) == 0 or len(left) >= MINIMUM, (role, measure, unit, nearest)
            # ... and every shown figure covers enough people on its own.
            assert len(people_below(unit) & doing) >= MINIMUM, (role, measure, unit)
    assert attacks > 100  # the attack really ran over the demo's figures


def test_the_head_of_growth_is_not_the_difference(demo: Demo) -> None:
    client = _client(demo, "member")
    grow = client.get("/api/v1/units/D-GROW").json()
    sba = client.get("/api/v1/units/U-SBA").json()
    a, b = grow["unit"]["headcount"], sba["unit"]["headcount"]
    assert a is None or b is None or a - b >= MINIMUM
    hidden = grow if a is None else sba
    assert hidden["unit"]["hidden_because"]
    for fa, fb in zip(grow["hours_by_category"], sba["hours_by_category"], strict=False):
        if fa["category"] == fb["category"] and None not in (fa["people"], fb["people"]):
            assert fa["people"] - fb["people"] in (0,) or fa["people"] - fb["people"] >= MINIMUM


def test_every_unit_lists_the_same_labels(demo: Demo) -> None:
    """A hidden level listed on a parent but not on its child would tell where it is."""
    client = _client(demo, "member")
    overview = client.get("/api/v1/overview").json()
    labels = set()
    for u in overview["units"]:
        detail = client.get(f"/api/v1/units/{u['unit_id']}").json()
        labels.add(
            (
                tuple(x["label"] for x in detail["levels"]),
                tuple(sorted(c["category"] for c in detail["hours_by_category"])),
            )
        )
        assert all(a["people"] is not None for a in detail["top_activities"])
    assert len(labels) == 1


def _pilot(client: TestClient) -> int:
    pilots = client.get("/api/v1/pilots").json()
    return int(next(p["id"] for p in pilots if p["unit_id"]))


def _safe(people: set[str]) -> bool:
    return len(people) == 0 or len(people) >= MINIMUM


@pytest.mark.parametrize("role", ["supervisor", "champion"])
def test_capacity_figures_leave_no_small_difference(demo: Demo, role: str) -> None:
    """The capacity page shows the scope's hours and each activity's and each load band's:
    the scope's figure less the shown ones is a figure over everyone in the hidden ones.
    Who is behind each figure comes from the admin's person-level view."""
    admin, reader = _client(demo, "admin"), _client(demo, role)
    pilot = _pilot(admin)
    full = admin.get(f"/api/v1/pilots/{pilot}/capacity").json()
    seen = reader.get(f"/api/v1/pilots/{pilot}/capacity").json()
    assert seen["hours"] is not None and seen["person_level"] is False
    doers = {a["activity_id"]: set(a["person_ids"]) for a in full["activities"]}
    hidden: set[str] = set()
    for a in seen["activities"]:
        assert (a["hours"] is None) == a["suppressed"]
        if a["suppressed"]:
            hidden |= doers[a["activity_id"]]
        else:
            assert _safe(doers[a["activity_id"]]), a["activity_id"]
    assert _safe(hidden), sorted(hidden)
    assert any(a["suppressed"] for a in seen["activities"])  # the attack had a target

    receivers = full["plan"]["receivers"]
    for when in ("before", "after"):
        bands = {b["band"]: b[when] for b in seen["plan"]["load_bands"]}
        counted = dict.fromkeys(bands, 0)
        for r in receivers:
            share = r[f"load_share_{when}"]
            band = next(b for b, (lo, hi) in _BANDS.items() if lo < share <= hi)
            counted[band] += 1
        if seen["plan"]["receivers_count"] is None:  # too few: no band says anything
            assert set(bands.values()) == {None}
            continue
        left = sum(n for band, n in counted.items() if bands[band] is None)
        assert left == 0 or left >= MINIMUM, (when, counted, bands)
        assert all(bands[b] in (None, n) for b, n in counted.items())


_BANDS = {
    "up to 50%": (-1.0, 0.5),
    "50–75%": (0.5, 0.75),
    "75–90%": (0.75, 0.9),
    "above 90%": (0.9, 1e9),
}


@pytest.mark.parametrize("role", ["supervisor", "champion"])
def test_applicants_per_unit_leave_no_small_difference(demo: Demo, role: str) -> None:
    """Applicants and selected per unit beside their totals: the hidden units together,
    and a unit's applicants less its selected, are no one or enough people."""
    admin, reader = _client(demo, "admin"), _client(demo, role)
    pilot = _pilot(admin)
    rows = admin.get(f"/api/v1/pilots/{pilot}/volunteers").json()["rows"]
    seen = reader.get(f"/api/v1/pilots/{pilot}/volunteers").json()
    assert seen["rows"] is None and seen["applicants"] is not None
    applied: dict[str, set[str]] = defaultdict(set)
    chosen: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        applied[r["unit_id"]].add(r["person_id"])
        if r["selection"] == "selected":
            chosen[r["unit_id"]].add(r["person_id"])
    gone_applied: set[str] = set()
    gone_chosen: set[str] = set()
    for u in seen["by_unit"]:
        unit = u["unit_id"]
        if u["applicants"] is None:
            gone_applied |= applied[unit]
        else:
            assert u["applicants"] == len(applied[unit]) and _safe(applied[unit])
        if u["selected"] is None:
            gone_chosen |= chosen[unit]
        else:
            assert u["selected"] == len(chosen[unit]) and _safe(chosen[unit])
        if None not in (u["applicants"], u["selected"]):
            assert _safe(applied[unit] - chosen[unit]), unit
    assert _safe(gone_applied) and _safe(gone_chosen)
    assert seen["by_unit"]  # (the demo's pilot is one unit: tests/pathway covers several)
