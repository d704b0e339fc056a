"""A small demo workspace for tests that only read it: ``from demoworkspace import Demo``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smartmoves.pathway.demo.build import DemoLogin, build_demo
from smartmoves.settings import Settings, get_settings

DEMO_OCCUPATIONS = 60


@dataclass(frozen=True)
class Demo:
    folder: Path
    settings: Settings
    logins: list[DemoLogin]
    truth: dict[str, Any]


def small_demo(folder: Path, *, seed: int = 0) -> Demo:
    """A 300-person demo bank over 4 weeks, built in ``folder`` (reused if it is there),
    with an exposure model of 60 occupations (a second rather than the full training)."""
    logins = build_demo(
        folder, people=300, weeks=4, seed=seed, exposure_occupations=DEMO_OCCUPATIONS
    )
    truth = json.loads((folder / "source" / "truth.json").read_text(encoding="utf-8"))
    return Demo(folder, get_settings(folder), logins, truth)
