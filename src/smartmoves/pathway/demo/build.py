"""The demo workspace: a synthetic regional bank, imported, with one login per role.

Each step of the pathway adds its own module here (a saved
capacity plan, a pilot with workgroups...), so that ``make demo`` always shows
everything smartmoves can do.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from smartmoves.data.store import db, org
from smartmoves.data.workspace import is_workspace
from smartmoves.errors import ConfigError
from smartmoves.pathway._store import store
from smartmoves.pathway.create.capacity.exposure_jobs import train_workspace_model
from smartmoves.pathway.demo import (
    capacity,
    coaching,
    connect,
    frontline,
    recognize,
    teams,
    volunteers,
)
from smartmoves.pathway.demo._pilot import start_pilot
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.pathway.setup.users import add_account, new_password
from smartmoves.pathway.setup.workspace import init_workspace
from smartmoves.settings import Settings, get_settings

__all__ = ["DemoLogin", "build_demo", "demo_logins"]

LOGINS_FILE = "demo-logins.json"
DOMAIN = "bank.example"
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    person_id: str | None
    who: str


def demo_logins(folder: Path) -> list[DemoLogin]:
    """The logins of an existing demo workspace."""
    path = folder / LOGINS_FILE
    if not path.is_file():
        raise ConfigError(f"{folder} is not a demo workspace (no {LOGINS_FILE})")
    return [DemoLogin(**item) for item in json.loads(path.read_text(encoding="utf-8"))]


def build_demo(
    folder: Path,
    *,
    people: int = 2000,
    weeks: int = 26,
    seed: int = 0,
    progress: Progress | None = None,
    exposure_occupations: int | None = None,
) -> list[DemoLogin]:
    """Build the demo workspace in ``folder`` and return its logins.

    A folder that already holds a demo is left as it is (its logins are returned), so
    ``make demo`` starts at once the second time. The workspace gets the default exposure
    model (``models/exposure.npz``, trained on the shipped labelled tasks), so that every
    activity without an automation potential has an estimate; ``exposure_occupations``
    trains it on that many occupations only (a quicker, rougher model).
    """
    from smartmoves.data.synth import synthesize_bank

    folder = folder.expanduser().resolve()
    if (folder / LOGINS_FILE).is_file():
        return demo_logins(folder)
    if is_workspace(folder):
        raise ConfigError(f"{folder} is a workspace but not a demo: choose another folder")
    source = folder / "source"
    synthesize_bank(source, people=people, weeks=weeks, seed=seed, progress=progress)
    init_workspace(folder)
    settings = get_settings(folder)
    import_files(settings, find_table_files(source), actor="demo", progress=progress)
    truth = json.loads((source / "truth.json").read_text(encoding="utf-8"))
    logins = [
        DemoLogin(role, f"{role}@{DOMAIN}", new_password(), person, who)
        for role, person, who in _people_for_roles(settings, truth)
    ]
    for login in logins:
        add_account(
            settings,
            login.email,
            login.role,
            login.password,
            person_id=login.person_id,
            display_name=login.who,
            actor="demo",
        )
    for step in DEMO_STEPS:
        step(settings, truth)
    # After the steps: the demo's decisions and plan are those of its given potentials;
    # the model fills in the activities that have none.
    if progress is not None:
        progress("training the exposure model", 0, 1)
    train_workspace_model(settings, occupations=exposure_occupations)
    path = folder / LOGINS_FILE
    path.write_text(json.dumps([asdict(x) for x in logins], indent=2), encoding="utf-8")
    path.chmod(0o600)
    return logins


# The pathway's steps, in order, each adding its part to the demo workspace.
DEMO_STEPS: list[Callable[[Settings, dict[str, Any]], None]] = [
    recognize.step,  # why and who: the catalyst and the champion
    start_pilot,
    capacity.step,
    volunteers.step,
    teams.step,
    coaching.step,  # after workgroups: it coaches the workgroups formed before it
    frontline.step,  # the pilot runs from the planted start; its metrics get targets
    connect.step,  # last: warms the network cache so the first Connect page is quick
]


def _people_for_roles(
    settings: Settings, truth: dict[str, Any]
) -> list[tuple[str, str | None, str]]:
    """The admin is an analyst; the others are people of the planted entry point."""
    entry = truth["best_entry_point"]
    with db.transaction(store(settings)) as session:
        people = org.read_table(session, "people").set_index("person_id")
    supervisors = people[(people["unit_id"] == entry["unit_id"]) & people["is_supervisor"]]
    champion = truth["champion"]
    member = entry["volunteers"]["person_ids"][0]
    return [
        ("admin", None, "People-analytics lead"),
        ("champion", champion["person_id"], champion["role"]),
        ("supervisor", str(supervisors.index.min()), f"Supervisor, {entry['unit_id']}"),
        ("member", member, f"Volunteer, {entry['unit_id']}"),
    ]
