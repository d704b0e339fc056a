"""``synthesize_bank``: write every table of a synthetic regional bank, and truth.json."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from smartmoves.data.synth.activities import activities_frame, draw_allocations
from smartmoves.data.synth.applications import draw_applications
from smartmoves.data.synth.assessments import draw_assessments
from smartmoves.data.synth.events import write_interactions
from smartmoves.data.synth.events_model import build_event_model, plant_brokers
from smartmoves.data.synth.metrics import metric_history, metrics_frame
from smartmoves.data.synth.names import with_names
from smartmoves.data.synth.org import MIN_PEOPLE, build_org
from smartmoves.data.synth.pilot import plan_pilot
from smartmoves.data.synth.practices import plant_practices
from smartmoves.data.synth.spec import BEST_ENTRY_POINT
from smartmoves.data.synth.truth import build_truth
from smartmoves.errors import ConfigError

__all__ = ["EVENTS_PER_PERSON_WEEK", "FILES", "SynthSummary", "synthesize_bank"]

Progress = Callable[[str, int, int], None]
EVENTS_PER_PERSON_WEEK = 25.0
FILES = (
    "units.csv",
    "people.csv",
    "activities.csv",
    "allocations.csv",
    "interactions.parquet",
    "metrics.csv",
    "metric_values.csv",
    "applications.csv",
    "unit_assessments.csv",
    "truth.json",
)
# One stream of random numbers per stage, so a change in one stage leaves the others be.
_ORG, _ALLOCATIONS, _PILOT, _BROKERS, _METRICS, _APPLICATIONS, _PRACTICES, _NAMES = range(1, 9)
_ASSESSMENTS = 9


@dataclass(frozen=True)
class SynthSummary:
    """What :func:`synthesize_bank` wrote (row counts per table)."""

    out_dir: Path
    people: int
    weeks: int
    seed: int
    events: int
    units: int
    activities: int
    allocations: int
    metric_values: int
    applications: int
    best_entry_point: str
    files: tuple[str, ...] = FILES

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["out_dir"] = str(self.out_dir)
        out["files"] = list(self.files)
        return out


def _check(people: int, weeks: int, seed: int, events: int | None, per_week: float) -> int:
    for name, value in (("people", people), ("weeks", weeks), ("seed", seed)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise ConfigError(f"{name} must be a whole number, not {value!r}")
    if people < MIN_PEOPLE:
        raise ConfigError(f"people must be at least {MIN_PEOPLE} so that every unit exists")
    if weeks < 1:
        raise ConfigError(f"weeks must be at least 1, not {weeks}")
    if seed < 0:
        raise ConfigError(f"seed must be 0 or more, not {seed}")
    if events is None:
        if not per_week > 0 or not math.isfinite(per_week):
            raise ConfigError(f"events_per_person_week must be above 0, not {per_week}")
        events = round(people * weeks * per_week)
    if isinstance(events, bool) or not isinstance(events, int | np.integer) or events < 1:
        raise ConfigError(f"events must be a whole number of at least 1, not {events!r}")
    return int(events)


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    part = path.with_name(path.name + ".part")
    frame.to_csv(part, index=False, lineterminator="\n")
    os.replace(part, path)


def _json_default(value: Any) -> Any:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def _finite(value: Any) -> Any:
    """NaN has no JSON spelling: write null."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def synthesize_bank(
    out_dir: str | Path,
    *,
    people: int = 2000,
    weeks: int = 26,
    seed: int = 0,
    events: int | None = None,
    events_per_person_week: float = EVENTS_PER_PERSON_WEEK,
    progress: Progress | None = None,
) -> SynthSummary:
    """Write a synthetic regional bank to ``out_dir``: every table and truth.json.

    Parameters
    ----------
    out_dir
        Folder to write into (created if missing; files of the same names are replaced).
    people
        Headcount, at least ``MIN_PEOPLE`` (every unit needs a team). From 150 people on,
        the planted entry point can yield 15-60 volunteers.
    weeks
        Weeks of interaction and metric history (from Monday 2024-01-01).
    seed
        Same seed, same bank: CSV files byte for byte, Parquet row for row.
    events
        Total interaction events; default ``people * weeks * events_per_person_week``.
    events_per_person_week
        Events a person starts per week on average, when ``events`` is not given.
    progress
        Called as ``progress(stage, done, total)`` while writing.

    Returns
    -------
    SynthSummary
        Row counts of what was written.

    Raises
    ------
    ConfigError
        A size, seed or event count out of range, or ``out_dir`` is a file.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     summary = synthesize_bank(folder, people=200, weeks=4, seed=1)
    ...     truth = json.loads((pathlib.Path(folder) / "truth.json").read_text())
    >>> summary.people, summary.events, summary.best_entry_point
    (200, 20000, 'U-COL')
    >>> truth["best_entry_point"]["volunteers"]["count"], truth["pilot_effect"]["start_week"]
    (15, 2)
    """
    events = _check(people, weeks, seed, events, events_per_person_week)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out} is a file, not a folder")
    out.mkdir(parents=True, exist_ok=True)

    def report(stage: str, done: int, total: int) -> None:
        if progress is not None:
            progress(stage, done, total)

    def rng(stage: int) -> np.random.Generator:
        return np.random.default_rng([seed, stage])

    report("organization", 0, 1)
    org = build_org(people, rng(_ORG))
    inventory = draw_allocations(org, rng(_ALLOCATIONS))
    pilot = plan_pilot(org, inventory, weeks, rng(_PILOT))
    brokers = plant_brokers(org, rng(_BROKERS), pilot.volunteers)
    taken = np.concatenate([pilot.volunteers, [b.person for b in brokers]]).astype(np.int64)
    practices = plant_practices(org, rng(_PRACTICES), taken)
    _write_csv(org.units, out / "units.csv")
    _write_csv(with_names(org.people, rng(_NAMES)), out / "people.csv")
    activities = activities_frame()
    _write_csv(activities, out / "activities.csv")
    _write_csv(inventory.allocations, out / "allocations.csv")
    report("organization", 1, 1)

    part = out / "interactions.parquet.part"
    tally = write_interactions(
        part,
        build_event_model(org, brokers, practices),
        events=events,
        weeks=weeks,
        seed=seed,
        progress=report,
    )
    os.replace(part, out / "interactions.parquet")

    report("metrics", 0, 1)
    history = metric_history(org, pilot, weeks, rng(_METRICS))
    _write_csv(metrics_frame(), out / "metrics.csv")
    _write_csv(history.values, out / "metric_values.csv")
    applications = draw_applications(org, pilot, rng(_APPLICATIONS))
    _write_csv(applications, out / "applications.csv")
    _write_csv(draw_assessments(rng(_ASSESSMENTS)), out / "unit_assessments.csv")
    report("metrics", 1, 1)

    truth = build_truth(
        org=org,
        inventory=inventory,
        pilot=pilot,
        brokers=brokers,
        practices=practices,
        history=history,
        tally=tally,
        applications=applications,
        seed=seed,
        weeks=weeks,
    )
    text = json.dumps(_finite(truth), indent=2, default=_json_default, allow_nan=False)
    (out / "truth.json.part").write_text(text + "\n", encoding="utf-8")
    os.replace(out / "truth.json.part", out / "truth.json")
    return SynthSummary(
        out_dir=out,
        people=org.n,
        weeks=weeks,
        seed=seed,
        events=tally.events,
        units=len(org.units),
        activities=len(activities),
        allocations=len(inventory.allocations),
        metric_values=len(history.values),
        applications=len(applications),
        best_entry_point=BEST_ENTRY_POINT,
    )
